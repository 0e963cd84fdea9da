"""A person's second factor: an authenticator app (TOTP) and its single-use recovery codes."""

from datetime import datetime

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from caselog.extensions import Model
from caselog.models.types import UTCDateTime


class SecondFactor(Model):
    """An authenticator app tied to an account; in force once confirmed with a first code.

    The TOTP secret is kept encrypted with a key derived from SIGNATURE_KEY (outside the
    database), so a copy of the database alone cannot produce codes.
    """

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id"), unique=True)
    secret: Mapped[str] = mapped_column(String(255))  # encrypted (caselog.second_factor.codes)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    confirmed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)  # None: being set up
    # The time step of the last code accepted: a code is never accepted twice.
    last_step: Mapped[int | None]
    # Refused attempts since the last accepted code, and when the latest was (throttling).
    failures: Mapped[int] = mapped_column(default=0)
    failed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    recovery_codes: Mapped[list["RecoveryCode"]] = relationship(
        back_populates="factor", cascade="all, delete-orphan", passive_deletes=True
    )

    @property
    def confirmed(self) -> bool:
        return self.confirmed_at is not None


class RecoveryCode(Model):
    """One single-use code for when the authenticator app is lost; only its hash is kept."""

    id: Mapped[int] = mapped_column(primary_key=True)
    factor_id: Mapped[int] = mapped_column(
        ForeignKey("second_factor.id", ondelete="CASCADE"), index=True
    )
    code_hash: Mapped[str] = mapped_column(String(64))
    used_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    factor: Mapped[SecondFactor] = relationship(back_populates="recovery_codes")
