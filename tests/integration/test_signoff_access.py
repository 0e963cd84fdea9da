"""Every sign-off route, walked as every role, with what each request did to the case."""

from datetime import timedelta

import pytest

from caselog.models import CaseStatus, Delegate
from caselog.signoff.signatures import fingerprint
from tests.clock import NOW
from tests.factories import PASSWORD

ROLES = [
    "anonymous",
    "owner",
    "other_trainee",
    "supervisor",
    "delegate",
    "other_mentor",
    "director",
    "admin",
]
LOGIN = "login"  # stands for "sent to the sign-in page"
SIGNERS = ("supervisor", "delegate")


def _only(allowed: dict, otherwise):
    """Expected result for every signed-in role: `allowed` where given, else `otherwise`."""
    return {role: allowed.get(role, otherwise) for role in ROLES if role != "anonymous"}


# endpoint -> (method, url, form data, expected status by role, status of the case after,
#              by role, for a POST that may change it)
def signoff_routes(world, delegate):
    return {
        "signoff.queue": (
            "GET",
            "/awaiting",
            None,
            _only({"supervisor": 200, "delegate": 200, "other_mentor": 200}, 403),
            {},
        ),
        "signoff.sign_batch": (
            "POST",
            "/awaiting/sign",
            lambda case: {"cases": f"{case.id}:{fingerprint(case)}", "password": PASSWORD},
            _only({"supervisor": 302, "delegate": 302, "other_mentor": 302}, 403),
            {"supervisor": CaseStatus.APPROVED, "delegate": CaseStatus.APPROVED},
        ),
        "signoff.review": (
            "GET",
            "/cases/{id}/review",
            None,
            _only({"supervisor": 200, "delegate": 200}, 404),
            {},
        ),
        "signoff.sign": (
            "POST",
            "/cases/{id}/sign",
            lambda case: {"fingerprint": fingerprint(case), "password": PASSWORD},
            _only({"supervisor": 302, "delegate": 302}, 404),
            {"supervisor": CaseStatus.APPROVED, "delegate": CaseStatus.APPROVED},
        ),
        "signoff.return_case": (
            "POST",
            "/cases/{id}/return",
            lambda case: {"comment": "Add the level operated."},
            _only({"supervisor": 302, "delegate": 302}, 404),
            {"supervisor": CaseStatus.RETURNED, "delegate": CaseStatus.RETURNED},
        ),
        "signoff.bedside": (
            "POST",
            "/cases/{id}/bedside",
            lambda case: {
                "fingerprint": fingerprint(case),
                "email": world.mentor.email,
                "password": PASSWORD,
            },
            _only({"owner": 302}, 404),
            {"owner": CaseStatus.APPROVED},
        ),
        "signoff.bedside (page)": (
            "GET",
            "/cases/{id}/bedside",
            None,
            _only({"owner": 200}, 404),
            {},
        ),
        "signoff.reassign": (
            "POST",
            "/cases/{id}/reassign",
            lambda case: {"supervisor_id": world.other_mentor.id, "reason": "On leave"},
            _only({"director": 302}, 404),
            {"director": CaseStatus.SUBMITTED},
        ),
        "signoff.reassign (page)": (
            "GET",
            "/cases/{id}/reassign",
            None,
            _only({"director": 200}, 404),
            {},
        ),
    }


@pytest.fixture
def delegate(world, make, db_session):
    """A mentor of the program whom the director lets sign for Dr Mentor Park."""
    person = make.user("Dr Delegate Choi", email="delegate@example.test")
    make.appoint(person, world.program)
    db_session.add(Delegate(program=world.program, mentor=world.mentor, delegate=person))
    db_session.flush()
    return person


def test_every_signoff_route_is_walked(app, world, delegate):
    endpoints = {
        rule.endpoint for rule in app.url_map.iter_rules() if rule.endpoint.startswith("signoff.")
    }
    walked = {name.split(" ")[0] for name in signoff_routes(world, delegate)}
    assert endpoints == walked


@pytest.mark.parametrize("role", ROLES)
def test_signoff_routes_by_role(app, world, make, delegate, role):
    person = {
        "anonymous": None,
        "owner": world.trainee,
        "other_trainee": world.other_trainee,
        "supervisor": world.mentor,
        "delegate": delegate,
        "other_mentor": world.other_mentor,
        "director": world.director,
        "admin": world.admin,
    }[role]
    client = app.test_client()
    if person is not None:
        client.login(person)
    for endpoint, (method, template, data, expected, after) in signoff_routes(
        world, delegate
    ).items():
        case = make.case(
            world.trainee,
            world.program,
            world.fusion,
            world.mentor,
            status=CaseStatus.SUBMITTED,
            submitted_at=NOW - timedelta(days=3),
        )
        url = template.format(id=case.id)
        if person is None:
            response = client.call(method, url, data(case) if data else None)
            assert response.status_code == 302, endpoint
            assert response.headers["Location"].startswith("/login?next="), endpoint
            assert case.status is CaseStatus.SUBMITTED
            continue
        response = client.call(method, url, data(case) if data else None)
        assert response.status_code == expected[role], (endpoint, response.status_code)
        if method == "POST":
            assert case.status is after.get(role, CaseStatus.SUBMITTED), endpoint
            assert bool(case.signatures) == (after.get(role) is CaseStatus.APPROVED), endpoint
        if endpoint == "signoff.reassign":
            changed = world.other_mentor if role == "director" else world.mentor
            assert case.supervisor_id == changed.id


@pytest.mark.parametrize(
    "status", [CaseStatus.DRAFT, CaseStatus.RETURNED, CaseStatus.APPROVED, CaseStatus.WITHDRAWN]
)
def test_only_a_case_awaiting_sign_off_is_reviewed_signed_returned_or_reassigned(
    app, world, make, status
):
    case = make.case(
        world.trainee,
        world.program,
        world.fusion,
        world.mentor,
        status=status,
        submitted_at=NOW - timedelta(days=1),
    )
    seen = fingerprint(case)
    mentor = app.test_client()
    mentor.login(world.mentor)
    assert mentor.get(f"/cases/{case.id}/review").status_code == 404
    signed = mentor.call(
        "POST", f"/cases/{case.id}/sign", {"fingerprint": seen, "password": PASSWORD}
    )
    hidden = status is CaseStatus.DRAFT  # a draft is the trainee's alone: as if it did not exist
    assert signed.status_code == (404 if hidden else 302)
    batch = mentor.call(
        "POST", "/awaiting/sign", {"cases": f"{case.id}:{seen}", "password": PASSWORD}
    )
    assert "Not signed" in mentor.get(batch.headers["Location"]).get_data(as_text=True)
    returned = mentor.call("POST", f"/cases/{case.id}/return", {"comment": "Check the level"})
    assert returned.status_code == (404 if hidden else 302)
    assert case.status is status and case.signatures == []

    director = app.test_client()
    director.login(world.director)
    assert director.get(f"/cases/{case.id}/reassign").status_code == 404
    trainee = app.test_client()
    trainee.login(world.trainee)
    bedside = trainee.call(
        "POST",
        f"/cases/{case.id}/bedside",
        {"fingerprint": seen, "email": world.mentor.email, "password": PASSWORD},
    )
    assert bedside.status_code == 302
    assert "Only a case awaiting sign-off" in trainee.get(bedside.headers["Location"]).get_data(
        as_text=True
    )
    assert case.status is status and case.signatures == [] and case.supervisor_id == world.mentor.id
