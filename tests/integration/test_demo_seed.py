"""The demo seed: a complete world that obeys the app's rules and that a newcomer can sign in to."""

import itertools
import json
import re
from collections import Counter
from datetime import timedelta
from html import unescape

import pytest
import sqlalchemy.event
from flask_babel import force_locale, gettext, ngettext
from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from caselog import policies
from caselog.audit.services import verify_chain
from caselog.canonical import canonical_json
from caselog.demo.seed import seed_demo
from caselog.extensions import db
from caselog.models import (
    AuditEvent,
    Autonomy,
    Case,
    CaseStatus,
    Delegate,
    Enrolment,
    Framework,
    FrameworkVersion,
    Involvement,
    MentorAppointment,
    Program,
    ProgramKind,
    Setting,
    Signature,
    Target,
    User,
)
from caselog.models.organisation import program_directors
from caselog.models.types import local_date
from caselog.progress.compute import Status
from caselog.progress.queries import program_progress
from caselog.screening import find_identifiers
from caselog.signoff import signatures
from tests.clock import NOW
from tests.conftest import ConnectionBoundSession


@pytest.fixture(scope="module", autouse=True)
def db_session(app):
    """One rolled-back transaction for the whole module, so the demo is seeded once (the
    tests only read it; the last one seeds again and must find the same world)."""
    with app.app_context():
        connection = db.engine.connect()
        outer = connection.begin()
        original = db.session
        db.session = db._make_scoped_session(
            {
                "bind": connection,
                "class_": ConnectionBoundSession,
                "join_transaction_mode": "create_savepoint",
            }
        )
        try:
            yield db.session
        finally:
            db.session.remove()
            db.session = original
            outer.rollback()
            connection.close()


@pytest.fixture(scope="module")
def lines(db_session):
    """Seed the demo inside the module's rolled-back transaction; the printed log-ins."""
    return seed_demo("pw", now=NOW)


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
        trained_in = set(
            db.session.scalars(select(Enrolment.program_id).where(Enrolment.trainee_id == user_id))
        )
        mentors_in = set(
            db.session.scalars(
                select(MentorAppointment.program_id).where(MentorAppointment.mentor_id == user_id)
            )
        )
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
    cases = db.session.scalars(
        select(Case)
        .where(Case.trainee_id == trainee.id)
        .order_by(Case.operation_date.desc(), Case.id.desc())
    ).all()
    assert trainee.locale == "mn"  # a Mongolian fellow reads Caselog in Mongolian
    assert said(client, trainee, "%(num)d case", "%(num)d cases", len(cases)) in page
    assert f'href="/cases/{cases[0].id}"' in page
    assert cases[0].primary_procedure.display_name("mn").text in page


def test_cases_are_in_every_state_and_obey_the_logging_rules(lines):
    cases = db.session.scalars(
        select(Case).options(
            selectinload(Case.program).selectinload(Program.sites),
            selectinload(Case.site),
        )
    ).all()
    assert len(cases) >= 250
    statuses = Counter(case.status for case in cases)
    assert set(statuses) == set(CaseStatus)
    assert statuses[CaseStatus.APPROVED] > len(cases) / 2

    enrolments = db.session.scalars(select(Enrolment)).all()
    appointed = {
        tuple(row)
        for row in db.session.execute(
            select(MentorAppointment.mentor_id, MentorAppointment.program_id)
        )
    }
    for case in cases:
        assert case.site in case.program.sites
        assert (case.supervisor_id, case.program_id) in appointed
        assert case.supervisor_id != case.trainee_id
        assert any(
            e.trainee_id == case.trainee_id
            and e.program_id == case.program_id
            and e.covers(case.operation_date)
            for e in enrolments
        )
        assert case.operation_date <= local_date(NOW, case.site.time_zone)
        assert case.created_at <= NOW
        assert (case.submitted_at is None) == (case.status is CaseStatus.DRAFT)
        if case.submitted_at:
            assert case.created_at <= case.submitted_at <= NOW
        assert not find_identifiers(case.notes, today=NOW.date()), case.notes
        assert not find_identifiers(case.complication_description, today=NOW.date())
        assert case.patient_age is not None and case.operative_minutes

    # A queue of submitted cases of various ages, up to about forty days.
    waiting = [NOW - c.submitted_at for c in cases if c.status is CaseStatus.SUBMITTED]
    assert min(waiting) < timedelta(days=3) and timedelta(days=25) < max(waiting)
    assert max(waiting) < timedelta(days=50)
    assert any(c.complication.value != "none" and c.complication_description for c in cases)
    assert any(c.notes for c in cases) and any(c.additional_procedures for c in cases)


