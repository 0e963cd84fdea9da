"""Every rule about competency frameworks: creating one, saving a new version, assigning it.

A version is never changed once written: an edit writes the next version, and programs keep
the version they were assigned until a director assigns another. Each change is audited.
"""

from dataclasses import dataclass, field
from datetime import datetime

from flask_babel import gettext as _
from sqlalchemy import func, select

from caselog.audit.services import record
from caselog.errors import DomainError
from caselog.extensions import db
from caselog.i18n import cleaned_translations
from caselog.models import (
    Autonomy,
    Framework,
    FrameworkVersion,
    Involvement,
    Procedure,
    ProcedureGroup,
    Program,
    Specialty,
    Target,
    User,
)

NAME_MAX = 200
LABEL_MAX = 200
NOTE_MAX = 500
SOURCE_MAX = 1000
MAX_PROGRAM_YEAR = 7


@dataclass
class TargetInput:
    """One target as typed."""

    label: str
    min_count: int | None
    involvements: list[Involvement] = field(default_factory=list)
    procedure_ids: list[int] = field(default_factory=list)
    group_ids: list[int] = field(default_factory=list)
    entrust_count: int | None = None
    entrust_autonomy: Autonomy | None = None
    program_year: int | None = None
    label_translations: dict[str, str] = field(default_factory=dict)  # by language code


@dataclass
class FrameworkInput:
    """A framework's name, specialty and source, a note on what changed, and its targets."""

    name: str
    specialty_id: int | None
    source: str = ""
    note: str = ""
    targets: list[TargetInput] = field(default_factory=list)


class FrameworkInvalid(DomainError):
    """Several things to fix at once: (field path, message) pairs; path None for the form.

    A path is a field name ("name") or a target's field ("targets-2-min_count").
    """

    def __init__(self, problems: list[tuple[str | None, str]]) -> None:
        super().__init__(problems[0][1], problems[0][0], problems=problems)


def create_framework(
    data: FrameworkInput, *, actor: User | None = None, now: datetime
) -> FrameworkVersion:
    """A new framework and its first version, written at `now`."""
    specialty = db.session.get(Specialty, data.specialty_id) if data.specialty_id else None
    problems = _check(data, specialty, framework=None)
    if problems:
        raise FrameworkInvalid(problems)
    framework = Framework(
        name=data.name.strip(), specialty=specialty, source=data.source.strip(), created_at=now
    )
    db.session.add(framework)
    version = _write_version(framework, 1, data, actor, now)
    after = version_content(version)
    record("framework", framework.id, "created", after=after, actor=actor, now=now)
    return version


def save_new_version(
    framework: Framework, data: FrameworkInput, *, actor: User | None = None, now: datetime
) -> FrameworkVersion:
    """Write the framework's next version at `now`; earlier versions stay exactly as they were."""
    data.specialty_id = framework.specialty_id  # a framework keeps its specialty
    previous = framework.latest
    problems = _check(data, framework.specialty, framework=framework)
    if not data.note.strip():
        problems.append(("note", _("Say in a sentence what changed in this version.")))
    if problems:
        raise FrameworkInvalid(problems)
    before = version_content(previous) if previous else {}
    if previous and _same(before, _input_content(framework, data)):
        raise DomainError(
            _(
                "Nothing has changed since version %(n)d: change a target, the "
                "name or the source, or cancel.",
                n=previous.number,
            )
        )
    framework.name = data.name.strip()
    framework.source = data.source.strip()
    number = (previous.number if previous else 0) + 1
    version = _write_version(framework, number, data, actor, now)
    record(
        "framework",
        framework.id,
        "version_created",
        before=before,
        after=version_content(version),
        reason=version.note,
        actor=actor,
        now=now,
    )
    return version


def assign(
    program: Program, version_id: int | None, *, actor: User | None = None, now: datetime
) -> None:
    """Measure the program's trainees against this framework version (None: no framework)."""
    version = db.session.get(FrameworkVersion, version_id) if version_id else None
    if version_id and version is None:
        raise DomainError(_("That framework version no longer exists."), "version_id")
    if version is not None and version.framework.specialty_id != program.specialty_id:
        raise DomainError(
            _(
                "%(framework)s is a framework of another specialty.",
                framework=version.framework.name,
            ),
            "version_id",
        )
    before = program.framework_version_id
    if before == (version.id if version else None):
        return
    program.framework_version = version
    db.session.flush()
    record(
        "program",
        program.id,
        "framework_assigned",
        before={"framework_version_id": before},
        after={"framework_version_id": version.id if version else None},
        actor=actor,
        now=now,
    )


