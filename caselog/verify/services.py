"""Looking up an issued report by its code for a third party, throttled per address."""

import hashlib
from dataclasses import dataclass
from datetime import datetime, timedelta

from flask_babel import format_decimal, ngettext
from flask_babel import gettext as _
from sqlalchemy import func, select

from caselog.extensions import db
from caselog.models import IssuedReport, VerificationMiss
from caselog.reports.issuing import is_exact_copy, normalise_code
from caselog.unit_of_work import kept_despite_refusal

WINDOW = timedelta(minutes=15)  # how long a code that matched nothing counts against an address
MAX_MISSES = 20  # such codes an address may try in the window before look-ups are refused
MAX_UPLOAD = 20 * 1024 * 1024  # bytes: reports are a few MB at most


@dataclass(frozen=True)
class Comparison:
    """An uploaded copy set against the issued report."""

    exact: bool
    size: int
    sha256: str


def throttled(address: str, *, now: datetime) -> bool:
    """Whether this address has tried too many codes that matched no report lately."""
    since = now - WINDOW
    misses = db.session.execute(
        select(func.count())
        .select_from(VerificationMiss)
        .where(VerificationMiss.address == address[:64], VerificationMiss.at >= since)
    ).scalar_one()
    return misses >= MAX_MISSES


def lookup(code: str) -> IssuedReport | None:
    """The report issued under a code as typed, if any.

    A malformed code runs the same query as a well-formed unknown one, so the two take
    the same time and get the same answer.
    """
    normal = normalise_code(code)
    return db.session.scalar(select(IssuedReport).where(IssuedReport.code == normal))


def record_miss(address: str, *, now: datetime) -> None:
    """Count a code that matched nothing against the address; forget misses past the window.

    Kept in a transaction of its own: the page answers 404, but the miss must count."""
    with kept_despite_refusal():
        db.session.execute(db.delete(VerificationMiss).where(VerificationMiss.at < now - WINDOW))
        db.session.add(VerificationMiss(address=address[:64], at=now))


def compare(report: IssuedReport, data: bytes) -> Comparison:
    """Whether the bytes are exactly the issued PDF, with their size and SHA-256 to show."""
    return Comparison(
        exact=is_exact_copy(report, data), size=len(data), sha256=hashlib.sha256(data).hexdigest()
    )


def human_size(size: int) -> str:
    """A file size as people read it: "812 bytes", "184 KB", "1.2 MB"."""
    if size < 1024:
        return exact_size(size)
    if size < 1024 * 1024:
        return _("%(size)s KB", size=format_decimal(round(size / 1024)))
    return _("%(size)s MB", size=format_decimal(round(size / (1024 * 1024), 1)))


def exact_size(size: int) -> str:
    """A file size to the byte: "11,158 bytes"."""
    return ngettext("%(count)s byte", "%(count)s bytes", size, count=format_decimal(size))
