"""Screening of free text for patient identifiers before anything is stored.

Names, addresses, dates and years of birth, ages over 89, phone numbers, e-mail and web
addresses, national numbers (Korean resident registration, Mongolian register, SNILS,
passports, insurance policies) and record numbers, as English, Russian, Mongolian and
Korean notes write them. Dates of the operation, spinal levels, implant sizes, scores and
doses pass. tests/benchmarks/identifier_screen.py measures it on the project's corpus.
"""

from dataclasses import dataclass
from datetime import date

from flask_babel import gettext as _

from caselog.errors import DomainError
from caselog.screening import addresses, dates, names, numbers
from caselog.screening.kinds import PRECEDENCE, Hit, Kind


@dataclass(frozen=True)
class Finding:
    kind: str  # translated description of what was found
    text: str  # the offending text, as typed
    code: Kind = Kind.NUMBER  # what was found, for code that counts findings


def find_identifiers(text: str, *, today: date) -> list[Finding]:
    """Everything in the text that looks like it could identify a patient, in reading order.

    `today` places the dates (one far back is a date of birth): the caller's, as every
    service is given its time.
    """
    text = text or ""
    this_year = today.year
    hits = [*numbers.find(text), *dates.find(text, this_year), *addresses.find(text)]
    hits += [*names.find(text), *names.beside(text, hits)]
    kept: list[Hit] = []
    for hit in sorted(hits, key=lambda h: (not h.sure, PRECEDENCE[h.kind], h.start - h.end)):
        if not any(hit.start < k.end and k.start < hit.end for k in kept):
            kept.append(hit)
    return [
        Finding(hit.kind.label, text[hit.start : hit.end].strip(" ,;:("), hit.kind)
        for hit in sorted(kept, key=lambda h: h.start)
    ]


def refuse_identifiers(field_name: str, text: str, *, today: date) -> None:
    """Raise a DomainError on the field, saying what to remove, if the text names a patient."""
    findings = find_identifiers(text, today=today)
    if findings:
        listed = "; ".join(f"{f.kind} “{f.text}”" for f in findings)
        raise DomainError(
            _(
                "Remove what could identify the patient: %(found)s. "
                "Never record names, record numbers, dates of birth or contact details.",
                found=listed,
            ),
            field_name,
        )