def version_content(version: FrameworkVersion) -> dict[str, object]:
    """What a version holds, in words and codes, for the audit trail."""
    framework = version.framework
    return {
        "name": framework.name,
        "specialty": framework.specialty.code,
        "source": framework.source,
        "version": version.number,
        "version_id": version.id,
        "note": version.note,
        "targets": [target_summary(t) for t in version.targets],
    }


def target_summary(target: Target) -> str:
    """One line that says what a target asks for."""
    return _line(
        target.label,
        target.min_count,
        target.involvements,
        [g.name for g in target.groups],
        [p.name for p in target.procedures],
        target.entrust_count,
        target.entrust_autonomy,
        target.program_year,
        target.label_translations,
    )


def _line(
    label: str,
    min_count: int | None,
    involvements: str,
    groups: list[str],
    procedures: list[str],
    entrust_count: int | None,
    entrust_autonomy: Autonomy | None,
    program_year: int | None,
    translations: dict[str, str] | None = None,
) -> str:
    names = ", ".join(sorted(groups) + sorted(procedures))
    text = f"{label}: {min_count} × [{names}] at {involvements}"
    if entrust_count and entrust_autonomy:
        text += f"; {entrust_count} rated {entrust_autonomy.value}+"
    if program_year:
        text += f"; year {program_year}"
    if translations:
        text += "; " + ", ".join(f"{code}: {translations[code]}" for code in sorted(translations))
    return text


def label_translations(target: TargetInput) -> dict[str, str]:
    """The target's label in other languages, as kept (DomainError if one is too long)."""
    return cleaned_translations(
        target.label.strip(), target.label_translations, "label_translations", LABEL_MAX
    )


def _input_content(framework: Framework, data: FrameworkInput) -> dict[str, object]:
    """What a version written from this input would hold (as version_content says it)."""
    procedures, groups = _chosen(data)
    return {
        "name": data.name.strip(),
        "specialty": framework.specialty.code,
        "source": data.source.strip(),
        "targets": [
            _line(
                t.label.strip(),
                t.min_count,
                _codes(t.involvements),
                [groups[i].name for i in set(t.group_ids)],
                [procedures[i].name for i in set(t.procedure_ids)],
                t.entrust_count,
                t.entrust_autonomy,
                t.program_year,
                label_translations(t),
            )
            for t in data.targets
        ],
    }


def _codes(levels: list[Involvement]) -> str:
    """Involvement codes in the scale's order, space-separated, as a target stores them."""
    return " ".join(level.value for level in Involvement if level in levels)


def _chosen(data: FrameworkInput) -> tuple[dict[int, Procedure], dict[int, ProcedureGroup]]:
    """The procedures and groups the input names, by id (two queries at most)."""
    ids = {pid for t in data.targets for pid in t.procedure_ids}
    procedures = (
        {p.id: p for p in db.session.scalars(select(Procedure).where(Procedure.id.in_(ids)))}
        if ids
        else {}
    )
    ids = {gid for t in data.targets for gid in t.group_ids}
    groups = (
        {
            g.id: g
            for g in db.session.scalars(select(ProcedureGroup).where(ProcedureGroup.id.in_(ids)))
        }
        if ids
        else {}
    )
    return procedures, groups


def _same(before: dict[str, object], after: dict[str, object]) -> bool:
    """Whether two versions' contents agree, apart from their numbers and notes."""
    ignored = ("version", "version_id", "note")
    return {k: v for k, v in before.items() if k not in ignored} == {
        k: v for k, v in after.items() if k not in ignored
    }


def _write_version(
    framework: Framework, number: int, data: FrameworkInput, actor: User | None, now: datetime
) -> FrameworkVersion:
    """Add the version and its targets (already checked) and flush them."""
    procedures, groups = _chosen(data)
    version = FrameworkVersion(
        framework=framework,
        number=number,
        note=data.note.strip() or _("First version."),
        created_by=actor,
        created_at=now,
    )
    db.session.add(version)
    for position, t in enumerate(data.targets):
        version.targets.append(
            Target(
                position=position,
                label=t.label.strip(),
                label_translations=label_translations(t),
                min_count=t.min_count,
                involvements=_codes(t.involvements),
                procedures=sorted(
                    (procedures[i] for i in set(t.procedure_ids)), key=lambda p: p.name
                ),
                groups=sorted((groups[i] for i in set(t.group_ids)), key=lambda g: g.name),
                entrust_count=t.entrust_count if t.entrust_autonomy else None,
                entrust_autonomy=t.entrust_autonomy if t.entrust_count else None,
                program_year=t.program_year,
            )
        )
    db.session.flush()
    return version


