"""The edges of every request: a size limit with a clear answer (the verification page keeps
its own, larger one), and no page kept by a cache, signed in or not."""

from caselog.models import CaseStatus
from tests.conftest import csrf_token_from
from tests.integration.verify_steps import issue_logbook

MEGABYTE = 1024 * 1024
DIFFERS = "This file is NOT the issued report"


def test_a_body_over_two_megabytes_is_refused_unread_with_a_clear_page(client, world):
    page = client.get("/login")
    response = client.post(
        "/login",
        data={"email": world.trainee.email, "password": "x" * (3 * MEGABYTE)},
    )
    assert response.status_code == 413
    html = response.get_data(as_text=True)
    assert "more than Caselog accepts in one request (at most 2 MB)" in html
    assert page.status_code == 200 and response.headers["Cache-Control"] == "no-store"


def test_a_form_under_the_limit_is_read_as_before(client, world):
    response = client.submit(
        "/login", {"email": world.trainee.email, "password": "x" * 150, "next": "x" * MEGABYTE}
    )
    assert response.status_code == 200  # read, and refused as a wrong password
    assert "The e-mail address or password is not right." in response.get_data(as_text=True)


def multipart(fields: dict, name: str, filename: str, content: bytes) -> tuple[bytes, str]:
    """A multipart body built in memory (Werkzeug's test builder spools a large one to a
    temporary file that it leaves open)."""
    boundary = "caselog-test-boundary"
    parts = [
        f'--{boundary}\r\nContent-Disposition: form-data; name="{key}"\r\n\r\n{value}\r\n'.encode()
        for key, value in fields.items()
    ]
    head = (
        f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"; filename="{filename}"'
        "\r\nContent-Type: application/pdf\r\n\r\n"
    )
    body = b"".join(parts) + head.encode() + content + f"\r\n--{boundary}--\r\n".encode()
    return body, f"multipart/form-data; boundary={boundary}"


def test_the_verification_page_still_takes_a_copy_larger_than_the_limit(client, world, make):
    make.case(world.trainee, world.program, world.fusion, world.mentor, status=CaseStatus.APPROVED)
    report, pdf = issue_logbook(world.trainee, world.director)
    padded = pdf + b"%" * (5 * MEGABYTE)
    token = csrf_token_from(client.get(f"/verify/{report.code}").get_data(as_text=True))
    body, content_type = multipart({"csrf_token": token}, "document", "logbook.pdf", padded)
    response = client.post(f"/verify/{report.code}", data=body, content_type=content_type)
    assert response.status_code == 200
    assert DIFFERS in response.get_data(as_text=True)


def test_no_page_is_cached_signed_in_or_not_but_static_files_are(client, world):
    for url in ("/login", "/verify", "/verify/ABCD-EFGH-JK", "/no-such-page"):
        response = client.get(url)
        assert response.headers["Cache-Control"] == "no-store", url
    static = client.get("/static/css/app.css")
    assert static.status_code == 200
    assert "no-store" not in static.headers.get("Cache-Control", "")
    static.close()
    client.login(world.trainee)
    assert client.get("/cases").headers["Cache-Control"] == "no-store"
