"""Every rule about the procedure catalogue: adding, changing, retiring and deleting procedures,
and their names in the catalogue's other languages.

Each change writes an audit event in the same transaction, with the procedure before and
after, naming the admin who made it and dated with the time the caller gives (`now`).
"""

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime

from flask_babel import gettext as _
from flask_babel import ngettext
from sqlalchemy import func, select

from caselog import folding
from caselog.audit.services import changes, record
from caselog.catalogue import queries
from caselog.errors import DomainError
from caselog.extensions import db
from caselog.i18n import language_for_reader, local_text
from caselog.models import (
    CATALOGUE_LOCALES,
    Approach,
    Procedure,
    ProcedureCode,
    ProcedureGroup,
    ProcedureName,
    Specialty,
    User,
)

# Column sizes, checked before the database does (PostgreSQL would refuse, SQLite would not).
NAME_MAX = 200
SHORT_NAME_MAX = 60
KEY_MAX = 64
SYSTEM_MAX = 32
CODE_MAX = 32
SOURCE_MAX = 200
SYNONYM_MAX = 100

KEY_PATTERN = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")


@dataclass
class CodeInput:
    """A procedure's code in an external system, and who publishes that system."""

    system: str
    code: str
    source: str


@dataclass
class LocalNamesInput:
    """A procedure's names in one language: all blank means it has none in that language."""

    name: str = ""
    short_name: str = ""
    synonyms: list[str] = field(default_factory=list)

    @property
    def blank(self) -> bool:
        return not (self.name.strip() or self.short_name.strip() or clean_synonyms(self.synonyms))


@dataclass
class ProcedureInput:
    """What an admin typed about a procedure, as plain values."""

    specialty_id: int
    name: str
    short_name: str = ""
    synonyms: list[str] = field(default_factory=list)
    default_approach: Approach | None = None
    group_ids: list[int] = field(default_factory=list)
    codes: list[CodeInput] = field(default_factory=list)
    key: str = ""  # the stable catalogue key; made from the name when left blank
    # Names in other languages, by locale; a language left out is left as it is.
    names: dict[str, LocalNamesInput] = field(default_factory=dict)


def clean_synonyms(values: Iterable[str]) -> list[str]:
    """Synonyms stripped, blanks dropped and repeats (ignoring case) removed, order kept."""
    seen: set[str] = set()
    cleaned = []
    for value in values:
        text = " ".join(value.split())
        if text and text.casefold() not in seen:
            seen.add(text.casefold())
            cleaned.append(text)
    return cleaned


def slugify(text: str) -> str:
    """A catalogue key made from a name: lower-case ASCII letters, digits and hyphens."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")[:KEY_MAX].strip("-")


def add_procedure(data: ProcedureInput, *, actor: User | None, now: datetime) -> Procedure:
    """Add a procedure to a specialty."""
    procedure = Procedure(retired=False)
    _apply(procedure, data)
    db.session.add(procedure)
    db.session.flush()
    after = procedure_content(procedure)
    record("procedure", procedure.id, "added", after=after, actor=actor, now=now)
    return procedure


def update_procedure(
    procedure: Procedure, data: ProcedureInput, *, actor: User | None, now: datetime
) -> Procedure:
    """Change a procedure; cases that use it show the new name."""
    before = procedure_content(procedure)
    _apply(procedure, data)
    db.session.flush()
    old, new = changes(before, procedure_content(procedure))
    if new:
        record("procedure", procedure.id, "changed", before=old, after=new, actor=actor, now=now)
    return procedure


def retire_procedure(procedure: Procedure, *, actor: User | None, now: datetime) -> None:
    """Take a procedure off the case form; cases that already use it keep it."""
    _set_retired(procedure, True, actor, now)


def restore_procedure(procedure: Procedure, *, actor: User | None, now: datetime) -> None:
    """Offer a retired procedure on the case form again."""
    _set_retired(procedure, False, actor, now)


def _set_retired(procedure: Procedure, retired: bool, actor: User | None, now: datetime) -> None:
    if procedure.retired == retired:
        return
    procedure.retired = retired
    db.session.flush()
    record(
        "procedure",
        procedure.id,
        "retired" if retired else "restored",
        before={"retired": not retired},
        after={"retired": retired},
        actor=actor,
        now=now,
    )


def procedure_content(procedure: Procedure) -> dict[str, object]:
    """A procedure as plain values, for the audit trail: what it is called in each language,
    how it is found, its groups (by id) and its external codes."""
    content: dict[str, object] = {
        "specialty_id": procedure.specialty_id,
        "key": procedure.code,
        "name": procedure.name,
        "short_name": procedure.short_name,
        "synonyms": procedure.synonym_list,
        "default_approach": procedure.default_approach.value
        if procedure.default_approach
        else None,
        "group_ids": sorted(group.id for group in procedure.groups),
        "codes": sorted(f"{c.system} {c.code} ({c.source})" for c in procedure.codes),
        "retired": procedure.retired,
    }
    names = {row.locale: row for row in procedure.names}
    for locale in CATALOGUE_LOCALES:
        row = names.get(locale)
        content[f"names_{locale}"] = (
            {"name": row.name, "short_name": row.short_name, "synonyms": row.synonym_list}
            if row is not None
            else None
        )
    return content


def delete_procedure(procedure: Procedure, *, actor: User | None, now: datetime) -> None:
    """Delete a procedure that nothing uses; one that is used can only be retired."""
    usage = queries.usage(procedure.id)
    if usage.cases:
        raise DomainError(
            ngettext(
                "%(num)d case uses this procedure, so it cannot be deleted. Retire it instead: "
                "it leaves the case form and stays on the cases that have it.",
                "%(num)d cases use this procedure, so it cannot be deleted. Retire it instead: "
                "it leaves the case form and stays on the cases that have it.",
                usage.cases,
            )
        )
    if usage.other:
        raise DomainError(
            _(
                "Other records (such as competency targets) use this procedure, so it cannot be "
                "deleted. Retire it instead."
            )
        )
    before = procedure_content(procedure)
    record("procedure", procedure.id, "deleted", before=before, actor=actor, now=now)
    db.session.delete(procedure)
    db.session.flush()


def sync_codes(procedure: Procedure, codes: Iterable[CodeInput]) -> None:
    """Make the procedure's external codes exactly these, keeping rows that stay."""
    wanted = {(c.system, c.code): c for c in codes}
    for existing in list(procedure.codes):
        entry = wanted.pop((existing.system, existing.code), None)
        if entry is None:
            procedure.codes.remove(existing)
        else:
            existing.source = entry.source
    for entry in wanted.values():
        procedure.codes.append(
            ProcedureCode(system=entry.system, code=entry.code, source=entry.source)
        )


