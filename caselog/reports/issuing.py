"""Issuing a PDF report: a verification code printed on it, the hash of its bytes kept.

A third party checks a copy on the public verification page: the code says whether this
installation issued a report and what it was; the hash says whether a copy is exactly it.
"""

import hashlib
import secrets
from collections.abc import Callable
from datetime import datetime

from caselog.audit.checkpoints import Head
from caselog.audit.services import record
from caselog.extensions import db
from caselog.models import IssuedReport, ReportKind, User

CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I: read aloud over a phone
CODE_LENGTH = 10  # 50 bits: not guessable, short enough to type


def new_code() -> str:
    """A random code such as "K7QM-2XRD-4P"."""
    raw = "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))
    return f"{raw[:4]}-{raw[4:8]}-{raw[8:]}"


def normalise_code(text: str) -> str:
    """What a person typed, in the stored form: upper case, dashes where they belong."""
    raw = "".join(ch for ch in text.upper() if ch in CODE_ALPHABET)
    return f"{raw[:4]}-{raw[4:8]}-{raw[8:]}" if len(raw) == CODE_LENGTH else ""


def issue(
    kind: ReportKind,
    title: str,
    subject: str,
    generated_by: User,
    filters: str,
    render: Callable[[IssuedReport], bytes],
    *,
    now: datetime,
    language: str = "en",
    facts: dict[str, object] | None = None,
    audit_head: Head | None = None,
) -> tuple[IssuedReport, bytes]:
    """Render a report with its code, issued at `now`, and record it; returns the record and
    the PDF bytes.

    `render` receives the record (code, time, who, filters) to print on the report; the
    record keeps the language it is printed in and what it states as values (`facts`), so
    the public verification page can say it in another. The report prints `audit_head`, the
    audit trail's newest event as the caller read it before drawing (caselog.audit.checkpoints
    .head(), read while the caller's reading transaction is open, so that drawing holds no
    lock), and keeps it: an anchor of the trail outside the database, in the reader's hands.
    """
    report = IssuedReport(
        code=new_code(),
        kind=kind,
        title=title[:300],
        subject=subject[:300],
        generated_by_id=generated_by.id,
        generated_by=generated_by.full_name,
        generated_at=now.replace(microsecond=0),
        filters=filters,
        language=language,
        facts=facts,
        audit_seq=audit_head.seq if audit_head else None,
        audit_hash=audit_head.hash if audit_head else None,
    )
    pdf = render(report)
    report.sha256 = hashlib.sha256(pdf).hexdigest()
    report.size = len(pdf)
    db.session.add(report)
    db.session.flush()
    record(
        "report",
        report.id,
        "issued",
        actor=generated_by,
        after={
            "code": report.code,
            "kind": kind,
            "subject": report.subject,
            "filters": filters,
            "sha256": report.sha256,
        },
        now=now,
    )
    return report, pdf


def find(code: str) -> IssuedReport | None:
    """The report this installation issued under a code, if any."""
    normal = normalise_code(code)
    if not normal:
        return None
    return db.session.scalar(db.select(IssuedReport).where(IssuedReport.code == normal))


def is_exact_copy(report: IssuedReport, data: bytes) -> bool:
    """Whether the bytes are exactly the issued PDF."""
    return len(data) == report.size and hashlib.sha256(data).hexdigest() == report.sha256
