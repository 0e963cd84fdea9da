"""A case's history: its versions, signatures and audit events, in words a person reads."""

import json
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date

from flask_babel import format_date
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.orm import selectinload
from sqlalchemy.orm.attributes import set_committed_value

from caselog.extensions import db
from caselog.i18n import label, local_text, translated
from caselog.models import (
    Approach,
    AuditEvent,
    Case,
    Complication,
    Involvement,
    Procedure,
    Program,
    Setting,
    Sex,
    Signature,
    Site,
    Urgency,
    User,
)
from caselog.models.cases import AGE_TOP_BAND

# What each recorded field is called, in the order a case is read (keys of Case.content()).
FIELD_LABELS = {
    "version": _l("Version"),
    "operation_date": _l("Date of operation"),
    "site_id": _l("Hospital"),
    "program_id": _l("Program"),
    "supervisor_id": _l("Supervisor"),
    "primary_procedure_id": _l("Procedure"),
    "additional_procedure_ids": _l("Additional procedures"),
    "involvement": _l("Involvement"),
    "approach": _l("Approach"),
    "urgency": _l("Urgency"),
    "setting": _l("Setting"),
    "patient_age": _l("Patient age"),
    "patient_sex": _l("Patient sex"),
    "asa_grade": _l("ASA grade"),
    "complication": _l("Complications"),
    "complication_description": _l("Description of the complication"),
    "operative_minutes": _l("Operative time"),
    "blood_loss_ml": _l("Blood loss"),
    "return_to_theatre": _l("Returned to theatre"),
    "notes": _l("Notes and reflection"),
    "trainee_id": _l("Trainee"),
}
_ENUMS = {
    "involvement": Involvement,
    "approach": Approach,
    "urgency": Urgency,
    "setting": Setting,
    "patient_sex": Sex,
    "complication": Complication,
}
_ROMAN = {1: "I", 2: "II", 3: "III", 4: "IV", 5: "V", 6: "VI"}
NOTHING = "—"


@dataclass
class Change:
    """One field of a change, in words: its label, the value before and after."""

    label: str
    before: str
    after: str


@dataclass
class HistoryEvent:
    """One audit event of the case, with its actor's name and its changes in words."""

    event: AuditEvent
    actor_name: str
    changes: list[Change] = field(default_factory=list)
    version: int | None = None  # the version it concerns, when the event says
    bedside: bool = False  # a signature given on the trainee's device

    @property
    def action(self) -> str:
        return self.event.action


@dataclass
class VersionEntry:
    """One version of the case, its signature (if it was signed) and how it began."""

    number: int
    signature: Signature | None
    current: bool
    began: HistoryEvent | None = None  # the event that logged or amended it


@dataclass
class CaseHistory:
    versions: list[VersionEntry]
    events: list[HistoryEvent]


def load_signatures(case: Case) -> list[Signature]:
    """The case's signatures with whom they were signed for, in one query for any number."""
    found = list(
        db.session.scalars(
            select(Signature)
            .where(Signature.case_id == case.id)
            .options(selectinload(Signature.on_behalf_of))
            .order_by(Signature.version)
        )
    )
    set_committed_value(case, "signatures", found)
    return found


def case_history(case: Case) -> CaseHistory:
    """Every version and every audit event of a case, with ids resolved to names.

    A fixed number of queries however long the history: the events, then one query each
    for the people, procedures, hospitals and programs they mention.
    """
    signatures = {s.version: s for s in load_signatures(case)}
    events = list(
        db.session.scalars(
            select(AuditEvent)
            .where(AuditEvent.entity == "case", AuditEvent.entity_id == case.id)
            .order_by(AuditEvent.seq)
        )
    )
    parsed = [(event, _json(event.before), _json(event.after)) for event in events]
    names = _Names.for_events(parsed)
    history = []
    for event, before, after in parsed:
        entry = HistoryEvent(event, names.person(event.actor_id, event.actor))
        entry.version = after.get("version") if isinstance(after.get("version"), int) else None
        entry.bedside = after.get("bedside") is True
        if event.action not in ("approved", "submitted"):
            entry.changes = [
                Change(
                    str(text), names.value(key, before.get(key)), names.value(key, after.get(key))
                )
                for key, text in FIELD_LABELS.items()
                if key in before or key in after
            ]
        if event.action == "logged":
            entry.version = 1
            entry.changes = [c for c in entry.changes if c.after != NOTHING]
        history.append(entry)
    began = {1: next((e for e in history if e.action == "logged"), None)}
    began.update({e.version: e for e in history if e.action == "amended" and e.version})
    versions = [
        VersionEntry(n, signatures.get(n), n == case.version, began.get(n))
        for n in range(case.version, 0, -1)
    ]
    return CaseHistory(versions, history)


