"""Recording exports: each one written to the audit trail before its first byte is sent."""

from datetime import datetime

from caselog.audit.services import record
from caselog.exports.queries import ExportFilters
from caselog.models import User

CSV = "cases_csv"
XLSX = "cases_xlsx"


def record_export(
    user: User, action: str, filters: ExportFilters, rows: int, *, now: datetime
) -> None:
    """Who exported which cases (the filters) and how many there were when it began."""
    after = {"filters": filters.as_dict(), "rows": rows}
    record("export", None, action, actor=user, after=after, now=now)
