"""The identifier screen refuses what could identify a patient and lets clinical text through."""

import pytest

from caselog.screening import find_identifiers


@pytest.fixture(autouse=True)
def _context(app):
    with app.test_request_context():
        yield


@pytest.mark.parametrize(
    ("text", "kinds"),
    [
        ("MRN 12345678", ["a record-number label", "a long number"]),
        ("John Smith DOB 01/02/1960", ["a record-number label", "a date"]),
        ("sent to j.smith@example.org", ["an e-mail address"]),
        ("call daughter 010-1234-5678", ["a phone number"]),
        ("+976 9911 2233", ["a phone number"]),
        ("images at https://pacs.example/study", ["a web address"]),
        ("operated 3 March 2025", ["a date"]),
        ("hospital number 4455", ["a record-number label"]),
        ("id 1234567", ["a long number"]),
    ],
)
def test_identifiers_are_found(text, kinds):
    assert [finding.kind for finding in find_identifiers(text)] == kinds


@pytest.mark.parametrize(
    "text",
    [
        "L4/5 microdiscectomy, 45 min, EBL 200 ml, dural tear repaired",
        "T12-L1 fusion, 2 levels; C5-6 and C6-7 ACDF",
        "Segment 4b and 5 resection, Pringle 2 x 15 min",
        "ASA 3, age 67, BMI 31.5",
        "",
    ],
)
def test_clinical_text_passes(text):
    assert find_identifiers(text) == []
