"""Writing audit events and checking their chain.

Every service that changes a case, a signature, an enrolment or an appointment calls
`record` in the same transaction as the change, so the event commits or rolls back with it.
"""

import hashlib
import hmac
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from flask import current_app, has_request_context
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user
from sqlalchemy import select, text

from caselog.audit import checkpoints
from caselog.canonical import canonical_json
from caselog.extensions import db
from caselog.models import AuditEvent, IssuedReport, User

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
    last = checkpoints.head()
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


@dataclass(frozen=True)
class Anchor:
    """A place in the trail seen by something kept apart from it: a checkpoint in the
    installation's file, or the head an issued report printed."""

    seq: int
    hash: str
    seen_by: str  # "the checkpoint of 2026-03-14 09:30 UTC", in the reader's language


@dataclass
class ChainReport:
    checked: int
    broken_at: int | None = None  # seq of the first event that does not verify
    problem: str = ""
    anchor: checkpoints.Checkpoint | None = None  # the newest checkpoint held against
    refused: list[int] = field(default_factory=list)  # checkpoint lines not sealed with our key
    checkpoint_path: Path | None = None

    @property
    def intact(self) -> bool:
        """No event changed, removed or inserted, and nothing contradicts a checkpoint."""
        return self.broken_at is None

    @property
    def holds(self) -> bool:
        """Intact and anchored (or empty with nothing to anchor), with no forged checkpoint."""
        return self.intact and not self.refused and (self.anchor is not None or not self.checked)

    def summary(self) -> str:
        """What the check found, in a sentence or two for the CLI and the audit page."""
        if not self.intact:
            said = _(
                "Audit trail broken at event #%(seq)d: %(problem)s",
                seq=self.broken_at or 0,
                problem=self.problem,
            )
        elif self.anchor is not None:
            said = ngettext(
                "Audit trail intact: %(num)d event, anchored by the checkpoint of %(time)s "
                "(event #%(seq)d).",
                "Audit trail intact: %(num)d events, anchored by the checkpoint of %(time)s "
                "(event #%(seq)d).",
                self.checked,
                time=_moment(self.anchor.at),
                seq=self.anchor.seq,
            )
        elif self.checked:
            said = ngettext(
                "Audit trail chained but not anchored: %(num)d event, and no checkpoint in "
                "%(path)s, so events cut from its end would not show. "
                "Run “flask checkpoint-audit”.",
                "Audit trail chained but not anchored: %(num)d events, and no checkpoint in "
                "%(path)s, so events cut from its end would not show. "
                "Run “flask checkpoint-audit”.",
                self.checked,
                path=str(self.checkpoint_path),
            )
        else:
            said = _("Audit trail empty, and no checkpoint yet: nothing to check.")
        if self.refused:
            said += " " + ngettext(
                "Line %(lines)s of the checkpoint file is not sealed with this "
                "installation's key: it was not trusted.",
                "Lines %(lines)s of the checkpoint file are not sealed with this "
                "installation's key: they were not trusted.",
                len(self.refused),
                lines=", ".join(str(n) for n in self.refused[:10])
                + (" …" if len(self.refused) > 10 else ""),
            )
        return said


def verify_chain(batch: int = 1000) -> ChainReport:
    """Walk the chain in order and name the first event that was changed, removed or forged,
    then hold it to every checkpoint and every issued report's printed head: events cut from
    its end, or an older copy put back, show there."""
    stored = checkpoints.read()  # before the walk: every event it saw was committed by then
    anchors: dict[int, list[Anchor]] = {}
    for anchor in [*map(_checkpoint_anchor, stored.checkpoints), *_report_anchors()]:
        anchors.setdefault(anchor.seq, []).append(anchor)
    report = _walk(batch, anchors)
    report.anchor = max(stored.checkpoints, key=lambda c: (c.seq, c.at), default=None)
    report.refused, report.checkpoint_path = stored.refused, stored.path
    furthest = max(
        (a for seen in anchors.values() for a in seen), key=lambda a: a.seq, default=None
    )
    if report.intact and furthest is not None and furthest.seq > report.checked:
        report.broken_at = report.checked + 1
        missing = furthest.seq - report.checked
        if report.checked:
            report.problem = ngettext(
                "the trail ends at #%(head)d but %(seen_by)s saw #%(seq)d: %(num)d event missing",
                "the trail ends at #%(head)d but %(seen_by)s saw #%(seq)d: %(num)d events missing",
                missing,
                head=report.checked,
                seen_by=furthest.seen_by,
                seq=furthest.seq,
            )
        else:
            report.problem = ngettext(
                "the trail is empty but %(seen_by)s saw #%(seq)d: %(num)d event missing",
                "the trail is empty but %(seen_by)s saw #%(seq)d: %(num)d events missing",
                missing,
                seen_by=furthest.seen_by,
                seq=furthest.seq,
            )
    return report


def _walk(batch: int, anchors: Mapping[int, list[Anchor]]) -> ChainReport:
    """The chain from its first event: each follows the one before, has its own hash, and is
    the event every anchor at its place saw."""
    expected_seq, prev_hash, checked = 1, GENESIS, 0
    query = select(AuditEvent).order_by(AuditEvent.seq).execution_options(yield_per=batch)
    with db.session.scalars(query) as events:  # closes PostgreSQL's server-side cursor early
        for event in events:
            if event.seq != expected_seq:
                return ChainReport(
                    checked,
                    expected_seq,
                    _(
                        "event %(seq)d is missing (next is %(next)d)",
                        seq=expected_seq,
                        next=event.seq,
                    ),
                )
            if event.prev_hash != prev_hash:
                return ChainReport(
                    checked, event.seq, _("does not follow from the event before it")
                )
            if event_hash(event) != event.hash:
                return ChainReport(
                    checked, event.seq, _("its content was changed after it was written")
                )
            for anchor in anchors.get(event.seq, ()):
                if not hmac.compare_digest(anchor.hash, event.hash):
                    return ChainReport(
                        checked,
                        event.seq,
                        _(
                            "it is not the event %(seen_by)s saw: the trail was rewritten, "
                            "or an older copy put back, at or before this event",
                            seen_by=anchor.seen_by,
                        ),
                    )
            expected_seq, prev_hash, checked = event.seq + 1, event.hash, checked + 1
    return ChainReport(checked)


def _checkpoint_anchor(checkpoint: checkpoints.Checkpoint) -> Anchor:
    return Anchor(
        checkpoint.seq,
        checkpoint.hash,
        _("the checkpoint of %(time)s", time=_moment(checkpoint.at)),
    )


def _report_anchors() -> list[Anchor]:
    """The head each issued report printed (reports issued before it was kept have none)."""
    rows = db.session.execute(
        select(
            IssuedReport.audit_seq,
            IssuedReport.audit_hash,
            IssuedReport.code,
            IssuedReport.generated_at,
        ).where(IssuedReport.audit_seq.is_not(None))
    )
    return [
        Anchor(
            seq or 0,
            hash_ or "",
            _("report %(code)s (issued %(time)s)", code=code, time=_moment(at)),
        )
        for seq, hash_, code, at in rows
    ]


def _moment(at: datetime) -> str:
    """A moment as the trail's messages give it: UTC, to the minute, the same in every language."""
    return f"{at.astimezone(UTC):%Y-%m-%d %H:%M} UTC"
