"""Passwords (argon2) and sign-in (throttled: caselog/auth/throttling.py; sign-ins
themselves, which can be ended: sessions.py)."""

from datetime import datetime
from functools import cache

from argon2 import PasswordHasher, profiles
from argon2.exceptions import InvalidHashError, VerificationError
from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import select

from caselog.auth import throttling
from caselog.errors import DomainError
from caselog.extensions import db
from caselog.models import User
from caselog.unit_of_work import kept_despite_refusal, outside_transaction


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
    right, rehashed = _check(user.password_hash if user else None, password)
    if user is not None and rehashed:
        user.password_hash = rehashed
    return right


def normalise_email(email: str) -> str:
    return email.strip().lower()


def authenticate(email: str, password: str, address: str, *, now: datetime) -> User:
    """Return the active user with these credentials, or raise DomainError.

    Throttled per account and address pair and per address (caselog/auth/throttling.py):
    while this address must wait, TooManyAttempts, without checking the password.
    """
    email = normalise_email(email)
    user = checked_password(email, password, address, now=now)
    if user is None:
        with kept_despite_refusal():
            throttling.record_failure(email, address, now=now)
        raise DomainError(_("The e-mail address or password is not right."), "password")
    return user


def checked_password(email: str, password: str, address: str, *, now: datetime) -> User | None:
    """The active user with this e-mail if the password is right, else None (the caller
    keeps the failure with `throttling.record_failure`); TooManyAttempts while this address
    must wait for this account.

    The hash runs with no transaction open, after the reads and before the writes, so on
    SQLite no lock is held while it runs (the view is marked `reads_first`).
    """
    throttling.refuse_if_throttled(email, address, now=now)
    user = db.session.scalar(select(User).where(User.email == email))
    stored = user.password_hash if user is not None and user.active else None
    with outside_transaction():
        right, rehashed = _check(stored, password)
    if user is None or not right:
        return None
    throttling.admit(email, address, now=now)
    if rehashed:
        user.password_hash = rehashed
    return user


def _check(stored: str | None, password: str) -> tuple[bool, str | None]:
    """Whether the password matches the stored hash (a dummy one when there is none, so
    both take the same time), and its new hash if the parameters have changed."""
    hasher, dummy = _configured_hasher()
    try:
        hasher.verify(stored or dummy, password)
    except (VerificationError, InvalidHashError):
        return False, None
    if stored is None:
        return False, None
    return True, hasher.hash(password) if hasher.check_needs_rehash(stored) else None
