"""Admin pages: sites, programs, accounts, the audit trail, and the way to the catalogue."""

from collections.abc import Sequence

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from werkzeug.routing import BuildError
from wtforms.fields.choices import SelectChoice

from caselog import access, clock, policies
from caselog.admin import queries, services, trail
from caselog.admin.forms import (
    AccountEditForm,
    AccountForm,
    AccountSearchForm,
    AuditFilterForm,
    ProgramForm,
    SiteForm,
)
from caselog.audit.services import verify_chain
from caselog.bounds import page_number
from caselog.extensions import db
from caselog.forms import ActionForm
from caselog.i18n import N_, local_text
from caselog.models import Program, ProgramKind, Site, User
from caselog.notices import flash_link_mailed, flash_notice
from caselog.unit_of_work import attempt

bp = Blueprint("admin", __name__, url_prefix="/admin")

ACCOUNTS_PER_PAGE = 25
AUDIT_EVENTS_PER_PAGE = 50


# Every page here is for admins: others sign in first, then get 403.
bp.before_request(access.blueprint_guard(policies.is_admin))


@bp.route("/")
@login_required
def index():
    """Landing page: how much there is of each thing, and where to manage it."""
    try:
        catalogue_url = url_for("catalogue.index")
    except BuildError:  # the catalogue pages are another feature's; link once they exist
        catalogue_url = None
    return render_template("admin/index.html", counts=queries.counts(), catalogue_url=catalogue_url)


# Sites ---------------------------------------------------------------------------------


@bp.route("/sites")
@login_required
def sites():
    """Every hospital."""
    return render_template(
        "admin/sites.html", sites=queries.sites(), countries=services.country_names()
    )


@bp.route("/sites/new", methods=["GET", "POST"])
@login_required
def new_site():
    """Add a hospital."""
    form = SiteForm()
    if form.validate_on_submit():
        with attempt(form) as done:
            site = services.create_site(form.to_input(), actor=current_user, now=clock.now())
        if done.ok:
            flash(_("Site %(name)s added.", name=site.name), "success")
            return redirect(url_for("admin.sites"))
    return _site_page(form, None)


@bp.route("/sites/<int:site_id>/edit", methods=["GET", "POST"])
@login_required
def edit_site(site_id: int):
    """Change a hospital's details."""
    site = db.get_or_404(Site, site_id)
    form = SiteForm(obj=site)
    if form.validate_on_submit():
        with attempt(form) as done:
            services.update_site(site, form.to_input(), actor=current_user, now=clock.now())
        if done.ok:
            flash(_("Site %(name)s saved.", name=site.name), "success")
            return redirect(url_for("admin.sites"))
    return _site_page(form, site)


def _site_page(form: SiteForm, site: Site | None):
    return render_template(
        "admin/site_form.html",
        form=form,
        site=site,
        countries=services.country_names(),
        time_zones=services.time_zones(),
    )


# Programs ------------------------------------------------------------------------------


@bp.route("/programs")
@login_required
def programs():
    """Every program with its sites and directors."""
    return render_template("admin/programs.html", programs=queries.programs())


@bp.route("/programs/new", methods=["GET", "POST"])
@login_required
def new_program():
    """Add a training program."""
    form = ProgramForm(
        data={
            "kind": ProgramKind.FELLOWSHIP.value,
            "reminder_max_waiting": services.ProgramInput.reminder_max_waiting,
            "reminder_max_days": services.ProgramInput.reminder_max_days,
        }
    )
    _fill_program_choices(form)
    if form.validate_on_submit():
        with attempt(form) as done:
            program = services.create_program(form.to_input(), actor=current_user, now=clock.now())
        if done.ok:
            flash(_("Program %(name)s added.", name=program.name), "success")
            return redirect(url_for("admin.programs"))
    return render_template("admin/program_form.html", form=form, program=None)


@bp.route("/programs/<int:program_id>/edit", methods=["GET", "POST"])
@login_required
def edit_program(program_id: int):
    """Change a program's details, sites and directors."""
    program = db.get_or_404(Program, program_id)
    form = ProgramForm(obj=program)
    if request.method == "GET":
        form.kind.data = program.kind.value
        form.site_ids.data = [s.id for s in program.sites]
        form.director_ids.data = [d.id for d in program.directors]
    _fill_program_choices(form, keep_ids=[d.id for d in program.directors])
    if form.validate_on_submit():
        with attempt(form) as done:
            services.update_program(program, form.to_input(), actor=current_user, now=clock.now())
        if done.ok:
            flash(_("Program %(name)s saved.", name=program.name), "success")
            return redirect(url_for("admin.programs"))
    return render_template("admin/program_form.html", form=form, program=program)


def _fill_program_choices(form: ProgramForm, keep_ids: Sequence[int] = ()) -> None:
    form.specialty_id.choices = [SelectChoice("", "—")] + [
        SelectChoice(s.id, local_text(s)) for s in queries.specialties()
    ]
    form.site_ids.choices = [SelectChoice(s.id, f"{s.name}, {s.city}") for s in queries.sites()]
    form.director_ids.choices = [
        SelectChoice(u.id, f"{u.full_name} ({u.email})")
        for u in queries.accounts_for_picking(keep_ids)
    ]


