"""Writing audit events and checking their chain.

Every service that changes a case, a signature, an enrolment or an appointment calls
`record` in the same transaction as the change, so the event commits or rolls back with it.
"""

import hashlib
import hmac
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime

from flask import current_app, has_request_context
from flask_login import current_user
from sqlalchemy import select, text

from caselog.canonical import canonical_json
from caselog.extensions import db
from caselog.models import AuditEvent, User

GENESIS = "0" * 64  # the "previous hash" of the first event
_PG_CHAIN_LOCK = 7_340_021  # any constant: the advisory lock that serialises appends


def record(
    entity: str,
    entity_id: int | None,
    action: str,
    *,
    before: Mapping[str, object] | None = None,
    after: Mapping[str, object] | None = None,
    reason: str = "",
    actor: User | None = None,
    now: datetime,
) -> AuditEvent:
    """Append one event, dated `now`, to the chain (the actor defaults to the signed-in user).

    The event is hashed here, once, with the time it was given: the caller's."""
    if actor is None and has_request_context() and current_user.is_authenticated:
        actor = current_user
    _lock_chain()
    last = db.session.execute(
        select(AuditEvent.seq, AuditEvent.hash).order_by(AuditEvent.seq.desc()).limit(1)
    ).first()
    event = AuditEvent(
        seq=(last.seq + 1) if last else 1,
        at=now,
        actor_id=actor.id if actor else None,
        actor=actor.email if actor else "system",
        entity=entity,
        entity_id=entity_id,
        action=action,
        before=canonical_json(before) if before is not None else None,
        after=canonical_json(after) if after is not None else None,
        reason=reason,
        prev_hash=last.hash if last else GENESIS,
    )
    event.hash = event_hash(event)
    db.session.add(event)
    db.session.flush()
    return event


def _lock_chain() -> None:
    """Appends happen one at a time, so two transactions never chain to the same event.

    PostgreSQL: a transaction-scoped advisory lock. SQLite: every writing transaction
    already holds the database's write lock (see extensions: BEGIN IMMEDIATE).
    """
    if db.session.get_bind().dialect.name == "postgresql":
        db.session.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": _PG_CHAIN_LOCK})


def event_hash(event: AuditEvent) -> str:
    """HMAC-SHA256 over the previous hash and the event's own fields.

    Keyed with the installation's SIGNATURE_KEY (kept outside the database), so someone
    who can write to the database cannot rewrite an event and recompute the chain after it.
    """
    fields = {
        "seq": event.seq,
        "at": event.at,
        "actor_id": event.actor_id,
        "actor": event.actor,
        "entity": event.entity,
        "entity_id": event.entity_id,
        "action": event.action,
        "before": event.before,
        "after": event.after,
        "reason": event.reason,
    }
    message = (event.prev_hash + canonical_json(fields)).encode()
    key = current_app.config["SIGNATURE_KEY"].encode()
    return hmac.new(key, message, hashlib.sha256).hexdigest()


def changes(
    before: Mapping[str, object], after: Mapping[str, object]
) -> tuple[dict[str, object], dict[str, object]]:
    """Only the fields that differ, as (before, after)."""
    keys = [k for k in after if before.get(k) != after[k]]
    return {k: before.get(k) for k in keys}, {k: after[k] for k in keys}


@dataclass
class ChainReport:
    checked: int
    broken_at: int | None = None  # seq of the first event that does not verify
    problem: str = ""

    @property
    def intact(self) -> bool:
        return self.broken_at is None


def verify_chain(batch: int = 1000) -> ChainReport:
    """Walk the chain in order and name the first event that was changed, removed or forged."""
    expected_seq, prev_hash, checked = 1, GENESIS, 0
    query = select(AuditEvent).order_by(AuditEvent.seq).execution_options(yield_per=batch)
    with db.session.scalars(query) as events:  # closes PostgreSQL's server-side cursor early
        for event in events:
            if event.seq != expected_seq:
                return ChainReport(
                    checked, expected_seq, f"event {expected_seq} is missing (next is {event.seq})"
                )
            if event.prev_hash != prev_hash:
                return ChainReport(checked, event.seq, "does not follow from the event before it")
            if event_hash(event) != event.hash:
                return ChainReport(
                    checked, event.seq, "its content was changed after it was written"
                )
            expected_seq, prev_hash, checked = event.seq + 1, event.hash, checked + 1
    return ChainReport(checked)
