"""Progress toward the program's targets: the trainee's dashboard and the mentor's trainees.

A mentor sees every trainee of the programs they hold an appointment in, whichever site
the appointment names: trainees rotate between a program's hospitals, and a site mentor
supervises whoever is there.
"""

from flask import Blueprint, abort, render_template, request
from flask_login import current_user, login_required
from markupsafe import Markup

from caselog import access, charts, clock, policies
from caselog.bounds import record_id
from caselog.extensions import db
from caselog.models import Program, User
from caselog.progress import views

bp = Blueprint("progress", __name__)


@bp.app_template_global()
def progress_bar(counted: int, pending: int, total: int) -> Markup:
    """A target's bar in any template: counted, with pending beside it lighter."""
    return charts.progress_bar(counted, pending, total)


@bp.route("/dashboard")
@login_required
def dashboard() -> str:
    """The trainee's first page: each program's targets, behind first, and the charts."""
    access.require(policies.is_trainee(current_user))
    target_id = request.args.get("target", type=record_id)
    sections = [
        views.section(program, current_user.id, target_id, now=clock.now())
        for program in views.enrolled_programs(current_user)
    ]
    sections.sort(key=lambda s: s.standing is None)  # programs with targets first
    return render_template("progress/dashboard.html", sections=sections, mentee=None)


@bp.route("/dashboard/<int:program_id>/targets/<int:target_id>")
@login_required
def target(program_id: int, target_id: int) -> str:
    """The trainee's own cases behind one target: counted, and pending sign-off."""
    program = access.program_or_404(program_id, rule=policies.enrolled_in)
    return _target_page(program, current_user, target_id, mentee=None)


@bp.route("/mentees")
@login_required
def mentees() -> str:
    """The trainees of every program the mentor is appointed in, with their progress."""
    access.require(policies.is_mentor(current_user))
    groups = [
        views.mentees(program, current_user, now=clock.now())
        for program in views.mentored_programs(current_user)
    ]
    groups.sort(key=lambda g: g.version is None)  # programs with targets first
    return render_template("progress/mentees.html", groups=groups)


@bp.route("/mentees/<int:program_id>/<int:trainee_id>")
@login_required
def mentee(program_id: int, trainee_id: int) -> str:
    """One trainee's dashboard, as a mentor of their program sees it."""
    program = access.program_or_404(program_id, rule=policies.mentors_in)
    trainee = _trainee_or_404(trainee_id)
    section = views.section(
        program, trainee.id, request.args.get("target", type=record_id), now=clock.now()
    )
    if section.version is not None and section.standing is None:
        abort(404)  # not a trainee of this program
    if section.version is None and not policies.enrolled_in(trainee, program):
        abort(404)
    return render_template("progress/dashboard.html", sections=[section], mentee=trainee)


@bp.route("/mentees/<int:program_id>/<int:trainee_id>/targets/<int:target_id>")
@login_required
def mentee_target(program_id: int, trainee_id: int, target_id: int) -> str:
    """The cases behind one target of a trainee the mentor supervises."""
    program = access.program_or_404(program_id, rule=policies.mentors_in)
    return _target_page(program, _trainee_or_404(trainee_id), target_id, mentee=True)


def _trainee_or_404(trainee_id: int) -> User:
    trainee = db.session.get(User, trainee_id)
    if trainee is None or trainee.id == current_user.id:
        abort(404)
    return trainee


def _target_page(program: Program, trainee: User, target_id: int, mentee: bool | None) -> str:
    progress = views.target_progress(program, trainee.id, target_id, now=clock.now())
    if progress is None:
        abort(404)
    cases = views.cases_by_id(progress.case_ids + progress.pending_ids)
    return render_template(
        "progress/target.html",
        program=program,
        trainee=trainee,
        progress=progress,
        counted=[cases[i] for i in progress.case_ids],
        pending=[cases[i] for i in progress.pending_ids],
        mentee=trainee if mentee else None,
    )
