"""One-time links by which people set their own password: mailed when an account is opened
without a password, and when an admin resets one. Nobody else ever sees the password.

The link's token is random and kept only as a hash; the link works once, until it expires
(PASSWORD_LINK_LIFETIME), and a newer link for the same account replaces it.
"""

import secrets
import smtplib
from datetime import datetime, timedelta

from flask import current_app, render_template
from flask_babel import force_locale
from flask_babel import gettext as _
from sqlalchemy import select, update

from caselog import mail
from caselog.audit.services import record
from caselog.auth.passwords import set_password
from caselog.auth.sessions import token_hash
from caselog.errors import DomainError
from caselog.extensions import db
from caselog.i18n import user_locale
from caselog.models import LinkPurpose, PasswordLink, User

PATH = "/password/"  # the page of auth.set_password, followed by the token


def send(
    user: User, purpose: LinkPurpose, *, actor: User | None = None, now: datetime
) -> PasswordLink:
    """Mail the account's owner a new link to set their password, in their language, and
    note it in the audit trail. Earlier links of the account stop working."""
    db.session.execute(
        update(PasswordLink)
        .where(PasswordLink.user_id == user.id, PasswordLink.used_at.is_(None))
        .values(expires_at=now)
    )
    token = secrets.token_urlsafe(32)
    lifetime: timedelta = current_app.config["PASSWORD_LINK_LIFETIME"]
    link = PasswordLink(
        user_id=user.id,
        token_hash=token_hash(token),
        purpose=purpose,
        created_at=now,
        expires_at=now + lifetime,
    )
    db.session.add(link)
    db.session.flush()
    record(
        "user",
        user.id,
        "password_link_sent",
        after={"purpose": purpose.value, "expires_at": link.expires_at.isoformat()},
        actor=actor,
        now=now,
    )
    _mail(user, purpose, token, hours=int(lifetime.total_seconds() // 3600))
    return link


def _mail(user: User, purpose: LinkPurpose, token: str, hours: int) -> None:
    """The mail with the link; a mail that cannot go is a refusal, so nothing is kept."""
    with force_locale(user_locale(user)):
        subject = (
            _("Your Caselog password was reset")
            if purpose is LinkPurpose.RESET
            else _("Your Caselog account")
        )
        body = render_template(
            "mail/password_link.txt",
            user=user,
            reset=purpose is LinkPurpose.RESET,
            hours=hours,
            link_url=current_app.config["BASE_URL"].rstrip("/") + PATH + token,
        )
        cannot_send = _(
            "The mail to %(email)s could not be sent. Check the mail settings, or try again later.",
            email=user.email,
        )
    try:
        mail.message(user.email, subject, body).send()
    except (OSError, smtplib.SMTPException):
        raise DomainError(cannot_send) from None


def usable(token: str, *, now: datetime) -> PasswordLink | None:
    """The link this token opens, if it is unused and unexpired and its account active."""
    link = db.session.scalar(
        select(PasswordLink).where(PasswordLink.token_hash == token_hash(token))
    )
    if link is None or link.used_at is not None or link.expires_at <= now:
        return None
    return link if link.user.active else None


def use(token: str, password: str, *, now: datetime) -> User:
    """Set the account's password through its link, which then stops working; every sign-in
    of the account ends (it may have been someone else's)."""
    link = usable(token, now=now)
    if link is None:
        raise DomainError(expired_message())
    user = link.user
    ended = set_password(user, password, field_name="new_password")
    link.used_at = now
    record(
        "user",
        user.id,
        "password_set_by_link",
        after={"purpose": link.purpose.value, "sign_ins_ended": ended},
        actor=user,
        now=now,
    )
    db.session.flush()
    return user


def expired_message() -> str:
    """What an unknown, used or expired link says."""
    return _(
        "This link has expired or has already been used. Ask an administrator to send you "
        "a new one."
    )
