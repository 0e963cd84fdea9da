"""Between the password and the code: a short-lived note in the session saying whose
password was right. Nobody is signed in until the code is right too."""

from dataclasses import dataclass
from datetime import datetime, timedelta

from flask import session

from caselog.extensions import db
from caselog.models import User

SESSION_KEY = "second_factor_pending"
LIFETIME = timedelta(minutes=5)


@dataclass
class Pending:
    """Who gave the right password, whether to remember them, and where they were going."""

    user: User
    remember: bool
    next: str


def begin(user: User, remember: bool, next_page: str, *, now: datetime) -> None:
    """Note that this user's password was right; the code is asked for next."""
    session[SESSION_KEY] = {
        "user": user.id,
        "until": (now + LIFETIME).timestamp(),
        "remember": bool(remember),
        "next": next_page or "",
    }


def current(*, now: datetime) -> Pending | None:
    """The sign-in waiting for its code, if it has not run out and the account is active."""
    note = session.get(SESSION_KEY)
    if not isinstance(note, dict) or now.timestamp() > float(note.get("until", 0)):
        return None
    user = db.session.get(User, int(note.get("user", 0)))
    if user is None or not user.active:
        return None
    return Pending(user, bool(note.get("remember")), str(note.get("next", "")))


def clear() -> None:
    session.pop(SESSION_KEY, None)
