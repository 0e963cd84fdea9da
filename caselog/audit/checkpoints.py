"""Checkpoints of the audit trail's head, kept outside the database.

A hash chain alone cannot show that its newest events were cut off, or that an older copy
of the database was put back: what is left still links up. So the installation writes the
head (the newest event's seq and hash) to an append-only file in its instance folder, each
line sealed with a key derived from SIGNATURE_KEY, and `verify_chain` holds the trail to
every checkpoint in it.

A checkpoint is written after every commit that recorded audit events (the session hook
below: no window in which recent events could go unnoticed), and by `flask checkpoint-audit`
(for cron; it verifies the trail first). Each line goes out in one write() to a file opened
with O_APPEND, so processes appending at once never interleave their lines; lines may land
out of seq order, and nothing reads them in order.
"""

import hashlib
import hmac
import json
import os
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from flask import Flask, current_app, has_app_context
from sqlalchemy import event, inspect, select
from sqlalchemy.orm import Session, SessionTransaction

from caselog import clock
from caselog.canonical import canonical_json
from caselog.extensions import db
from caselog.models import AuditEvent

FILE_NAME = "audit-checkpoints.jsonl"
_WRITTEN = (
    "caselog.audit.written"  # session.info key: heads of the events flushed, not yet committed
)


@dataclass(frozen=True)
class Head:
    """An event of the trail, by its place and hash: the newest one, when it is the head."""

    seq: int
    hash: str


@dataclass(frozen=True)
class Checkpoint:
    """One signed line of the checkpoint file: the trail's head as it stood `at`."""

    seq: int
    hash: str
    at: datetime
    line: int  # its line number in the file, from 1


@dataclass
class CheckpointFile:
    """What the checkpoint file holds: the lines sealed with this installation's key, and
    the numbers of those that are not (forged, damaged, or sealed with another key)."""

    path: Path
    checkpoints: list[Checkpoint]
    refused: list[int]


def head() -> Head | None:
    """The newest event of the trail, or None while it is empty."""
    row = db.session.execute(
        select(AuditEvent.seq, AuditEvent.hash).order_by(AuditEvent.seq.desc()).limit(1)
    ).first()
    return Head(row.seq, row.hash) if row else None


def path() -> Path:
    """Where this installation keeps its checkpoints (AUDIT_CHECKPOINT_PATH, else instance/)."""
    configured = current_app.config.get("AUDIT_CHECKPOINT_PATH")
    return Path(configured) if configured else Path(current_app.instance_path) / FILE_NAME


def _key() -> bytes:
    """A key of its own for checkpoints, derived from SIGNATURE_KEY (kept outside the
    database), so a seal made for one purpose never passes for another."""
    master = current_app.config["SIGNATURE_KEY"].encode()
    return hmac.new(master, b"caselog audit checkpoint", hashlib.sha256).digest()


def _seal(seq: int, hash_: str, at: str) -> str:
    message = canonical_json({"seq": seq, "hash": hash_, "at": at}).encode()
    return hmac.new(_key(), message, hashlib.sha256).hexdigest()


def append(at_head: Head, *, now: datetime, sync: bool = False) -> Path:
    """Append a checkpoint of `at_head`, taken at `now`, in one write; returns the file.

    `sync` waits until the line is on disk (the CLI does; a request does not wait for it)."""
    at = now.astimezone(UTC).isoformat(timespec="seconds")
    line = json.dumps(
        {
            "seq": at_head.seq,
            "hash": at_head.hash,
            "at": at,
            "mac": _seal(at_head.seq, at_head.hash, at),
        }
    )
    target = path()
    target.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(target, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
    try:
        data = (line + "\n").encode()
        if os.write(fd, data) != len(data):
            raise OSError(f"short write to {target}")
        if sync:
            os.fsync(fd)
    finally:
        os.close(fd)
    return target


def read() -> CheckpointFile:
    """Every line of the checkpoint file, checked against this installation's key."""
    source = path()
    found = CheckpointFile(source, [], [])
    try:
        text = source.read_text(encoding="utf-8", errors="replace")
    except FileNotFoundError:
        return found
    for number, raw in enumerate(text.splitlines(), start=1):
        if not raw.strip():
            continue
        checkpoint = _parse(raw, number)
        if checkpoint is None:
            found.refused.append(number)
        else:
            found.checkpoints.append(checkpoint)
    return found


def _parse(raw: str, number: int) -> Checkpoint | None:
    """The checkpoint a line states, if it is well formed and sealed with our key."""
    try:
        fields = json.loads(raw)
        seq, hash_, at, mac = fields["seq"], fields["hash"], fields["at"], fields["mac"]
    except (ValueError, TypeError, KeyError):
        return None
    if not (
        type(seq) is int
        and seq >= 1
        and isinstance(hash_, str)
        and isinstance(at, str)
        and isinstance(mac, str)
        and hmac.compare_digest(mac, _seal(seq, hash_, at))
    ):
        return None
    try:
        moment = datetime.fromisoformat(at)
    except ValueError:
        return None
    if moment.tzinfo is None:
        return None
    return Checkpoint(seq, hash_, moment.astimezone(UTC), number)


def set_aside(suffix: str) -> Path | None:
    """Move the checkpoint file out of the way (when the trail is replaced on purpose, as
    `seed-demo` does), keeping it beside as evidence; returns where it went."""
    source = path()
    if not source.exists():
        return None
    target = source.with_name(source.name + suffix)
    source.replace(target)
    return target


# The hook: a checkpoint after every commit that recorded events -------------------------


def init_app(app: Flask) -> None:
    """Checkpoint the head after each commit that wrote audit events (unless
    AUDIT_CHECKPOINT_ON_COMMIT is off), in every session of the process."""
    for name, listener in (
        ("pending_to_persistent", _noted),
        ("after_commit", _after_commit),
        ("after_soft_rollback", _after_soft_rollback),
    ):
        if not event.contains(Session, name, listener):
            event.listen(Session, name, listener)


def _noted(session: Session, instance: object) -> None:
    """An event was flushed: note its head, to checkpoint once its transaction commits."""
    if isinstance(instance, AuditEvent):
        session.info.setdefault(_WRITTEN, []).append((instance, Head(instance.seq, instance.hash)))


def _after_commit(session: Session) -> None:
    """The outermost transaction committed: checkpoint the newest event it kept.

    Runs after the commit, never before, so a rolled-back event is never checkpointed. A
    failure to write is logged, not raised: the request's work is already committed, and
    a missing checkpoint only leaves an older one as the anchor."""
    if session.in_nested_transaction():  # a savepoint: its events may still be undone
        return
    written = session.info.pop(_WRITTEN, None)
    if not written or not has_app_context() or not current_app.config["AUDIT_CHECKPOINT_ON_COMMIT"]:
        return
    kept = [noted for instance, noted in written if inspect(instance).persistent]
    if not kept:  # every one was undone by a savepoint rolled back
        return
    newest = max(kept, key=lambda noted: noted.seq)
    try:
        append(newest, now=clock.now())
    except OSError as error:
        current_app.logger.warning("Could not write the audit checkpoint: %s", error)


def _after_soft_rollback(session: Session, previous: SessionTransaction) -> None:
    """The outermost transaction rolled back: its events are gone, so is the note of them."""
    if previous.parent is None:
        session.info.pop(_WRITTEN, None)
