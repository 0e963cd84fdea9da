"""PDF reports: a trainee's logbook and competency summary, a program's cohort matrix.

Each download is issued (caselog.reports.issuing): it gets a verification code printed on
every page, its SHA-256 is kept, and the audit trail records who took which report with
which filters. A record the user may not see answers 404, like one that does not exist.
"""

import re
import unicodedata
from collections.abc import Callable
from functools import wraps
from urllib.parse import quote

from flask import (
    Blueprint,
    abort,
    make_response,
    render_template,
    request,
)
from flask.typing import ResponseReturnValue
from flask_babel import force_locale
from flask_login import current_user, login_required

from caselog import access, clock, policies
from caselog.audit import checkpoints
from caselog.extensions import db, writes_on_get
from caselog.i18n import current_language, languages
from caselog.models import IssuedReport, Program, ReportKind, User
from caselog.reports import documents, issuing, listing, pdf, statements
from caselog.reports.forms import LogbookFilterForm, ReportsForm
from caselog.reports.verification import qr_svg, verify_page_url, verify_url

bp = Blueprint("reports", __name__)


@bp.route("/reports")
@login_required
def index():
    """Every report the user may download, and the logbook's filters."""
    form = ReportsForm(request.args)
    filters = form.filters() if form.validate() else documents.LogbookFilters()
    return render_template(
        "reports/index.html", form=form, filters=filters, groups=listing.programs_for(current_user)
    )


def in_report_language(view: Callable) -> Callable:
    """Draw the report in the language its downloader chose (?lang=ru on the reports page),
    by default their own; everything it prints, and the record of what it states, in it."""

    @wraps(view)
    def drawn_in(*args, **kwargs) -> ResponseReturnValue:
        asked = request.args.get("lang", "")
        with force_locale(asked if asked in languages() else current_language()):
            return view(*args, **kwargs)

    return drawn_in


@bp.route("/reports/logbook/<int:program_id>/<int:trainee_id>.pdf")
@login_required
@writes_on_get
@in_report_language
def logbook(program_id: int, trainee_id: int):
    """A trainee's cases in the program, each with its signature manifest."""
    program, trainee = _subject_or_404(program_id, trainee_id)
    form = LogbookFilterForm(request.args)
    if not form.validate():
        abort(400)
    doc = documents.logbook(program, trainee, form.filters())
    facts = statements.logbook_facts(program, trainee, doc.filters)
    return _issue(ReportKind.LOGBOOK, facts, "reports/logbook.html", doc)


@bp.route("/reports/competency/<int:program_id>/<int:trainee_id>.pdf")
@login_required
@writes_on_get
@in_report_language
def competency(program_id: int, trainee_id: int):
    """A trainee's progress on each target of the program's framework version."""
    program, trainee = _subject_or_404(program_id, trainee_id)
    doc = documents.competency(program, trainee, now=clock.now())
    if doc is None:
        abort(404)  # no framework: no targets to report on
    facts = statements.competency_facts(program, trainee, doc.today, doc.version_label)
    return _issue(ReportKind.COMPETENCY, facts, "reports/competency.html", doc)


@bp.route("/programs/<int:program_id>/cohort.pdf")
@login_required
@writes_on_get
@in_report_language
def cohort(program_id: int):
    """The program's trainees by its targets, with the cohort view's filters."""
    program = access.program_or_404(program_id, rule=policies.can_report_on_program)
    doc = documents.cohort(program, request.args, now=clock.now())
    if doc is None:
        abort(404)
    facts = statements.cohort_facts(program, doc)
    return _issue(ReportKind.COHORT, facts, "reports/cohort.html", doc)


def _subject_or_404(program_id: int, trainee_id: int) -> tuple[Program, User]:
    """The program and trainee of a trainee's report, if the user may have it; else 404."""
    program = db.session.get(Program, program_id)
    trainee = db.session.get(User, trainee_id)
    if (
        program is None
        or trainee is None
        or not policies.can_report_on(current_user, program, trainee)
    ):
        abort(404)
    return program, trainee


def _issue(kind: ReportKind, facts: dict, template: str, doc):
    """Issue the report (code, hash, audit event) and send it as a download."""
    said = statements.statement(kind, facts)  # in the report's language
    audit_head = checkpoints.head()  # printed on the report: an anchor of the trail
    # Everything the report prints is loaded by now. Closing the session ends the reading
    # transaction without expiring what was read, so SQLite's read lock is not held for
    # the seconds drawing takes, and issuing starts a fresh transaction with its write.
    db.session.close()
    report, data = issuing.issue(
        kind,
        said.title,
        said.subject,
        current_user,
        said.filters,
        _drawing(template, doc),
        now=clock.now(),
        language=current_language(),
        facts=facts,
        audit_head=audit_head,
    )
    return _download(data, report)


def _drawing(template: str, doc) -> Callable[[IssuedReport], bytes]:
    def draw(report: IssuedReport) -> bytes:
        """The report's PDF, printing its code, QR code and verification page."""
        url = verify_url(report.code)
        page = verify_page_url()
        return pdf.render_pdf(
            template,
            report=report,
            doc=doc,
            verify_url=url,
            verify_page=page,
            qr=qr_svg(url),
            page_of_pages=pdf.page_of_pages(),
            with_font=pdf.with_font,
            utc_and_local=pdf.utc_and_local,
        )

    return draw


def _download(data: bytes, report: IssuedReport):
    response = make_response(data)
    response.headers["Content-Type"] = "application/pdf"
    response.headers["Content-Disposition"] = content_disposition(report)
    response.headers["Cache-Control"] = "no-store"
    return response


def content_disposition(report: IssuedReport) -> str:
    """An attachment named for the report: ASCII for old clients, UTF-8 for the others."""
    day = report.generated_at.date().isoformat()
    readable = re.sub(
        r'[\\/:*?"<>|\x00-\x1f]+', " ", f"{report.title} - {report.subject} - {day}"
    ).strip()
    letters = unicodedata.normalize("NFKD", f"{report.kind} {report.subject}")
    letters = "".join(ch for ch in letters if not unicodedata.combining(ch))
    slug = re.sub(r"[^A-Za-z0-9]+", "-", letters)
    slug = slug.strip("-").lower()[:80].rstrip("-") or str(report.kind)
    return (
        f'attachment; filename="{slug}-{day}.pdf"; '
        f"filename*=UTF-8''{quote(readable + '.pdf', safe='')}"
    )
