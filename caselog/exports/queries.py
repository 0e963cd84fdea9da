"""Reads for case exports: the filters' options, how many cases match, the cases in batches.

What a user may export is decided once, by `exportable_cases`; every query here
adds the filters to that condition, so a filter can narrow an export but never widen it.
"""

import enum
from collections.abc import Iterator, Sequence
from dataclasses import asdict, dataclass, field
from datetime import date

from sqlalchemy import ColumnElement, and_, func, or_, select, true, union
from sqlalchemy.orm import joinedload, selectinload

from caselog import policies
from caselog.extensions import db
from caselog.models import (
    Case,
    CaseStatus,
    Enrolment,
    Involvement,
    MentorAppointment,
    Procedure,
    Program,
    Signature,
    Site,
    User,
)
from caselog.models.cases import case_additional_procedures as additional
from caselog.models.organisation import directed_program_ids, program_sites


def exportable_cases(user: User) -> ColumnElement[bool]:
    """The cases a user may export, as a condition on Case: their own; those of the programs
    they mentor in, once submitted (mentors never see drafts); every case of the programs
    they direct; every case for admins."""
    if policies.is_admin(user):
        return true()
    mentored = select(MentorAppointment.program_id).where(MentorAppointment.mentor_id == user.id)
    return or_(
        Case.trainee_id == user.id,
        and_(Case.program_id.in_(mentored), Case.status != CaseStatus.DRAFT),
        Case.program_id.in_(directed_program_ids(user.id)),
    )


def exportable_programs(user: User) -> ColumnElement[bool]:
    """Programs a user may export cases of (some of them, as above), as a condition on
    Program: where they are enrolled, mentor or direct; every program for admins."""
    if policies.is_admin(user):
        return true()
    return or_(
        Program.id.in_(select(Enrolment.program_id).where(Enrolment.trainee_id == user.id)),
        Program.id.in_(
            select(MentorAppointment.program_id).where(MentorAppointment.mentor_id == user.id)
        ),
        Program.id.in_(directed_program_ids(user.id)),
    )


BATCH_SIZE = 500  # cases read, loaded and written at a time (config EXPORT_BATCH_SIZE)


@dataclass(frozen=True)
class ExportFilters:
    """What the user asked for; None means any."""

    program_id: int | None = None
    date_from: date | None = None
    date_to: date | None = None
    site_id: int | None = None
    procedure_id: int | None = None
    involvement: Involvement | None = None
    status: CaseStatus | None = None
    trainee_id: int | None = None

    def as_dict(self) -> dict:
        """The filters that are set, as plain values: for the audit trail."""
        plain = {}
        for name, value in asdict(self).items():
            if isinstance(value, enum.Enum):
                value = value.value
            elif isinstance(value, date):
                value = value.isoformat()
            if value is not None:
                plain[name] = value
        return plain


@dataclass
class ExportOptions:
    """The choices the filter form offers: only what the user may export."""

    programs: list[Program] = field(default_factory=list)
    sites: list[Site] = field(default_factory=list)
    procedures: list[Procedure] = field(default_factory=list)
    trainees: list[User] = field(default_factory=list)
    statuses: list[CaseStatus] = field(default_factory=list)
    choose_trainee: bool = False


def export_options(user: User) -> ExportOptions:
    """The programs the user may export cases of and their hospitals; the procedures and
    trainees found among the cases the user may export."""
    scope = exportable_cases(user)
    in_scope = select(Case.id).where(scope)
    used_procedures = union(
        select(Case.primary_procedure_id).where(scope),
        select(additional.c.procedure_id).where(additional.c.case_id.in_(in_scope)),
    )
    programs = select(Program.id).where(exportable_programs(user))
    return ExportOptions(
        programs=list(
            db.session.scalars(
                select(Program)
                .where(Program.id.in_(programs))
                .order_by(Program.start_date.desc(), Program.name)
            )
        ),
        sites=list(
            db.session.scalars(
                select(Site)
                .where(
                    or_(
                        Site.id.in_(
                            select(program_sites.c.site_id).where(
                                program_sites.c.program_id.in_(programs)
                            )
                        ),
                        Site.id.in_(select(Case.site_id).where(scope)),
                    )
                )
                .order_by(Site.name)
            )
        ),
        procedures=list(
            db.session.scalars(
                select(Procedure)
                .where(Procedure.id.in_(used_procedures))
                .order_by(Procedure.name, Procedure.id)
            )
        ),
        trainees=list(
            db.session.scalars(
                select(User)
                .where(User.id.in_(select(Case.trainee_id).where(scope)))
                .order_by(User.full_name, User.id)
            )
        )
        if policies.exports_others(user)
        else [],
        statuses=[
            s for s in CaseStatus if s is not CaseStatus.DRAFT or policies.exports_drafts(user)
        ],
        choose_trainee=policies.exports_others(user),
    )


def conditions(user: User, filters: ExportFilters) -> list[ColumnElement[bool]]:
    """The WHERE clause of an export: what the user may export, narrowed by the filters.

    Plain SQL expressions (ids already in them), so they outlive the request's session and
    can be run again while the response streams.
    """
    where = [exportable_cases(user)]
    if filters.program_id is not None:
        where.append(Case.program_id == filters.program_id)
    if filters.date_from is not None:
        where.append(Case.operation_date >= filters.date_from)
    if filters.date_to is not None:
        where.append(Case.operation_date <= filters.date_to)
    if filters.site_id is not None:
        where.append(Case.site_id == filters.site_id)
    if filters.procedure_id is not None:  # as the primary procedure or an additional one
        where.append(
            or_(
                Case.primary_procedure_id == filters.procedure_id,
                Case.id.in_(
                    select(additional.c.case_id).where(
                        additional.c.procedure_id == filters.procedure_id
                    )
                ),
            )
        )
    if filters.involvement is not None:
        where.append(Case.involvement == filters.involvement)
    if filters.status is not None:
        where.append(Case.status == filters.status)
    if filters.trainee_id is not None:
        where.append(Case.trainee_id == filters.trainee_id)
    return where


def count(where: list[ColumnElement[bool]]) -> int:
    """How many cases an export holds."""
    return db.session.scalar(select(func.count(Case.id)).where(*where)) or 0


def case_batches(
    where: list[ColumnElement[bool]], size: int = BATCH_SIZE
) -> Iterator[Sequence[Case]]:
    """The matching cases by operation date, `size` at a time, with all an export row shows.

    The rows are fetched from one cursor `size` at a time (a server-side cursor on
    PostgreSQL), and each batch loads its procedures' codes, additional procedures and
    signatures with a fixed number of queries, whatever the batch holds. Nothing keeps a
    finished batch alive, so memory stays flat however many cases there are.
    """
    query = (
        select(Case)
        .where(*where)
        .options(
            joinedload(Case.trainee),
            joinedload(Case.supervisor),
            joinedload(Case.program),
            joinedload(Case.site),
            joinedload(Case.primary_procedure).selectinload(Procedure.codes),
            selectinload(Case.additional_procedures).selectinload(Procedure.codes),
            selectinload(Case.signatures).options(
                joinedload(Signature.signer), joinedload(Signature.on_behalf_of)
            ),
        )
        .order_by(Case.operation_date, Case.id)
        .execution_options(yield_per=size)
    )
    yield from db.session.scalars(query).partitions()
