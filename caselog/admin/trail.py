"""The audit trail in words, for the admin's page: what each event did, what it is about,
and each recorded field with its label and its values, people, hospitals, programs and
catalogue entries named rather than numbered.

A page of events takes a fixed number of queries, however many events it holds: one per
kind of thing the events mention (people, hospitals, ...), and only for kinds they mention.
"""

import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date

from flask_babel import format_date
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import Select, select

from caselog.cases.history import FIELD_LABELS as CASE_FIELDS
from caselog.extensions import db
from caselog.i18n import label, language_for_reader, local_text, translated
from caselog.models import (
    CATALOGUE_LOCALES,
    Approach,
    AuditEvent,
    CaseStatus,
    Complication,
    Framework,
    FrameworkVersion,
    Involvement,
    Procedure,
    ProcedureGroup,
    Program,
    ProgramKind,
    Setting,
    Sex,
    Site,
    Specialty,
    Urgency,
    User,
)

NOTHING = "—"

ENTITIES = {
    "user": _l("Account"),
    "site": _l("Hospital"),
    "program": _l("Program"),
    "procedure": _l("Procedure"),
    "catalogue": _l("Procedure catalogue"),
    "case": _l("Case"),
    "enrolment": _l("Enrolment"),
    "appointment": _l("Mentor appointment"),
    "delegate": _l("Delegation"),
    "framework": _l("Framework"),
    "report": _l("Report"),
    "export": _l("Export"),
}

ACTIONS = {
    ("user", "created"): _l("Account opened"),
    ("user", "changed"): _l("Account changed"),
    ("user", "deactivated"): _l("Account deactivated: can no longer sign in"),
    ("user", "reactivated"): _l("Account reactivated: can sign in again"),
    ("user", "password_reset"): _l("Password reset by an admin"),
    ("user", "signature_refused"): _l("Signing refused: wrong password"),
    ("user", "signature_out_of_reach"): _l("Signing refused: cases not found or out of reach"),
    ("user", "password_link_sent"): _l("Link to set a password mailed"),
    ("user", "password_set_by_link"): _l("Password set from a mailed link"),
    ("user", "password_changed"): _l("Password changed by its owner"),
    ("user", "signed_out_everywhere"): _l("Signed out everywhere"),
    ("user", "second_factor_enrolled"): _l("Second factor set up"),
    ("user", "second_factor_disabled"): _l("Second factor turned off"),
    ("user", "second_factor_removed"): _l("Second factor removed by an administrator"),
    ("user", "second_factor_refused"): _l("Second factor code refused"),
    ("user", "recovery_code_used"): _l("Recovery code used"),
    ("user", "recovery_codes_renewed"): _l("New recovery codes made"),
    ("user", "reminded"): _l("Reminded of cases waiting for sign-off"),
    ("site", "created"): _l("Hospital added"),
    ("site", "changed"): _l("Hospital changed"),
    ("program", "created"): _l("Program added"),
    ("program", "changed"): _l("Program changed"),
    ("program", "names_changed"): _l("Program's name in other languages changed"),
    ("program", "framework_assigned"): _l("Framework version assigned"),
    ("program", "second_factor_requirement_changed"): _l(
        "Second factor requirement for signing changed"
    ),
    ("procedure", "added"): _l("Procedure added to the catalogue"),
    ("procedure", "changed"): _l("Procedure changed"),
    ("procedure", "retired"): _l("Procedure retired: no longer on the case form"),
    ("procedure", "restored"): _l("Procedure restored to the case form"),
    ("procedure", "deleted"): _l("Procedure deleted from the catalogue"),
    ("catalogue", "loaded"): _l("Catalogue loaded from a file"),
    ("case", "logged"): _l("Case logged"),
    ("case", "changed"): _l("Case changed"),
    ("case", "amended"): _l("Signed case amended: a new version"),
    ("case", "submitted"): _l("Submitted for sign-off"),
    ("case", "withdrawn"): _l("Withdrawn from sign-off"),
    ("case", "approved"): _l("Signed off"),
    ("case", "returned"): _l("Returned to the trainee"),
    ("case", "reassigned"): _l("Handed to another mentor"),
    ("case", "signature_refused"): _l("Bedside signing refused: wrong e-mail or password"),
    ("enrolment", "created"): _l("Trainee enrolled"),
    ("enrolment", "changed"): _l("Enrolment changed"),
    ("enrolment", "ended"): _l("Enrolment ended early"),
    ("appointment", "appointed"): _l("Mentor appointed"),
    ("appointment", "removed"): _l("Mentor's appointment removed"),
    ("delegate", "appointed"): _l("Delegate appointed"),
    ("delegate", "removed"): _l("Delegate removed"),
    ("framework", "created"): _l("Framework written"),
    ("framework", "version_created"): _l("New framework version"),
    ("report", "issued"): _l("Report issued"),
    ("export", "cases_csv"): _l("Cases exported as CSV"),
    ("export", "cases_xlsx"): _l("Cases exported as XLSX"),
}