def sync_names(procedure: Procedure, names: dict[str, LocalNamesInput]) -> None:
    """Give the procedure these names in each language listed (checked before); a blank
    language loses its row; languages not listed keep theirs."""
    rows = {row.locale: row for row in procedure.names}
    for locale, entry in names.items():
        row = rows.get(locale)
        if entry.blank:
            if row is not None:
                procedure.names.remove(row)
            continue
        if row is None:
            row = ProcedureName(locale=locale)
            procedure.names.append(row)
        row.name = " ".join(entry.name.split()) or None
        row.short_name = " ".join(entry.short_name.split()) or None
        row.synonyms = "\n".join(clean_synonyms(entry.synonyms))


def _apply(procedure: Procedure, data: ProcedureInput) -> None:
    """Check every rule, then copy the values onto the procedure."""
    specialty = db.session.get(Specialty, data.specialty_id)
    if specialty is None:
        raise DomainError(_("Choose a specialty."), "specialty_id")
    name = " ".join(data.name.split())
    if not name:
        raise DomainError(_("Give the procedure a name."), "name")
    if len(name) > NAME_MAX:
        raise DomainError(_("Keep the name under %(n)d characters.", n=NAME_MAX), "name")
    if _name_taken(specialty, name, procedure):
        raise DomainError(
            _(
                "%(specialty)s already has a procedure called “%(name)s”.",
                specialty=local_text(specialty),
                name=name,
            ),
            "name",
        )
    key = _key_for(specialty, data.key, name, procedure)
    short_name = " ".join(data.short_name.split())
    if len(short_name) > SHORT_NAME_MAX:
        raise DomainError(
            _("Keep the short name under %(n)d characters.", n=SHORT_NAME_MAX), "short_name"
        )
    synonyms = clean_synonyms(data.synonyms)
    too_long = next((s for s in synonyms if len(s) > SYNONYM_MAX), None)
    if too_long:
        raise DomainError(
            _(
                "Keep each synonym under %(n)d characters: “%(synonym)s…” is longer.",
                n=SYNONYM_MAX,
                synonym=too_long[:30],
            ),
            "synonyms",
        )
    groups = _groups_of(specialty, data.group_ids)
    codes = _check_codes(data.codes)
    for locale, entry in data.names.items():
        _check_local_names(specialty, procedure, locale, entry)

    procedure.specialty = specialty
    procedure.code = key
    procedure.name = name
    procedure.short_name = short_name or None
    procedure.synonyms = "\n".join(synonyms)
    procedure.default_approach = data.default_approach
    procedure.groups = groups
    sync_codes(procedure, codes)
    sync_names(procedure, data.names)


def _check_local_names(
    specialty: Specialty, procedure: Procedure, locale: str, entry: LocalNamesInput
) -> None:
    """A known language; names within the columns' sizes; a name no other procedure of the
    specialty has in that language."""
    field = f"names_{locale}"
    if locale not in CATALOGUE_LOCALES:
        raise DomainError(_("The catalogue has no language “%(locale)s”.", locale=locale))
    language = language_for_reader(locale)
    name = " ".join(entry.name.split())
    if len(name) > NAME_MAX:
        raise DomainError(
            _("Keep the %(language)s name under %(n)d characters.", language=language, n=NAME_MAX),
            f"{field}.name",
        )
    if len(" ".join(entry.short_name.split())) > SHORT_NAME_MAX:
        raise DomainError(
            _(
                "Keep the %(language)s short name under %(n)d characters.",
                language=language,
                n=SHORT_NAME_MAX,
            ),
            f"{field}.short_name",
        )
    too_long = next((s for s in clean_synonyms(entry.synonyms) if len(s) > SYNONYM_MAX), None)
    if too_long:
        raise DomainError(
            _(
                "Keep each synonym under %(n)d characters: “%(synonym)s…” is longer.",
                n=SYNONYM_MAX,
                synonym=too_long[:30],
            ),
            f"{field}.synonyms",
        )
    if name and _local_name_taken(specialty, procedure, locale, name):
        raise DomainError(
            _(
                "%(specialty)s already has a procedure called “%(name)s” in %(language)s.",
                specialty=local_text(specialty),
                name=name,
                language=language,
            ),
            f"{field}.name",
        )


