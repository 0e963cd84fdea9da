"""Read a catalogue TOML file and check all of it, naming the entry at fault, before any write.

The schema is described at the top of starter_catalogue.toml. Each specialty, group and
procedure may carry a table per catalogue language (ru, mn, ko) with its names there.
"""

import tomllib
from dataclasses import dataclass, field
from pathlib import Path

import click

from caselog import folding
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
    LocalNamesInput,
    clean_synonyms,
)
from caselog.models import CATALOGUE_LOCALES, Approach

SPECIALTY_CODE_MAX = 32
SPECIALTY_NAME_MAX = 100

PROCEDURE_KEYS = {"code", "name", "short_name", "synonyms", "approach", "groups", "codes"}
LOCAL_PROCEDURE_KEYS = {"name", "short_name", "synonyms"}


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
    names: dict[str, LocalNamesInput] = field(default_factory=dict)  # by locale


@dataclass
class GroupEntry:
    """One group: its English name and its names in other languages (locale -> name)."""

    name: str
    names: dict[str, str] = field(default_factory=dict)


@dataclass
class SpecialtyEntry:
    """One specialty with its names, groups (by code) and procedures, checked."""

    code: str
    name: str
    names: dict[str, str] = field(default_factory=dict)  # locale -> name
    groups: dict[str, GroupEntry] = field(default_factory=dict)
    procedures: list[ProcedureEntry] = field(default_factory=list)


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
    _only_keys(table, {"code", "name", "group", "procedure"}, where, languages=True)
    entry = SpecialtyEntry(
        code=code,
        name=_text(table, "name", where, SPECIALTY_NAME_MAX),
        names=_local_names(table, where, SPECIALTY_NAME_MAX),
    )
    for number, group in enumerate(_table_list(table, "group", where), start=1):
        group_code = _key(group, f"{where}, group #{number}", KEY_MAX)
        group_where = f"{where}, group '{group_code}'"
        _only_keys(group, {"code", "name"}, group_where, languages=True)
        if group_code in entry.groups:
            raise CatalogueFileError(f"{where}: group '{group_code}' appears twice")
        entry.groups[group_code] = GroupEntry(
            name=_text(group, "name", group_where, NAME_MAX),
            names=_local_names(group, group_where, NAME_MAX),
        )
    names: dict[str, dict[str, str]] = {}  # language -> folded name -> procedure code
    codes: set[str] = set()
    for number, procedure in enumerate(_table_list(table, "procedure", where), start=1):
        item = _read_procedure(procedure, where, number, entry.groups)
        if item.code in codes:
            raise CatalogueFileError(f"{where}: procedure '{item.code}' appears twice")
        codes.add(item.code)
        localised = {locale: local.name for locale, local in item.names.items() if local.name}
        for locale, name in {"en": item.name, **localised}.items():
            owner = names.setdefault(locale, {}).setdefault(folding.fold(name), item.code)
            if owner != item.code:
                in_language = "" if locale == "en" else f" in '{locale}'"
                raise CatalogueFileError(
                    f"{where}, procedure '{item.code}': another procedure is also named "
                    f"'{name}'{in_language}"
                )
        entry.procedures.append(item)
    return entry


def _read_procedure(
    table: dict, parent: str, number: int, groups: dict[str, GroupEntry]
) -> ProcedureEntry:
    code = _key(table, f"{parent}, procedure #{number}", KEY_MAX)
    where = f"{parent}, procedure '{code}'"
    _only_keys(table, PROCEDURE_KEYS, where, languages=True)
    item = ProcedureEntry(code=code, name=_text(table, "name", where, NAME_MAX))
    item.short_name = _text(table, "short_name", where, SHORT_NAME_MAX, required=False) or None
    item.synonyms = _synonyms(table, where)

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

    for locale in CATALOGUE_LOCALES:
        if locale in table:
            item.names[locale] = _local_procedure_names(table[locale], f"{where}, {locale}")
    return item


def _local_names(table: dict, where: str, max_length: int) -> dict[str, str]:
    """A specialty's or group's names by language: `ru = { name = "..." }` and the like."""
    names = {}
    for locale in CATALOGUE_LOCALES:
        if locale in table:
            local = _language_table(table, locale, where)
            _only_keys(local, {"name"}, f"{where}, {locale}")
            names[locale] = _text(local, "name", f"{where}, {locale}", max_length)
    return names


def _local_procedure_names(local: object, where: str) -> LocalNamesInput:
    """A procedure's name, short name and synonyms in one language; at least one of them."""
    if not isinstance(local, dict):
        raise CatalogueFileError(f"{where}: must be a table of name, short_name and synonyms")
    _only_keys(local, LOCAL_PROCEDURE_KEYS, where)
    entry = LocalNamesInput(
        name=_text(local, "name", where, NAME_MAX, required=False),
        short_name=_text(local, "short_name", where, SHORT_NAME_MAX, required=False),
        synonyms=_synonyms(local, where),
    )
    if entry.blank:
        raise CatalogueFileError(f"{where}: is empty (give its name, short_name or synonyms)")
    return entry


def _language_table(table: dict, locale: str, where: str) -> dict:
    value = table[locale]
    if not isinstance(value, dict):
        raise CatalogueFileError(
            f"{where}: '{locale}' must be a table, such as {locale} = {{ name = \"...\" }}"
        )
    return value


def _synonyms(table: dict, where: str) -> list[str]:
    synonyms = _string_list(table, "synonyms", where)
    for synonym in synonyms:
        if len(synonym) > SYNONYM_MAX:
            raise CatalogueFileError(
                f"{where}: synonym '{synonym[:30]}...' is longer than {SYNONYM_MAX} characters"
            )
    return clean_synonyms(synonyms)


def _only_keys(table: dict, allowed: set[str], where: str, languages: bool = False) -> None:
    """Refuse keys the schema does not have; with `languages`, a table per catalogue language
    is allowed too, and any other table is named as an unknown language."""
    extra = set(CATALOGUE_LOCALES) if languages else set()
    unknown = sorted(set(table) - allowed - extra)
    if languages:
        tables = [key for key in unknown if isinstance(table[key], dict)]
        if tables:
            raise CatalogueFileError(
                f"{where}: unknown language(s) {', '.join(tables)} "
                f"(catalogue languages: {', '.join(CATALOGUE_LOCALES)}; "
                "English is the entry's own name)"
            )
    if unknown:
        everything = ", ".join(sorted(allowed | extra))
        raise CatalogueFileError(
            f"{where}: unknown key(s) {', '.join(unknown)} (allowed: {everything})"
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
