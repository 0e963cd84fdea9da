"""Competency framework pages: the list, one version's targets, writing a framework or its next
version, and assigning a version to a program."""

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from wtforms.fields.choices import SelectChoice

from caselog import access, clock, policies
from caselog.bounds import record_id
from caselog.frameworks import queries, services
from caselog.frameworks.forms import AssignForm, FrameworkForm, assign_form, offer_versions
from caselog.i18n import local_text, program_name
from caselog.models import Framework, Involvement, Program
from caselog.unit_of_work import attempt

bp = Blueprint("frameworks", __name__)


# Visitors sign in first; each page then checks who may see or do what.
bp.before_request(access.blueprint_guard())


@bp.route("/frameworks")
@login_required
def index():
    """Every framework: its specialty, source, latest version and the programs using it."""
    access.require(policies.runs_programs(current_user))
    return render_template("frameworks/index.html", rows=queries.frameworks(current_user))


@bp.route("/frameworks/<int:framework_id>")
@login_required
def show(framework_id: int):
    """One version's targets (the latest unless ?version=N), its note and all versions."""
    access.require(policies.runs_programs(current_user))
    framework = _framework_or_404(framework_id)
    number = request.args.get("version", type=record_id)
    version = (
        next((v for v in framework.versions if v.number == number), None)
        if number is not None
        else framework.latest
    )
    if version is None:
        abort(404)
    page = queries.version_page(current_user, framework, version)
    return render_template(
        "frameworks/show.html",
        page=page,
        framework=framework,
        version=version,
        levels=list(Involvement),
    )


@bp.route("/frameworks/new", methods=["GET", "POST"])
@login_required
def new():
    """Write a new framework: its name, specialty, source and targets (version 1)."""
    access.require(policies.runs_programs(current_user))
    specialties = queries.specialties()
    initial = None
    if request.method == "GET":
        initial = {
            "specialty_id": request.args.get("specialty", type=record_id)
            or queries.usual_specialty(current_user, specialties)
        }
    form = FrameworkForm(data=initial)
    form.specialty_id.choices = [SelectChoice("", "—")] + [
        SelectChoice(s.id, local_text(s)) for s in specialties
    ]
    response = _handle(form, None, form.specialty_id.data)
    return response or _form_page(form, None)


@bp.route("/frameworks/<int:framework_id>/edit", methods=["GET", "POST"])
@login_required
def edit(framework_id: int):
    """Change a framework: saving writes its next version and leaves the earlier ones as
    they were."""
    access.require(policies.runs_programs(current_user))
    framework = _framework_or_404(framework_id)
    targets = queries.load_targets(framework.latest) if framework.latest else []
    form = FrameworkForm(
        data=FrameworkForm.data_of(framework, targets) if request.method == "GET" else None
    )
    form.specialty_id.choices = [
        SelectChoice("", "—"),
        SelectChoice(framework.specialty_id, local_text(framework.specialty)),
    ]
    response = _handle(form, framework, framework.specialty_id)
    return response or _form_page(form, framework)


@bp.route("/programs/<int:program_id>/framework", methods=["POST"])
@login_required
def assign(program_id: int):
    """Measure a program's trainees against a framework version (directors and admins)."""
    program = access.program_or_404(program_id, rule=policies.can_assign_framework)
    form = AssignForm()
    offer_versions(form, queries.assignable_versions(program))
    if form.validate_on_submit():
        with attempt(flash_as="danger") as done:
            services.assign(program, form.version_id.data, actor=current_user, now=clock.now())
        if done.ok:
            version = program.framework_version
            if version is None:
                flash(
                    _(
                        "%(program)s is no longer measured against a framework.",
                        program=program_name(program),
                    ),
                    "success",
                )
            else:
                flash(
                    _(
                        "%(program)s is now measured against %(version)s.",
                        program=program_name(program),
                        version=version.label,
                    ),
                    "success",
                )
    else:
        flash(_("Choose a framework version from the list."), "danger")
    return redirect(url_for("programs.show", program_id=program.id, _anchor="framework"))


def _handle(form: FrameworkForm, framework: Framework | None, specialty_id: int | None):
    """Add, remove or refresh re-render the form; Save writes a version and redirects."""
    if specialty_id:
        form.use_catalogue(queries.procedures_of(specialty_id), queries.groups_of(specialty_id))
    else:
        form.use_catalogue([], [])
    if request.method != "POST":
        return None
    action, index = form.action()
    if action == "add":
        form.focus = form.add_blank_target().label.id
    elif action == "remove":
        form.targets.pop_entry(index)
        form.focus = form.add_target.id
    elif action == "save" and form.validate_on_submit():
        with attempt(form) as done:
            if framework is None:
                version = services.create_framework(
                    form.to_input(), actor=current_user, now=clock.now()
                )
            else:
                version = services.save_new_version(
                    framework, form.to_input(), actor=current_user, now=clock.now()
                )
        if done.ok:
            flash(_("%(version)s saved.", version=version.label), "success")
            return redirect(url_for("frameworks.show", framework_id=version.framework_id))
    return None


def _form_page(form: FrameworkForm, framework: Framework | None):
    """The form, with the catalogue it offers and an error summary linking to each field."""
    procedures, groups = form.catalogue
    return render_template(
        "frameworks/form.html",
        form=form,
        framework=framework,
        procedures=procedures,
        groups=groups,
        group_sizes=queries.group_sizes({g.id for g in groups}),
        focus=form.focus,
    )


def _framework_or_404(framework_id: int) -> Framework:
    framework = queries.framework_or_none(framework_id)
    if framework is None:
        abort(404)
    return framework


def program_panel(program: Program) -> dict:
    """What a program's page shows about its framework: the choice of version, and the
    link to the cohort's progress (once that page exists)."""
    has_cohort = "cohort.matrix" in current_app.view_functions
    return {
        "framework_form": assign_form(program, queries.assignable_versions(program)),
        "cohort_url": url_for("cohort.matrix", program_id=program.id) if has_cohort else None,
    }
