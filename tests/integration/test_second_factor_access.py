"""Every second-factor route, walked as each role: the profile pages are for whoever is
signed in, the code step for a sign-in waiting for its code, a program's rule for its
directors and admins."""

import pytest

from caselog.models import Program

ROLES = ["anonymous", "trainee", "mentor", "director", "other_director", "admin"]


def second_factor_routes(program: Program):
    """endpoint -> (method, url, form data, status for a signed-in person, by role)."""
    everyone = dict.fromkeys(ROLES[1:], 200)
    return {
        "second_factor.sign_in": ("GET", "/login/code", None, dict.fromkeys(ROLES[1:], 302)),
        "second_factor.show": ("GET", "/profile/second-factor", None, everyone),
        "second_factor.start": (
            "POST",
            "/profile/second-factor/start",
            {},
            dict.fromkeys(ROLES[1:], 302),
        ),
        "second_factor.confirm": (
            "POST",
            "/profile/second-factor/confirm",
            {"code": "000000"},
            everyone,
        ),
        "second_factor.renew_codes": (
            "POST",
            "/profile/second-factor/recovery-codes",
            {"code": "000000"},
            everyone,
        ),
        "second_factor.turn_off": (
            "POST",
            "/profile/second-factor/off",
            {"password": "x", "code": "000000"},
            everyone,
        ),
        "second_factor.require": (
            "POST",
            f"/programs/{program.id}/second-factor",
            {"required": "y"},
            {"trainee": 404, "mentor": 404, "director": 302, "other_director": 404, "admin": 302},
        ),
    }


def test_every_second_factor_route_is_walked(app, world):
    endpoints = {
        rule.endpoint
        for rule in app.url_map.iter_rules()
        if rule.endpoint.startswith("second_factor.")
    }
    assert endpoints == set(second_factor_routes(world.program))


@pytest.mark.parametrize("role", ROLES)
def test_second_factor_routes_by_role(client, world, people, role):
    person = world.mentor if role == "mentor" else people[role]
    if person is not None:
        client.login(person)
    for endpoint, (method, url, data, expected) in second_factor_routes(world.program).items():
        response = client.call(method, url, data)
        if person is None:
            assert response.status_code == 302, endpoint
            assert response.headers["Location"].startswith("/login"), endpoint
        else:
            assert response.status_code == expected[role], (endpoint, response.status_code)
    assert world.program.requires_second_factor is (role in ("director", "admin"))


def test_the_code_step_without_a_password_first_goes_back_to_sign_in(client):
    assert client.get("/login/code").headers["Location"] == "/login"
