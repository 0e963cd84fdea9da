"""Every case and sign-in route, walked as every role; and every route in the app is walked."""

import pytest

from caselog.models import CaseStatus

ROLES = ["anonymous", "owner", "other_trainee", "supervisor", "director", "admin"]
LOGIN = "login"  # stands for "sent to the sign-in page"

# endpoint -> (method, url template, expected status by role)
CASE_ROUTES = {
    "cases.home": (
        "GET",
        "/",
        dict(owner=302, other_trainee=302, supervisor=302, director=302, admin=302),
    ),
    "signoff.queue": (
        "GET",
        "/awaiting",
        dict(owner=403, other_trainee=403, supervisor=200, director=403, admin=403),
    ),
    "cases.index": (
        "GET",
        "/cases",
        dict(owner=200, other_trainee=200, supervisor=200, director=200, admin=200),
    ),
    "cases.new": (
        "GET",
        "/cases/new",
        dict(owner=200, other_trainee=200, supervisor=403, director=403, admin=403),
    ),
    "cases.show": (
        "GET",
        "/cases/{draft}",
        dict(owner=200, other_trainee=404, supervisor=404, director=200, admin=404),
    ),
    "cases.edit": (
        "GET",
        "/cases/{draft}/edit",
        dict(owner=200, other_trainee=404, supervisor=404, director=302, admin=404),
    ),
    "cases.submit": (
        "POST",
        "/cases/{draft}/submit",
        dict(owner=302, other_trainee=404, supervisor=404, director=302, admin=404),
    ),
    "cases.withdraw": (
        "POST",
        "/cases/{draft}/withdraw",
        dict(owner=302, other_trainee=404, supervisor=404, director=302, admin=404),
    ),
    "cases.history": (
        "GET",
        "/cases/{draft}/history",
        dict(owner=200, other_trainee=404, supervisor=404, director=200, admin=404),
    ),
    "auth.login": (
        "GET",
        "/login",
        dict(anonymous=200, owner=302, other_trainee=302, supervisor=302, director=302, admin=302),
    ),
    "auth.logout": (
        "POST",
        "/logout",
        dict(owner=302, other_trainee=302, supervisor=302, director=302, admin=302),
    ),
}

# Blueprints whose routes are walked by role in their own test modules.
WALKED_ELSEWHERE = (
    "admin.",
    "auth.set_password",
    "programs.",
    "catalogue.",
    "signoff.",
    "cohort.",
    "frameworks.",
    "progress.",
    "verify.",
    "reports.",
    "exports.",
    "profile.",
    "second_factor.",
)


def test_every_route_is_walked_for_every_role(app):
    for rule in app.url_map.iter_rules():
        if rule.endpoint.endswith("static"):
            continue
        assert rule.endpoint in CASE_ROUTES or rule.endpoint.startswith(WALKED_ELSEWHERE), (
            f"{rule.endpoint} ({rule.rule}) is not walked by any access test"
        )
    for _method, _url, expected in CASE_ROUTES.values():
        assert set(expected) | {"anonymous"} == set(ROLES)


@pytest.mark.parametrize("role", ROLES)
def test_case_routes_by_role(app, world, make, role):
    draft = make.case(
        world.trainee, world.program, world.fusion, world.mentor, status=CaseStatus.DRAFT
    )
    person = {
        "anonymous": None,
        "owner": world.trainee,
        "other_trainee": world.other_trainee,
        "supervisor": world.mentor,
        "director": world.director,
        "admin": world.admin,
    }[role]
    for endpoint, (method, template, expected_by_role) in CASE_ROUTES.items():
        client = app.test_client()  # a fresh browser for each route
        if person is not None:
            client.login(person)
        url = template.format(draft=draft.id)
        if method == "GET":
            response = client.get(url)
        else:
            response = client.submit(url, page="/login" if person is None else "/cases")
        expected = expected_by_role.get(role, LOGIN)
        if expected == LOGIN:
            assert response.status_code == 302, endpoint
            assert response.headers["Location"].startswith("/login?next="), endpoint
        else:
            assert response.status_code == expected, (endpoint, response.status_code)
