"""Time is an input: services date what they write with the `now` they are given, and only
the edge of the app (caselog.clock) reads the clock."""

from dataclasses import replace
from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import select

from caselog import clock
from caselog.audit.services import event_hash, record
from caselog.cases.services import CaseInput, log_case
from caselog.errors import DomainError
from caselog.models import AuditEvent, CaseStatus, Involvement
from caselog.signoff import signatures
from caselog.signoff.services import Seen, sign
from tests.clock import NOW, TODAY

EARLIER = datetime(2026, 8, 3, 14, 25, 41, 250_000, tzinfo=UTC)  # a Monday, 23:25 in Seoul


def test_a_request_reads_the_app_clock_once(app):
    with app.test_request_context():
        assert clock.now() == clock.now() == NOW + timedelta(seconds=1)
    with app.app_context():
        first, second = clock.now(), clock.now()
    assert NOW + timedelta(seconds=1) < first < second  # outside a request, each read is new


def test_the_clock_must_give_an_aware_time(app, monkeypatch):
    monkeypatch.setitem(app.config, "CLOCK", lambda: datetime(2026, 1, 1))
    with app.app_context(), pytest.raises(ValueError, match="aware"):
        clock.now()


def test_a_programs_time_zone_and_date_are_its_first_sites(world, make, db_session):
    program = world.program  # at two hospitals in Asia/Seoul
    assert program.time_zone == "Asia/Seoul"
    late_evening_in_utc = datetime(2026, 11, 20, 20, 0, tzinfo=UTC)
    assert program.today(late_evening_in_utc) == date(2026, 11, 21)
    ulaanbaatar = make.site("A Ulaanbaatar hospital", time_zone="Asia/Ulaanbaatar")
    program.sites.append(ulaanbaatar)
    db_session.flush()
    db_session.expire(program, ["sites"])  # read again, in order of name: it comes first
    assert program.time_zone == "Asia/Ulaanbaatar"
    assert make.program(name="Nowhere yet").time_zone == "UTC"


def test_an_audit_event_carries_the_time_it_was_given(db_session):
    event = record("case", 1, "logged", after={"n": 1}, now=EARLIER)
    db_session.expire_all()
    stored = db_session.scalar(select(AuditEvent).where(AuditEvent.seq == event.seq))
    assert stored.at == EARLIER
    assert event_hash(stored) == stored.hash  # hashed once, with that time


def test_a_signature_is_dated_sealed_and_audited_at_the_time_given(world, make, db_session):
    case = make.case(
        world.trainee, world.program, world.fusion, world.mentor, status=CaseStatus.SUBMITTED
    )
    outcome = sign(world.mentor, [Seen(case.id, signatures.fingerprint(case))], now=EARLIER)
    [signature] = outcome.signed
    assert signature.signed_at == EARLIER.replace(microsecond=0)
    assert case.updated_at == EARLIER
    assert signatures.is_valid(signature, case)
    approved = db_session.scalar(select(AuditEvent).where(AuditEvent.action == "approved"))
    assert approved.at == EARLIER and event_hash(approved) == approved.hash


def test_a_case_is_dated_and_checked_by_the_time_given(world):
    data = CaseInput(
        operation_date=date(2026, 8, 3),
        site_id=world.seoul.id,
        supervisor_id=world.mentor.id,
        primary_procedure_id=world.microdiscectomy.id,
        involvement=Involvement.SUPERVISED_SCRUBBED,
        program_id=world.program.id,
    )
    # 3 August is in the past today, but it was the future on 2 August.
    with pytest.raises(DomainError) as refused:
        log_case(world.trainee, data, submit=True, now=EARLIER - timedelta(days=1))
    assert refused.value.field == "operation_date"
    case = log_case(world.trainee, data, submit=True, now=EARLIER)  # 23:25 in Seoul that day
    assert case.created_at == case.submitted_at == case.updated_at == EARLIER
    later = log_case(world.trainee, replace(data, operation_date=TODAY), submit=False, now=NOW)
    assert later.created_at == NOW and later.submitted_at is None
