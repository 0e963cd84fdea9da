"""Pages of the second factor: the code at sign-in, setting up an authenticator app on the
profile, recovery codes, turning it off, and a program's rule that its signers need one."""

import click
from flask import Blueprint, Flask, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required, login_user, user_logged_in

from caselog import access, clock, policies
from caselog.admin.services import find_account
from caselog.auth import sessions
from caselog.formatting import names
from caselog.forms import ActionForm
from caselog.i18n import program_name
from caselog.models import Program, User
from caselog.second_factor import codes, pending, services
from caselog.second_factor.forms import (
    ConfirmForm,
    RenewCodesForm,
    RequireForm,
    SignInCodeForm,
    TurnOffForm,
)
from caselog.security import safe_next
from caselog.unit_of_work import attempt, unit_of_work

bp = Blueprint("second_factor", __name__, cli_group="second-factor")


def _tell_who_must_set_up(_app: Flask, user: User) -> None:
    """A mentor of a program that requires a second factor, who has none, hears it on
    signing in: until they set one up, they cannot sign there."""
    programs = services.programs_waiting_for(user)
    if programs:
        flash(
            _(
                "%(programs)s: signing needs a code from an authenticator app. "
                "Set one up on your profile page; until then you cannot sign there.",
                programs=names(program_name(p) for p in programs),
            ),
            "warning",
        )


bp.record_once(lambda state: user_logged_in.connect(_tell_who_must_set_up, state.app))


# The second step of signing in -----------------------------------------------------------


@bp.route("/login/code", methods=["GET", "POST"])
def sign_in():
    """After the right password, the code from the app (or a recovery code); only then is
    the person signed in."""
    if current_user.is_authenticated:
        return redirect(url_for("cases.home"))
    waiting = pending.current(now=clock.now())
    if waiting is None:
        pending.clear()
        flash(_("Sign in again: the time to enter the code ran out."), "info")
        return redirect(url_for("auth.login"))
    form = SignInCodeForm()
    if form.validate_on_submit():
        with attempt(form) as done:
            services.check_code(waiting.user, form.code.data, services.SIGN_IN, now=clock.now())
        if done.ok:
            pending.clear()
            sessions.start(waiting.user, now=clock.now())
            login_user(waiting.user, remember=waiting.remember)
            return redirect(safe_next(waiting.next, url_for("cases.home")))
    return render_template("second_factor/sign_in.html", form=form)


# Setting up, on the profile -----------------------------------------------------------------


@bp.route("/profile/second-factor")
@login_required
def show():
    """Set up an authenticator app, or see the one in force and turn it off."""
    return _page()


def _page(confirm_form=None, turn_off_form=None, renew_form=None):
    """The second-factor page, with whichever form was just refused."""
    factor = services.factor_of(current_user)
    secret = services.secret_being_set_up(current_user)
    setup = None
    if secret is not None:
        link = codes.uri(secret, current_user.email)
        setup = {"qr": codes.qr_svg(link, _("QR code to scan")), "secret": codes.grouped(secret)}
    return render_template(
        "second_factor/show.html",
        factor=factor if factor is not None and factor.confirmed else None,
        codes_left=services.recovery_codes_left(factor) if factor is not None else 0,
        setup=setup,
        confirm_form=confirm_form or ConfirmForm(formdata=None),
        turn_off_form=turn_off_form or TurnOffForm(formdata=None),
        renew_form=renew_form or RenewCodesForm(formdata=None),
    )


@bp.route("/profile/second-factor/start", methods=["POST"])
@login_required
def start():
    """A new secret to scan (replacing one not yet confirmed)."""
    if ActionForm().validate_on_submit():
        with attempt(flash_as="warning"):
            services.start(current_user, now=clock.now())
    return redirect(url_for("second_factor.show"))


@bp.route("/profile/second-factor/confirm", methods=["POST"])
@login_required
def confirm():
    """The first code from the app puts the factor in force; the recovery codes, once."""
    form = ConfirmForm()
    if form.validate_on_submit():
        recovery: list[str] = []
        with attempt(form) as done:
            recovery = services.confirm(current_user, form.code.data, now=clock.now())
        if done.ok:
            flash(_("Your authenticator app is set up."), "success")
            return render_template("second_factor/recovery_codes.html", codes=recovery)
    return _page(confirm_form=form)


@bp.route("/profile/second-factor/recovery-codes", methods=["POST"])
@login_required
def renew_codes():
    """Ten new recovery codes in place of the old ones, shown once."""
    form = RenewCodesForm()
    if form.validate_on_submit():
        recovery: list[str] = []
        with attempt(form) as done:
            recovery = services.renew_recovery_codes(current_user, form.code.data, now=clock.now())
        if done.ok:
            return render_template("second_factor/recovery_codes.html", codes=recovery)
    return _page(renew_form=form)


@bp.route("/profile/second-factor/off", methods=["POST"])
@login_required
def turn_off():
    """Turn the second factor off, with the password and a code."""
    form = TurnOffForm()
    if form.validate_on_submit():
        with attempt(form) as done:
            services.turn_off(current_user, form.password.data, form.code.data, now=clock.now())
        if done.ok:
            flash(_("Your authenticator app is turned off."), "success")
            return redirect(url_for("second_factor.show"))
    return _page(turn_off_form=form)


# A program's rule ---------------------------------------------------------------------------


@bp.route("/programs/<int:program_id>/second-factor", methods=["POST"])
@login_required
def require(program_id: int):
    """A director (or an admin) requires a second factor of everyone who signs in the
    program, or stops requiring it."""
    program: Program = access.program_or_404(program_id, rule=policies.can_manage_program)
    form = RequireForm()
    if form.validate_on_submit():
        with attempt(flash_as="danger") as done:
            changed = services.require_for_program(
                program, bool(form.required.data), actor=current_user, now=clock.now()
            )
        if done.ok and changed:
            flash(
                _("Signers of this program now need a second factor.")
                if program.requires_second_factor
                else _("Signers of this program no longer need a second factor."),
                "success",
            )
    return redirect(url_for("programs.show", program_id=program.id))


# The command line ---------------------------------------------------------------------------


@bp.cli.command("remove")
@click.argument("email")
@click.option("--reason", required=True, help="Why, for the audit trail.")
def remove_command(email: str, reason: str) -> None:
    """Remove someone's second factor (lost phone and recovery codes), audited."""
    with unit_of_work():
        user = find_account(email)
        if user is None:
            raise click.ClickException(f"No account with the e-mail {email}.")
        removed = services.remove_for_lost_phone(user, reason, now=clock.now())
    click.echo(f"Removed the second factor of {user.email}." if removed else "No second factor.")


# For templates --------------------------------------------------------------------------------


@bp.app_template_global()
def has_second_factor(user: User) -> bool:
    """Whether signing asks this person for a code as well as the password."""
    return bool(user.is_authenticated and services.is_enrolled(user))


@bp.app_template_global()
def second_factor_missing_for(user: User, program: Program) -> bool:
    """The program requires a second factor of its signers, and this person has none."""
    return bool(user.is_authenticated and services.missing_for(user, program))


@bp.app_template_global()
def programs_waiting_for_second_factor(user: User) -> list[Program]:
    """The programs this person cannot sign in until they set up a second factor."""
    if not (user.is_authenticated and policies.is_mentor(user)):
        return []
    return services.programs_waiting_for(user)


@bp.app_template_global()
def program_second_factor_form(program: Program) -> RequireForm:
    """The program page's switch for the rule."""
    return RequireForm(formdata=None, data={"required": program.requires_second_factor})
