"""Pages for logging, listing, viewing and editing cases."""

from datetime import date, datetime
from zoneinfo import ZoneInfo

from flask import Blueprint, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from wtforms.fields.choices import SelectChoice

from caselog import access, clock, policies
from caselog.bounds import page_number
from caselog.cases import queries, services
from caselog.cases.forms import NOT_CHOSEN, AmendForm, CaseFilterForm, CaseForm, procedure_choice
from caselog.cases.history import case_history
from caselog.extensions import db
from caselog.folding import sort_key
from caselog.i18n import current_language, local_text, program_name
from caselog.models import CaseStatus
from caselog.unit_of_work import attempt

bp = Blueprint("cases", __name__)


@bp.app_template_filter()
def local_date(moment: datetime | None, time_zone: str = "UTC") -> date | None:
    """The calendar day of a UTC timestamp at a site (for lists; pipe it into `date`)."""
    return moment.astimezone(ZoneInfo(time_zone)).date() if moment else None


@bp.route("/")
@login_required
def home():
    """Send each person where their work is."""
    if policies.is_trainee(current_user):
        return redirect(url_for("progress.dashboard"))
    if policies.is_director(current_user):
        return redirect(url_for("programs.index"))
    if policies.is_admin(current_user):
        return redirect(url_for("admin.index"))
    if policies.is_mentor(current_user):
        return redirect(url_for("signoff.queue"))
    return render_template("home.html")


@bp.route("/cases")
@login_required
def index():
    """The trainee's own cases, filtered and paged."""
    form = CaseFilterForm(request.args)
    programs = queries.trainee_programs(current_user)
    form.program.choices = [SelectChoice("", _("All programs"))] + [
        SelectChoice(p.id, program_name(p)) for p in programs
    ]
    filters = queries.CaseFilters()
    if form.validate():
        filters = queries.CaseFilters(
            status=CaseStatus(form.status.data) if form.status.data else None,
            program_id=form.program.data,
            date_from=form.date_from.data,
            date_to=form.date_to.data,
            text=form.q.data or "",
        )
    page = db.paginate(
        queries.trainee_cases(current_user, filters),
        page=page_number(),
        per_page=current_app.config["CASES_PER_PAGE"],
        error_out=False,
    )
    return render_template(
        "cases/index.html", form=form, page=page, can_log=policies.is_trainee(current_user)
    )


@bp.route("/cases/new", methods=["GET", "POST"])
@login_required
def new():
    """Log a case. Defaults save taps: today, and the site and supervisor of the last case."""
    access.require(policies.is_trainee(current_user))
    options = queries.case_form_options(current_user)
    defaults = services.new_case_defaults(options, queries.last_case(current_user), now=clock.now())
    form = CaseForm(data=defaults if request.method == "GET" else None)
    _fill_choices(form, options)
    saved = _save(
        form,
        lambda data, submit: services.log_case(current_user, data, submit, now=clock.now()),
        _("Draft saved."),
    )
    return saved or render_template("cases/form.html", form=form, case=None)


@bp.route("/cases/<int:case_id>")
@login_required
def show(case_id: int):
    case = access.case_or_404(case_id)
    return render_template("cases/show.html", case=case)


@bp.route("/cases/<int:case_id>/history")
@login_required
def history(case_id: int):
    """Every version of the case, its signatures, and who did what to it, when and why."""
    case = access.case_or_404(case_id)
    return render_template("cases/history.html", case=case, history=case_history(case))


@bp.route("/cases/<int:case_id>/edit", methods=["GET", "POST"])
@login_required
def edit(case_id: int):
    """Change a draft, returned or withdrawn case; or amend an approved one (a new version)."""
    case = access.case_or_404(case_id)
    amending = policies.can_amend(current_user, case)
    if not amending and not policies.can_edit_case(current_user, case):
        flash(_("This case can no longer be changed."), "warning")
        return redirect(url_for("cases.show", case_id=case.id))
    form = (AmendForm if amending else CaseForm)(obj=case if request.method == "GET" else None)
    if request.method == "GET":
        form.additional_procedure_ids.data = [p.id for p in case.additional_procedures]
    _fill_choices(form, queries.case_form_options(current_user), keep=case)
    reason = form.reason.data or "" if amending else ""
    saved = _save(
        form,
        lambda data, submit: services.update_case(
            case, current_user, data, submit, reason=reason, now=clock.now()
        ),
        _("New version saved. It needs signing again: submit it when it is ready.")
        if amending
        else _("Changes saved."),
    )
    return saved or render_template("cases/form.html", form=form, case=case, amending=amending)


def _save(form: CaseForm, save, saved_message: str):
    """On a valid post: run the service and redirect to the case (post/redirect/get).

    Returns None when the form is to be shown again, with a refused rule on its field.
    """
    if not form.validate_on_submit():
        return None
    submit = "submit" in request.form
    with attempt(form) as done:
        case = save(form.to_input(), submit)
    if not done.ok:
        return None
    flash(_("Case submitted for sign-off.") if submit else saved_message, "success")
    return redirect(url_for("cases.show", case_id=case.id, saved=1))


@bp.route("/cases/<int:case_id>/submit", methods=["POST"])
@login_required
def submit(case_id: int):
    """Submit a saved draft from its page."""
    case = access.case_or_404(case_id)
    with attempt() as done:
        services.submit_case(case, current_user, now=clock.now())
    if done.ok:
        flash(_("Case submitted for sign-off."), "success")
    return redirect(url_for("cases.show", case_id=case.id))


@bp.route("/cases/<int:case_id>/withdraw", methods=["POST"])
@login_required
def withdraw(case_id: int):
    """Take back a case awaiting sign-off, to change it or leave it unsigned."""
    case = access.case_or_404(case_id)
    with attempt() as done:
        services.withdraw_case(case, current_user, now=clock.now())
    if done.ok:
        flash(_("Case withdrawn. Change it and submit it again when it is ready."), "success")
    return redirect(url_for("cases.show", case_id=case.id))


def _fill_choices(form: CaseForm, options: queries.CaseFormOptions, keep=None) -> None:
    """Options for the form's lists: only the trainee's sites, mentors, programs."""
    form.site_id.choices = NOT_CHOSEN + [
        SelectChoice(s.id, f"{s.name}, {s.city}") for s in options.sites
    ]
    form.supervisor_id.choices = NOT_CHOSEN + [
        SelectChoice(u.id, u.full_name) for u in options.supervisors
    ]
    form.program_id.choices = [SelectChoice("", _("From the date"))] + [
        SelectChoice(p.id, program_name(p)) for p in options.programs
    ]
    kept = set()
    if keep is not None:  # a retired procedure stays selectable on the case that has it
        kept = {keep.primary_procedure, *keep.additional_procedures}
    locale = current_language()
    catalogue = []
    for specialty, procedures in options.catalogue:
        group = local_text(specialty)
        offered = set(procedures) | {p for p in kept if p.specialty_id == specialty.id}
        catalogue += sorted(
            (procedure_choice(p, group, locale) for p in offered),
            key=lambda choice: sort_key(choice.render_kw["data-name"]),
        )
    form.primary_procedure_id.choices = NOT_CHOSEN + catalogue
    form.additional_procedure_ids.choices = catalogue
