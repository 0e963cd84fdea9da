"""Every reports route, walked as each role: a trainee's reports for the trainee, the
program's mentors, directors and admins; the cohort report for directors and admins;
everyone else 404, and nothing is issued or audited for them."""

import pytest
from sqlalchemy import func, select

from caselog.models import AuditEvent, IssuedReport
from tests.integration.report_steps import OTHER_TRAINEE, TRAINEE, reports_world

ROLES = [
    "anonymous",
    "owner",
    "other_trainee",
    "mentor",
    "mentor_elsewhere",
    "director",
    "other_director",
    "admin",
]
LOGIN = "login"
TRAINEE_REPORT = {
    "anonymous": LOGIN,
    "owner": 200,
    "other_trainee": 404,
    "mentor": 200,
    "mentor_elsewhere": 404,
    "director": 200,
    "other_director": 404,
    "admin": 200,
}
COHORT_REPORT = {
    "anonymous": LOGIN,
    "owner": 404,
    "other_trainee": 404,
    "mentor": 404,
    "mentor_elsewhere": 404,
    "director": 200,
    "other_director": 404,
    "admin": 200,
}
EVERYONE = dict.fromkeys(ROLES, 200) | {"anonymous": LOGIN}


@pytest.fixture
def cast(make, world, db_session, people):
    """One person per role; the other director and the mentor elsewhere run another program."""
    reports_world(make, world, db_session)
    elsewhere = make.user("Dr Mentor Elsewhere", email="elsewhere@example.test")
    other_program = make.program(
        sites=[world.busan], directors=[people["other_director"]], name="Elsewhere program"
    )
    make.appoint(elsewhere, other_program)
    make.enrol(world.other_trainee, other_program)  # so "elsewhere" has a trainee of its own
    return {
        "anonymous": None,
        "owner": world.trainee,
        "other_trainee": world.other_trainee,
        "mentor": world.mentor,
        "mentor_elsewhere": elsewhere,
        "director": world.director,
        "other_director": people["other_director"],
        "admin": world.admin,
    }


def report_routes(world) -> dict[str, tuple[str, dict]]:
    program, trainee = world.program.id, world.trainee.id
    return {
        "reports.index": ("/reports", EVERYONE),
        "reports.logbook": (f"/reports/logbook/{program}/{trainee}.pdf", TRAINEE_REPORT),
        "reports.competency": (f"/reports/competency/{program}/{trainee}.pdf", TRAINEE_REPORT),
        "reports.cohort": (f"/programs/{program}/cohort.pdf", COHORT_REPORT),
    }


def issued_and_audited(db_session) -> tuple[int, int]:
    return (
        db_session.scalar(select(func.count()).select_from(IssuedReport)),
        db_session.scalar(
            select(func.count()).select_from(AuditEvent).where(AuditEvent.entity == "report")
        ),
    )


def test_every_reports_route_is_walked(app, world):
    endpoints = {
        rule.endpoint for rule in app.url_map.iter_rules() if rule.endpoint.startswith("reports.")
    }
    assert endpoints == set(report_routes(world))


@pytest.mark.parametrize("role", ROLES)
def test_reports_by_role(client, world, cast, db_session, role):
    person = cast[role]
    if person is not None:
        client.login(person)
    for endpoint, (url, expected_by_role) in report_routes(world).items():
        before = issued_and_audited(db_session)
        response = client.get(url)
        expected = expected_by_role[role]
        if expected == LOGIN:
            assert response.status_code == 302, endpoint
            assert response.headers["Location"].startswith("/login?next="), endpoint
        else:
            assert response.status_code == expected, (endpoint, response.status_code)
        issued, audited = issued_and_audited(db_session)
        if endpoint != "reports.index" and expected == 200:
            assert response.headers["Content-Type"] == "application/pdf"
            assert (issued, audited) == (before[0] + 1, before[1] + 1), endpoint
        else:
            assert (issued, audited) == before, endpoint  # refused: nothing issued


def test_a_trainee_of_another_program_has_no_report_here(client, world, cast):
    client.login(world.director)
    stranger = cast["mentor_elsewhere"]  # enrolled nowhere in this program
    for kind in ("logbook", "competency"):
        assert (
            client.get(f"/reports/{kind}/{world.program.id}/{stranger.id}.pdf").status_code == 404
        )
        assert client.get(f"/reports/{kind}/{world.program.id}/999999.pdf").status_code == 404
    assert client.get("/programs/999999/cohort.pdf").status_code == 404


def reports_page(app, person) -> str:
    client = app.test_client()  # a fresh browser for each person
    client.login(person)
    return client.get("/reports").get_data(as_text=True)


def test_the_reports_page_lists_only_what_the_user_may_download(app, world, cast):
    program, trainee, other = world.program.id, world.trainee.id, world.other_trainee.id
    mine = f"/reports/logbook/{program}/{trainee}.pdf"
    theirs = f"/reports/logbook/{program}/{other}.pdf"
    cohort = f"/programs/{program}/cohort.pdf"

    page = reports_page(app, world.trainee)
    assert mine in page and f"/reports/competency/{program}/{trainee}.pdf" in page
    assert theirs not in page and cohort not in page and OTHER_TRAINEE not in page

    page = reports_page(app, world.mentor)
    assert mine in page and theirs in page and cohort not in page

    page = reports_page(app, world.director)
    assert mine in page and theirs in page and cohort in page

    page = reports_page(app, cast["other_director"])
    assert TRAINEE not in page and mine not in page and cohort not in page
    assert "Elsewhere program" in page


def test_the_reports_pages_filters_go_into_the_logbook_links(client, world, cast):
    client.login(world.trainee)
    page = client.get("/reports?date_from=2025-01-01&date_to=2025-12-31&status=signed").get_data(
        as_text=True
    )
    assert (
        f"/reports/logbook/{world.program.id}/{world.trainee.id}.pdf?"
        "date_from=2025-01-01&amp;date_to=2025-12-31&amp;status=signed"
    ) in page
    page = client.get("/reports?date_from=2025-12-31&date_to=2025-01-01").get_data(as_text=True)
    assert "The end date is before the start date." in page
    assert f'/reports/logbook/{world.program.id}/{world.trainee.id}.pdf"' in page  # defaults


def test_dashboard_and_cohort_view_link_to_the_reports(app, world, cast):
    program, trainee = world.program.id, world.trainee.id
    pages = {}
    for person, url in (
        (world.trainee, "/dashboard"),
        (world.mentor, f"/mentees/{program}/{trainee}"),
        (world.director, f"/programs/{program}/cohort?cohort=2024"),
    ):
        client = app.test_client()
        client.login(person)
        pages[person.id] = client.get(url).get_data(as_text=True)
    page = pages[world.trainee.id]
    assert f'href="/reports/logbook/{program}/{trainee}.pdf"' in page
    assert f'href="/reports/competency/{program}/{trainee}.pdf"' in page
    page = pages[world.mentor.id]
    assert f'href="/reports/logbook/{program}/{trainee}.pdf"' in page
    page = pages[world.director.id]
    assert f'href="/programs/{program}/cohort.pdf?cohort=2024"' in page
