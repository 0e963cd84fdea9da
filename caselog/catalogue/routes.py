"""Admin pages of the procedure catalogue: list and search, add, edit, retire, restore, delete."""

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from wtforms.fields.choices import SelectChoice

from caselog import access, clock, policies
from caselog.bounds import record_id
from caselog.catalogue import queries, services
from caselog.catalogue.forms import NOT_CHOSEN, CatalogueSearchForm, ProcedureForm
from caselog.extensions import db
from caselog.i18n import current_language, local_text
from caselog.models import Procedure
from caselog.unit_of_work import attempt

bp = Blueprint("catalogue", __name__, url_prefix="/catalogue")

CODE_SYSTEMS = ["CPT", "SNOMED CT", "OPCS-4", "ICD-10-PCS", "ICD-9-CM"]


# Every catalogue page is for admins: others sign in first, then get 403.
bp.before_request(access.blueprint_guard(policies.is_admin))


@bp.route("/")
def index():
    """Specialties and their procedures, searchable by name, short name and synonym."""
    form = CatalogueSearchForm(request.args)
    form.specialty.choices = [SelectChoice("", _("All specialties"))] + [
        SelectChoice(s.id, local_text(s)) for s in queries.specialties(current_language())
    ]
    filters = queries.CatalogueFilters()
    if form.validate():
        filters = queries.CatalogueFilters(
            text=form.q.data or "", specialty_id=form.specialty.data, status=form.status.data or ""
        )
    shown = queries.catalogue(filters, current_language())
    ids = [p.id for _specialty, procedures in shown for p in procedures]
    return render_template(
        "catalogue/index.html",
        form=form,
        shown=shown,
        filters=filters,
        case_counts=queries.case_counts(ids),
        total=len(ids),
    )


@bp.route("/procedures/new", methods=["GET", "POST"])
def new():
    """Add a procedure to a specialty."""
    initial = {"specialty_id": request.args.get("specialty", type=record_id)}
    form = ProcedureForm(data=initial if request.method == "GET" else None)
    groups = queries.groups_by_specialty(current_language())
    _fill_choices(form, groups)
    if request.method == "GET":
        form.add_blank_code_rows()
    if form.validate_on_submit():
        with attempt(form) as done:
            procedure = services.add_procedure(form.to_input(), actor=current_user, now=clock.now())
        if done.ok:
            flash(_("%(name)s added to the catalogue.", name=local_text(procedure)), "success")
            return redirect(url_for("catalogue.index", specialty=procedure.specialty_id))
    return _form_page(form, None, groups)


@bp.route("/procedures/<int:procedure_id>/edit", methods=["GET", "POST"])
def edit(procedure_id: int):
    """Change a procedure; the page also offers retire, restore and (if unused) delete."""
    procedure = _procedure_or_404(procedure_id)
    form = ProcedureForm(data=ProcedureForm.data_of(procedure) if request.method == "GET" else None)
    groups = queries.groups_by_specialty(current_language())
    _fill_choices(form, groups)
    if request.method == "GET":
        form.add_blank_code_rows()
    if form.validate_on_submit():
        with attempt(form) as done:
            services.update_procedure(
                procedure, form.to_input(), actor=current_user, now=clock.now()
            )
        if done.ok:
            flash(_("Changes to %(name)s saved.", name=local_text(procedure)), "success")
            return redirect(url_for("catalogue.index", specialty=procedure.specialty_id))
    return _form_page(form, procedure, groups)


@bp.route("/procedures/<int:procedure_id>/retire", methods=["POST"])
def retire(procedure_id: int):
    """Take a procedure off the case form; cases that have it keep it."""
    procedure = _procedure_or_404(procedure_id)
    services.retire_procedure(procedure, actor=current_user, now=clock.now())
    flash(
        _(
            "%(name)s is retired: it no longer appears on the case form.",
            name=local_text(procedure),
        ),
        "success",
    )
    return redirect(url_for("catalogue.edit", procedure_id=procedure.id))


@bp.route("/procedures/<int:procedure_id>/restore", methods=["POST"])
def restore(procedure_id: int):
    """Offer a retired procedure on the case form again."""
    procedure = _procedure_or_404(procedure_id)
    services.restore_procedure(procedure, actor=current_user, now=clock.now())
    flash(_("%(name)s is back on the case form.", name=local_text(procedure)), "success")
    return redirect(url_for("catalogue.edit", procedure_id=procedure.id))


@bp.route("/procedures/<int:procedure_id>/delete", methods=["POST"])
def delete(procedure_id: int):
    """Delete a procedure nothing uses; a used one is refused with the reason."""
    procedure = _procedure_or_404(procedure_id)
    name, specialty_id = local_text(procedure), procedure.specialty_id
    with attempt(flash_as="danger") as done:
        services.delete_procedure(procedure, actor=current_user, now=clock.now())
    if not done.ok:
        return redirect(url_for("catalogue.edit", procedure_id=procedure.id))
    flash(_("%(name)s deleted.", name=name), "success")
    return redirect(url_for("catalogue.index", specialty=specialty_id))


def _procedure_or_404(procedure_id: int) -> Procedure:
    procedure = db.session.get(Procedure, procedure_id)
    if procedure is None:
        abort(404)
    return procedure


def _fill_choices(form: ProcedureForm, groups_by_specialty: list) -> None:
    """Options of the specialty list and the groups (each under its specialty)."""
    form.specialty_id.choices = NOT_CHOSEN + [
        SelectChoice(s.id, local_text(s)) for s in queries.specialties(current_language())
    ]
    form.group_ids.choices = [
        SelectChoice(g.id, local_text(g), optgroup=local_text(specialty))
        for specialty, groups in groups_by_specialty
        for g in groups
    ]


def _form_page(form: ProcedureForm, procedure: Procedure | None, groups_by_specialty: list):
    usage = queries.usage(procedure.id) if procedure is not None else None
    return render_template(
        "catalogue/form.html",
        form=form,
        procedure=procedure,
        usage=usage,
        groups_by_specialty=groups_by_specialty,
        code_systems=CODE_SYSTEMS,
    )