FIELDS = {
    **CASE_FIELDS,
    "full_name": _l("Full name"),
    "email": _l("E-mail"),
    "is_admin": _l("Administrator"),
    "active": _l("Can sign in"),
    "password": _l("Password"),
    "name": _l("Name"),
    "city": _l("City"),
    "country": _l("Country code"),
    "time_zone": _l("Time zone"),
    "name_translations": _l("Name in other languages"),
    "kind": _l("Kind"),
    "specialty_id": _l("Specialty"),
    "specialty": _l("Specialty"),
    "start_date": _l("Start date"),
    "end_date": _l("End date"),
    "site_ids": _l("Sites"),
    "director_ids": _l("Directors"),
    "assessment_enabled": _l("Rate autonomy at sign-off"),
    "reminder_max_waiting": _l("Remind a mentor when more cases wait than"),
    "reminder_max_days": _l("…or when a case has waited more days than"),
    "framework_version_id": _l("Framework version"),
    "key": _l("Catalogue key"),
    "short_name": _l("Short name"),
    "synonyms": _l("Search synonyms"),
    "default_approach": _l("Usual approach"),
    "group_ids": _l("Groups"),
    "codes": _l("External codes"),
    "retired": _l("Retired"),
    "home_institution": _l("Home institution"),
    "cohort": _l("Cohort"),
    "mentor_id": _l("Mentor"),
    "delegate_id": _l("May also be signed by"),
    "source": _l("Source"),
    "targets": _l("Targets"),
    "subject": _l("Subject"),
    "filters": _l("Filters"),
    "case_ids": _l("Cases"),
    "programs": _l("Programs"),
}

_ORDER = {key: position for position, key in enumerate(FIELDS)}

# Keys whose values are ids, and the kind of thing they name.
_IDS = {
    "trainee_id": "people",
    "supervisor_id": "people",
    "mentor_id": "people",
    "delegate_id": "people",
    "director_ids": "people",
    "site_id": "sites",
    "site_ids": "sites",
    "program_id": "programs",
    "programs": "programs",
    "specialty_id": "specialties",
    "group_ids": "groups",
    "primary_procedure_id": "procedures",
    "procedure_id": "procedures",
    "additional_procedure_ids": "procedures",
    "framework_version_id": "versions",
}
_SUBJECTS = {"user": "people", "site": "sites", "program": "programs", "procedure": "procedures"}
_ENUMS = {
    "involvement": Involvement,
    "approach": Approach,
    "default_approach": Approach,
    "urgency": Urgency,
    "setting": Setting,
    "patient_sex": Sex,
    "complication": Complication,
    "kind": ProgramKind,
    "status": CaseStatus,
}
_DATES = ("operation_date", "start_date", "end_date", "date_from", "date_to")
_PASSWORDS = {"generated": _l("generated, shown once"), "chosen": _l("typed in")}


@dataclass
class Change:
    """One recorded field: its label, and its value before and after (None: not recorded)."""

    name: str
    before: str | None
    after: str | None


@dataclass
class Entry:
    """One event as the page shows it."""

    event: AuditEvent
    what: str  # the action in words
    about: str  # the kind of thing, in words, and its name or number
    changes: list[Change] = field(default_factory=list)


def entity_label(entity: str) -> str:
    """What the trail calls a kind of thing, in the reader's language."""
    return str(ENTITIES.get(entity, entity))


def entries(events: Sequence[AuditEvent]) -> list[Entry]:
    """The events in words, with everything they mention by id named."""
    parsed = [(event, _json_object(event.before), _json_object(event.after)) for event in events]
    names = _Names.load(parsed)
    result = []
    for event, before, after in parsed:
        words = ACTIONS.get((event.entity, event.action))
        about = entity_label(event.entity)
        if event.entity_id is not None:
            name = names.known(_SUBJECTS.get(event.entity, ""), event.entity_id)
            about = f"{about}: {name}" if name else f"{about} #{event.entity_id}"
        keys = sorted(
            list(before) + [key for key in after if key not in before], key=_reading_order
        )
        changes = [
            Change(
                _field_label(key),
                _value(key, before[key], names) if key in before else None,
                _value(key, after[key], names) if key in after else None,
            )
            for key in keys
        ]
        result.append(Entry(event, str(words) if words else event.action, about, changes))
    return result


def _reading_order(key: str) -> int:
    """Fields in the order their forms show them (FIELDS); others after them."""
    return _ORDER.get(key, len(_ORDER))


def _field_label(key: str) -> str:
    if key.startswith("names_") and key[6:] in CATALOGUE_LOCALES:
        return _("Names in %(language)s", language=language_for_reader(key[6:]))
    return str(FIELDS.get(key, key))


