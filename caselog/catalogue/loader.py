"""Load the procedure catalogue from a TOML file: checked first, then added or updated in place.

Entries are keyed by (specialty code, procedure code) and (specialty code, group code), so the
loader can run again after the file changes: names (in every language the file gives),
synonyms, groups and codes of the procedures the file lists follow the file, new ones are
added, and nothing is ever deleted (a procedure missing from the file is left as it is, a
retired one stays retired, and a language the file does not give for an entry keeps its names).
`import_catalogue` also writes the load to the audit trail: which file (by its SHA-256), and
how many procedures it added and updated.
"""

import hashlib
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from caselog.audit.services import record
from caselog.catalogue.reader import (
    CatalogueFileError,
    GroupEntry,
    ProcedureEntry,
    read_catalogue,
)
from caselog.catalogue.services import sync_codes, sync_names
from caselog.extensions import db
from caselog.models import (
    Procedure,
    ProcedureGroup,
    ProcedureGroupName,
    Specialty,
    SpecialtyName,
    User,
)

STARTER_CATALOGUE = Path(__file__).resolve().parent / "starter_catalogue.toml"

__all__ = ["STARTER_CATALOGUE", "CatalogueFileError", "import_catalogue", "load_catalogue"]


@dataclass
class Loaded:
    """What one load did: specialties and procedures in the file, procedures new and updated."""

    specialties: int
    procedures: int
    new: int
    updated: int

    def __str__(self) -> str:
        return (
            f"{self.specialties} specialties, {self.procedures} procedures "
            f"({self.new} new, {self.updated} updated)"
        )


def import_catalogue(path: str | Path, *, actor: User | None = None, now: datetime) -> str:
    """Load the file (see load_catalogue) and record the load in the audit trail."""
    loaded = _load(path)
    after = {
        "file": Path(path).name,
        "sha256": hashlib.sha256(Path(path).read_bytes()).hexdigest(),
        "specialties": loaded.specialties,
        "procedures": loaded.procedures,
        "new": loaded.new,
        "updated": loaded.updated,
    }
    record("catalogue", None, "loaded", after=after, actor=actor, now=now)
    return str(loaded)


def load_catalogue(path: str | Path) -> str:
    """Add or update every specialty, group and procedure of the file; flush; say what changed."""
    return str(_load(path))


def _load(path: str | Path) -> Loaded:
    entries = read_catalogue(path)
    existing = {
        s.code: s
        for s in db.session.scalars(
            select(Specialty)
            .where(Specialty.code.in_([e.code for e in entries]))
            .options(
                selectinload(Specialty.procedures).selectinload(Procedure.groups),
                selectinload(Specialty.procedures).selectinload(Procedure.codes),
            )
        )
    }
    new = updated = total = 0
    for entry in entries:
        specialty = existing.get(entry.code)
        if specialty is None:
            specialty = Specialty(code=entry.code, name=entry.name)
            db.session.add(specialty)
            db.session.flush()
        specialty.name = entry.name
        _sync_names(specialty, entry.names, SpecialtyName)
        groups = _upsert_groups(specialty, entry.groups)
        procedures = {p.code: p for p in specialty.procedures}
        for item in entry.procedures:
            total += 1
            procedure = procedures.get(item.code)
            if procedure is None:
                procedure = Procedure(specialty=specialty, code=item.code, retired=False)
                db.session.add(procedure)
                new += 1
                _apply(procedure, item, groups)
            else:
                before = _state(procedure)
                _apply(procedure, item, groups)
                updated += _state(procedure) != before
    db.session.flush()
    return Loaded(len(entries), total, new, updated)


def _upsert_groups(
    specialty: Specialty, wanted: dict[str, GroupEntry]
) -> dict[str, ProcedureGroup]:
    """The specialty's groups by code, with the file's added or renamed; none removed."""
    groups = {
        g.code: g
        for g in db.session.scalars(
            select(ProcedureGroup).where(ProcedureGroup.specialty_id == specialty.id)
        )
    }
    for code, entry in wanted.items():
        group = groups.get(code)
        if group is None:
            group = groups[code] = ProcedureGroup(
                specialty_id=specialty.id, code=code, name=entry.name
            )
            db.session.add(group)
        group.name = entry.name
        _sync_names(group, entry.names, ProcedureGroupName)
    return groups


def _sync_names(
    row: Specialty | ProcedureGroup,
    names: dict[str, str],
    model: type[SpecialtyName] | type[ProcedureGroupName],
) -> None:
    """Set the row's name in each language the file gives; other languages keep theirs."""
    rows: list[Any] = row.names  # of the row's own kind, `model`
    existing = {name.locale: name for name in rows}
    for locale, text in names.items():
        if locale in existing:
            existing[locale].name = text
        else:
            rows.append(model(locale=locale, name=text))


def _apply(procedure: Procedure, item: ProcedureEntry, groups: dict[str, ProcedureGroup]) -> None:
    procedure.name = item.name
    procedure.short_name = item.short_name
    procedure.synonyms = "\n".join(item.synonyms)
    procedure.default_approach = item.approach
    procedure.groups = sorted((groups[code] for code in item.groups), key=lambda g: g.name)
    sync_codes(procedure, item.codes)
    sync_names(procedure, item.names)


def _state(procedure: Procedure) -> tuple:
    """What the file controls about a procedure, to tell whether a run changed it."""
    return (
        procedure.name,
        procedure.short_name,
        procedure.synonyms,
        procedure.default_approach,
        tuple(sorted(g.code for g in procedure.groups)),
        tuple(sorted((c.system, c.code, c.source) for c in procedure.codes)),
        tuple(sorted((n.locale, n.name, n.short_name, n.synonyms) for n in procedure.names)),
    )
