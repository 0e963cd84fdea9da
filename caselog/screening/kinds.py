"""What the screen can find, each named as the user will read it, and where in the text."""

from dataclasses import dataclass
from enum import Enum

from flask_babel import lazy_gettext as _l


class Kind(Enum):
    """A kind of identifier; the order is the order of precedence when two overlap."""

    EMAIL = "email"
    URL = "url"
    RRN = "rrn"
    REGISTER = "register"
    SNILS = "snils"
    PASSPORT = "passport"
    INSURANCE = "insurance"
    NATIONAL_ID = "national_id"
    BIRTH_DATE = "birth_date"
    BIRTH_YEAR = "birth_year"
    RECORD_NUMBER = "record_number"
    SERIAL = "serial"  # a record-like number without a label: reported as a record number
    PHONE = "phone"
    ADDRESS = "address"
    AGE = "age"
    NAME = "name"
    NUMBER = "number"

    @property
    def label(self) -> str:
        """What the user is told was found, in their language."""
        return str(_LABELS[self])


_LABELS = {
    Kind.EMAIL: _l("an e-mail address"),
    Kind.URL: _l("a web address"),
    Kind.RRN: _l("a resident registration number"),
    Kind.REGISTER: _l("a civil register number"),
    Kind.SNILS: _l("a SNILS number"),
    Kind.PASSPORT: _l("a passport number"),
    Kind.INSURANCE: _l("a health-insurance number"),
    Kind.NATIONAL_ID: _l("an identity number"),
    Kind.BIRTH_DATE: _l("a date of birth"),
    Kind.BIRTH_YEAR: _l("a year of birth"),
    Kind.RECORD_NUMBER: _l("a record number"),
    Kind.SERIAL: _l("a record number"),
    Kind.PHONE: _l("a phone number"),
    Kind.ADDRESS: _l("an address"),
    Kind.AGE: _l("an age over 89"),
    Kind.NAME: _l("a name"),
    Kind.NUMBER: _l("a number that could identify the patient"),
}

PRECEDENCE = {kind: rank for rank, kind in enumerate(Kind)}


@dataclass(frozen=True)
class Hit:
    """One stretch of the text that a detector recognised."""

    start: int
    end: int
    kind: Kind
    sure: bool = True  # False: read from its shape alone, so anything sure overlapping wins
