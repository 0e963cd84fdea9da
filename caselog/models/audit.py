"""The audit trail: append-only events, each chained to the one before by a hash.

The database refuses UPDATE and DELETE on the table (triggers made by the migration).
Events name their actor and entity by id and text, without foreign keys, so they
outlive anything they describe.
"""

from datetime import datetime

from sqlalchemy import String, Text
from sqlalchemy.orm import Mapped, mapped_column

from caselog.extensions import Model
from caselog.models.types import UTCDateTime


class AuditEvent(Model):
    id: Mapped[int] = mapped_column(primary_key=True)
    seq: Mapped[int] = mapped_column(unique=True)  # 1, 2, 3 ... with no gaps
    at: Mapped[datetime] = mapped_column(UTCDateTime)
    actor_id: Mapped[int | None]
    actor: Mapped[str] = mapped_column(String(254))  # e-mail at the time, or "system"
    entity: Mapped[str] = mapped_column(String(40))
    entity_id: Mapped[int | None] = mapped_column(index=True)
    action: Mapped[str] = mapped_column(String(40))
    before: Mapped[str | None] = mapped_column(Text)  # JSON
    after: Mapped[str | None] = mapped_column(Text)  # JSON
    reason: Mapped[str] = mapped_column(Text, default="")
    prev_hash: Mapped[str] = mapped_column(String(64))
    hash: Mapped[str] = mapped_column(String(64))
