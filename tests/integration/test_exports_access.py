"""Every export route walked as each role, and what each role's export holds: trainees their
own cases, mentors the submitted cases of the programs they mentor in, directors their
programs' cases, admins every case; nobody else's, whatever the query string says."""

import pytest

from caselog.models import CaseStatus
from tests.integration.export_steps import download, references, signed_case

ROLES = [
    "anonymous",
    "owner",
    "other_trainee",
    "mentor",
    "mentor_elsewhere",
    "director",
    "other_director",
    "admin",
    "nobody",
]
LOGIN = "login"
ROUTES = {  # endpoint -> url (filtered to the world's program)
    "exports.cases": "/exports/cases?program={program}",
    "exports.csv": "/exports/cases.csv?program={program}",
    "exports.xlsx": "/exports/cases.xlsx?program={program}",
}
# What each role gets for the world's program: a person it is not theirs to see gets 404,
# as if the program did not exist; an account with no role at all gets 403 on every route.
EXPECTED = {
    "anonymous": LOGIN,
    "owner": 200,
    "other_trainee": 200,
    "mentor": 200,
    "mentor_elsewhere": 404,
    "director": 200,
    "other_director": 404,
    "admin": 200,
    "nobody": 403,
}


@pytest.fixture
def cases(world, make):
    """The owner's draft and signed case, the other trainee's waiting case, and in another
    program (its own director and mentor) a waiting case and a draft."""
    other_director = make.user("Dr Other Director", email="other.director@example.test")
    elsewhere = make.program(
        sites=[world.busan], directors=[other_director], name="Program elsewhere"
    )
    mentor_elsewhere = make.user("Dr Mentor Elsewhere", email="elsewhere@example.test")
    trainee_elsewhere = make.user("Trainee Elsewhere", email="trainee3@example.test")
    make.appoint(mentor_elsewhere, elsewhere)
    make.enrol(trainee_elsewhere, elsewhere)

    def logged(trainee, program, supervisor, status):
        return make.case(trainee, program, world.fusion, supervisor, status=status).reference

    return {
        "people": {
            "anonymous": None,
            "owner": world.trainee,
            "other_trainee": world.other_trainee,
            "mentor": world.mentor,
            "mentor_elsewhere": mentor_elsewhere,
            "director": world.director,
            "other_director": other_director,
            "admin": world.admin,
            "nobody": make.user("No Role", email="nobody@example.test"),
        },
        "draft": logged(world.trainee, world.program, world.mentor, CaseStatus.DRAFT),
        "signed": signed_case(make, world).reference,
        "waiting": logged(
            world.other_trainee, world.program, world.other_mentor, CaseStatus.SUBMITTED
        ),
        "elsewhere": logged(trainee_elsewhere, elsewhere, mentor_elsewhere, CaseStatus.SUBMITTED),
        "draft_elsewhere": logged(trainee_elsewhere, elsewhere, mentor_elsewhere, CaseStatus.DRAFT),
        "program": elsewhere,
    }


def test_every_export_route_is_walked(app):
    endpoints = {
        rule.endpoint for rule in app.url_map.iter_rules() if rule.endpoint.startswith("exports.")
    }
    assert endpoints == set(ROUTES)
    assert set(EXPECTED) == set(ROLES)


@pytest.mark.parametrize("role", ROLES)
def test_export_routes_by_role(app, world, cases, role):
    person = cases["people"][role]
    for endpoint, template in ROUTES.items():
        client = app.test_client()  # a fresh browser for each route
        if person is not None:
            client.login(person)
        response = client.get(template.format(program=world.program.id))
        if EXPECTED[role] == LOGIN:
            assert response.status_code == 302, endpoint
            assert response.headers["Location"].startswith("/login?next="), endpoint
        else:
            assert response.status_code == EXPECTED[role], (endpoint, response.status_code)


# Every case each role's export holds, unfiltered.
HOLDS = {
    "owner": "draft signed",
    "other_trainee": "waiting",
    "mentor": "signed waiting",  # the program's submitted cases, never a draft
    "mentor_elsewhere": "elsewhere",
    "director": "draft signed waiting",
    "other_director": "elsewhere draft_elsewhere",
    "admin": "draft signed waiting elsewhere draft_elsewhere",
}


@pytest.mark.parametrize("role", sorted(HOLDS))
@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_each_role_exports_only_what_it_may_see(app, cases, role, fmt):
    client = app.test_client()
    client.login(cases["people"][role])
    assert references(client, fmt) == {cases[name] for name in HOLDS[role].split()}


def test_query_strings_cannot_widen_an_export(app, world, cases):
    """Another program, trainee, site or procedure, or drafts for a mentor: refused, or
    (a trainee naming someone else) ignored; never someone else's case."""
    owner = app.test_client()
    owner.login(world.trainee)
    assert references(owner, trainee=world.other_trainee.id) == {cases["draft"], cases["signed"]}
    assert download(owner, "csv", program=cases["program"].id).status_code == 404
    assert download(owner, "csv", procedure=world.acdf.id).status_code == 404  # none logged
    mentor = app.test_client()
    mentor.login(world.mentor)
    assert download(mentor, "csv", status="draft").status_code == 404
    assert download(mentor, "xlsx", program=cases["program"].id).status_code == 404
    director = app.test_client()
    director.login(world.director)
    assert (
        download(director, "csv", trainee=cases["people"]["other_director"].id).status_code == 404
    )
    assert download(director, "csv", program=999_999).status_code == 404


def test_a_person_enrolled_in_one_program_and_mentoring_in_another_gets_both(
    app, world, make, cases
):
    """Roles add up: their own cases, and the submitted cases where they mentor."""
    make.appoint(world.trainee, cases["program"])
    client = app.test_client()
    client.login(world.trainee)
    assert references(client) == {cases["draft"], cases["signed"], cases["elsewhere"]}
