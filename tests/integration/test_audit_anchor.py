"""The audit trail is anchored outside the database: a checkpoint of its head after every
commit that wrote events (and from `flask checkpoint-audit`), sealed with a key the database
does not hold. With the triggers lifted, as an attacker with DDL rights could, events cut
from its end, an emptied trail and an older copy put back are named; a forged checkpoint is
not trusted; a trail with no checkpoint says so instead of "intact"."""

import json
import multiprocessing
from datetime import datetime, timedelta

import pytest
from sqlalchemy import select, text

from caselog.audit import checkpoints
from caselog.audit.guard import guard_lifted
from caselog.audit.services import record
from caselog.models import AuditEvent, Enrolment
from tests.clock import NOW
from tests.integration.test_audit_tamper import total

WHEN = f"{NOW:%Y-%m-%d %H:%M} UTC"  # the test clock's time, as the trail's messages give it


def add_events(count: int, label: str = "case") -> list[AuditEvent]:
    return [
        record("case", n, "logged", after={"notes": f"{label} {n}"}, now=NOW)
        for n in range(1, count + 1)
    ]


def lines(path) -> list[dict]:
    return [json.loads(line) for line in path.read_text().splitlines()]


def cut_back_to(db_session, seq: int) -> None:
    """Delete every event after `seq`, triggers lifted."""
    with guard_lifted(db_session):
        db_session.execute(text("DELETE FROM audit_event WHERE seq > :seq"), {"seq": seq})


def run(app, db_session, command: str):
    db_session.expire_all()
    result = app.test_cli_runner().invoke(args=[command])
    return result.exit_code, result.output.strip()


@pytest.fixture
def anchored(db_session, audit_checkpoints):
    """Six events, committed as a request commits them: the commit checkpoints #6."""
    events = add_events(6)
    db_session.commit()
    assert [(c["seq"], c["hash"]) for c in lines(audit_checkpoints)] == [(6, events[-1].hash)]
    return events


def test_normal_use_checkpoints_each_commit_and_verifies(client, world, make, db_session):
    person = make.user("Tuvshin Bat", email="tuvshin@example.test")
    program = world.program
    dates = {
        "start_date": program.start_date.isoformat(),
        "end_date": program.end_date.isoformat(),
    }
    client.login(world.director)
    enrolled = client.submit(f"/programs/{program.id}/enrol", {"email": person.email, **dates})
    assert enrolled.status_code == 302
    enrolment = db_session.scalar(select(Enrolment).where(Enrolment.trainee_id == person.id))
    url = f"/programs/{program.id}/enrolments/{enrolment.id}"
    assert client.submit(url, {**dates, "cohort": "2026"}).status_code == 302
    head = checkpoints.head()
    assert head is not None and head.seq == 2
    stored = checkpoints.read()
    assert stored.refused == []
    assert [c.seq for c in stored.checkpoints] == [1, 2]  # one per request that wrote events
    assert stored.checkpoints[-1].hash == head.hash
    assert run(client.application, db_session, "verify-audit") == (
        0,
        f"Audit trail intact: 2 events, anchored by the checkpoint of {WHEN} (event #2).",
    )


def test_events_cut_from_the_end_after_a_checkpoint_are_named(app, db_session, anchored):
    cut_back_to(db_session, 4)
    assert run(app, db_session, "verify-audit") == (
        1,
        f"Audit trail broken at event #5: the trail ends at #4 but the checkpoint of {WHEN} "
        "saw #6: 2 events missing",
    )


def test_an_emptied_trail_is_named(app, db_session, anchored):
    cut_back_to(db_session, 0)
    assert total(db_session) == 0
    assert run(app, db_session, "verify-audit") == (
        1,
        f"Audit trail broken at event #1: the trail is empty but the checkpoint of {WHEN} "
        "saw #6: 6 events missing",
    )


def test_an_older_copy_put_back_is_named(app, db_session, anchored, audit_checkpoints):
    add_events(3, "later")
    db_session.commit()  # checkpoint #9
    cut_back_to(db_session, 6)  # the copy as it stood at the first checkpoint
    assert run(app, db_session, "verify-audit") == (
        1,
        f"Audit trail broken at event #7: the trail ends at #6 but the checkpoint of {WHEN} "
        "saw #9: 3 events missing",
    )

    # The old copy carries on: new events take the numbers the lost ones had.
    add_events(4, "after the restore")
    db_session.commit()  # a checkpoint at #10 of the new history, besides the old #9
    assert run(app, db_session, "verify-audit") == (
        1,
        f"Audit trail broken at event #9: it is not the event the checkpoint of {WHEN} saw: "
        "the trail was rewritten, or an older copy put back, at or before this event",
    )
    # Nor will the scheduled command anchor the rewritten trail.
    before = audit_checkpoints.read_text()
    code, output = run(app, db_session, "checkpoint-audit")
    assert code == 1 and output.endswith("No checkpoint written.")
    assert audit_checkpoints.read_text() == before


