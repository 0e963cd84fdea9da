"""Every program route, walked as each role: directors of the program and admins get in."""

from datetime import timedelta

import pytest
from sqlalchemy import select

from caselog.models import Delegate, Enrolment, MentorAppointment

ROLES = ["anonymous", "trainee", "director", "other_director", "admin"]


def program_routes(world, db_session):
    """(method, url, form data, status when allowed) for every program endpoint."""
    program = world.program.id
    enrolment = db_session.scalar(
        select(Enrolment.id).where(Enrolment.trainee_id == world.trainee.id)
    )
    appointment = db_session.scalar(
        select(MentorAppointment.id).where(MentorAppointment.mentor_id == world.mentor.id)
    )
    delegate = Delegate(program=world.program, mentor=world.mentor, delegate=world.other_mentor)
    db_session.add(delegate)
    db_session.flush()
    last_day = (world.program.end_date - timedelta(days=1)).isoformat()
    return {
        "programs.index": ("GET", "/programs/", None, 200),
        "programs.show": ("GET", f"/programs/{program}", None, 200),
        "programs.names": ("GET", f"/programs/{program}/names", None, 200),
        "programs.enrol": ("GET", f"/programs/{program}/enrol", None, 200),
        "programs.edit_enrolment": (
            "GET",
            f"/programs/{program}/enrolments/{enrolment}",
            None,
            200,
        ),
        "programs.end_enrolment": (
            "POST",
            f"/programs/{program}/enrolments/{enrolment}/end",
            {"last_day": last_day},
            302,
        ),
        "programs.appoint": ("GET", f"/programs/{program}/mentors/new", None, 200),
        "programs.appoint_delegate": ("GET", f"/programs/{program}/delegates/new", None, 200),
        "programs.remove_delegate": (
            "POST",
            f"/programs/{program}/delegates/{delegate.id}/remove",
            {},
            302,
        ),
        "programs.remove_appointment": (  # last: it ends the mentor's delegations too
            "POST",
            f"/programs/{program}/mentors/{appointment}/remove",
            {},
            302,
        ),
    }


def test_every_program_route_is_walked(app, world, db_session):
    endpoints = {
        rule.endpoint for rule in app.url_map.iter_rules() if rule.endpoint.startswith("programs.")
    }
    assert endpoints == set(program_routes(world, db_session))


@pytest.mark.parametrize("role", ROLES)
def test_program_routes_by_role(client, world, people, role, db_session):
    person = people[role]
    if person is not None:
        client.login(person)
    for endpoint, (method, url, data, allowed) in program_routes(world, db_session).items():
        response = client.call(method, url, data)
        status = response.status_code
        if role == "anonymous":
            assert status == 302 and response.headers["Location"].startswith("/login"), endpoint
        elif role == "trainee":
            assert status == 403, endpoint
        elif role == "other_director" and endpoint != "programs.index":
            assert status == 404, endpoint
        else:
            assert status == allowed, (endpoint, response.get_data(as_text=True)[:2000])


def test_director_sees_only_own_programs(client, world, people):
    client.login(people["other_director"])
    html = client.get("/programs/").get_data(as_text=True)
    assert "Other program" in html
    assert "Spine fellowship (test)" not in html


def test_admin_sees_every_program(client, world, people):
    client.login(world.admin)
    html = client.get("/programs/").get_data(as_text=True)
    assert "Other program" in html
    assert "Spine fellowship (test)" in html


def test_index_counts_trainees_and_mentors(client, world):
    client.login(world.director)
    html = client.get("/programs/").get_data(as_text=True)
    assert "<strong data-trainees>2</strong>" in html
    assert "<strong data-mentors>2</strong>" in html
    assert "Seoul Spine Hospital" in html


def test_enrolment_of_another_program_answers_404(client, world, make, db_session):
    other = make.program(sites=[world.busan], directors=[world.director], name="Second")
    enrolment = db_session.scalar(
        select(Enrolment.id).where(Enrolment.trainee_id == world.trainee.id)
    )
    client.login(world.director)
    assert client.get(f"/programs/{other.id}/enrolments/{enrolment}").status_code == 404
    assert client.get("/programs/999999").status_code == 404
