"""Load the procedure catalogue from a TOML file: checked first, then added or updated in place.

Entries are keyed by (specialty code, procedure code) and (specialty code, group code), so the
loader can run again after the file changes: names, synonyms, groups and codes of the
procedures the file lists follow the file, new ones are added, and nothing is ever deleted
(a procedure missing from the file is left as it is, and a retired one stays retired).
"""

import tomllib
from dataclasses import dataclass, field
from pathlib import Path

import click
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from caselog.catalogue.services import (
    CODE_MAX,
    KEY_MAX,
    KEY_PATTERN,
    NAME_MAX,
    SHORT_NAME_MAX,
    SOURCE_MAX,
    SYNONYM_MAX,
    SYSTEM_MAX,
    CodeInput,
    clean_synonyms,
    sync_codes,
)
from caselog.extensions import db
from caselog.models import Approach, Procedure, ProcedureGroup, Specialty

STARTER_CATALOGUE = Path(__file__).resolve().parent / "starter_catalogue.toml"

SPECIALTY_CODE_MAX = 32
SPECIALTY_NAME_MAX = 100


class CatalogueFileError(click.ClickException):
    """The catalogue file is not valid; the message names the entry and what is wrong.

    A click error, so `flask load-catalogue` prints the message (not a traceback) and exits 1.
    """


@dataclass
class ProcedureEntry:
    """One procedure as the file describes it, checked."""

    code: str
    name: str
    short_name: str | None = None
    synonyms: list[str] = field(default_factory=list)
    approach: Approach | None = None
    groups: list[str] = field(default_factory=list)
    codes: list[CodeInput] = field(default_factory=list)


@dataclass
class SpecialtyEntry:
    """One specialty with its groups (code -> name) and procedures, checked."""

    code: str
    name: str
    groups: dict[str, str] = field(default_factory=dict)
    procedures: list[ProcedureEntry] = field(default_factory=list)


def load_catalogue(path: str | Path) -> str:
    """Add or update every specialty, group and procedure of the file; flush; say what changed."""
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
    return f"{len(entries)} specialties, {total} procedures ({new} new, {updated} updated)"


def _upsert_groups(specialty: Specialty, wanted: dict[str, str]) -> dict[str, ProcedureGroup]:
    """The specialty's groups by code, with the file's added or renamed; none removed."""
    groups = {
        g.code: g
        for g in db.session.scalars(
            select(ProcedureGroup).where(ProcedureGroup.specialty_id == specialty.id)
        )
    }
    for code, name in wanted.items():
        group = groups.get(code)
        if group is None:
            group = groups[code] = ProcedureGroup(specialty_id=specialty.id, code=code, name=name)
            db.session.add(group)
        group.name = name
    return groups


def _apply(procedure: Procedure, item: ProcedureEntry, groups: dict[str, ProcedureGroup]) -> None:
    procedure.name = item.name
    procedure.short_name = item.short_name
    procedure.synonyms = "\n".join(item.synonyms)
    procedure.default_approach = item.approach
    procedure.groups = sorted((groups[code] for code in item.groups), key=lambda g: g.name)
    sync_codes(procedure, item.codes)


def _state(procedure: Procedure) -> tuple:
    """What the file controls about a procedure, to tell whether a run changed it."""
    return (
        procedure.name,
        procedure.short_name,
        procedure.synonyms,
        procedure.default_approach,
        tuple(sorted(g.code for g in procedure.groups)),
        tuple(sorted((c.system, c.code, c.source) for c in procedure.codes)),
    )


# -- reading and checking the file -------------------------------------------------------------


def read_catalogue(path: str | Path) -> list[SpecialtyEntry]:
    """Parse and check the whole file before anything is written."""
    path = Path(path)
    try:
        with path.open("rb") as handle:
            document = tomllib.load(handle)
    except tomllib.TOMLDecodeError as error:
        raise CatalogueFileError(f"{path.name}: not valid TOML: {error}") from error
    _only_keys(document, {"specialty"}, path.name)
    specialties = _table_list(document, "specialty", path.name, required=True)
    entries: list[SpecialtyEntry] = []
    seen: set[str] = set()
    for number, table in enumerate(specialties, start=1):
        entry = _read_specialty(table, path.name, number)
        if entry.code in seen:
            raise CatalogueFileError(f"{path.name}: specialty '{entry.code}' appears twice")
        seen.add(entry.code)
        entries.append(entry)
    return entries