def test_a_forged_checkpoint_is_not_trusted(app, db_session, anchored, audit_checkpoints):
    """Cut the newest events and replace the checkpoint file: without the key, the
    checkpoint written for the shorter trail does not pass."""
    cut_back_to(db_session, 4)
    genuine = lines(audit_checkpoints)[0]
    shorter = {**genuine, "seq": 4, "hash": anchored[3].hash}  # the old seal on new words
    audit_checkpoints.write_text(json.dumps(shorter) + "\n")
    assert run(app, db_session, "verify-audit") == (
        1,
        f"Audit trail chained but not anchored: 4 events, and no checkpoint in "
        f"{audit_checkpoints}, so events cut from its end would not show. "
        "Run “flask checkpoint-audit”. Line 1 of the checkpoint file is not sealed with "
        "this installation's key: it was not trusted.",
    )
    code, output = run(app, db_session, "checkpoint-audit")
    assert code == 1 and output.endswith("No checkpoint written.")


def test_a_checkpoint_sealed_with_another_key_is_not_trusted(app, db_session, anchored):
    app.config["SIGNATURE_KEY"], key = "another installation", app.config["SIGNATURE_KEY"]
    try:
        checkpoints.append(checkpoints.Head(4, anchored[3].hash), now=NOW)
    finally:
        app.config["SIGNATURE_KEY"] = key
    code, output = run(app, db_session, "verify-audit")
    assert code == 1
    assert output.endswith(
        "Line 2 of the checkpoint file is not sealed with this installation's key: "
        "it was not trusted."
    )
    assert output.startswith(f"Audit trail intact: 6 events, anchored by the checkpoint of {WHEN}")


def test_a_trail_without_a_checkpoint_says_so(app, db_session, audit_checkpoints):
    assert run(app, db_session, "verify-audit") == (
        0,
        "Audit trail empty, and no checkpoint yet: nothing to check.",
    )
    add_events(3)  # flushed, not committed: no checkpoint yet
    code, output = run(app, db_session, "verify-audit")
    assert (code, output.split(",")[0]) == (1, "Audit trail chained but not anchored: 3 events")
    assert not audit_checkpoints.exists()


def test_checkpoint_audit_anchors_the_trail(app, db_session, audit_checkpoints):
    assert run(app, db_session, "checkpoint-audit") == (
        0,
        "The audit trail is empty: nothing to checkpoint.",
    )
    events = add_events(5)
    assert run(app, db_session, "checkpoint-audit") == (
        0,
        f"Audit checkpoint written to {audit_checkpoints}: event #5 ({events[-1].hash[:16]}).",
    )
    [line] = lines(audit_checkpoints)
    assert (line["seq"], line["hash"]) == (5, events[-1].hash)
    assert NOW < datetime.fromisoformat(line["at"]) < NOW + timedelta(minutes=1)
    assert len(line["mac"]) == 64
    assert run(app, db_session, "verify-audit")[0] == 0


def test_only_committed_events_are_checkpointed(app, db_session, audit_checkpoints):
    """An event undone by a savepoint (a refused form) or a rollback is never checkpointed,
    or the trail would seem cut short."""
    kept = add_events(2)
    with pytest.raises(RuntimeError), db_session.begin_nested():
        record("case", 3, "logged", now=NOW)
        raise RuntimeError("refused")
    db_session.commit()
    assert [c["seq"] for c in lines(audit_checkpoints)] == [2]
    assert lines(audit_checkpoints)[0]["hash"] == kept[-1].hash

    record("case", 4, "logged", now=NOW)
    with db_session.begin_nested():  # a form that went through, in a request that then failed
        record("case", 5, "logged", now=NOW)
    db_session.rollback()
    db_session.commit()
    assert [c["seq"] for c in lines(audit_checkpoints)] == [2]
    assert run(app, db_session, "verify-audit")[0] == 0


def test_a_checkpoint_that_cannot_be_written_does_not_undo_the_commit(
    app, db_session, tmp_path, caplog
):
    (tmp_path / "a-file").write_text("")
    app.config["AUDIT_CHECKPOINT_PATH"] = str(tmp_path / "a-file" / "audit-checkpoints.jsonl")
    add_events(1)
    db_session.commit()  # the request's work stands; the failure is logged
    assert total(db_session) == 1
    assert "Could not write the audit checkpoint" in caplog.text


def _append_many(app, first: int, count: int) -> None:
    with app.app_context():
        for seq in range(first, first + count):
            checkpoints.append(checkpoints.Head(seq, f"{seq:064x}"), now=NOW)


def test_processes_appending_at_once_never_mix_their_lines(app, db_session, audit_checkpoints):
    """Each checkpoint is one write() to a file opened with O_APPEND: web workers and the
    scheduled command may append at the same moment."""
    fork = multiprocessing.get_context("fork")  # the children only write the file
    writers = [fork.Process(target=_append_many, args=(app, n * 10000 + 1, 2000)) for n in range(4)]
    for writer in writers:
        writer.start()
    for writer in writers:
        writer.join(timeout=60)
        assert writer.exitcode == 0
    stored = checkpoints.read()
    assert stored.refused == []
    assert len({c.seq for c in stored.checkpoints}) == 8000


def test_a_replaced_trail_sets_its_checkpoints_aside(app, db_session, audit_checkpoints):
    """`seed-demo` replaces the trail on purpose: the old checkpoints are kept beside."""
    add_events(2)
    db_session.commit()
    old = audit_checkpoints.read_text()
    aside = checkpoints.set_aside(".before-seed-demo")
    assert aside == audit_checkpoints.with_name(audit_checkpoints.name + ".before-seed-demo")
    assert not audit_checkpoints.exists() and aside.read_text() == old
    assert checkpoints.set_aside(".before-seed-demo") is None
