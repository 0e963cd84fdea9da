"""Passwords (argon2) and sign-in with throttling (sign-ins themselves: sessions.py)."""

from datetime import datetime
from functools import cache

from argon2 import PasswordHasher, profiles
from argon2.exceptions import InvalidHashError, VerificationError
from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import func, select

from caselog.errors import DomainError
from caselog.extensions import db
from caselog.models import LoginFailure, User
from caselog.unit_of_work import kept_despite_refusal


@cache
def _hasher(profile: str) -> tuple[PasswordHasher, str]:
    """The argon2 hasher for a named profile of argon2.profiles, and a dummy hash made by it.

    The dummy is verified when the e-mail is unknown, so both paths take the same time.
    """
    hasher = PasswordHasher.from_parameters(getattr(profiles, profile))
    return hasher, hasher.hash("caselog-timing-equaliser")


def _configured_hasher() -> tuple[PasswordHasher, str]:
    return _hasher(current_app.config["PASSWORD_HASH_PROFILE"])


def hash_password(password: str) -> str:
    return _configured_hasher()[0].hash(password)


def verify_password(user: User | None, password: str) -> bool:
    """Check a password in constant-ish time, rehashing if the parameters have changed."""
    hasher, dummy = _configured_hasher()
    try:
        hasher.verify(user.password_hash if user else dummy, password)
    except (VerificationError, InvalidHashError):
        return False
    if user is None:
        return False
    if hasher.check_needs_rehash(user.password_hash):
        user.password_hash = hasher.hash(password)
    return True


def normalise_email(email: str) -> str:
    return email.strip().lower()


def authenticate(email: str, password: str, address: str, *, now: datetime) -> User:
    """Return the active user with these credentials, or raise DomainError.

    Refuses, before checking the password, once an account or an address has had too
    many failures in the window, so guessing is throttled per account and per address.
    """
    email = normalise_email(email)
    refuse_if_throttled(email, address, now)
    user = db.session.scalar(select(User).where(User.email == email))
    if not verify_password(user, password) or user is None or not user.active:
        with kept_despite_refusal():
            db.session.add(LoginFailure(email=email, address=address[:64], at=now))
        raise DomainError(_("The e-mail address or password is not right."), "password")
    db.session.execute(db.delete(LoginFailure).where(LoginFailure.email == email))
    return user


def refuse_if_throttled(email: str, address: str, now: datetime) -> None:
    """Refuse while the account or the address has had too many failures in the window."""
    config = current_app.config
    since = now - config["LOGIN_WINDOW"]
    recent = select(func.count()).select_from(LoginFailure).where(LoginFailure.at >= since)
    by_account = db.session.scalar(recent.where(LoginFailure.email == email))
    by_address = db.session.scalar(recent.where(LoginFailure.address == address))
    if (
        by_account >= config["LOGIN_MAX_FAILURES_PER_ACCOUNT"]
        or by_address >= config["LOGIN_MAX_FAILURES_PER_ADDRESS"]
    ):
        minutes = int(config["LOGIN_WINDOW"].total_seconds() // 60)
        raise DomainError(
            _("Too many failed attempts. Wait %(minutes)d minutes and try again.", minutes=minutes),
            "password",
        )