def test_programs_have_the_shape_of_the_brief(lines):
    programs = {
        p.kind: p for p in db.session.scalars(select(Program).options(selectinload(Program.sites)))
    }
    visiting = programs[ProgramKind.VISITING]
    assert len(visiting.sites) == 5
    visitors = db.session.scalar(
        select(func.count(func.distinct(Enrolment.trainee_id))).where(
            Enrolment.program_id == visiting.id
        )
    )
    assert visitors == 9

    master_class = programs[ProgramKind.MASTER_CLASS]
    demos = db.session.scalars(select(Case).where(Case.program_id == master_class.id)).all()
    assert {(c.setting, c.involvement) for c in demos} == {
        (Setting.LIVE_DEMONSTRATION, Involvement.OBSERVED)
    }
    operations = {(c.operation_date, c.primary_procedure_id, c.operative_minutes) for c in demos}
    assert len(operations) == 6

    # Fellows do more themselves as the fellowship goes on.
    fellowship = db.session.scalar(
        select(Program).where(Program.kind == ProgramKind.FELLOWSHIP, Program.name.like("Spine%"))
    )
    cases = db.session.scalars(select(Case).where(Case.program_id == fellowship.id)).all()
    hands_on = {
        Involvement.SUPERVISED_SCRUBBED,
        Involvement.SUPERVISED_UNSCRUBBED,
        Involvement.PERFORMED,
        Involvement.TAUGHT,
    }
    middle = (
        fellowship.start_date + (max(c.operation_date for c in cases) - fellowship.start_date) / 2
    )

    def share(part):
        return sum(c.involvement in hands_on for c in part) / len(part)

    assert (
        share([c for c in cases if c.operation_date > middle])
        > share([c for c in cases if c.operation_date <= middle]) + 0.15
    )


def _all_cases() -> list[Case]:
    return db.session.scalars(
        select(Case)
        .options(
            selectinload(Case.signatures),
            selectinload(Case.additional_procedures),
            selectinload(Case.program),
            selectinload(Case.site),
            selectinload(Case.trainee),
        )
        .order_by(Case.id)
    ).all()


def test_every_approved_case_carries_a_valid_signature_with_name_time_and_meaning(lines):
    cases = _all_cases()
    approved = [c for c in cases if c.status is CaseStatus.APPROVED]
    assert approved
    for case in approved:
        signature = case.signature
        assert signature is not None, case.reference
        assert signatures.is_valid(signature, case), case.reference
        assert signature.signer_name == db.session.get(User, signature.signer_id).full_name
        assert signature.meaning == str(signatures.MEANING)
        assert case.submitted_at <= signature.signed_at <= NOW
        assert policies.may_sign_for(signature.signer, case)
        assert case.return_comment == ""
    # Nothing else is signed, and every signature of any version still verifies.
    signed = [c for c in cases if c.signatures]
    for case in signed:
        assert case.status is CaseStatus.APPROVED or case.superseded_signatures, case.reference
        assert all(signatures.is_valid(s, case) for s in case.signatures)
    assert db.session.scalar(select(func.count()).select_from(Signature)) == sum(
        len(c.signatures) for c in signed
    )

    # A couple signed at the bedside, and a delegate signing for the mentor they stand in for.
    all_signatures = [s for c in cases for s in c.signatures]
    assert 2 <= sum(s.bedside for s in all_signatures) <= 5
    delegates = db.session.scalars(select(Delegate)).all()
    assert len(delegates) == 1
    on_behalf = [s for s in all_signatures if s.on_behalf_of_id]
    assert on_behalf
    assert {(s.signer_id, s.on_behalf_of_id) for s in on_behalf} == {
        (d.delegate_id, d.mentor_id) for d in delegates
    }
    assert any("delegate" in line and delegates[0].delegate.email in line for line in lines)


