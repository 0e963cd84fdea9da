"""Sign-in and sign-out, the page of a mailed password link, and the rule that a password
someone else chose is changed before anything else."""

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required, login_user, logout_user

from caselog import clock
from caselog.auth import links, sessions
from caselog.auth.forms import LoginForm, SetPasswordForm
from caselog.auth.services import authenticate
from caselog.extensions import reads_first
from caselog.models import User
from caselog.second_factor import pending
from caselog.second_factor import services as second_factor
from caselog.security import safe_next
from caselog.unit_of_work import attempt

bp = Blueprint("auth", __name__)

# What a person whose password someone else chose may still open before changing it.
OPEN_BEFORE_PASSWORD_CHANGE = {
    "static",
    "bootstrap.static",
    "profile.password",
    "profile.choose_language",
    "auth.logout",
    "auth.set_password",
}


def load_user(flask_login_id: str) -> User | None:
    """Flask-Login's user loader: the account whose sign-in a cookie names, while it lasts."""
    return sessions.load(flask_login_id, now=clock.now())


@bp.before_app_request
def require_own_password():
    """Until its owner changes a password an admin or director typed, every page leads to
    the change-password page."""
    if request.endpoint in OPEN_BEFORE_PASSWORD_CHANGE:
        return None
    if current_user.is_authenticated and current_user.must_change_password:
        return redirect(url_for("profile.password"))
    return None


@bp.route("/login", methods=["GET", "POST"])
@reads_first
def login():
    default = url_for("cases.home")
    if current_user.is_authenticated:
        return redirect(safe_next(request.args.get("next"), default))
    form = LoginForm(next=request.args.get("next", ""))
    if form.validate_on_submit():
        with attempt(form) as done:
            user = authenticate(
                form.email.data, form.password.data, request.remote_addr or "", now=clock.now()
            )
        if done.ok and second_factor.is_enrolled(user):  # not signed in before the code
            pending.begin(user, form.remember.data, form.next.data, now=clock.now())
            return redirect(url_for("second_factor.sign_in"))
        if done.ok:
            sessions.start(user, now=clock.now())
            login_user(user, remember=form.remember.data)
            return redirect(safe_next(form.next.data, default))
        return done.answer(render_template("auth/login.html", form=form))
    return render_template("auth/login.html", form=form)


@bp.route("/logout", methods=["POST"])
@login_required
def logout():
    """Sign out of this browser: its sign-in ends, so its session and remember cookies stop
    working wherever a copy of them turns up."""
    sessions.end(current_user)
    logout_user()
    flash(_("You are signed out."), "info")
    return redirect(url_for("auth.login"))


@bp.route("/password/<token>", methods=["GET", "POST"])
def set_password(token: str):
    """A mailed one-time link: the account's owner sets their password, then signs in."""
    now = clock.now()
    link = links.usable(token, now=now)
    if link is None:
        page = render_template("auth/set_password.html", link=None, refused=links.expired_message())
        return _no_store(page, 404)
    form = SetPasswordForm()
    if form.validate_on_submit():
        with attempt(form) as done:
            user = links.use(token, form.new_password.data, now=now)
        if done.ok:
            if current_user.is_authenticated and current_user == user:
                logout_user()  # its sign-in has ended with the others
            flash(_("Your password is set. Sign in with it now."), "success")
            return redirect(url_for("auth.login"))
    return _no_store(render_template("auth/set_password.html", link=link, form=form))


def _no_store(page: str, status: int = 200):
    """A page whose address holds a secret token: never kept in a cache."""
    return page, status, {"Cache-Control": "no-store"}