def _local_name_taken(specialty: Specialty, procedure: Procedure, locale: str, name: str) -> bool:
    """Compared folded in Python: SQLite's lower() leaves Cyrillic as it is."""
    query = (
        select(ProcedureName.name)
        .join(Procedure, Procedure.id == ProcedureName.procedure_id)
        .where(Procedure.specialty_id == specialty.id, ProcedureName.locale == locale)
    )
    if procedure.id is not None:
        query = query.where(Procedure.id != procedure.id)
    wanted = folding.fold(name)
    return any(folding.fold(other or "") == wanted for other in db.session.scalars(query))


def _name_taken(specialty: Specialty, name: str, procedure: Procedure) -> bool:
    query = select(Procedure.id).where(
        Procedure.specialty_id == specialty.id, func.lower(Procedure.name) == name.lower()
    )
    if procedure.id is not None:
        query = query.where(Procedure.id != procedure.id)
    return db.session.scalar(query.limit(1)) is not None


def _key_taken(specialty: Specialty, key: str, procedure: Procedure) -> bool:
    query = select(Procedure.id).where(
        Procedure.specialty_id == specialty.id, Procedure.code == key
    )
    if procedure.id is not None:
        query = query.where(Procedure.id != procedure.id)
    return db.session.scalar(query.limit(1)) is not None


def _key_for(specialty: Specialty, typed: str, name: str, procedure: Procedure) -> str:
    """The key typed (checked), else the procedure's current one, else one made from the name."""
    typed = typed.strip()
    if typed:
        if not KEY_PATTERN.match(typed) or len(typed) > KEY_MAX:
            raise DomainError(
                _("Use lower-case letters, digits and hyphens only, for example “lumbar-tlif”."),
                "key",
            )
        if _key_taken(specialty, typed, procedure):
            raise DomainError(
                _(
                    "Another procedure of %(specialty)s has the key “%(key)s”.",
                    specialty=local_text(specialty),
                    key=typed,
                ),
                "key",
            )
        return typed
    if procedure.code and not _key_taken(specialty, procedure.code, procedure):
        return procedure.code
    base = slugify(name) or "procedure"
    key, n = base, 1
    while _key_taken(specialty, key, procedure):
        n += 1
        suffix = f"-{n}"
        key = base[: KEY_MAX - len(suffix)] + suffix
    return key


def _groups_of(specialty: Specialty, group_ids: list[int]) -> list[ProcedureGroup]:
    """The chosen groups, which must belong to the procedure's specialty."""
    wanted = set(group_ids)
    if not wanted:
        return []
    groups = list(
        db.session.scalars(
            select(ProcedureGroup)
            .where(ProcedureGroup.id.in_(wanted))
            .order_by(ProcedureGroup.name)
        )
    )
    if len(groups) != len(wanted) or any(g.specialty_id != specialty.id for g in groups):
        raise DomainError(
            _("Choose only groups of %(specialty)s.", specialty=local_text(specialty)), "group_ids"
        )
    return groups


def _check_codes(codes: list[CodeInput]) -> list[CodeInput]:
    """Complete, attributed, unrepeated codes; rows left entirely blank are ignored."""
    checked: list[CodeInput] = []
    seen: set[tuple[str, str]] = set()
    for row in codes:
        system, code, source = row.system.strip(), row.code.strip(), " ".join(row.source.split())
        if not (system or code or source):
            continue
        if not (system and code):
            raise DomainError(_("Give each external code both its system and the code."), "codes")
        if not source:
            raise DomainError(
                _(
                    "Say where %(system)s %(code)s comes from (the publisher of the code system): "
                    "only enter a code you can attribute.",
                    system=system,
                    code=code,
                ),
                "codes",
            )
        if len(system) > SYSTEM_MAX or len(code) > CODE_MAX or len(source) > SOURCE_MAX:
            raise DomainError(
                _(
                    "%(system)s %(code)s is too long: systems and codes up to "
                    "%(short)d characters, sources up to %(long)d.",
                    system=system[:20],
                    code=code[:20],
                    short=CODE_MAX,
                    long=SOURCE_MAX,
                ),
                "codes",
            )
        if (system.casefold(), code.casefold()) in seen:
            raise DomainError(
                _("%(system)s %(code)s is entered twice.", system=system, code=code), "codes"
            )
        seen.add((system.casefold(), code.casefold()))
        checked.append(CodeInput(system, code, source))
    return checked
