"""Sign-ins that end: each signed-in browser has a row (`SignIn`) whose token its cookies
carry, inside Flask-Login's id (`User.get_id`). The user loader accepts a cookie only while
its row exists, so deleting rows ends sessions and remember cookies at once: one row at
sign-out, all of an account's rows when its password changes or is reset, when it is
deactivated, or when its owner signs out everywhere.
"""

import hashlib
import secrets
from datetime import datetime, timedelta

from flask import current_app
from sqlalchemy import delete, select

from caselog.audit.services import record
from caselog.extensions import db
from caselog.models import SignIn, User


def token_hash(token: str) -> str:
    """The SHA-256 of a token, as kept in the database (the token itself never is)."""
    return hashlib.sha256(token.encode()).hexdigest()


def lifetime() -> timedelta:
    """How long a sign-in lasts at most, used or not: as long as the remember cookie."""
    duration: timedelta = current_app.config["REMEMBER_COOKIE_DURATION"]
    return duration


def start(user: User, *, now: datetime) -> User:
    """Open a sign-in for this account and bind its token to the object, so that
    `login_user(user)` writes it into the session (and the remember cookie).

    The account's sign-ins that have outlived `lifetime()` are cleared on the way."""
    db.session.execute(
        delete(SignIn).where(SignIn.user_id == user.id, SignIn.started_at <= now - lifetime())
    )
    token = secrets.token_urlsafe(32)
    db.session.add(SignIn(user_id=user.id, token_hash=token_hash(token), started_at=now))
    db.session.flush()
    user.sign_in_token = token
    return user


def load(flask_login_id: str, *, now: datetime) -> User | None:
    """The active account whose sign-in this id (from a session or remember cookie) names,
    if that sign-in has not ended; else None, and Flask-Login treats the visitor as signed out.

    Read afresh on every request, so a change of name, admin rights or roles shows at once."""
    account_id, _, token = flask_login_id.partition(":")
    if not account_id.isdigit() or not token:
        return None
    user = db.session.scalar(
        select(User)
        .join(SignIn, SignIn.user_id == User.id)
        .where(
            User.id == int(account_id),
            User.active,
            SignIn.token_hash == token_hash(token),
            SignIn.started_at > now - lifetime(),
        )
    )
    if user is not None:
        user.sign_in_token = token
    return user


def end(user: User) -> None:
    """End the sign-in this account object was loaded under (signing out of one browser)."""
    if user.sign_in_token:
        db.session.execute(
            delete(SignIn).where(SignIn.token_hash == token_hash(user.sign_in_token))
        )
        user.sign_in_token = None


def end_all(user: User) -> int:
    """End every sign-in of the account, on every browser; returns how many there were."""
    ended = db.session.scalars(
        delete(SignIn).where(SignIn.user_id == user.id).returning(SignIn.id)
    ).all()
    user.sign_in_token = None
    return len(ended)


def sign_out_everywhere(user: User, *, now: datetime) -> int:
    """The owner ends every sign-in of their account, this one included (a device lost or
    shared, a password seen): noted in the audit trail. Returns how many ended."""
    ended = end_all(user)
    record(
        "user",
        user.id,
        "signed_out_everywhere",
        after={"sign_ins_ended": ended},
        actor=user,
        now=now,
    )
    return ended
