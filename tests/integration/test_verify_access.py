"""The verification pages, walked as each role: public, the same for everyone, never a menu."""

import io

import pytest

from tests.integration.verify_steps import issue_logbook

ROLES = ["anonymous", "trainee", "mentor", "director", "other_director", "admin"]


def verify_routes(code: str) -> dict[str, tuple[str, str]]:
    return {
        "verify.index": ("GET", "/verify"),
        "verify.show": ("GET", f"/verify/{code}"),
    }


def test_every_verify_route_is_walked(app):
    endpoints = {
        rule.endpoint for rule in app.url_map.iter_rules() if rule.endpoint.startswith("verify.")
    }
    assert endpoints == set(verify_routes("X"))


@pytest.mark.parametrize("role", ROLES)
def test_verify_routes_by_role(client, world, people, role):
    report, pdf = issue_logbook(world.trainee, world.director)
    person = world.mentor if role == "mentor" else people[role]
    if person is not None:
        client.login(person)
    for endpoint, (method, url) in verify_routes(report.code).items():
        response = client.call(method, url)
        assert response.status_code == 200, (endpoint, response.status_code)
        page = response.get_data(as_text=True)
        assert "Sign out" not in page and "Report verification" in page, endpoint
    response = client.submit("/verify", {"code": report.code.lower()})
    assert response.headers["Location"] == f"/verify/{report.code}"
    response = client.submit(
        f"/verify/{report.code}",
        {"document": (io.BytesIO(pdf), "logbook.pdf")},
        content_type="multipart/form-data",
    )
    assert "This file is exactly the report issued on" in response.get_data(as_text=True)
    assert client.get("/verify/ABCD-EFGH-JK").status_code == 404


def test_the_pages_are_not_indexed_nor_framed(client, world):
    report, _pdf = issue_logbook(world.trainee, world.director)
    response = client.get(f"/verify/{report.code}")
    assert '<meta name="robots" content="noindex, nofollow">' in response.get_data(as_text=True)
    assert response.headers["X-Frame-Options"] == "DENY"
    assert "script-src 'self'" in response.headers["Content-Security-Policy"]
