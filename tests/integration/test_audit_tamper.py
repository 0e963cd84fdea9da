"""The audit trail resists tampering: the database refuses changes, and `verify-audit` names
any change made behind its back (with the triggers lifted, as an attacker with DDL rights could).
"""

import pytest
from sqlalchemy import func, select, text
from sqlalchemy.exc import DatabaseError

from caselog.audit.guard import guard_lifted
from caselog.audit.services import event_hash, record
from caselog.models import AuditEvent
from tests.clock import NOW


@pytest.fixture
def trail(db_session):
    """Six events, as services write them and a request commits them (which checkpoints
    the trail's head outside the database: caselog.audit.checkpoints)."""
    events = [
        record("case", n, "logged", after={"notes": f"case {n}", "patient_age": 40 + n}, now=NOW)
        for n in range(1, 7)
    ]
    db_session.commit()
    return events


def verify(app, db_session) -> tuple[int, str]:
    """Run `verify-audit` on what the database holds now (in the test's transaction)."""
    db_session.expire_all()  # as a fresh process would, read the rows again
    result = app.test_cli_runner().invoke(args=["verify-audit"])
    return result.exit_code, result.output.strip()


def refused(db_session, sql: str, **params) -> DatabaseError:
    """The statement fails inside a savepoint, so the test's transaction carries on."""
    with pytest.raises(DatabaseError) as caught, db_session.begin_nested():
        db_session.execute(text(sql), params)
    assert "append-only" in str(caught.value)
    return caught.value


def total(db_session) -> int:
    return db_session.scalar(select(func.count()).select_from(AuditEvent))


def test_an_intact_trail_verifies(app, db_session, trail):
    assert verify(app, db_session) == (
        0,
        f"Audit trail intact: {total(db_session)} events, anchored by the checkpoint of "
        f"{NOW:%Y-%m-%d %H:%M} UTC (event #{trail[-1].seq}).",
    )


def test_the_database_refuses_to_change_or_delete_an_event(app, db_session, trail):
    refused(db_session, "UPDATE audit_event SET after = '{}' WHERE seq = :seq", seq=trail[2].seq)
    refused(db_session, "UPDATE audit_event SET actor = 'someone else'")
    refused(db_session, "DELETE FROM audit_event WHERE seq = :seq", seq=trail[2].seq)
    db_session.expire_all()
    assert db_session.get(AuditEvent, trail[2].id).after == ('{"notes":"case 3","patient_age":43}')
    assert verify(app, db_session)[0] == 0


def test_the_database_refuses_to_empty_the_trail(app, db_session, db_kind, trail):
    # PostgreSQL has TRUNCATE; SQLite's equivalent is a DELETE without WHERE.
    refused(
        db_session, "TRUNCATE audit_event" if db_kind == "postgresql" else "DELETE FROM audit_event"
    )
    assert total(db_session) == len(trail)


def test_a_changed_event_is_named(app, db_session, trail):
    with guard_lifted(db_session):
        db_session.execute(
            text("UPDATE audit_event SET after = :after WHERE seq = :seq"),
            {"after": '{"notes":"case 3","patient_age":23}', "seq": trail[2].seq},
        )
    assert verify(app, db_session) == (
        1,
        f"Audit trail broken at event #{trail[2].seq}: "
        "its content was changed after it was written",
    )
    refused(db_session, "DELETE FROM audit_event WHERE seq = 1")  # the guard is back


def test_a_changed_actor_or_time_is_named(app, db_session, trail):
    with guard_lifted(db_session):
        db_session.execute(
            text("UPDATE audit_event SET actor = 'admin@example.test' WHERE seq = :seq"),
            {"seq": trail[4].seq},
        )
    code, output = verify(app, db_session)
    assert (code, output.split(":")[0]) == (1, f"Audit trail broken at event #{trail[4].seq}")


def test_a_deleted_event_is_named(app, db_session, trail):
    seq = trail[3].seq
    with guard_lifted(db_session):
        db_session.execute(text("DELETE FROM audit_event WHERE seq = :seq"), {"seq": seq})
    assert verify(app, db_session) == (
        1,
        f"Audit trail broken at event #{seq}: event {seq} is missing (next is {seq + 1})",
    )


def test_a_deleted_last_event_is_named_by_the_checkpoint(app, db_session, trail):
    """The chain alone cannot show its newest events were cut off: the checkpoint of its
    head, kept outside the database, can (more in test_audit_anchor.py)."""
    count = total(db_session)
    with guard_lifted(db_session):
        db_session.execute(text("DELETE FROM audit_event WHERE seq = :seq"), {"seq": trail[-1].seq})
    assert verify(app, db_session) == (
        1,
        f"Audit trail broken at event #{count}: the trail ends at #{count - 1} but the "
        f"checkpoint of {NOW:%Y-%m-%d %H:%M} UTC saw #{count}: 1 event missing",
    )


def forged(seq: int, prev_hash: str) -> AuditEvent:
    event = AuditEvent(
        seq=seq,
        at=NOW,
        actor_id=None,
        actor="mentor@example.test",
        entity="case",
        entity_id=3,
        action="approved",
        before=None,
        after='{"version":1}',
        reason="",
        prev_hash=prev_hash,
    )
    event.hash = event_hash(event)
    return event


def test_a_forged_event_appended_with_a_made_up_hash_is_named(app, db_session, trail):
    event = forged(trail[-1].seq + 1, trail[-1].hash)
    event.hash = "f" * 64
    db_session.add(event)  # inserting needs no lifted guard: the trail is append-only
    db_session.flush()
    assert verify(app, db_session) == (
        1,
        f"Audit trail broken at event #{event.seq}: its content was changed after it was written",
    )


def test_a_forged_event_that_does_not_follow_its_predecessor_is_named(app, db_session, trail):
    event = forged(trail[-1].seq + 1, trail[1].hash)  # chained to an older event
    db_session.add(event)
    db_session.flush()
    assert verify(app, db_session) == (
        1,
        f"Audit trail broken at event #{event.seq}: does not follow from the event before it",
    )


def test_a_forged_event_slipped_into_the_middle_breaks_the_next_link(app, db_session, trail):
    """Even with its own hash computed correctly, the event after it no longer follows."""
    at = trail[2].seq
    with guard_lifted(db_session):
        for seq in range(trail[-1].seq, at - 1, -1):  # one at a time: seq is unique
            db_session.execute(
                text("UPDATE audit_event SET seq = seq + 1 WHERE seq = :seq"), {"seq": seq}
            )
        db_session.add(forged(at, trail[1].hash))
        db_session.flush()
    assert verify(app, db_session) == (
        1,
        f"Audit trail broken at event #{at + 1}: does not follow from the event before it",
    )
