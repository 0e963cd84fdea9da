"""Column types shared by the models: UTC timestamps, string-valued enums, JSON values."""

import enum
from datetime import UTC, date, datetime
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import JSON, DateTime, Dialect, Enum, TypeDecorator
from sqlalchemy.dialects.postgresql import JSONB


def utcnow() -> datetime:
    """The system's time in UTC. Only the edge of the app reads it (caselog.clock, and
    column defaults for rows made outside the services); services take `now` instead."""
    return datetime.now(UTC)


def local_date(moment: datetime, time_zone: str) -> date:
    """The calendar day of an aware moment in a time zone (an operation date is local)."""
    return moment.astimezone(ZoneInfo(time_zone)).date()


class UTCDateTime(TypeDecorator[datetime]):
    """A timestamp stored as naive UTC and always read back as an aware UTC datetime."""

    impl = DateTime
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is not None:
            if value.tzinfo is None:
                raise ValueError("timestamps must be timezone-aware")
            value = value.astimezone(UTC).replace(tzinfo=None)
        return value

    def process_result_value(self, value: Any | None, dialect: Dialect) -> datetime | None:
        return value.replace(tzinfo=UTC) if value is not None else None


def enum_column(enum_cls: type[enum.Enum]) -> Enum:
    """Store an enum by its value (for example "S-TS"), as VARCHAR with a CHECK constraint."""
    return Enum(
        enum_cls,
        native_enum=False,
        create_constraint=True,
        length=16,
        values_callable=lambda members: [m.value for m in members],
        name=enum_cls.__name__.lower(),
        validate_strings=True,
    )


# A JSON value: JSON on SQLite, JSONB on PostgreSQL (whose values compare, so a query that
# selects one can still say DISTINCT). Translations of what people wrote are such values,
# {"ru": "...", "ko": "..."}, so a row and its translations load in the same statement.
JSONValue = JSON().with_variant(JSONB(), "postgresql")
