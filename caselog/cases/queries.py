"""Read-only queries for the case pages: the trainee's list and the form's options."""

from dataclasses import dataclass
from datetime import date

from sqlalchemy import Select, or_, select
from sqlalchemy.orm import selectinload

from caselog.catalogue.queries import search_condition
from caselog.extensions import db
from caselog.models import (
    Case,
    CaseStatus,
    Enrolment,
    MentorAppointment,
    Procedure,
    Program,
    Site,
    Specialty,
    User,
)
from caselog.models.organisation import program_sites


@dataclass
class CaseFilters:
    status: CaseStatus | None = None
    program_id: int | None = None
    date_from: date | None = None
    date_to: date | None = None
    text: str = ""


def trainee_cases(trainee: User, filters: CaseFilters) -> Select:
    """The trainee's own cases, newest operation first, with what the list shows preloaded."""
    query = (
        select(Case)
        .where(Case.trainee_id == trainee.id)
        .options(
            selectinload(Case.primary_procedure),
            selectinload(Case.site),
            selectinload(Case.supervisor),
            selectinload(Case.program),
            selectinload(Case.signatures),  # approved rows name their signer
        )
        .order_by(Case.operation_date.desc(), Case.id.desc())
    )
    if filters.status:
        query = query.where(Case.status == filters.status)
    if filters.program_id:
        query = query.where(Case.program_id == filters.program_id)
    if filters.date_from:
        query = query.where(Case.operation_date >= filters.date_from)
    if filters.date_to:
        query = query.where(Case.operation_date <= filters.date_to)
    if filters.text.strip():
        pattern = f"%{filters.text.strip()}%"
        query = query.join(Case.primary_procedure).where(
            or_(search_condition(filters.text), Case.reference.ilike(pattern))
        )
    return query


def trainee_programs(trainee: User) -> list[Program]:
    query = (
        select(Program)
        .join(Enrolment, Enrolment.program_id == Program.id)
        .where(Enrolment.trainee_id == trainee.id)
        .distinct()
        .order_by(Program.start_date.desc())
    )
    return list(db.session.scalars(query))


def trainee_sites(trainee: User) -> list[Site]:
    """Hospitals of every program the trainee is enrolled in."""
    query = (
        select(Site)
        .join(program_sites, program_sites.c.site_id == Site.id)
        .join(Enrolment, Enrolment.program_id == program_sites.c.program_id)
        .where(Enrolment.trainee_id == trainee.id)
        .distinct()
        .order_by(Site.name)
    )
    return list(db.session.scalars(query))


def trainee_supervisors(trainee: User) -> list[User]:
    """Mentors appointed in any of the trainee's programs."""
    query = (
        select(User)
        .join(MentorAppointment, MentorAppointment.mentor_id == User.id)
        .join(Enrolment, Enrolment.program_id == MentorAppointment.program_id)
        .where(Enrolment.trainee_id == trainee.id, User.id != trainee.id, User.active)
        .distinct()
        .order_by(User.full_name)
    )
    return list(db.session.scalars(query))


@dataclass
class CaseFormOptions:
    """What the trainee may choose on the case form."""

    sites: list[Site]
    supervisors: list[User]
    programs: list[Program]
    catalogue: list[tuple[Specialty, list[Procedure]]]


def case_form_options(trainee: User) -> CaseFormOptions:
    """Load the case form's choices once per request."""
    programs = trainee_programs(trainee)
    return CaseFormOptions(
        sites=trainee_sites(trainee),
        supervisors=trainee_supervisors(trainee),
        programs=programs,
        catalogue=procedure_catalogue(programs),
    )


def procedure_catalogue(programs: list[Program]) -> list[tuple[Specialty, list[Procedure]]]:
    """Active procedures by specialty, the specialties of the given programs first."""
    own = {p.specialty_id for p in programs}
    specialties = db.session.scalars(
        select(Specialty).options(selectinload(Specialty.procedures)).order_by(Specialty.name)
    )
    grouped = [(s, [p for p in s.procedures if not p.retired]) for s in specialties]
    return sorted(grouped, key=lambda pair: pair[0].id not in own)


def last_case(trainee: User) -> Case | None:
    """The trainee's most recently logged case, whose site and supervisor become defaults."""
    query = (
        select(Case).where(Case.trainee_id == trainee.id).order_by(Case.created_at.desc()).limit(1)
    )
    return db.session.scalar(query)