# Accounts ------------------------------------------------------------------------------


@bp.route("/accounts")
@login_required
def accounts():
    """Accounts, searched by name or e-mail, a page at a time, with each person's roles."""
    form = AccountSearchForm(request.args)
    search = form.q.data if form.validate() else ""
    page = db.paginate(
        queries.accounts(search or ""),
        page=page_number(),
        per_page=ACCOUNTS_PER_PAGE,
        error_out=False,
    )
    roles = queries.roles_of([user.id for user in page.items])
    return render_template("admin/accounts.html", form=form, page=page, roles=roles)


@bp.route("/accounts/new", methods=["GET", "POST"])
@login_required
def new_account():
    """Open an account: its owner is mailed a link to set a password, unless one is typed
    here (which they must then change when they first sign in)."""
    form = AccountForm()
    if form.validate_on_submit():
        with attempt(form) as done:
            account = services.create_account(
                form.full_name.data,
                form.email.data,
                form.password.data or None,
                is_admin=bool(form.is_admin.data),
                actor=current_user,
                now=clock.now(),
            )
        if done.ok:
            flash_notice(N_("Account for %(name)s opened."), "success", name=account)
            if not form.password.data:
                flash_link_mailed(account)
            return redirect(url_for("admin.edit_account", user_id=account.id))
    return render_template("admin/account_new.html", form=form)


@bp.route("/accounts/<int:user_id>", methods=["GET", "POST"])
@login_required
def edit_account(user_id: int):
    """An account: change name, e-mail and admin rights; deactivate; reset the password."""
    account = db.get_or_404(User, user_id)
    form = AccountEditForm(obj=account)
    if form.validate_on_submit():
        with attempt(form) as done:
            services.update_account(
                current_user,
                account,
                form.full_name.data,
                form.email.data,
                bool(form.is_admin.data),
                now=clock.now(),
            )
        if done.ok:
            flash(_("Account saved."), "success")
            return redirect(url_for("admin.edit_account", user_id=account.id))
    roles = queries.roles_of([account.id])[account.id]
    return render_template(
        "admin/account_edit.html", form=form, account=account, roles=roles, action=ActionForm()
    )


@bp.route("/accounts/<int:user_id>/deactivate", methods=["POST"])
@login_required
def deactivate_account(user_id: int):
    """Switch an account off: it can no longer sign in."""
    return _set_active(user_id, False)


@bp.route("/accounts/<int:user_id>/reactivate", methods=["POST"])
@login_required
def reactivate_account(user_id: int):
    """Switch an account on again."""
    return _set_active(user_id, True)


def _set_active(user_id: int, active: bool):
    account = db.get_or_404(User, user_id)
    if ActionForm().validate_on_submit():
        with attempt(flash_as="danger") as done:
            services.set_active(current_user, account, active, now=clock.now())
        if done.ok:
            flash_notice(
                N_("%(name)s can sign in again.")
                if active
                else N_("%(name)s can no longer sign in."),
                "success",
                name=account,
            )
    return redirect(url_for("admin.edit_account", user_id=account.id))


@bp.route("/accounts/<int:user_id>/password", methods=["POST"])
@login_required
def reset_password(user_id: int):
    """End the account's password and sign-ins, and mail its owner a link to set a new one."""
    account = db.get_or_404(User, user_id)
    if ActionForm().validate_on_submit():
        with attempt(flash_as="danger") as done:
            services.reset_password(account, actor=current_user, now=clock.now())
        if done.ok:
            flash(
                _(
                    "%(name)s is signed out everywhere and their password no longer works.",
                    name=account.full_name,
                ),
                "success",
            )
            flash_link_mailed(account)
    return redirect(url_for("admin.edit_account", user_id=account.id))


# The audit trail -----------------------------------------------------------------------


@bp.route("/audit")
@login_required
def audit():
    """Audit events, newest first, a page at a time, filtered by what they are about."""
    form = AuditFilterForm(request.args)
    form.entity.choices = [SelectChoice("", _("Everything"))] + [
        SelectChoice(entity, trail.entity_label(entity)) for entity in queries.audit_entities()
    ]
    entity, entity_id = "", None
    if form.validate():
        entity, entity_id = form.entity.data or "", form.entity_id.data
    page = db.paginate(
        queries.audit_events(entity, entity_id),
        page=page_number(),
        per_page=AUDIT_EVENTS_PER_PAGE,
        error_out=False,
    )
    return render_template(
        "admin/audit.html",
        form=form,
        page=page,
        entries=trail.entries(page.items),
        filtered=bool(entity or entity_id is not None),
    )


@bp.route("/audit/verify", methods=["POST"])
@login_required
def audit_verify():
    """Walk the whole chain of hashes, hold it to the checkpoints, and say whether it holds,
    or where it breaks."""
    if ActionForm().validate_on_submit():
        report = verify_chain()  # held to the checkpoints kept outside the database
        flash(report.summary(), "success" if report.holds else "danger")
    return redirect(url_for("admin.audit"))
