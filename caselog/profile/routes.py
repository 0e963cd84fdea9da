"""The profile page (language, password, signing out everywhere) and the language switcher
that every page carries."""

from flask import (
    Blueprint,
    Flask,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_babel import force_locale
from flask_babel import gettext as _
from flask_login import current_user, login_required, login_user, logout_user, user_logged_in

from caselog import clock
from caselog.auth import passwords, sessions
from caselog.auth.forms import ChangePasswordForm
from caselog.forms import ActionForm
from caselog.i18n import SESSION_KEY, current_language, languages
from caselog.models import User
from caselog.profile import services
from caselog.profile.forms import LanguageForm, ProfileForm
from caselog.security import safe_next
from caselog.unit_of_work import attempt

bp = Blueprint("profile", __name__)


def _adopt_chosen_language(_app: Flask, user: User) -> None:
    """A person who chose a language before signing in, and has none on their account yet,
    keeps it: it goes on the account, so that their mail and reports speak it too."""
    chosen = session.get(SESSION_KEY)
    if user.locale is None and chosen in languages():
        services.set_language(user, chosen, languages())


bp.record_once(lambda state: user_logged_in.connect(_adopt_chosen_language, state.app))


@bp.route("/language", methods=["POST"])
def choose_language():
    """Speak the chosen language from now on: on the account of a signed-in person, in this
    browser's session for a visitor; then back to the page the choice was made on."""
    form = LanguageForm()
    back = safe_next(form.next.data, url_for("cases.home"))
    if not form.validate_on_submit():
        return redirect(back)
    locale = None
    with attempt(form):
        if current_user.is_authenticated:
            locale = services.set_language(current_user, form.locale.data, languages()).locale
        else:
            locale = services.checked_language(form.locale.data, languages())
    if locale:
        session[SESSION_KEY] = locale  # kept after signing out, too
    return redirect(back)


@bp.route("/profile", methods=["GET", "POST"])
@login_required
def show():
    """The signed-in person's name and e-mail, and the language Caselog speaks to them."""
    form = ProfileForm(data={"locale": current_user.locale or current_language()})
    saved = False
    if form.validate_on_submit():
        with attempt(form) as done:
            services.set_language(current_user, form.locale.data, languages())
        saved = done.ok
    if saved:
        session[SESSION_KEY] = current_user.locale
        with force_locale(current_user.locale):  # said in the language just chosen
            flash(_("Your language is saved."), "success")
        return redirect(url_for("profile.show"))
    return render_template("profile/show.html", form=form)


@bp.route("/profile/password", methods=["GET", "POST"])
@login_required
def password():
    """Change one's own password: every other browser is signed out, this one stays."""
    form = ChangePasswordForm()
    if form.validate_on_submit():
        user: User = current_user._get_current_object()
        remember_cookie = current_app.config.get("REMEMBER_COOKIE_NAME", "remember_token")
        with attempt(form) as done:
            now = clock.now()
            passwords.change_password(
                user, form.current_password.data, form.new_password.data, now=now
            )
            sessions.start(user, now=now)  # this browser, under a new sign-in
        if done.ok:
            login_user(user, remember=remember_cookie in request.cookies)
            flash(_("Your password is changed. Every other device is signed out."), "success")
            return redirect(url_for("profile.show"))
    return render_template("profile/password.html", form=form)


@bp.route("/profile/sign-out-everywhere", methods=["POST"])
@login_required
def sign_out_everywhere():
    """End every sign-in of one's account, on every device, this one included."""
    if not ActionForm().validate_on_submit():
        return redirect(url_for("profile.show"))
    sessions.sign_out_everywhere(current_user, now=clock.now())
    logout_user()
    flash(_("You are signed out on every device."), "info")
    return redirect(url_for("auth.login"))
