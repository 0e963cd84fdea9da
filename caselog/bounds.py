"""Whole numbers that come from outside (a path, a query string, a form) are held to what a
column can store, so an id of 2**64 answers "not found" or a form error, never a server error.

Ids and counts are INTEGER columns: PostgreSQL holds up to 2**31 - 1 in them, and SQLite up
to 2**63 - 1; the smaller bound serves both.
"""

from flask import abort, request
from werkzeug.routing import IntegerConverter, Map, ValidationError

MAX_ID = 2**31 - 1  # the largest value of an INTEGER column on PostgreSQL
MAX_PAGE = MAX_ID  # any page number whose offset still fits a 64-bit integer


def whole_number(value: object, lowest: int = 1, highest: int = MAX_ID) -> int:
    """The value as an int within [lowest, highest]; ValueError otherwise (WTForms' and
    Werkzeug's `type=` helpers turn that into "not valid" or "not given")."""
    if isinstance(value, bool):
        raise ValueError("not a whole number")
    number = value if isinstance(value, int) else int(str(value).strip())
    if not lowest <= number <= highest:
        raise ValueError(f"not between {lowest} and {highest}")
    return number


def record_id(value: object) -> int:
    """An id as typed or chosen: a whole number a row's id can be (`coerce=` of a field,
    `type=` of `request.args.get`)."""
    return whole_number(value)


def optional_id(value: object) -> int | None:
    """An id, or None for an empty choice ("" or nothing)."""
    return optional_number(value)


def optional_number(value: object) -> int | None:
    """A whole number from 1 that a column holds (a level, a year), or None for no choice."""
    if value is None or value == "":
        return None
    return whole_number(value)


def page_number(name: str = "page") -> int:
    """The page asked for in the query string (1 if none); a page that cannot exist is 404."""
    raw = request.args.get(name)
    if raw is None or raw == "":
        return 1
    try:
        return whole_number(raw, 1, MAX_PAGE)
    except ValueError:
        abort(404)


class IdConverter(IntegerConverter):
    """`<int:...>` in a route: a number beyond any id matches no route, so it answers 404."""

    def __init__(
        self,
        map: Map,  # noqa: A002 - Werkzeug's name
        fixed_digits: int = 0,
        min: int | None = None,  # noqa: A002
        max: int | None = MAX_ID,  # noqa: A002
        signed: bool = False,
    ) -> None:
        super().__init__(map, fixed_digits, min, max, signed)

    def to_python(self, value: str) -> int:
        if len(value) > len(str(MAX_ID)):  # also spares int() thousands of digits
            raise ValidationError()
        return int(super().to_python(value))