def _value(key: str, value: object, names: "_Names") -> str:
    """A recorded value as a person reads it."""
    if value is None or value == "" or value == [] or value == {}:
        return NOTHING
    if isinstance(value, bool):
        return _("Yes") if value else _("No")
    if key in _IDS:
        ids = value if isinstance(value, list) else [value]
        return ", ".join(names.get(_IDS[key], v) for v in ids)
    if key in _ENUMS and isinstance(value, str):
        try:
            return label(_ENUMS[key](value))
        except ValueError:
            return value
    if key in _DATES and isinstance(value, str):
        try:
            return format_date(date.fromisoformat(value))
        except ValueError:
            return value
    if key == "password" and value in _PASSWORDS:
        return str(_PASSWORDS[str(value)])
    if key == "name_translations" and isinstance(value, dict):
        return "; ".join(f"{language_for_reader(k)}: {v}" for k, v in sorted(value.items()))
    if isinstance(value, dict):
        return "; ".join(f"{_field_label(k)}: {_value(k, v, names)}" for k, v in value.items())
    if isinstance(value, list):
        return ", ".join(v if isinstance(v, str) else _plain(v) for v in value)
    return value if isinstance(value, str) else _plain(value)


def _plain(value: object) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(", ", ": "))


def _json_object(text: str | None) -> dict:
    if not text:
        return {}
    value = json.loads(text)
    return value if isinstance(value, dict) else {"value": value}


class _Names:
    """Names of what a page of events mentions by id, each kind loaded in one query."""

    def __init__(self, found: dict[str, dict[int, str]]):
        self.found = found

    def known(self, kind: str, value: int) -> str | None:
        """The name of what this id names, if it (still) exists."""
        return self.found.get(kind, {}).get(value)

    def get(self, kind: str, value: object) -> str:
        """The name, else the id as "#12" (a record since deleted)."""
        if isinstance(value, int) and not isinstance(value, bool):
            return self.known(kind, value) or f"#{value}"
        return str(value)

    @classmethod
    def load(cls, parsed: Iterable[tuple[AuditEvent, dict, dict]]) -> "_Names":
        wanted: dict[str, set[int]] = {}
        for event, before, after in parsed:
            kind = _SUBJECTS.get(event.entity)
            if kind and event.entity_id is not None:
                wanted.setdefault(kind, set()).add(event.entity_id)
            for values in (before, after):
                _collect(values, wanted)
        return cls({kind: _LOADERS[kind](ids) for kind, ids in wanted.items()})


def _collect(values: dict, wanted: dict[str, set[int]]) -> None:
    """Add the ids the values hold (in nested objects too) to `wanted`, by kind."""
    for key, value in values.items():
        if isinstance(value, dict):
            _collect(value, wanted)
        elif key in _IDS:
            ids = value if isinstance(value, list) else [value]
            found = {v for v in ids if isinstance(v, int) and not isinstance(v, bool)}
            if found:
                wanted.setdefault(_IDS[key], set()).update(found)


def _people(ids: set[int]) -> dict[int, str]:
    rows = db.session.execute(select(User.id, User.full_name).where(User.id.in_(ids)))
    return {user_id: name for user_id, name in rows}


def _sites(ids: set[int]) -> dict[int, str]:
    rows = db.session.execute(select(Site.id, Site.name).where(Site.id.in_(ids)))
    return {site_id: name for site_id, name in rows}


def _programs(ids: set[int]) -> dict[int, str]:
    rows = db.session.execute(
        select(Program.id, Program.name, Program.name_translations).where(Program.id.in_(ids))
    )
    return {program_id: translated(name, names) for program_id, name, names in rows}


def _local_names(query: Select) -> dict[int, str]:
    """Catalogue rows by id, each named in the reader's language."""
    return {row.id: local_text(row) for row in db.session.scalars(query)}


def _versions(ids: set[int]) -> dict[int, str]:
    rows = db.session.execute(
        select(FrameworkVersion.id, Framework.name, FrameworkVersion.number)
        .join(Framework, Framework.id == FrameworkVersion.framework_id)
        .where(FrameworkVersion.id.in_(ids))
    )
    return {
        version_id: _("%(name)s, version %(n)d", name=name, n=number)
        for version_id, name, number in rows
    }


_LOADERS = {
    "people": _people,
    "sites": _sites,
    "programs": _programs,
    "specialties": lambda ids: _local_names(select(Specialty).where(Specialty.id.in_(ids))),
    "groups": lambda ids: _local_names(select(ProcedureGroup).where(ProcedureGroup.id.in_(ids))),
    "procedures": lambda ids: _local_names(select(Procedure).where(Procedure.id.in_(ids))),
    "versions": _versions,
}
