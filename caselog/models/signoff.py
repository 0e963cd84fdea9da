"""Sign-off: a mentor's electronic signature on one version of a case, and delegates."""

import enum
from datetime import datetime

from sqlalchemy import ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from caselog.extensions import Model
from caselog.models.accounts import User
from caselog.models.organisation import Program
from caselog.models.types import UTCDateTime, enum_column, utcnow


class Autonomy(enum.StrEnum):
    """The Zwisch scale: how much of the operation the trainee led."""

    SHOW_AND_TELL = "show_and_tell"
    ACTIVE_HELP = "active_help"
    PASSIVE_HELP = "passive_help"
    SUPERVISION_ONLY = "supervision_only"


class Complexity(enum.StrEnum):
    """Where the case sat among cases of its kind."""

    EASIER = "easier"
    AVERAGE = "average"
    HARDER = "harder"


PERFORMANCE_LEVELS = range(1, 6)  # 1 (well below expectations) to 5 (well above)


class Signature(Model):
    """A mentor's sign-off of one version of a case.

    It keeps what the signer saw (`content`, the canonical form of the case) and an HMAC
    over that content and the signature's own fields, keyed by a secret outside the
    database: a copied, forged or altered signature no longer verifies.
    """

    __table_args__ = (UniqueConstraint("case_id", "version"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("case.id"), index=True)
    version: Mapped[int]
    signer_id: Mapped[int] = mapped_column(ForeignKey("user.id"), index=True)
    signer_name: Mapped[str] = mapped_column(String(200))  # printed name at that moment
    on_behalf_of_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    signed_at: Mapped[datetime] = mapped_column(UTCDateTime)
    meaning: Mapped[str] = mapped_column(Text)  # the statement shown to the signer
    bedside: Mapped[bool] = mapped_column(default=False)  # signed on the trainee's device

    autonomy: Mapped[Autonomy | None] = mapped_column(enum_column(Autonomy))
    performance: Mapped[int | None]
    complexity: Mapped[Complexity | None] = mapped_column(enum_column(Complexity))
    feedback: Mapped[str] = mapped_column(Text, default="")

    content: Mapped[str] = mapped_column(Text)  # canonical JSON of the signed case version
    hmac: Mapped[str] = mapped_column(String(64))

    signer: Mapped[User] = relationship(foreign_keys=[signer_id])
    on_behalf_of: Mapped[User | None] = relationship(foreign_keys=[on_behalf_of_id])

    @property
    def has_assessment(self) -> bool:
        return bool(self.autonomy or self.performance or self.complexity or self.feedback)


class Delegate(Model):
    """A mentor a program director appoints to sign cases that name another mentor."""

    __table_args__ = (UniqueConstraint("program_id", "mentor_id", "delegate_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    program_id: Mapped[int] = mapped_column(ForeignKey("program.id"), index=True)
    mentor_id: Mapped[int] = mapped_column(ForeignKey("user.id"))
    delegate_id: Mapped[int] = mapped_column(ForeignKey("user.id"), index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    program: Mapped[Program] = relationship()
    mentor: Mapped[User] = relationship(foreign_keys=[mentor_id])
    delegate: Mapped[User] = relationship(foreign_keys=[delegate_id])
