"""Every rule about a program's people lives here: enrolments and mentor appointments."""

from dataclasses import dataclass
from datetime import date

from flask_babel import format_date
from flask_babel import gettext as _
from sqlalchemy import exists, select

from caselog.admin.services import create_account, find_account
from caselog.errors import DomainError
from caselog.extensions import db
from caselog.models import Case, Enrolment, MentorAppointment, Program, User


@dataclass
class PersonInput:
    """Who: an existing account by e-mail, or a new one when a name is given too."""

    email: str
    full_name: str = ""
    password: str = ""


@dataclass
class EnrolmentInput:
    """An enrolment's period and details as typed."""

    start_date: date
    end_date: date
    home_institution: str = ""
    cohort: str = ""


def resolve_person(person: PersonInput) -> tuple[User, str | None]:
    """The account with this e-mail, or a new one; returns it and any generated password."""
    account = find_account(person.email)
    if account is not None:
        if not account.active:
            raise DomainError(
                _("The account for %(email)s is deactivated; ask an admin to reactivate it.",
                  email=account.email),
                "email",
            )
        return account, None
    if not person.full_name.strip():
        raise DomainError(
            _("No account uses %(email)s. Enter the person's full name to open one.",
              email=person.email.strip()),
            "full_name",
        )
    return create_account(person.full_name, person.email, person.password or None)


def enrol(program: Program, person: PersonInput, data: EnrolmentInput
          ) -> tuple[Enrolment, str | None]:
    """Enrol a trainee (opening their account if needed); returns any generated password."""
    _check_period(program, data)  # before opening any account, so a refusal leaves none behind
    trainee, generated = resolve_person(person)
    enrolment = Enrolment(trainee=trainee, program=program)
    _apply_enrolment(enrolment, program, trainee, data)
    db.session.add(enrolment)
    db.session.flush()
    return enrolment, generated


def update_enrolment(enrolment: Enrolment, data: EnrolmentInput) -> Enrolment:
    """Change an enrolment's dates, cohort or home institution."""
    _apply_enrolment(enrolment, enrolment.program, enrolment.trainee, data)
    db.session.flush()
    return enrolment


def end_enrolment(enrolment: Enrolment, on: date) -> Enrolment:
    """End an enrolment early, on the given day (its last day in the program)."""
    if on < enrolment.start_date:
        raise DomainError(
            _("This enrolment starts on %(day)s; it cannot end before it starts. "
              "Change its dates instead.", day=format_date(enrolment.start_date)),
            "last_day",
        )
    if on >= enrolment.end_date:
        raise DomainError(
            _("This enrolment already ends on %(day)s.", day=format_date(enrolment.end_date)),
            "last_day",
        )
    enrolment.end_date = on
    db.session.flush()
    return enrolment


def _apply_enrolment(enrolment: Enrolment, program: Program, trainee: User,
                     data: EnrolmentInput) -> None:
    """Check every rule about an enrolment, then copy the values onto it."""
    _check_period(program, data)
    if _is_mentor(trainee, program):
        raise DomainError(
            _("%(name)s is a mentor in this program and cannot also be a trainee in it.",
              name=trainee.full_name),
            "email",
        )
    overlapping = db.session.scalar(
        select(exists().where(
            Enrolment.trainee_id == trainee.id,
            Enrolment.program_id == program.id,
            Enrolment.id != (enrolment.id or 0),
            Enrolment.start_date <= data.end_date,
            Enrolment.end_date >= data.start_date,
        ))
    )
    if overlapping:
        raise DomainError(
            _("%(name)s is already enrolled in this program for part of that period.",
              name=trainee.full_name),
            "start_date",
        )
    enrolment.start_date = data.start_date
    enrolment.end_date = data.end_date
    enrolment.home_institution = data.home_institution.strip() or None
    enrolment.cohort = data.cohort.strip() or None


def _check_period(program: Program, data: EnrolmentInput) -> None:
    """End after start, and both within the program's dates."""
    if data.end_date < data.start_date:
        raise DomainError(_("The end date cannot be before the start date."), "end_date")
    if data.start_date < program.start_date or data.end_date > program.end_date:
        raise DomainError(
            _("An enrolment must fall within the program's dates, %(start)s to %(end)s.",
              start=format_date(program.start_date), end=format_date(program.end_date)),
            "start_date",
        )


def appoint(program: Program, person: PersonInput, site_id: int | None
            ) -> tuple[MentorAppointment, str | None]:
    """Appoint a mentor, at one of the program's sites or all of them."""
    if site_id is not None and site_id not in {site.id for site in program.sites}:
        raise DomainError(_("Choose one of the program's sites, or all sites."), "site_id")
    mentor, generated = resolve_person(person)
    is_trainee = db.session.scalar(select(exists().where(
        Enrolment.trainee_id == mentor.id, Enrolment.program_id == program.id
    )))
    if is_trainee:
        raise DomainError(
            _("%(name)s is a trainee in this program and cannot also be a mentor in it.",
              name=mentor.full_name),
            "email",
        )
    existing = list(db.session.scalars(select(MentorAppointment).where(
        MentorAppointment.mentor_id == mentor.id, MentorAppointment.program_id == program.id
    )))
    if any(a.site_id is None or a.site_id == site_id for a in existing):
        raise DomainError(
            _("%(name)s is already a mentor here.", name=mentor.full_name), "site_id"
        )
    appointment = MentorAppointment(mentor=mentor, program=program, site_id=site_id)
    if site_id is None:  # all sites replaces the per-site appointments
        for old in existing:
            db.session.delete(old)
    db.session.add(appointment)
    db.session.flush()
    return appointment, generated


def remove_appointment(appointment: MentorAppointment) -> None:
    """Remove a mentor from a program, unless cases already name them as supervisor there."""
    named = db.session.scalar(select(exists().where(
        Case.supervisor_id == appointment.mentor_id, Case.program_id == appointment.program_id
    )))
    if named:
        raise DomainError(
            _("%(name)s is named as supervisor on cases in this program, so the appointment "
              "stays: those cases need their mentor.", name=appointment.mentor.full_name)
        )
    db.session.delete(appointment)
    db.session.flush()


def _is_mentor(user: User, program: Program) -> bool:
    return bool(db.session.scalar(select(exists().where(
        MentorAppointment.mentor_id == user.id, MentorAppointment.program_id == program.id
    ))))
