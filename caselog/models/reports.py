"""Reports issued as PDF: what a third party can check a copy against, by its code."""

import enum
from datetime import datetime

from sqlalchemy import String, Text
from sqlalchemy.orm import Mapped, mapped_column

from caselog.extensions import Model
from caselog.models.types import JSONValue, UTCDateTime, enum_column


class ReportKind(enum.StrEnum):
    LOGBOOK = "logbook"  # a trainee's cases with their signatures
    COMPETENCY = "competency"  # a trainee's progress on each target
    COHORT = "cohort"  # a program's trainees by targets


class IssuedReport(Model):
    """One PDF as it was handed out: its verification code and the SHA-256 of its bytes.

    Holds only what the report itself prints on its first page (title, subject, who
    generated it and when, the filters, in the language it was printed in, and the same as
    values to restate in another), so the public check reveals nothing more.
    """

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(16), unique=True)  # e.g. "K7QM-2XRD-4P"
    kind: Mapped[ReportKind] = mapped_column(enum_column(ReportKind))
    title: Mapped[str] = mapped_column(String(300))
    subject: Mapped[str] = mapped_column(String(300))  # the trainee's or program's name
    generated_by_id: Mapped[int | None]
    generated_by: Mapped[str] = mapped_column(String(200))  # printed name at the time
    generated_at: Mapped[datetime] = mapped_column(UTCDateTime)
    filters: Mapped[str] = mapped_column(Text, default="")  # as printed on the report
    language: Mapped[str] = mapped_column(String(8), default="en", server_default="en")
    # What the report states, as values (caselog.reports.statements), so that the public
    # page can say it in the visitor's language; None for reports issued before it was kept.
    facts: Mapped[dict[str, object] | None] = mapped_column(JSONValue)
    sha256: Mapped[str] = mapped_column(String(64))
    # The audit trail's head (newest event) when the report was drawn, as printed on it: an
    # anchor `verify-audit` holds the trail to. None for reports issued before it was kept.
    audit_seq: Mapped[int | None]
    audit_hash: Mapped[str | None] = mapped_column(String(64))
    size: Mapped[int]
