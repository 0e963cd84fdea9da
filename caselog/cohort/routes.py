"""The cohort view: a program's trainees by its targets, and the cases behind each cell."""

from flask import Blueprint, abort, current_app, render_template, request
from flask_login import current_user, login_required

from caselog import access, clock, policies
from caselog.cohort import queries
from caselog.progress.compute import Status

bp = Blueprint("cohort", __name__, url_prefix="/programs")

VIEW_ARGS = ("cohort", "site", "sort", "dir")  # carried from the matrix to a cell and back


# Like the program pages: others sign in first, then get 403.
bp.before_request(access.blueprint_guard(policies.runs_programs))


@bp.route("/<int:program_id>/cohort")
@login_required
def matrix(program_id: int):
    """Every trainee of the program by every target, filtered and sorted as asked."""
    program = access.program_or_404(program_id)
    return render_template(
        "cohort/matrix.html",
        program=program,
        matrix=queries.matrix(program, request.args, now=clock.now()),
        can_assign="frameworks.assign" in current_app.view_functions,
        statuses=Status,
    )


@bp.route("/<int:program_id>/cohort/<int:trainee_id>/<int:target_id>")
@login_required
def cases(program_id: int, trainee_id: int, target_id: int):
    """The cases that count toward one target for one trainee, and those pending."""
    program = access.program_or_404(program_id)
    cell = queries.cell(program, trainee_id, target_id, now=clock.now())
    if cell is None:
        abort(404)
    back = {key: request.args[key] for key in VIEW_ARGS if request.args.get(key)}
    return render_template(
        "cohort/cases.html",
        program=program,
        cell=cell,
        back=back,
        may_open=policies.directs(current_user, program),
    )
