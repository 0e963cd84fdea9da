"""Read-only queries for the program pages: the programs a user runs, and a program's people."""

from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from caselog.extensions import db
from caselog.models import Delegate, Enrolment, MentorAppointment, Program, User
from caselog.models.organisation import directed_program_ids


@dataclass
class ProgramSummary:
    """A program on the index page, with how many trainees and mentors it has."""

    program: Program
    trainees: int
    mentors: int


def managed_programs(user: User, everything: bool = False) -> list[ProgramSummary]:
    """The programs the user directs (every program if `everything`), newest first."""
    trainees = (
        select(Enrolment.program_id, func.count(func.distinct(Enrolment.trainee_id)).label("n"))
        .group_by(Enrolment.program_id)
        .subquery()
    )
    mentors = (
        select(
            MentorAppointment.program_id,
            func.count(func.distinct(MentorAppointment.mentor_id)).label("n"),
        )
        .group_by(MentorAppointment.program_id)
        .subquery()
    )
    query = (
        select(Program, func.coalesce(trainees.c.n, 0), func.coalesce(mentors.c.n, 0))
        .outerjoin(trainees, trainees.c.program_id == Program.id)
        .outerjoin(mentors, mentors.c.program_id == Program.id)
        .options(selectinload(Program.sites), selectinload(Program.specialty))
        .order_by(Program.start_date.desc(), Program.name)
    )
    if not everything:
        query = query.where(Program.id.in_(directed_program_ids(user.id)))
    return [ProgramSummary(p, t, m) for p, t, m in db.session.execute(query)]


def enrolments(program: Program) -> list[Enrolment]:
    """The program's enrolments, by cohort, then trainee, with the trainee preloaded."""
    query = (
        select(Enrolment)
        .join(Enrolment.trainee)
        .where(Enrolment.program_id == program.id)
        .options(selectinload(Enrolment.trainee))
        .order_by(Enrolment.cohort.nulls_last(), User.full_name, Enrolment.start_date)
    )
    return list(db.session.scalars(query))


def appointments(program: Program) -> list[MentorAppointment]:
    """The program's mentor appointments, by mentor, with mentor and site preloaded."""
    query = (
        select(MentorAppointment)
        .join(MentorAppointment.mentor)
        .where(MentorAppointment.program_id == program.id)
        .options(selectinload(MentorAppointment.mentor), selectinload(MentorAppointment.site))
        .order_by(User.full_name, MentorAppointment.id)
    )
    return list(db.session.scalars(query))


def delegates(program: Program) -> list[Delegate]:
    """The program's delegations, by the mentor signed for, with both people preloaded."""
    query = (
        select(Delegate)
        .join(Delegate.mentor)
        .where(Delegate.program_id == program.id)
        .options(selectinload(Delegate.mentor), selectinload(Delegate.delegate))
        .order_by(User.full_name, Delegate.id)
    )
    return list(db.session.scalars(query))


def mentors(program: Program) -> list[User]:
    """The program's mentors, once each, by name."""
    query = (
        select(User)
        .where(
            User.id.in_(
                select(MentorAppointment.mentor_id).where(
                    MentorAppointment.program_id == program.id
                )
            )
        )
        .order_by(User.full_name, User.id)
    )
    return list(db.session.scalars(query))