def _check(
    data: FrameworkInput, specialty: Specialty | None, framework: Framework | None
) -> list[tuple[str | None, str]]:
    """Every problem with the input, each on the field it concerns."""
    problems: list[tuple[str | None, str]] = []
    name = data.name.strip()
    if not name:
        problems.append(("name", _("Give the framework a name.")))
    elif len(name) > NAME_MAX:
        problems.append(("name", _("At most %(n)d characters.", n=NAME_MAX)))
    elif _name_taken(name, framework):
        problems.append(("name", _("Another framework is already called %(name)s.", name=name)))
    if specialty is None:
        problems.append(("specialty_id", _("Choose the specialty whose procedures it counts.")))
    if len(data.source.strip()) > SOURCE_MAX:
        problems.append(("source", _("At most %(n)d characters.", n=SOURCE_MAX)))
    if len(data.note.strip()) > NOTE_MAX:
        problems.append(("note", _("At most %(n)d characters.", n=NOTE_MAX)))
    if not data.targets:
        problems.append((None, _("Add at least one target.")))
    labels: set[str] = set()
    for index, target in enumerate(data.targets):
        problems += [
            (f"targets-{index}-{name}", message)
            for name, message in _check_target(target, specialty)
        ]
        label = target.label.strip().casefold()
        if label and label in labels:
            problems.append(
                (
                    f"targets-{index}-label",
                    _(
                        "Two targets are called %(label)s: give each its own name.",
                        label=target.label.strip(),
                    ),
                )
            )
        labels.add(label)
    return problems


def _check_target(target: TargetInput, specialty: Specialty | None) -> list[tuple[str, str]]:
    """The problems of one target, by field name."""
    problems = []
    if not target.label.strip():
        problems.append(("label", _("Name the target, for example Lumbar decompression.")))
    elif len(target.label.strip()) > LABEL_MAX:
        problems.append(("label", _("At most %(n)d characters.", n=LABEL_MAX)))
    try:
        label_translations(target)
    except DomainError as error:
        problems.append((error.field or "label_translations", error.message))
    if target.min_count is None or target.min_count < 1:
        problems.append(("min_count", _("The minimum is a whole number of cases, at least 1.")))
    if not target.involvements:
        problems.append(("involvements", _("Choose the involvement levels that count.")))
    if not target.procedure_ids and not target.group_ids:
        problems.append(("procedure_ids", _("Choose the procedures that count, or a group.")))
    elif specialty is not None and not _all_of_specialty(target, specialty):
        problems.append(
            (
                "procedure_ids",
                _("Choose procedures of %(specialty)s only.", specialty=specialty.name),
            )
        )
    if target.entrust_count is not None or target.entrust_autonomy is not None:
        if target.entrust_count is None or target.entrust_count < 1:
            problems.append(
                ("entrust_count", _("Say how many of the cases must be rated, at least 1."))
            )
        elif target.min_count and target.entrust_count > target.min_count:
            problems.append(
                (
                    "entrust_count",
                    _(
                        "At most the minimum (%(n)d): only counted cases are rated.",
                        n=target.min_count,
                    ),
                )
            )
        if target.entrust_autonomy is None:
            problems.append(("entrust_autonomy", _("Choose the rating they must reach.")))
    if target.program_year is not None and not 1 <= target.program_year <= MAX_PROGRAM_YEAR:
        problems.append(
            ("program_year", _("Choose a program year from 1 to %(n)d.", n=MAX_PROGRAM_YEAR))
        )
    return problems


def _all_of_specialty(target: TargetInput, specialty: Specialty) -> bool:
    """Whether every chosen procedure and group belongs to the specialty."""
    wanted = len(set(target.procedure_ids)) + len(set(target.group_ids))
    found = 0
    if target.procedure_ids:
        found += db.session.execute(
            select(func.count())
            .select_from(Procedure)
            .where(
                Procedure.id.in_(set(target.procedure_ids)), Procedure.specialty_id == specialty.id
            )
        ).scalar_one()
    if target.group_ids:
        found += db.session.execute(
            select(func.count())
            .select_from(ProcedureGroup)
            .where(
                ProcedureGroup.id.in_(set(target.group_ids)),
                ProcedureGroup.specialty_id == specialty.id,
            )
        ).scalar_one()
    return found == wanted


def _name_taken(name: str, framework: Framework | None) -> bool:
    """Whether another framework already has this name (ignoring case)."""
    query = select(Framework.id).where(func.lower(Framework.name) == name.lower())
    if framework is not None and framework.id is not None:
        query = query.where(Framework.id != framework.id)
    return db.session.scalar(query.limit(1)) is not None