def test_returned_withdrawn_and_amended_cases_tell_the_sign_off_story(lines):
    cases = _all_cases()
    returned = [c for c in cases if c.status is CaseStatus.RETURNED]
    assert returned and all(c.return_comment for c in returned)
    assert not any(find_identifiers(c.return_comment, today=NOW.date()) for c in returned)
    assert 2 <= sum(c.status is CaseStatus.WITHDRAWN for c in cases) <= 15

    # Amended after sign-off: the first version's signature kept and superseded.
    amended = [c for c in cases if c.version > 1]
    assert sum(c.status is CaseStatus.APPROVED for c in amended) >= 2
    assert sum(c.status is CaseStatus.SUBMITTED for c in amended) >= 1
    for case in amended:
        assert case.superseded_signatures
        old = case.superseded_signatures[-1]
        assert signatures.is_valid(old, case)
        assert old.content != canonical_json(case.content())
        if case.status is CaseStatus.APPROVED:
            assert old.signed_at < case.submitted_at <= case.signature.signed_at

    # The audit trail holds every step, in the order and at the time it happened, and its
    # chain verifies.
    report = verify_chain()
    assert report.intact, report.problem
    assert report.checked >= 2 * len(cases)
    events = db.session.scalars(select(AuditEvent).order_by(AuditEvent.seq)).all()
    assert all(a.at <= b.at for a, b in itertools.pairwise(events))
    assert events[0].at < min(c.created_at for c in cases) + timedelta(seconds=1)
    approvals = {
        (e.entity_id, e.at, json.loads(e.after)["hmac"]) for e in events if e.action == "approved"
    }
    assert approvals == {(c.id, s.signed_at, s.hmac) for c in cases for s in c.signatures}
    assert {e.action for e in events} >= {
        "logged",
        "submitted",
        "approved",
        "returned",
        "withdrawn",
        "amended",
        "changed",
    }
    assert any(e.entity == "delegate" and e.action == "appointed" for e in events)


def test_assessment_programs_rate_most_signatures_and_autonomy_grows(lines):
    programs = db.session.scalars(select(Program)).all()
    rating = {p.id for p in programs if p.assessment_enabled}
    assert {p.name.split()[0] for p in programs if p.id in rating} == {"Spine", "HPB"}
    cases = _all_cases()
    rated_programs = [s for c in cases if c.program_id in rating for s in c.signatures]
    others = [s for c in cases if c.program_id not in rating for s in c.signatures]
    assert others and not any(s.has_assessment for s in others)
    rated = [s for s in rated_programs if s.autonomy]
    assert len(rated) > 0.7 * len(rated_programs)
    assert all(s.performance in range(1, 6) and s.complexity for s in rated)
    assert sum(bool(s.feedback) for s in rated) > len(rated) / 2
    assert not any(find_identifiers(s.feedback, today=NOW.date()) for s in rated)

    ladder = list(Autonomy)
    for program in (p for p in programs if p.id in rating):
        scores = sorted(
            (c.operation_date, ladder.index(s.autonomy))
            for c in cases
            if c.program_id == program.id
            for s in c.signatures
            if s.autonomy
        )
        third = len(scores) // 3

        def mean(part):
            return sum(score for _day, score in part) / len(part)

        assert mean(scores[-third:]) > mean(scores[:third]) + 0.15, program.name


