"""Case exports: a page of filters, and the cases as CSV or XLSX with the same query string.

Each download is recorded in the audit trail (and committed) before it is written. The CSV
streams from the database as it is read; the XLSX is written row by row to a temporary
file and sent from disk. Neither holds the rows in memory.
"""

from tempfile import SpooledTemporaryFile
from typing import Any

from flask import (
    Blueprint,
    Response,
    abort,
    current_app,
    redirect,
    render_template,
    request,
    stream_with_context,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user, login_required

from caselog import access, clock, policies
from caselog.exports import queries, rows, services, writers
from caselog.exports.forms import ExportForm
from caselog.extensions import writes_on_get

bp = Blueprint("exports", __name__, url_prefix="/exports")

CSV_TYPE = "text/csv; charset=utf-8"
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
IN_MEMORY = 1024 * 1024  # an XLSX larger than this is written to disk
COLUMN_WIDTHS = (
    11,
    22,
    24,
    22,
    20,
    12,
    30,
    30,
    18,
    30,
    30,
    18,
    13,
    11,
    11,
    11,
    8,
    8,
    6,
    14,
    30,
    10,
    10,
    8,
    14,
    8,
    19,
    20,
    20,
    19,
    40,
    9,
    9,
    20,
    40,
)


@bp.route("/cases")
@login_required
def cases():
    """Choose which cases to export, and the format."""
    access.require(policies.can_export_cases(current_user))
    form = _form()
    matching = None
    if request.args and form.validate():
        matching = queries.count(queries.conditions(current_user, form.filters()))
    elif form.refused_choice():
        abort(404)
    return render_template(
        "exports/cases.html", form=form, matching=matching, args=request.args.to_dict()
    )


@bp.route("/cases.csv")
@login_required
@writes_on_get
def csv():
    """The cases as CSV, streamed while they are read."""
    where, refused = _export(services.CSV)
    if refused:
        return refused
    batch = current_app.config.get("EXPORT_BATCH_SIZE", queries.BATCH_SIZE)
    body = writers.csv_chunks(rows.header(), rows.rows(queries.case_batches(where, batch)))
    return _download(stream_with_context(body), CSV_TYPE, "csv")


@bp.route("/cases.xlsx")
@login_required
@writes_on_get
def xlsx():
    """The cases as an XLSX workbook, written to a temporary file and sent from it."""
    where, refused = _export(services.XLSX)
    if refused:
        return refused
    batch = current_app.config.get("EXPORT_BATCH_SIZE", queries.BATCH_SIZE)
    spool = SpooledTemporaryFile(max_size=IN_MEMORY)  # noqa: SIM115 - closed once sent
    try:
        writers.write_xlsx(
            spool,
            rows.header(),
            rows.rows(queries.case_batches(where, batch)),
            title=_("Cases"),
            widths=COLUMN_WIDTHS,
        )
        size = spool.tell()
    except BaseException:
        spool.close()
        raise
    response = _download(writers.file_chunks(spool), XLSX_TYPE, "xlsx")
    response.headers["Content-Length"] = str(size)
    response.call_on_close(spool.close)
    return response


def _form() -> ExportForm:
    form = ExportForm(request.args)
    form.fill(queries.export_options(current_user))
    return form


def _export(action: str):
    """Check the filters and record the export; (WHERE clause, None) or (None, a refusal).

    A program, hospital, procedure or trainee outside what the user may export answers
    404, as if it did not exist; dates that make no sense go back to the form.
    """
    access.require(policies.can_export_cases(current_user))
    form = _form()
    if not form.validate():
        if form.refused_choice():
            abort(404)
        # The filters go back to the form; keys starting with "_" are url_for's own
        # (_scheme, _external, _method, _anchor), never filters, so they are left out.
        kept: dict[str, Any] = {k: v for k, v in request.args.items() if not k.startswith("_")}
        return None, redirect(url_for("exports.cases", **kept))
    filters = form.filters()
    where = queries.conditions(current_user, filters)
    services.record_export(current_user, action, filters, queries.count(where), now=clock.now())
    return where, None


def _download(body, mimetype: str, extension: str) -> Response:
    """An attachment that is never cached, named with the day it was made."""
    name = f"caselog-cases-{clock.now():%Y%m%d-%H%M}.{extension}"
    response = Response(body, content_type=mimetype)
    response.headers["Content-Disposition"] = f'attachment; filename="{name}"'
    response.headers["Cache-Control"] = "no-store"
    return response