def _json(text: str | None) -> dict:
    if not text:
        return {}
    value = json.loads(text)
    return value if isinstance(value, dict) else {}


class _Names:
    """Names of everything the events mention by id, each kind loaded in one query."""

    def __init__(self, people, procedures, sites, programs):
        self.people, self.procedures = people, procedures
        self.sites, self.programs = sites, programs

    @classmethod
    def for_events(cls, parsed) -> "_Names":
        ids: dict[str, set[int]] = {
            "people": set(),
            "procedures": set(),
            "sites": set(),
            "programs": set(),
        }
        for event, before, after in parsed:
            if event.actor_id is not None:
                ids["people"].add(event.actor_id)
            for values in (before, after):
                ids["people"].update(_ints(values.get("supervisor_id"), values.get("trainee_id")))
                ids["procedures"].update(
                    _ints(
                        values.get("primary_procedure_id"),
                        *(values.get("additional_procedure_ids") or []),
                    )
                )
                ids["sites"].update(_ints(values.get("site_id")))
                ids["programs"].update(_ints(values.get("program_id")))

        def load(model, name, wanted, translations=None):
            if not wanted:
                return {}
            columns = [model.id, name] + ([translations] if translations is not None else [])
            rows = db.session.execute(select(*columns).where(model.id.in_(wanted)))
            return {row[0]: translated(row[1], row[2] if len(row) > 2 else None) for row in rows}

        procedures: Iterable[Procedure] = (
            db.session.scalars(select(Procedure).where(Procedure.id.in_(ids["procedures"])))
            if ids["procedures"]
            else []
        )
        return cls(
            load(User, User.full_name, ids["people"]),
            {p.id: local_text(p) for p in procedures},  # in the reader's language
            load(Site, Site.name, ids["sites"]),
            load(Program, Program.name, ids["programs"], Program.name_translations),
        )

    def person(self, user_id: int | None, fallback: str) -> str:
        if user_id is None:
            return _("the system") if fallback == "system" else fallback
        return self.people.get(user_id, fallback)

    def value(self, key: str, value) -> str:
        """A recorded value as a person reads it."""
        if value is None or value == "" or value == []:
            return NOTHING
        lookups = {
            "site_id": self.sites,
            "program_id": self.programs,
            "supervisor_id": self.people,
            "trainee_id": self.people,
            "primary_procedure_id": self.procedures,
        }
        if key in lookups:
            return lookups[key].get(value, f"#{value}")
        if key == "additional_procedure_ids":
            return ", ".join(sorted(self.procedures.get(v, f"#{v}") for v in value))
        if key in _ENUMS:
            try:
                return label(_ENUMS[key](value))
            except ValueError:
                return str(value)
        if key == "operation_date":
            try:
                return format_date(date.fromisoformat(value), "long")
            except (TypeError, ValueError):
                return str(value)
        if key == "return_to_theatre":
            return _("Yes") if value else _("No")
        if key == "patient_age" and isinstance(value, int) and value >= AGE_TOP_BAND:
            return f"{AGE_TOP_BAND}+"
        if key == "asa_grade":
            return f"ASA {_ROMAN.get(value, value)}"
        if key == "operative_minutes":
            return _("%(n)d min", n=value)
        if key == "blood_loss_ml":
            return _("%(n)d ml", n=value)
        return str(value)


def _ints(*values) -> list[int]:
    return [v for v in values if isinstance(v, int) and not isinstance(v, bool)]
