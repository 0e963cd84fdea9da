"""Read-only queries for the catalogue pages: the list, the groups, what uses a procedure."""

from dataclasses import dataclass

from sqlalchemy import ColumnElement, and_, func, select, true, union
from sqlalchemy.orm import selectinload

from caselog import folding
from caselog.extensions import db
from caselog.models import Case, Procedure, ProcedureGroup, Specialty
from caselog.models.cases import case_additional_procedures


@dataclass
class CatalogueFilters:
    """What the admin searches for: words, a specialty, active or retired procedures."""

    text: str = ""
    specialty_id: int | None = None
    status: str = ""  # "", "active" or "retired"

    @property
    def active(self) -> bool:
        return bool(self.text.strip() or self.specialty_id or self.status)


@dataclass
class Usage:
    """How many cases, and how many other records, refer to a procedure."""

    cases: int = 0
    other: int = 0

    @property
    def any(self) -> bool:
        return bool(self.cases or self.other)


def specialties(locale: str = "en") -> list[Specialty]:
    """Every specialty, in alphabetical order of its name in that language."""
    rows = db.session.scalars(select(Specialty).order_by(Specialty.name))
    return sorted(rows, key=lambda s: folding.sort_key(s.display_name(locale).text))


def _like(text: str) -> str:
    escaped = text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


def search_condition(text: str) -> ColumnElement[bool]:
    """Every word typed must appear in a name, short name or synonym of the procedure, in
    any of the catalogue's languages, whatever the case.

    Compares folded text (caselog.folding) with the folded `search_text` column, so Cyrillic
    and Hangul match on SQLite, whose LOWER() and LIKE fold ASCII only, as on PostgreSQL.
    """
    conditions = [
        Procedure.search_text.like(_like(word), escape="\\") for word in folding.words(text)
    ]
    return and_(true(), *conditions)


def catalogue(
    filters: CatalogueFilters, locale: str = "en"
) -> list[tuple[Specialty, list[Procedure]]]:
    """Specialties with their matching procedures (groups and codes preloaded), in the
    alphabetical order of their names in that language."""
    query = (
        select(Procedure)
        .options(selectinload(Procedure.groups), selectinload(Procedure.codes))
        .order_by(Procedure.name)
    )
    if filters.text.strip():
        query = query.where(search_condition(filters.text))
    if filters.specialty_id:
        query = query.where(Procedure.specialty_id == filters.specialty_id)
    if filters.status == "active":
        query = query.where(Procedure.retired.is_(False))
    elif filters.status == "retired":
        query = query.where(Procedure.retired.is_(True))
    by_specialty: dict[int, list[Procedure]] = {}
    for procedure in db.session.scalars(query):
        by_specialty.setdefault(procedure.specialty_id, []).append(procedure)
    for procedures in by_specialty.values():
        procedures.sort(key=lambda p: folding.sort_key(p.display_name(locale).text))
    shown = [
        (specialty, by_specialty.get(specialty.id, []))
        for specialty in specialties(locale)
        if not filters.specialty_id or specialty.id == filters.specialty_id
    ]
    if filters.active:
        shown = [(specialty, procedures) for specialty, procedures in shown if procedures]
    return shown


def groups_by_specialty(locale: str = "en") -> list[tuple[Specialty, list[ProcedureGroup]]]:
    """Every group, under its specialty, for the procedure form."""
    groups = db.session.scalars(select(ProcedureGroup).order_by(ProcedureGroup.name))
    by_specialty: dict[int, list[ProcedureGroup]] = {}
    for group in sorted(groups, key=lambda g: folding.sort_key(g.display_name(locale).text)):
        by_specialty.setdefault(group.specialty_id, []).append(group)
    return [(s, by_specialty[s.id]) for s in specialties(locale) if s.id in by_specialty]


def case_counts(procedure_ids: list[int] | None = None) -> dict[int, int]:
    """How many cases use each procedure, as primary or additional (a case counts once)."""
    uses = union(
        select(Case.primary_procedure_id.label("procedure_id"), Case.id.label("case_id")),
        select(case_additional_procedures.c.procedure_id, case_additional_procedures.c.case_id),
    ).subquery()
    query = select(uses.c.procedure_id, func.count()).group_by(uses.c.procedure_id)
    if procedure_ids is not None:
        if not procedure_ids:
            return {}
        query = query.where(uses.c.procedure_id.in_(procedure_ids))
    return {procedure_id: count for procedure_id, count in db.session.execute(query)}


def usage(procedure_id: int) -> Usage:
    """Cases that use the procedure, and any other record whose foreign key would block deletion.

    Any table that refers to procedures without ON DELETE CASCADE or SET NULL counts, so a
    feature added later (say, competency targets) protects its procedures too.
    """
    cases = case_counts([procedure_id]).get(procedure_id, 0)
    other = 0
    for table in db.metadata.sorted_tables:
        if table.name in (Case.__tablename__, case_additional_procedures.name):
            continue
        for key in table.foreign_keys:
            if key.column.table.name != Procedure.__tablename__:
                continue
            if (key.ondelete or "").upper() in ("CASCADE", "SET NULL"):
                continue
            count = db.session.scalar(
                select(func.count()).select_from(table).where(key.parent == procedure_id)
            )
            other += count or 0
    return Usage(cases=cases, other=other)
