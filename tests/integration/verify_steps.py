"""Issuing real PDF reports for the verification tests: a one-page WeasyPrint document."""

from markupsafe import escape
from weasyprint import HTML

from caselog.models import IssuedReport, ReportKind, User
from caselog.reports import issuing
from caselog.reports.verification import qr_svg, verify_url
from tests.clock import NOW


def render(report: IssuedReport) -> bytes:
    """A small PDF that prints what a report prints: title, subject, code, QR, who, when."""
    html = (
        f"<h1>{escape(report.title)}</h1><p>{escape(report.subject)}</p>"
        f"<p>Verification code {report.code}</p>{qr_svg(verify_url(report.code))}"
        f"<p>Generated {report.generated_at.isoformat()} by {escape(report.generated_by)}</p>"
        f"<p>{escape(report.filters)}</p>"
    )
    return HTML(string=html).write_pdf()


def issue_logbook(
    trainee: User, generated_by: User, filters: str = "Program: Spine fellowship (test)"
) -> tuple[IssuedReport, bytes]:
    """Issue a logbook of the trainee, as the reports pages do."""
    return issuing.issue(
        ReportKind.LOGBOOK,
        f"Logbook of {trainee.full_name}",
        trainee.full_name,
        generated_by,
        filters,
        render,
        now=NOW,
    )
