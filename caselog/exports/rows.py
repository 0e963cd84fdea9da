"""The columns of a case export: a translated header, and one row of plain values per case.

Values keep their types (int, date, aware UTC datetime, text) so that each writer can
store them as a spreadsheet would: numbers as numbers, dates as dates.
"""

from collections.abc import Iterable, Iterator, Sequence

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from caselog.i18n import current_language, label, program_name
from caselog.models import Case, Procedure
from caselog.models.cases import AGE_TOP_BAND
from caselog.signoff.signatures import is_valid

COLUMNS = (
    _l("Reference"),
    _l("Trainee"),
    _l("Program"),
    _l("Hospital"),
    _l("Supervisor"),
    _l("Date of operation"),
    _l("Procedure"),
    _l("Procedure (English)"),
    _l("Procedure codes"),
    _l("Additional procedures"),
    _l("Additional procedures (English)"),
    _l("Additional procedure codes"),
    _l("Approach"),
    _l("Urgency"),
    _l("Setting"),
    _l("Involvement"),
    _l("Patient age"),
    _l("Patient sex"),
    _l("ASA grade"),
    _l("Complication"),
    _l("Complication description"),
    _l("Operative time (minutes)"),
    _l("Blood loss (ml)"),
    _l("Return to theatre"),
    _l("Status"),
    _l("Version"),
    _l("Submitted at (UTC)"),
    _l("Signed by"),
    _l("Signer's printed name"),
    _l("Signed at (UTC)"),
    _l("Meaning of the signature"),
    _l("Signature valid"),
    _l("Signed at the bedside"),
    _l("Signed on behalf of"),
    _l("Notes"),
)


def header() -> list[str]:
    """The first row, in the user's language."""
    return [str(title) for title in COLUMNS]


def rows(batches: Iterable[Sequence[Case]]) -> Iterator[list]:
    """One row per case, batch after batch, procedures in the export's language."""
    words = Words(current_language())
    for batch in batches:
        for case in batch:
            yield case_row(case, words)


class Words:
    """Translated labels, looked up once per export rather than once per cell."""

    def __init__(self, locale: str = "en"):
        self.locale = locale
        self._cache: dict = {}

    def __call__(self, value) -> str:
        key = (type(value), value)
        if key not in self._cache:
            self._cache[key] = (
                label(value) if not isinstance(value, bool) else (_("Yes") if value else _("No"))
            )
        return self._cache[key]


def case_row(case: Case, words: Words) -> list:
    """A case as the export's columns, with the signature of its current version if any."""
    signature = case.signature
    return [
        case.reference,
        case.trainee.full_name,
        program_name(case.program),
        case.site.name,
        case.supervisor.full_name,
        case.operation_date,
        case.primary_procedure.display_name(words.locale).text,
        case.primary_procedure.name,
        codes([case.primary_procedure]),
        "; ".join(p.display_name(words.locale).text for p in case.additional_procedures),
        "; ".join(p.name for p in case.additional_procedures),
        codes(case.additional_procedures),
        words(case.approach),
        words(case.urgency),
        words(case.setting),
        case.involvement.value,
        age(case.patient_age),
        words(case.patient_sex),
        case.asa_grade,
        words(case.complication),
        case.complication_description,
        case.operative_minutes,
        case.blood_loss_ml,
        words(case.return_to_theatre),
        words(case.status),
        case.version,
        case.submitted_at,
        *(signature_columns(signature, case, words) if signature else [None] * 7),
        case.notes,
    ]


def signature_columns(signature, case: Case, words: Words) -> list:
    """Signer, printed name, time, meaning, whether it still holds, bedside, on behalf of."""
    return [
        signature.signer.full_name,
        signature.signer_name,
        signature.signed_at,
        signature.meaning,
        words(is_valid(signature, case)),
        words(signature.bedside),
        signature.on_behalf_of.full_name if signature.on_behalf_of else None,
    ]


def codes(procedures: Iterable[Procedure]) -> str:
    """External codes as "system:code", e.g. "CPT:63030; OPCS-4:V33.3"."""
    return "; ".join(f"{c.system}:{c.code}" for p in procedures for c in p.codes)


def age(years: int | None) -> int | str | None:
    """A number, except the top band, which holds every age from 90 as "90+"."""
    if years is not None and years >= AGE_TOP_BAND:
        return f"{AGE_TOP_BAND}+"
    return years
