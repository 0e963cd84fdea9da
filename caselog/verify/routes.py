"""Public pages where anyone checks a report by its code, and a copy by its bytes."""

from flask import Blueprint, current_app, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from werkzeug.exceptions import RequestEntityTooLarge

from caselog import clock
from caselog.extensions import csrf
from caselog.models import IssuedReport, ReportKind
from caselog.reports.issuing import normalise_code
from caselog.reports.statements import restated
from caselog.verify import services
from caselog.verify.forms import CodeForm, CopyForm

bp = Blueprint("verify", __name__)

KINDS = {
    ReportKind.LOGBOOK: _l("Logbook"),
    ReportKind.COMPETENCY: _l("Competency summary"),
    ReportKind.COHORT: _l("Cohort matrix"),
}


@bp.context_processor
def _helpers() -> dict:
    return {
        "human_size": services.human_size,
        "exact_size": services.exact_size,
        "kinds": KINDS,
        "restated": restated,
    }


@bp.route("/verify", methods=["GET", "POST"])
def index():
    """A form to type the code printed on a report; forgiving of case, spaces and dashes."""
    form = CodeForm()
    if form.validate_on_submit():
        code = normalise_code(form.code.data)
        if code:
            return redirect(url_for(".show", code=code))
        form.code.errors.append(
            _("A code has ten letters and digits, like K7QM-2XRD-4P. Check it and try again.")
        )
    return render_template("verify/index.html", form=form)


@bp.route("/verify/<code>", methods=["GET", "POST"])
@csrf.exempt  # checked in the view, once the upload's size limit is set
def show(code: str):
    """What the report with this code states; with a copy posted, whether it is exact."""
    too_large = request.method == "POST" and not _accept_upload()
    normal = normalise_code(code)
    if request.method == "GET" and normal and normal != code:
        return redirect(url_for(".show", code=normal))
    address = request.remote_addr or ""
    if services.throttled(address, now=clock.now()):
        minutes = int(services.WINDOW.total_seconds() // 60)
        return render_template("verify/throttled.html", minutes=minutes), 429
    report = services.lookup(code)
    if report is None:
        services.record_miss(address, now=clock.now())
        return render_template(
            "verify/unknown.html", code=code[:40], form=CodeForm(formdata=None)
        ), 404
    if request.method == "GET":
        return render_template("verify/show.html", report=report, form=CopyForm(formdata=None))
    return _compare(report, too_large)


def _accept_upload() -> bool:
    """Limit the request's size, then check its CSRF token; False if it is too large."""
    request.max_content_length = services.MAX_UPLOAD
    try:
        if current_app.config.get("WTF_CSRF_ENABLED", True):
            csrf.protect()  # reads the form: a 400 page if the token is missing or stale
        request.files  # noqa: B018 - parse now, within the limit
    except RequestEntityTooLarge:
        return False
    return True


def _compare(report: IssuedReport, too_large: bool):
    """The report's page with the answer for the posted copy; never keeps the file."""
    comparison, status = None, 200
    if too_large:
        form = CopyForm(formdata=None)
        form.document.errors = [
            _(
                "This file is larger than %(limit)s, and the issued report is %(size)s: "
                "it is not the issued report.",
                limit=services.human_size(services.MAX_UPLOAD),
                size=services.human_size(report.size),
            )
        ]
        status = 413
    else:
        form = CopyForm()
        if form.validate_on_submit():
            with form.document.data.stream as upload:
                comparison = services.compare(report, upload.read())
    return render_template(
        "verify/show.html", report=report, form=form, comparison=comparison
    ), status
