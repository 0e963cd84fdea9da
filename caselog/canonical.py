"""One canonical JSON form, so that the same content always hashes to the same bytes."""

import enum
import json
from datetime import date, datetime


def _plain(value):
    if isinstance(value, enum.Enum):
        return value.value
    if isinstance(value, datetime):
        return value.isoformat(timespec="microseconds")
    if isinstance(value, date):
        return value.isoformat()
    raise TypeError(f"{type(value).__name__} has no canonical form")


def canonical_json(value) -> str:
    """Sorted keys, no spaces, UTF-8 text kept as is; dates, times and enums as strings."""
    return json.dumps(
        value, sort_keys=True, separators=(",", ":"), ensure_ascii=False, default=_plain
    )
