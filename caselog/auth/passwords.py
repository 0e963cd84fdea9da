"""Choosing a password: what a new one must be, and a person changing their own.

A new password has at least MIN_PASSWORD_LENGTH characters and is not easy to guess:
zxcvbn (Dropbox's estimator) rates it against the 30,000 most common passwords, common
words and names, keyboard patterns, dates and repeats, and the person's own name and
e-mail; it must reach GUESS_SCORE on its 0-4 scale.
"""

import re
import secrets
from collections.abc import Iterable
from datetime import datetime

from flask_babel import gettext as _
from zxcvbn import zxcvbn

from caselog.audit.services import record
from caselog.auth import sessions
from caselog.auth.services import hash_password, verify_password
from caselog.errors import DomainError
from caselog.extensions import db
from caselog.models import User

MIN_PASSWORD_LENGTH = 10
GUESS_SCORE = 3  # zxcvbn: "safely unguessable", about 10^8 guesses and more
_RATED_LENGTH = 72  # zxcvbn rates at most this many characters; longer ones by their start


def check_new_password(
    password: str, about: Iterable[str] = (), field_name: str = "password"
) -> None:
    """Refuse a password that is too short, or too easy to guess: common, a word or name
    with a few changes, a pattern, or made of `about` (the person's name and e-mail)."""
    if len(password) < MIN_PASSWORD_LENGTH:
        raise DomainError(
            _("A password needs at least %(n)d characters.", n=MIN_PASSWORD_LENGTH), field_name
        )
    words = [part for text in about for part in _words(text)]
    rating = zxcvbn(password[:_RATED_LENGTH], user_inputs=words)
    if int(rating["score"]) < GUESS_SCORE:
        raise DomainError(
            _(
                "This password is too easy to guess: it is a common one, or close to a word, "
                "a name or a pattern. Choose a longer or less usual one, for example a few "
                "unrelated words."
            ),
            field_name,
        )


def _words(text: str) -> list[str]:
    """A name or e-mail address, its parts and its parts run together ("baterdene"), as
    zxcvbn's list of the person's own words."""
    text = text.lower()
    words = [text]
    for whole in (text, text.partition("@")[0]):
        parts = [part for part in re.split(r"[\W_]+", whole) if part]
        words += [*parts, "".join(parts)]
    return [word for word in dict.fromkeys(words) if len(word) > 2]


def unusable_password_hash() -> str:
    """The hash of a random password nobody knows: the account cannot be signed in to until
    its owner sets a password by link (checking it takes as long as any other)."""
    return hash_password(secrets.token_urlsafe(32))


def set_password(user: User, password: str, *, field_name: str = "password") -> int:
    """The owner gives their account a new password (checked): any duty to change it is
    met, and every sign-in of the account ends. Returns how many ended."""
    check_new_password(password, about=(user.full_name, user.email), field_name=field_name)
    user.password_hash = hash_password(password)
    user.must_change_password = False
    ended = sessions.end_all(user)
    db.session.flush()
    return ended


def change_password(user: User, current: str, new: str, *, now: datetime) -> int:
    """A person changes their own password, giving the current one: every sign-in of the
    account ends (the caller signs this browser in again). Returns how many ended."""
    if not verify_password(user, current):
        raise DomainError(_("Your current password is not right."), "current_password")
    if new == current:
        raise DomainError(
            _("Choose a new password, different from the current one."), "new_password"
        )
    ended = set_password(user, new, field_name="new_password")
    record(
        "user", user.id, "password_changed", after={"sign_ins_ended": ended}, actor=user, now=now
    )
    return ended
