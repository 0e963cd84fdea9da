"""The audit chain: each hash covers its event and the one before; the walk checks them all."""

from datetime import date

from sqlalchemy import select, text

from caselog.audit.guard import guard_lifted
from caselog.audit.services import GENESIS, changes, event_hash, record, verify_chain
from caselog.models import AuditEvent
from tests.clock import NOW


def test_the_chain_stays_intact_across_many_records(db_session, world):
    first = record("case", 1, "logged", after={"notes": "Разрез по средней линии, 한국어"}, now=NOW)
    assert (first.seq, first.prev_hash) == (1, GENESIS)
    previous = first
    for n in range(2, 302):
        event = record(
            ["case", "enrolment", "appointment", "delegate", "user"][n % 5],
            n,
            ["logged", "changed", "appointed", "removed", "reminded"][n % 5],
            before={"end_date": date(2026, 1, n % 28 + 1).isoformat(), "cohort": None},
            after={"end_date": date(2026, 2, n % 28 + 1).isoformat(), "cohort": str(n)},
            reason="a reason" if n % 7 == 0 else "",
            actor=world.director if n % 2 else None,
            now=NOW,
        )
        assert (event.seq, event.prev_hash) == (previous.seq + 1, previous.hash)
        previous = event
    for batch in (1000, 7):  # the walk reads in batches: their edges change nothing
        report = verify_chain(batch=batch)
        assert (report.intact, report.checked, report.broken_at) == (True, 301, None)


def test_an_event_names_its_actor_or_the_system(db_session, world):
    by_director = record("enrolment", 4, "created", actor=world.director, now=NOW)
    by_nobody = record("user", 5, "reminded", now=NOW)
    assert (by_director.actor_id, by_director.actor) == (world.director.id, "director@example.test")
    assert (by_nobody.actor_id, by_nobody.actor) == (None, "system")


def test_every_field_is_covered_by_the_hash(db_session, world):
    event = record(
        "case",
        7,
        "returned",
        before={"status": "submitted"},
        after={"status": "returned"},
        reason="Check the level",
        actor=world.mentor,
        now=NOW,
    )
    assert event_hash(event) == event.hash
    for name, value in {
        "seq": 99,
        "actor_id": world.trainee.id,
        "actor": "x@example.test",
        "entity": "enrolment",
        "entity_id": 8,
        "action": "approved",
        "before": None,
        "after": '{"status":"approved"}',
        "reason": "",
        "prev_hash": "0" * 63 + "1",
    }.items():
        original = getattr(event, name)
        setattr(event, name, value)
        assert event_hash(event) != event.hash, name
        setattr(event, name, original)


def test_the_walk_stops_at_the_first_broken_link(db_session):
    events = [record("case", n, "logged", after={"n": n}, now=NOW) for n in range(1, 11)]
    with guard_lifted(db_session):
        for seq in (4, 8):
            db_session.execute(
                text("UPDATE audit_event SET reason = 'edited' WHERE seq = :seq"), {"seq": seq}
            )
    db_session.expire_all()
    report = verify_chain(batch=3)
    assert (report.intact, report.broken_at, report.checked) == (False, 4, 3)
    assert report.problem == "its content was changed after it was written"
    assert db_session.scalar(select(AuditEvent.reason).where(AuditEvent.seq == 4)) == "edited"
    assert len(events) == 10


def test_an_empty_trail_is_intact():
    report = verify_chain()
    assert (report.intact, report.checked) == (True, 0)


def test_changes_keep_only_the_fields_that_differ():
    before = {"start_date": "2026-03-01", "end_date": "2027-02-28", "cohort": None}
    after = {"start_date": "2026-03-01", "end_date": "2026-12-31", "cohort": "2026"}
    assert changes(before, after) == (
        {"end_date": "2027-02-28", "cohort": None},
        {"end_date": "2026-12-31", "cohort": "2026"},
    )
    assert changes(after, after) == ({}, {})


def test_a_chain_rewritten_without_the_key_does_not_verify(db_session, app):
    """Someone with database rights edits an event and recomputes every hash after it,
    but without the installation's key: the walk names the edited event."""
    for n in range(1, 6):
        record("case", n, "logged", after={"n": n}, now=NOW)
    events = db_session.scalars(select(AuditEvent).order_by(AuditEvent.seq)).all()
    original_key = app.config["SIGNATURE_KEY"]
    app.config["SIGNATURE_KEY"] = "a guess"
    try:
        with guard_lifted(db_session):
            prev = events[1].prev_hash
            for event in events[1:]:
                if event.seq == 2:
                    event.reason = "rewritten"
                event.prev_hash = prev
                event.hash = prev = event_hash(event)
            db_session.flush()
    finally:
        app.config["SIGNATURE_KEY"] = original_key
    db_session.expire_all()
    assert verify_chain().broken_at == 2
