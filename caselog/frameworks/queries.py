"""Read-only queries of the framework pages, each in a fixed number of statements."""

from collections import defaultdict
from dataclasses import dataclass, field

from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from caselog.extensions import db
from caselog.i18n import translated
from caselog.models import (
    Framework,
    FrameworkVersion,
    Procedure,
    ProcedureGroup,
    Program,
    Specialty,
    Target,
    User,
)
from caselog.models.catalogue import procedure_groups
from caselog.models.organisation import directed_program_ids


@dataclass
class Use:
    """A program measured against one version of a framework."""

    program_id: int
    program_name: str  # in the reader's language
    version_number: int
    manageable: bool  # whether the reader may open the program's page


@dataclass
class FrameworkRow:
    """A framework on the list: its latest version and the programs that use it."""

    framework: Framework
    uses: list[Use] = field(default_factory=list)
    target_count: int = 0  # in the latest version


@dataclass
class VersionPage:
    """Everything the page of one version shows."""

    framework: Framework
    version: FrameworkVersion
    targets: list[Target]
    group_sizes: dict[int, int]
    uses: dict[int, list[Use]]  # by version id


def frameworks(reader: User) -> list[FrameworkRow]:
    """Every framework with its specialty, versions and the programs using each version."""
    rows = [
        FrameworkRow(f)
        for f in db.session.scalars(
            select(Framework)
            .order_by(Framework.name)
            .options(selectinload(Framework.specialty), selectinload(Framework.versions))
        )
    ]
    uses = _uses(reader, [f.framework.id for f in rows])
    latest = [row.framework.latest.id for row in rows if row.framework.latest]
    counts = (
        dict(
            db.session.execute(
                select(Target.version_id, func.count())
                .where(Target.version_id.in_(latest))
                .group_by(Target.version_id)
            ).all()
        )
        if latest
        else {}
    )
    for row in rows:
        row.uses = [use for version in row.framework.versions for use in uses[version.id]]
        row.target_count = counts.get(row.framework.latest.id, 0) if row.framework.latest else 0
    return rows


def framework_or_none(framework_id: int) -> Framework | None:
    """A framework with its specialty and versions (and their authors) loaded."""
    return db.session.scalar(
        select(Framework)
        .where(Framework.id == framework_id)
        .options(
            selectinload(Framework.specialty),
            selectinload(Framework.versions).selectinload(FrameworkVersion.created_by),
        )
    )


def version_page(reader: User, framework: Framework, version: FrameworkVersion) -> VersionPage:
    """One version's targets with their procedures and groups, and who uses which version."""
    targets = load_targets(version)
    group_ids = {g.id for t in targets for g in t.groups}
    return VersionPage(
        framework, version, targets, group_sizes(group_ids), _uses(reader, [framework.id])
    )


def load_targets(version: FrameworkVersion) -> list[Target]:
    """The version's targets, each with its procedures and groups (three queries)."""
    db.session.scalars(
        select(FrameworkVersion)
        .where(FrameworkVersion.id == version.id)
        .options(
            selectinload(FrameworkVersion.targets).selectinload(Target.procedures),
            selectinload(FrameworkVersion.targets).selectinload(Target.groups),
        )
        .execution_options(populate_existing=True)
    ).one()
    return list(version.targets)


def group_sizes(group_ids: set[int]) -> dict[int, int]:
    """How many procedures each group holds."""
    if not group_ids:
        return {}
    rows = db.session.execute(
        select(procedure_groups.c.group_id, func.count())
        .where(procedure_groups.c.group_id.in_(group_ids))
        .group_by(procedure_groups.c.group_id)
    )
    return {group_id: count for group_id, count in rows}


def _uses(reader: User, framework_ids: list[int]) -> dict[int, list[Use]]:
    """Programs on versions of these frameworks, by version id (one query)."""
    if not framework_ids:
        return defaultdict(list)
    managed = directed_program_ids(reader.id)
    rows = db.session.execute(
        select(
            Program.id,
            Program.name,
            Program.name_translations,
            FrameworkVersion.id,
            FrameworkVersion.number,
            Program.id.in_(managed),
        )
        .join(FrameworkVersion, Program.framework_version_id == FrameworkVersion.id)
        .where(FrameworkVersion.framework_id.in_(framework_ids))
        .order_by(Program.name)
    )
    uses: dict[int, list[Use]] = defaultdict(list)
    for program_id, name, translations, version_id, number, directs in rows:
        uses[version_id].append(
            Use(
                program_id, translated(name, translations), number, bool(directs) or reader.is_admin
            )
        )
    return uses


def specialties() -> list[Specialty]:
    """Specialties a framework can be written for, by name."""
    return list(db.session.scalars(select(Specialty).order_by(Specialty.name)))


def usual_specialty(user: User, specialties: list[Specialty]) -> int | None:
    """The specialty a new framework most likely counts: that of a program the user directs,
    else the only one there is."""
    specialty_id = db.session.scalar(
        select(Program.specialty_id)
        .where(Program.id.in_(directed_program_ids(user.id)))
        .order_by(Program.name)
        .limit(1)
    )
    if specialty_id is None and len(specialties) == 1:
        return specialties[0].id
    return specialty_id


def procedures_of(specialty_id: int) -> list[Procedure]:
    """The specialty's procedures (retired ones last) with their groups loaded."""
    return list(
        db.session.scalars(
            select(Procedure)
            .where(Procedure.specialty_id == specialty_id)
            .order_by(Procedure.retired, Procedure.name)
            .options(selectinload(Procedure.groups))
        )
    )


def groups_of(specialty_id: int) -> list[ProcedureGroup]:
    """The specialty's procedure groups, by name."""
    return list(
        db.session.scalars(
            select(ProcedureGroup)
            .where(ProcedureGroup.specialty_id == specialty_id)
            .order_by(ProcedureGroup.name)
        )
    )


def assignable_versions(program: Program) -> list[FrameworkVersion]:
    """Versions of the frameworks of the program's specialty: by framework, newest first."""
    return list(
        db.session.scalars(
            select(FrameworkVersion)
            .join(Framework)
            .where(Framework.specialty_id == program.specialty_id)
            .order_by(Framework.name, FrameworkVersion.number.desc())
            .options(selectinload(FrameworkVersion.framework))
        )
    )
