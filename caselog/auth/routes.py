"""Sign-in and sign-out."""

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required, login_user, logout_user

from caselog import clock
from caselog.auth.forms import LoginForm
from caselog.auth.services import authenticate
from caselog.second_factor import pending
from caselog.second_factor import services as second_factor
from caselog.security import safe_next
from caselog.unit_of_work import attempt

bp = Blueprint("auth", __name__)


@bp.route("/login", methods=["GET", "POST"])
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
            login_user(user, remember=form.remember.data)
            return redirect(safe_next(form.next.data, default))
    return render_template("auth/login.html", form=form)


@bp.route("/logout", methods=["POST"])
@login_required
def logout():
    logout_user()
    flash(_("You are signed out."), "info")
    return redirect(url_for("auth.login"))