def _read_specialty(table: dict, file_name: str, number: int) -> SpecialtyEntry:
    code = _key(table, f"{file_name}: specialty #{number}", SPECIALTY_CODE_MAX)
    where = f"{file_name}: specialty '{code}'"
    _only_keys(table, {"code", "name", "group", "procedure"}, where)
    entry = SpecialtyEntry(code=code, name=_text(table, "name", where, SPECIALTY_NAME_MAX))
    for number, group in enumerate(_table_list(table, "group", where), start=1):
        group_code = _key(group, f"{where}, group #{number}", KEY_MAX)
        _only_keys(group, {"code", "name"}, f"{where}, group '{group_code}'")
        if group_code in entry.groups:
            raise CatalogueFileError(f"{where}: group '{group_code}' appears twice")
        entry.groups[group_code] = _text(group, "name", f"{where}, group '{group_code}'", NAME_MAX)
    names: set[str] = set()
    codes: set[str] = set()
    for number, procedure in enumerate(_table_list(table, "procedure", where), start=1):
        item = _read_procedure(procedure, where, number, entry.groups)
        if item.code in codes:
            raise CatalogueFileError(f"{where}: procedure '{item.code}' appears twice")
        if item.name.casefold() in names:
            raise CatalogueFileError(
                f"{where}, procedure '{item.code}': another procedure is also named '{item.name}'"
            )
        codes.add(item.code)
        names.add(item.name.casefold())
        entry.procedures.append(item)
    return entry


def _read_procedure(
    table: dict, parent: str, number: int, groups: dict[str, str]
) -> ProcedureEntry:
    code = _key(table, f"{parent}, procedure #{number}", KEY_MAX)
    where = f"{parent}, procedure '{code}'"
    _only_keys(
        table, {"code", "name", "short_name", "synonyms", "approach", "groups", "codes"}, where
    )
    item = ProcedureEntry(code=code, name=_text(table, "name", where, NAME_MAX))
    item.short_name = _text(table, "short_name", where, SHORT_NAME_MAX, required=False) or None

    synonyms = _string_list(table, "synonyms", where)
    for synonym in synonyms:
        if len(synonym) > SYNONYM_MAX:
            raise CatalogueFileError(
                f"{where}: synonym '{synonym[:30]}...' is longer than {SYNONYM_MAX} characters"
            )
    item.synonyms = clean_synonyms(synonyms)

    approach = table.get("approach")
    if approach is not None:
        allowed = [a.value for a in Approach]
        if approach not in allowed:
            raise CatalogueFileError(
                f"{where}: unknown approach '{approach}' (use one of: {', '.join(allowed)})"
            )
        item.approach = Approach(approach)

    for group in _string_list(table, "groups", where):
        if group not in groups:
            known = ", ".join(groups) or "none defined"
            raise CatalogueFileError(
                f"{where}: unknown group '{group}' (groups of this specialty: {known})"
            )
        if group not in item.groups:
            item.groups.append(group)

    seen: set[tuple[str, str]] = set()
    for number, row in enumerate(_table_list(table, "codes", where), start=1):
        row_where = f"{where}, code #{number}"
        _only_keys(row, {"system", "code", "source"}, row_where)
        system = _text(row, "system", row_where, SYSTEM_MAX)
        value = _text(row, "code", row_where, CODE_MAX)
        row_where = f"{where}, code {system} {value}"
        source = row.get("source")
        if not isinstance(source, str) or not source.strip():
            raise CatalogueFileError(
                f"{row_where}: has no source; only enter a code you can attribute "
                "(name the publisher of the code system)"
            )
        source = _text(row, "source", row_where, SOURCE_MAX)
        if (system, value) in seen:
            raise CatalogueFileError(f"{row_where}: appears twice")
        seen.add((system, value))
        item.codes.append(CodeInput(system=system, code=value, source=source))
    return item


def _only_keys(table: dict, allowed: set[str], where: str) -> None:
    unknown = sorted(set(table) - allowed)
    if unknown:
        raise CatalogueFileError(
            f"{where}: unknown key(s) {', '.join(unknown)} (allowed: {', '.join(sorted(allowed))})"
        )


def _table_list(table: dict, key: str, where: str, required: bool = False) -> list[dict]:
    value = table.get(key, [])
    if not isinstance(value, list) or not all(isinstance(item, dict) for item in value):
        raise CatalogueFileError(f"{where}: '{key}' must be a list of tables ([[{key}]])")
    if required and not value:
        raise CatalogueFileError(f"{where}: no [[{key}]] entries")
    return value


def _string_list(table: dict, key: str, where: str) -> list[str]:
    value = table.get(key, [])
    if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
        raise CatalogueFileError(f"{where}: '{key}' must be a list of strings")
    return value


def _text(table: dict, key: str, where: str, max_length: int, required: bool = True) -> str:
    value = table.get(key)
    if value is None and not required:
        return ""
    if value is not None and not isinstance(value, str):
        raise CatalogueFileError(f"{where}: '{key}' must be text in quotes")
    if value is None or not value.strip():
        raise CatalogueFileError(f"{where}: '{key}' is missing or empty")
    value = " ".join(value.split())
    if len(value) > max_length:
        raise CatalogueFileError(f"{where}: '{key}' is longer than {max_length} characters")
    return value


def _key(table: dict, where: str, max_length: int) -> str:
    code = _text(table, "code", where, max_length)
    if not KEY_PATTERN.match(code):
        raise CatalogueFileError(
            f"{where}: code '{code}' must be lower-case letters, digits and hyphens"
        )
    return code
