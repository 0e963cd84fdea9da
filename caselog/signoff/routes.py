"""Pages for mentors: the sign-off queue."""

from flask import Blueprint, render_template
from flask_login import current_user, login_required

from caselog import policies
from caselog.signoff import queries

bp = Blueprint("signoff", __name__)


@bp.route("/awaiting")
@login_required
def queue():
    """Submitted cases awaiting the mentor, oldest first."""
    policies.require(policies.is_mentor(current_user))
    waiting = queries.awaiting_sign_off(current_user)
    return render_template("signoff/queue.html", waiting=waiting)