def test_one_mentor_has_a_queue_old_enough_for_a_reminder(lines):
    queues: dict[tuple[int, int], list[timedelta]] = {}
    for case in _all_cases():
        if case.status is CaseStatus.SUBMITTED:
            queues.setdefault((case.supervisor_id, case.program_id), []).append(
                NOW - case.submitted_at
            )
    programs = {p.id: p for p in db.session.scalars(select(Program))}
    due = {
        mentor
        for (mentor, program), waits in queues.items()
        if len(waits) > programs[program].reminder_max_waiting
        or max(waits) > timedelta(days=programs[program].reminder_max_days + 1)
    }
    assert len(due) == 1


def test_a_demo_trainee_sees_the_signature_on_an_approved_case(client, lines):
    trainee = db.session.scalar(select(User).where(User.email == "ganbold@demo.caselog"))
    case = db.session.scalar(
        select(Case)
        .where(Case.trainee_id == trainee.id, Case.status == CaseStatus.APPROVED)
        .limit(1)
    )
    client.login(trainee, password="pw")
    page = unescape(client.get(f"/cases/{case.id}").get_data(as_text=True))
    assert said(client, trainee, "Signature valid") in page
    assert said(client, trainee, "Signature invalid") not in page
    assert case.signature.signer_name in page
    assert case.signature.meaning in page  # what the mentor was shown, in their language


def said(client, user, text: str, plural: str | None = None, num: int = 0) -> str:
    """What Caselog says in the user's language."""
    with client.application.test_request_context(), force_locale(user.locale):
        return ngettext(text, plural, num) if plural else gettext(text)


def _frameworks() -> list[Framework]:
    return db.session.scalars(
        select(Framework)
        .options(
            selectinload(Framework.versions)
            .selectinload(FrameworkVersion.targets)
            .selectinload(Target.procedures),
            selectinload(Framework.versions)
            .selectinload(FrameworkVersion.targets)
            .selectinload(Target.groups),
            selectinload(Framework.specialty),
        )
        .order_by(Framework.name)
    ).all()


def test_frameworks_are_modelled_on_real_ones_labelled_so_and_assigned(lines):
    frameworks = _frameworks()
    assert [f.specialty.code for f in frameworks] == ["general", "hpb", "spine"]
    for framework in frameworks:
        assert framework.source.startswith("Modelled on ")
        assert "illustrative, not the official current version" in framework.source
        assert "→" in framework.source  # the scaling is stated
        for version in framework.versions:
            assert version.note and version.created_by is not None
            for target in version.targets:
                levels = set(target.involvement_levels)
                assert levels and not levels & {Involvement.OBSERVED, Involvement.ASSISTED}
                assert target.procedures or target.groups
                assert all(p.specialty_id == framework.specialty_id for p in target.procedures)
                assert all(g.specialty_id == framework.specialty_id for g in target.groups)
                assert target.entrust_count is None or target.entrust_count <= target.min_count

    programs = {p.name.split()[0]: p for p in db.session.scalars(select(Program))}
    assigned = {name: p.framework_version for name, p in programs.items()}
    assert {name for name, v in assigned.items() if v} == {"Spine", "HPB", "General"}
    for name, version in assigned.items():
        if version:
            assert version.framework.specialty_id == programs[name].specialty_id
            assert version == version.framework.latest
    # Programs that rate autonomy have an entrustment condition; the four-year residency
    # counts by program year, one of its years still ahead.
    for name in ("Spine", "HPB"):
        assert programs[name].assessment_enabled
        assert any(t.entrust_count and t.entrust_autonomy for t in assigned[name].targets)
    years = [t.program_year for t in assigned["General"].targets]
    assert all(years) and len(set(years)) > 1

    # The spine framework's first version stays readable beside the second, which the
    # fellowship uses and which says what changed.
    spine = next(f for f in frameworks if f.specialty.code == "spine")
    first, second = spine.versions
    assert assigned["Spine"] == second and second.label.endswith(" v2")
    assert [t.min_count for t in first.targets] != [t.min_count for t in second.targets]
    assert "25 to 20" in second.note
    assert first.created_at < second.created_at
    assert "3 with competency targets" in lines[0]

    # Each written and assigned by the program's director, audited when it happened.
    events = db.session.scalars(
        select(AuditEvent).where(
            AuditEvent.action.in_(("created", "version_created", "framework_assigned")),
            AuditEvent.entity.in_(("framework", "program")),
        )
    ).all()
    assert Counter(e.action for e in events) == {
        "created": 3,
        "version_created": 1,
        "framework_assigned": 4,
    }
    written = {(e.entity_id, e.at) for e in events if e.entity == "framework"}
    assert written == {(f.id, v.created_at) for f in frameworks for v in f.versions}
    directors = {
        p.framework_version.framework_id: {d.id for d in p.directors}
        for p in programs.values()
        if p.framework_version
    }
    assert all(e.actor_id in directors[e.entity_id] for e in events if e.entity == "framework")


