"""Codes tried on the public verification page that matched no report: for throttling."""

from datetime import datetime

from sqlalchemy import String
from sqlalchemy.orm import Mapped, mapped_column

from caselog.extensions import Model
from caselog.models.types import UTCDateTime


class VerificationMiss(Model):
    """One look-up of a code that matched no issued report, by client address."""

    id: Mapped[int] = mapped_column(primary_key=True)
    address: Mapped[str] = mapped_column(String(64), index=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime, index=True)  # the service's `now`
