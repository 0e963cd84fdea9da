"""Screening of free text for patient identifiers before anything is stored.

Deliberately strict: a false alarm costs the trainee a few seconds of rewording; a
stored identifier costs a patient their privacy.
"""

import re
from dataclasses import dataclass

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from caselog.errors import DomainError


@dataclass(frozen=True)
class Finding:
    kind: str  # translated description of what was found
    text: str  # the offending text, as typed


_PATTERNS = [
    (_l("an e-mail address"), re.compile(r"[\w.+-]+@[\w-]+(\.[\w-]+)+")),
    (_l("a web address"), re.compile(r"\b(?:https?://|www\.)\S+", re.IGNORECASE)),
    (
        _l("a record-number label"),
        re.compile(
            r"\b(?:MRN|NHS\s*(?:no|number)|hospital\s*(?:no|number)|record\s*(?:no|number)"
            r"|patient\s*(?:id|no|number)|chart\s*(?:no|number)|DOB|date\s+of\s+birth"
            r"|born\s+on|passport|SSN)\b",
            re.IGNORECASE,
        ),
    ),
    (
        _l("a date"),
        re.compile(
            r"\b\d{1,4}[./-]\d{1,2}[./-]\d{1,4}\b"
            r"|\b\d{1,2}\s+(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?\s+\d{2,4}\b"
            r"|\b(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?\s+\d{1,2},?\s+\d{4}\b",
            re.IGNORECASE,
        ),
    ),
    (_l("a phone number"), re.compile(r"(?<![\w])\+?\d[\d\s().-]{7,}\d(?![\w])")),
    (_l("a long number"), re.compile(r"\d{6,}")),
]


def find_identifiers(text: str) -> list[Finding]:
    """Everything in the text that looks like it could identify a patient, in reading order."""
    findings: list[tuple[int, Finding]] = []
    taken: list[tuple[int, int]] = []
    for kind, pattern in _PATTERNS:
        for match in pattern.finditer(text or ""):
            start, end = match.span()
            if any(start < t_end and t_start < end for t_start, t_end in taken):
                continue  # already reported as something more specific
            taken.append((start, end))
            findings.append((start, Finding(str(kind), match.group().strip())))
    return [finding for _, finding in sorted(findings, key=lambda pair: pair[0])]


def refuse_identifiers(field_name: str, text: str) -> None:
    """Raise a DomainError on the field, saying what to remove, if the text names a patient."""
    findings = find_identifiers(text)
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
