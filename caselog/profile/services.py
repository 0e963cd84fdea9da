"""The rules of choosing a language: one Caselog speaks, remembered on the account."""

from flask_babel import gettext as _

from caselog.errors import DomainError
from caselog.extensions import db
from caselog.models import User


def checked_language(locale: str, languages: list[str]) -> str:
    """The language asked for, if this installation speaks it; else a DomainError."""
    if locale not in languages:
        raise DomainError(_("Choose one of the languages on offer."), "locale")
    return locale


def set_language(user: User, locale: str, languages: list[str]) -> User:
    """Remember on the account the language a person reads Caselog in, so that every page,
    report and mail to them uses it, on any device."""
    user.locale = checked_language(locale, languages)
    db.session.flush()
    return user
