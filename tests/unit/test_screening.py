"""The identifier screen refuses what could identify a patient, names it in the user's
language, and lets clinical text through."""

import pytest
from flask_babel import force_locale, gettext

from caselog.screening import find_identifiers
from caselog.screening.kinds import Kind
from tests.clock import TODAY


@pytest.fixture(autouse=True)
def _context(app):
    with app.test_request_context():
        yield


def kinds(text: str) -> list[tuple[str, str]]:
    return [(finding.kind, finding.text) for finding in find_identifiers(text, today=TODAY)]


@pytest.mark.parametrize(
    ("text", "found"),
    [
        ("MRN 12345678", [("a record number", "MRN 12345678")]),
        (
            "John Smith DOB 01/02/1960",
            [("a name", "John Smith"), ("a date of birth", "DOB 01/02/1960")],
        ),
        ("sent to j.smith@example.org", [("an e-mail address", "j.smith@example.org")]),
        ("call daughter 010-1234-5678", [("a phone number", "010-1234-5678")]),
        ("+976 9911 2233", [("a phone number", "+976 9911 2233")]),
        ("images at https://pacs.example/study", [("a web address", "https://pacs.example/study")]),
        ("hospital number 4455", [("a record number", "hospital number 4455")]),
        ("id 1234567", [("a record number", "id 1234567")]),
        (
            "주민등록번호 650312-1234567",
            [("a resident registration number", "주민등록번호 650312-1234567")],
        ),
        ("РД УБ65031212", [("a civil register number", "УБ65031212")]),
        ("СНИЛС 123-456-789 01", [("a SNILS number", "СНИЛС 123-456-789 01")]),
        ("Mr Carter, L4/5", [("a name", "Mr Carter")]),
        ("Больной Иванов И.И., 56 лет", [("a name", "Иванов И.И.")]),
        ("Батын Дорж, L5/S1", [("a name", "Батын Дорж")]),
        ("Б.Дорж 45 настай", [("a name", "Б.Дорж")]),
        ("김민수 님 수술 예정", [("a name", "김민수")]),
        ("환자 이정훈 65세", [("a name", "이정훈")]),
        ("ул. Ленина, д. 5, кв. 12", [("an address", "ул. Ленина, д. 5, кв. 12")]),
        ("12 марта 1965 г. рождения", [("a date of birth", "12 марта 1965 г. рождения")]),
        ("1965년 3월 12일생", [("a date of birth", "1965년 3월 12일생")]),
        ("д.р. 12.03.1965", [("a date of birth", "д.р. 12.03.1965")]),
        ("1958 онд төрсөн", [("a year of birth", "1958 онд төрсөн")]),
        ("a 92-year-old woman", [("an age over 89", "92-year-old")]),
    ],
)
def test_identifiers_are_found_and_named(text, found):
    assert kinds(text) == found


@pytest.mark.parametrize(
    "text",
    [
        "L4/5 microdiscectomy, 45 min, EBL 200 ml, dural tear repaired",
        "L4/L5 TLIF, 6.5/45 mm screws; C5/6/7 ACDF; T12/L1 fixation",
        "T12-L1 fusion, 2 levels; C5-6 and C6-7 ACDF",
        "Segment 4b and 5 resection, Pringle 2 x 15 min",
        "ASA 3, age 67, BMI 31.5",
        "Operated on 12.03.2025; 2025년 3월 12일 수술; 3 марта 2025 г.",
        "Dr Park scrubbed; проф. Иванов А.В. показал; 김 교수님께서 시연",
        "이 환자는 남자 환자 67세, 고령 환자로 ASA 3",
        "",
    ],
)
def test_clinical_text_passes(text):
    assert kinds(text) == []


@pytest.mark.parametrize("locale", ["en", "ru", "mn", "ko"])
def test_a_resident_registration_number_is_not_called_a_phone_number(locale):
    with force_locale(locale):
        (finding,) = find_identifiers("650312-1234567", today=TODAY)
        assert finding.code is Kind.RRN
        assert finding.kind == gettext("a resident registration number")
        assert finding.kind != gettext("a phone number")