def test_the_demo_trainees_stand_at_a_realistic_mix_of_statuses(lines):
    statuses = Counter()
    for program in db.session.scalars(
        select(Program).where(Program.framework_version_id.is_not(None))
    ):
        result = program_progress(program, now=NOW)
        mine = Counter(p.status for row in result.trainees for p in row.targets)
        assert mine[Status.BEHIND] and mine[Status.MET] + mine[Status.ON_TRACK], program.name
        statuses += mine
    assert set(statuses) == set(Status)
    assert statuses[Status.BEHIND] < statuses[Status.MET] + statuses[Status.ON_TRACK] + 4


def _world_digest() -> list[tuple]:
    """Who logged what, where it ended and who signed it: everything but the clock."""
    return [
        (
            c.reference,
            c.trainee.email,
            c.status,
            c.version,
            c.involvement,
            c.operation_date,
            c.return_comment,
            [
                (
                    s.version,
                    s.signer_name,
                    s.bedside,
                    s.autonomy,
                    s.performance,
                    s.complexity,
                    s.feedback,
                )
                for s in c.signatures
            ],
        )
        for c in _all_cases()
    ]


def _table_counts() -> dict[str, int]:
    """Rows of the demo world: not sign-ins, which the tests above make by signing in."""
    return {
        table.name: db.session.scalar(select(func.count()).select_from(table))
        for table in db.metadata.sorted_tables
        if table.name != "sign_in"
    }


def test_seeding_replaces_the_database_and_repeats_exactly(app, make, lines, monkeypatch):
    first, digest = _table_counts(), _world_digest()
    assert first["case"] >= 250 and first["signature"] and first["audit_event"]
    stranger = make.user(email="not-demo@example.test")
    make.program(name="A program from before")
    # The services date, seal and chain everything themselves: no ORM hook is added.
    hooks = []
    monkeypatch.setattr(sqlalchemy.event, "listen", lambda *args, **kw: hooks.append(args))

    assert seed_demo("pw", now=NOW) == lines
    assert hooks == []
    assert db.session.scalar(select(User).where(User.email == stranger.email)) is None
    assert _table_counts() == first
    assert _world_digest() == digest
    db.session.expire_all()  # as a fresh process would, read the rows again
    assert app.test_cli_runner().invoke(args=["checkpoint-audit"]).exit_code == 0
    result = app.test_cli_runner().invoke(args=["verify-audit"])
    assert result.exit_code == 0
    # The test clock moves a second per reading, so the checkpoint is some minutes after NOW.
    assert re.fullmatch(
        rf"Audit trail intact: {first['audit_event']} events, anchored by the checkpoint of "
        rf"{NOW:%Y-%m-%d} \d\d:\d\d UTC \(event #{first['audit_event']}\)\.",
        result.output.strip(),
    ), result.output
