"""A third party checks a report by its code, and a copy by its bytes, without signing in."""

import io
import re

import pytest

from caselog.models import CaseStatus, VerificationMiss
from caselog.verify import services
from tests.clock import NOW
from tests.integration.verify_steps import issue_logbook

UNKNOWN = "No report with this code was issued by this installation"
ISSUED = "Issued by this Caselog installation"
EXACT = "This file is exactly the report issued on"
DIFFERS = "This file is NOT the issued report: it differs from it (it may have been changed)."


@pytest.fixture
def issued(world, make):
    """A logbook of the trainee with a signed case, issued by the director: (record, PDF)."""
    make.case(
        world.trainee,
        world.program,
        world.fusion,
        world.mentor,
        status=CaseStatus.APPROVED,
        notes="Revision after adjacent segment disease",
    )
    return issue_logbook(world.trainee, world.director)


def upload(client, code: str, data: bytes, name: str = "logbook.pdf"):
    """Post a copy on the report's page, as a browser sends a chosen file."""
    return client.submit(
        f"/verify/{code}",
        {"document": (io.BytesIO(data), name)},
        content_type="multipart/form-data",
    )


def text(response) -> str:
    return re.sub(r"\s+", " ", response.get_data(as_text=True))


def test_the_code_of_a_genuine_report_shows_what_the_report_states(client, issued):
    report, _pdf = issued
    response = client.get(f"/verify/{report.code}")
    page = text(response)
    assert response.status_code == 200
    assert ISSUED in page
    for stated in (
        report.code,
        "Logbook of Bat-Erdene Dorj",
        "Bat-Erdene Dorj",
        "Logbook",
        "Dr Director Kim",
        "Program: Spine fellowship (test)",
        report.sha256,
        f"{report.size:,} bytes",
        report.generated_at.strftime("%Y"),
    ):
        assert stated in page, stated
    assert "(UTC)" in page


def test_a_genuine_copy_is_exact(client, issued):
    report, pdf = issued
    page = text(upload(client, report.code, pdf))
    assert EXACT in page and DIFFERS not in page


def test_one_changed_byte_makes_the_copy_differ(client, issued):
    report, pdf = issued
    changed = bytearray(pdf)
    changed[len(changed) // 2] ^= 0x01
    page = text(upload(client, report.code, bytes(changed)))
    assert DIFFERS in page and EXACT not in page
    for copy in (pdf[:-1], pdf + b"\n", b""):  # cut short, appended to, empty
        page = text(upload(client, report.code, copy))
        assert (DIFFERS in page) or ("Choose the PDF file." in page)
        assert EXACT not in page


def test_a_made_up_code_is_not_a_report(client, issued):
    response = client.get("/verify/ABCD-EFGH-JK")
    assert response.status_code == 404
    assert UNKNOWN in text(response) and "ABCD-EFGH-JK" in text(response)
    # and a genuine PDF does not verify under it
    response = upload(client, "ABCD-EFGH-JK", issued[1])
    assert response.status_code == 404 and EXACT not in text(response)


def test_a_malformed_code_gets_the_same_answer_as_an_unknown_one(client, issued):
    unknown, malformed = client.get("/verify/ABCD-EFGH-JK"), client.get("/verify/not-a-code")
    assert malformed.status_code == unknown.status_code == 404

    def shape(response, code):
        page = text(response).replace(code, "CODE")
        return re.sub(r'<input[^>]*name="csrf_token"[^>]*>', "TOKEN", page)  # every form's

    assert shape(malformed, "not-a-code") == shape(unknown, "ABCD-EFGH-JK")


def test_typed_codes_are_forgiving(client, issued):
    report, _pdf = issued
    raw = report.code.replace("-", "")
    for typed in (
        report.code.lower(),
        f"  {raw[:4]} {raw[4:8]} {raw[8:]} ",
        raw.lower(),
        report.code.replace("-", " - "),
    ):
        response = client.submit("/verify", {"code": typed})
        assert response.status_code == 302, typed
        assert response.headers["Location"] == f"/verify/{report.code}"
    response = client.get(f"/verify/{raw.lower()}")  # typed into the address bar
    assert response.status_code == 302
    assert response.headers["Location"] == f"/verify/{report.code}"


def test_a_typed_code_of_the_wrong_shape_is_explained(client):
    response = client.submit("/verify", {"code": "12345"})
    assert response.status_code == 200
    assert "A code has ten letters and digits" in text(response)


def test_the_page_reveals_nothing_beyond_the_report(client, issued, world):
    report, pdf = issued
    pages = [client.get(f"/verify/{report.code}"), upload(client, report.code, pdf)]
    for response in pages:
        page = response.get_data(as_text=True)
        for secret in (
            "trainee@example.test",
            "director@example.test",
            "Transforaminal",
            "adjacent segment",
            "Dr Mentor Park",
            "Seoul Spine Hospital",
        ):
            assert secret not in page, secret
        assert "/cases/" not in page and f"/users/{world.trainee.id}" not in page
        assert "Sign out" not in page and 'href="/admin' not in page


def test_the_forms_need_their_csrf_token(client, issued):
    report, pdf = issued
    client.get("/verify")
    assert client.post("/verify", data={"code": report.code}).status_code == 400
    response = client.post(
        f"/verify/{report.code}",
        content_type="multipart/form-data",
        data={"document": (io.BytesIO(pdf), "logbook.pdf")},
    )
    assert response.status_code == 400
    assert EXACT not in text(response)


def test_a_copy_must_be_chosen(client, issued):
    report, _pdf = issued
    response = client.submit(f"/verify/{report.code}", {}, content_type="multipart/form-data")
    assert response.status_code == 200 and "Choose the PDF file." in text(response)


def test_a_file_too_large_is_refused_with_a_clear_answer(client, issued, monkeypatch):
    report, pdf = issued
    monkeypatch.setattr(services, "MAX_UPLOAD", 4096)
    response = upload(client, report.code, pdf + b"x" * 8192)
    assert response.status_code == 413
    page = text(response)
    assert "This file is larger than 4 KB" in page and "it is not the issued report" in page
    assert ISSUED in page and EXACT not in page


def test_codes_that_match_nothing_are_throttled_per_address(
    client, app, issued, monkeypatch, db_session
):
    report, _pdf = issued
    monkeypatch.setattr(services, "MAX_MISSES", 3)
    for n in range(3):
        assert client.get(f"/verify/ABCD-EFGH-J{n + 2}").status_code == 404
    refused = client.get(f"/verify/{report.code}")  # even a genuine one, from there
    assert refused.status_code == 429
    assert "Wait 15 minutes" in text(refused) and report.sha256 not in text(refused)
    elsewhere = app.test_client()
    response = elsewhere.get(f"/verify/{report.code}", environ_base={"REMOTE_ADDR": "10.0.0.9"})
    assert response.status_code == 200
    assert db_session.query(VerificationMiss).count() == 3


def test_old_misses_are_forgotten(app, db_session):
    from datetime import timedelta

    long_ago = NOW - services.WINDOW - timedelta(minutes=1)
    for _n in range(services.MAX_MISSES):
        services.record_miss("10.1.1.1", now=long_ago)
    assert not services.throttled("10.1.1.1", now=NOW)
    services.record_miss("10.1.1.1", now=NOW)
    assert db_session.query(VerificationMiss).count() == 1  # the old ones are gone
