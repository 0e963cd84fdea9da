"""Enrolments, mentor appointments and delegates: every change a director makes is audited."""

import json
from datetime import timedelta

from sqlalchemy import select

from caselog.audit.services import verify_chain
from caselog.models import AuditEvent, Delegate, Enrolment, MentorAppointment


def events(db_session, entity):
    """(entity id, action, actor, before, after, reason) of each event about the entity."""
    return [
        (
            e.entity_id,
            e.action,
            e.actor,
            json.loads(e.before) if e.before else None,
            json.loads(e.after) if e.after else None,
            e.reason,
        )
        for e in db_session.scalars(
            select(AuditEvent).where(AuditEvent.entity == entity).order_by(AuditEvent.seq)
        )
    ]


def test_enrolment_created_changed_and_ended(client, world, make, db_session):
    person = make.user("Tuvshin Bat", email="tuvshin@example.test")
    program = world.program
    client.login(world.director)
    response = client.submit(
        f"/programs/{program.id}/enrol",
        {
            "email": person.email,
            "start_date": program.start_date.isoformat(),
            "end_date": program.end_date.isoformat(),
            "home_institution": "Mongolian NUMS",
        },
    )
    assert response.status_code == 302
    enrolment = db_session.scalar(select(Enrolment).where(Enrolment.trainee_id == person.id))
    url = f"/programs/{program.id}/enrolments/{enrolment.id}"
    data = {
        "start_date": program.start_date.isoformat(),
        "end_date": program.end_date.isoformat(),
        "home_institution": "Mongolian NUMS",
        "cohort": "2026",
    }
    assert client.submit(url, data).status_code == 302
    assert client.submit(url, data).status_code == 302  # saved unchanged: nothing to record
    last_day = program.end_date - timedelta(days=10)
    assert (
        client.submit(f"{url}/end", {"last_day": last_day.isoformat()}, page=url).status_code == 302
    )

    assert events(db_session, "enrolment") == [
        (
            enrolment.id,
            "created",
            "director@example.test",
            None,
            {
                "trainee_id": person.id,
                "program_id": program.id,
                "start_date": program.start_date.isoformat(),
                "end_date": program.end_date.isoformat(),
                "home_institution": "Mongolian NUMS",
                "cohort": None,
            },
            "",
        ),
        (
            enrolment.id,
            "changed",
            "director@example.test",
            {"cohort": None},
            {"cohort": "2026"},
            "",
        ),
        (
            enrolment.id,
            "ended",
            "director@example.test",
            {"end_date": program.end_date.isoformat()},
            {"end_date": last_day.isoformat()},
            "",
        ),
    ]
    assert verify_chain().intact


def test_a_refused_enrolment_records_nothing(client, world, db_session):
    client.login(world.director)
    response = client.submit(
        f"/programs/{world.program.id}/enrol",
        {
            "email": world.mentor.email,
            "start_date": world.program.start_date.isoformat(),
            "end_date": world.program.end_date.isoformat(),
        },
    )
    assert response.status_code == 200
    assert events(db_session, "enrolment") == []


def test_mentor_appointed_replaced_and_removed(client, world, make, db_session):
    newcomer = make.user("Dr Mentor Choi", email="choi@example.test")
    program = world.program
    client.login(world.admin)  # admins run every program's people too
    assert (
        client.submit(
            f"/programs/{program.id}/mentors/new",
            {"email": newcomer.email, "site_id": str(world.seoul.id)},
        ).status_code
        == 302
    )
    site_appointment = db_session.scalar(
        select(MentorAppointment).where(MentorAppointment.mentor_id == newcomer.id)
    )
    site_appointment_id = site_appointment.id
    assert (
        client.submit(
            f"/programs/{program.id}/mentors/new", {"email": newcomer.email, "site_id": ""}
        ).status_code
        == 302
    )
    everywhere = db_session.scalar(
        select(MentorAppointment).where(MentorAppointment.mentor_id == newcomer.id)
    )
    everywhere_id = everywhere.id
    assert (
        client.submit(
            f"/programs/{program.id}/mentors/{everywhere_id}/remove", page=f"/programs/{program.id}"
        ).status_code
        == 302
    )

    assert events(db_session, "appointment") == [
        (
            site_appointment_id,
            "appointed",
            "admin@example.test",
            None,
            {"mentor_id": newcomer.id, "program_id": program.id, "site_id": world.seoul.id},
            "",
        ),
        (
            site_appointment_id,
            "removed",
            "admin@example.test",
            {"mentor_id": newcomer.id, "program_id": program.id, "site_id": world.seoul.id},
            None,
            "replaced by an appointment at all sites",
        ),
        (
            everywhere_id,
            "appointed",
            "admin@example.test",
            None,
            {"mentor_id": newcomer.id, "program_id": program.id, "site_id": None},
            "",
        ),
        (
            everywhere_id,
            "removed",
            "admin@example.test",
            {"mentor_id": newcomer.id, "program_id": program.id, "site_id": None},
            None,
            "",
        ),
    ]
    assert verify_chain().intact


def test_delegate_appointed_and_removed(client, world, make, db_session):
    program = world.program
    client.login(world.director)
    assert (
        client.submit(
            f"/programs/{program.id}/delegates/new",
            {"mentor_id": str(world.mentor.id), "delegate_id": str(world.other_mentor.id)},
        ).status_code
        == 302
    )
    delegate = db_session.scalar(select(Delegate))
    delegate_id = delegate.id
    assert (
        client.submit(
            f"/programs/{program.id}/delegates/{delegate_id}/remove", page=f"/programs/{program.id}"
        ).status_code
        == 302
    )
    content = {
        "program_id": program.id,
        "mentor_id": world.mentor.id,
        "delegate_id": world.other_mentor.id,
    }
    assert events(db_session, "delegate") == [
        (delegate_id, "appointed", "director@example.test", None, content, ""),
        (delegate_id, "removed", "director@example.test", content, None, ""),
    ]


def test_removing_a_mentor_records_the_delegations_it_ends(client, world, make, db_session):
    program = world.program
    delegate = Delegate(program=program, mentor=world.mentor, delegate=world.other_mentor)
    db_session.add(delegate)
    db_session.flush()
    delegate_id = delegate.id
    appointment = db_session.scalar(
        select(MentorAppointment).where(MentorAppointment.mentor_id == world.other_mentor.id)
    )
    client.login(world.director)
    assert (
        client.submit(
            f"/programs/{program.id}/mentors/{appointment.id}/remove",
            page=f"/programs/{program.id}",
        ).status_code
        == 302
    )
    assert [(e[0], e[1], e[5]) for e in events(db_session, "delegate")] == [
        (delegate_id, "removed", "the mentor's appointment was removed")
    ]
    assert [e[1] for e in events(db_session, "appointment")] == ["removed"]
