"""People: accounts, their sign-ins and password links, and the record of failed sign-ins
used for throttling."""

import enum
from datetime import datetime

from flask_login import UserMixin
from sqlalchemy import ForeignKey, String, false
from sqlalchemy.orm import Mapped, mapped_column, relationship

from caselog.extensions import Model
from caselog.models.types import UTCDateTime, enum_column, utcnow


class User(UserMixin, Model):
    """A person with one account; roles come from enrolments, appointments and directorships."""

    # Lets the plain attribute below sit beside the mapped columns without being one.
    __allow_unmapped__ = True

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(254), unique=True)
    full_name: Mapped[str] = mapped_column(String(200))
    password_hash: Mapped[str] = mapped_column(String(200))
    is_admin: Mapped[bool] = mapped_column(default=False)
    active: Mapped[bool] = mapped_column(default=True)
    locale: Mapped[str | None] = mapped_column(String(8))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    # Set when someone else chose the password (an admin or director typed it): every
    # request then leads to the change-password page until its owner has chosen their own.
    must_change_password: Mapped[bool] = mapped_column(default=False, server_default=false())

    # The token of the sign-in this object was loaded or signed in under, in this request
    # only (not a column): Flask-Login's id carries it, so ending the sign-in ends every
    # cookie that names it.
    sign_in_token: str | None = None

    @property
    def is_active(self) -> bool:  # Flask-Login refuses inactive accounts
        return self.active

    def get_id(self) -> str:
        """Flask-Login's id, kept in the session and the remember cookie: the account and
        the token of its sign-in (caselog.auth.sessions), never the account alone."""
        if not self.sign_in_token:
            raise RuntimeError("start a sign-in (caselog.auth.sessions.start) before login_user")
        return f"{self.id}:{self.sign_in_token}"

    def __eq__(self, other: object) -> bool:
        """The same account, whichever sign-in each object was loaded under."""
        if isinstance(other, User):
            return self.id == other.id
        return NotImplemented

    __hash__ = object.__hash__

    def __repr__(self) -> str:
        return f"<User {self.email}>"


class SignIn(Model):
    """One signed-in browser. Its session and remember cookies carry a token whose hash is
    kept here: deleting the row ends that sign-in, whichever cookie comes back."""

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"), index=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)  # SHA-256, hex
    started_at: Mapped[datetime] = mapped_column(UTCDateTime)  # the service's `now`


class LinkPurpose(enum.StrEnum):
    WELCOME = "welcome"  # a new account: its owner sets the first password
    RESET = "reset"  # an admin reset the password


class PasswordLink(Model):
    """A one-time link, mailed to an account's owner, by which they set their password.

    Only the token's hash is kept; the link works once, until it expires, and a newer link
    for the same account replaces it."""

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"), index=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)  # SHA-256, hex
    purpose: Mapped[LinkPurpose] = mapped_column(enum_column(LinkPurpose))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime)
    used_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    user: Mapped[User] = relationship()


class LoginFailure(Model):
    """One failed sign-in, keyed by account e-mail and by client address."""

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(254), index=True)
    address: Mapped[str] = mapped_column(String(64), index=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime, index=True)  # the service's `now`
