"""The demo seed: a complete world that obeys the app's rules and that a newcomer can sign in to."""

from collections import Counter
from datetime import timedelta

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from caselog.cases.screening import find_identifiers
from caselog.demo.seed import seed_demo
from caselog.extensions import db
from caselog.models import (
    Case,
    CaseStatus,
    Enrolment,
    Involvement,
    MentorAppointment,
    Program,
    ProgramKind,
    Setting,
    User,
)
from caselog.models.organisation import program_directors
from caselog.models.types import local_today, utcnow


@pytest.fixture
def lines():
    """Seed the demo inside the test's rolled-back transaction; the printed log-ins."""
    return seed_demo("pw")


def _users_with(query) -> set[int]:
    return set(db.session.scalars(query))


def test_every_role_has_an_account_and_a_newcomer_can_sign_in(client, lines):
    users = db.session.scalars(select(User)).all()
    trainees = _users_with(select(Enrolment.trainee_id))
    mentors = _users_with(select(MentorAppointment.mentor_id))
    directors = _users_with(select(program_directors.c.user_id))
    admins = {u.id for u in users if u.is_admin}
    assert trainees and mentors and directors and admins
    # A senior fellow: a trainee in one program and a mentor in another.
    both = trainees & mentors
    assert both
    for user_id in both:
        trained_in = set(db.session.scalars(
            select(Enrolment.program_id).where(Enrolment.trainee_id == user_id)))
        mentors_in = set(db.session.scalars(
            select(MentorAppointment.program_id).where(MentorAppointment.mentor_id == user_id)))
        assert not trained_in & mentors_in
    # Every program has a director.
    programs = db.session.scalars(select(Program).options(selectinload(Program.directors))).all()
    assert {p.kind for p in programs} == set(ProgramKind)
    assert all(p.directors for p in programs)

    printed = "\n".join(lines)
    assert "pw" in printed
    for user in users:
        assert user.email.endswith("@demo.caselog") and user.email.isascii()
        assert user.email in printed
    for role in ("admin", "director", "mentor", "trainee"):
        assert any(line.lstrip().startswith(role + " ") for line in lines)

    # A demo trainee signs in with the printed password and finds their cases.
    trainee = db.session.scalar(select(User).where(User.email == "ganbold@demo.caselog"))
    client.login(trainee, password="pw")
    response = client.get("/cases", follow_redirects=True)
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    cases = db.session.scalars(select(Case).where(Case.trainee_id == trainee.id)
                               .order_by(Case.operation_date.desc(), Case.id.desc())).all()
    assert f"{len(cases)} cases" in page
    assert f'href="/cases/{cases[0].id}"' in page
    assert cases[0].primary_procedure.name in page


def test_cases_are_in_every_state_and_obey_the_logging_rules(lines):
    cases = db.session.scalars(select(Case).options(
        selectinload(Case.program).selectinload(Program.sites),
        selectinload(Case.site),
    )).all()
    assert len(cases) >= 250
    statuses = Counter(case.status for case in cases)
    assert set(statuses) == set(CaseStatus)
    assert statuses[CaseStatus.APPROVED] > len(cases) / 2

    enrolments = db.session.scalars(select(Enrolment)).all()
    appointed = {tuple(row) for row in db.session.execute(
        select(MentorAppointment.mentor_id, MentorAppointment.program_id))}
    now = utcnow()
    for case in cases:
        assert case.site in case.program.sites
        assert (case.supervisor_id, case.program_id) in appointed
        assert case.supervisor_id != case.trainee_id
        assert any(e.trainee_id == case.trainee_id and e.program_id == case.program_id
                   and e.covers(case.operation_date) for e in enrolments)
        assert case.operation_date <= local_today(case.site.time_zone)
        assert case.created_at <= now
        assert (case.submitted_at is None) == (case.status is CaseStatus.DRAFT)
        if case.submitted_at:
            assert case.created_at <= case.submitted_at <= now
        assert not find_identifiers(case.notes), case.notes
        assert not find_identifiers(case.complication_description)
        assert case.patient_age is not None and case.operative_minutes

    # A queue of submitted cases of various ages, up to about forty days.
    waiting = [now - c.submitted_at for c in cases if c.status is CaseStatus.SUBMITTED]
    assert min(waiting) < timedelta(days=3) and timedelta(days=25) < max(waiting)
    assert max(waiting) < timedelta(days=50)
    assert any(c.complication.value != "none" and c.complication_description for c in cases)
    assert any(c.notes for c in cases) and any(c.additional_procedures for c in cases)


def test_programs_have_the_shape_of_the_brief(lines):
    programs = {p.kind: p for p in db.session.scalars(
        select(Program).options(selectinload(Program.sites)))}
    visiting = programs[ProgramKind.VISITING]
    assert len(visiting.sites) == 5
    visitors = db.session.scalar(select(func.count(func.distinct(Enrolment.trainee_id)))
                                 .where(Enrolment.program_id == visiting.id))
    assert visitors == 9

    master_class = programs[ProgramKind.MASTER_CLASS]
    demos = db.session.scalars(select(Case).where(Case.program_id == master_class.id)).all()
    assert {(c.setting, c.involvement) for c in demos} == {
        (Setting.LIVE_DEMONSTRATION, Involvement.OBSERVED)}
    operations = {(c.operation_date, c.primary_procedure_id, c.operative_minutes) for c in demos}
    assert len(operations) == 6

    # Fellows do more themselves as the fellowship goes on.
    fellowship = db.session.scalar(select(Program).where(
        Program.kind == ProgramKind.FELLOWSHIP, Program.name.like("Spine%")))
    cases = db.session.scalars(select(Case).where(Case.program_id == fellowship.id)).all()
    hands_on = {Involvement.SUPERVISED_SCRUBBED, Involvement.SUPERVISED_UNSCRUBBED,
                Involvement.PERFORMED, Involvement.TAUGHT}
    middle = fellowship.start_date + (max(c.operation_date for c in cases)
                                      - fellowship.start_date) / 2

    def share(part):
        return sum(c.involvement in hands_on for c in part) / len(part)

    assert share([c for c in cases if c.operation_date > middle]) > share(
        [c for c in cases if c.operation_date <= middle]) + 0.15


def _table_counts() -> dict[str, int]:
    return {table.name: db.session.scalar(select(func.count()).select_from(table))
            for table in db.metadata.sorted_tables}


def test_seeding_replaces_the_database_and_repeats_exactly(make):
    stranger = make.user(email="not-demo@example.test")
    make.program(name="A program from before")
    first_lines = seed_demo("pw")
    assert db.session.scalar(select(User).where(User.email == stranger.email)) is None
    first = _table_counts()
    assert first["case"] >= 250

    assert seed_demo("pw") == first_lines
    assert _table_counts() == first
