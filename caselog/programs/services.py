"""Every rule about a program's people lives here: enrolments, mentor appointments, delegates;
and the program's name in other languages, which its directors give.

Each change writes an audit event in the same transaction, naming the director or admin
who made it and dated with the time the caller gives (`now`).
"""

from dataclasses import dataclass
from datetime import date, datetime

from flask_babel import format_date
from flask_babel import gettext as _
from sqlalchemy import exists, select

from caselog.admin.services import NAME_MAX, create_account, find_account
from caselog.audit.services import changes, record
from caselog.errors import DomainError
from caselog.extensions import db
from caselog.i18n import cleaned_translations
from caselog.models import Case, Delegate, Enrolment, MentorAppointment, Program, User


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


def resolve_person(
    person: PersonInput, *, actor: User | None = None, now: datetime
) -> tuple[User, bool]:
    """The account with this e-mail, or a new one; returns it and whether a link to set a
    password was mailed (a new account given no password)."""
    account = find_account(person.email)
    if account is not None:
        if not account.active:
            raise DomainError(
                _(
                    "The account for %(email)s is deactivated; ask an admin to reactivate it.",
                    email=account.email,
                ),
                "email",
            )
        return account, False
    if not person.full_name.strip():
        raise DomainError(
            _(
                "No account uses %(email)s. Enter the person's full name to open one.",
                email=person.email.strip(),
            ),
            "full_name",
        )
    account = create_account(
        person.full_name, person.email, person.password or None, actor=actor, now=now
    )
    return account, not person.password


def enrol(
    program: Program,
    person: PersonInput,
    data: EnrolmentInput,
    *,
    actor: User | None = None,
    now: datetime,
) -> tuple[Enrolment, bool]:
    """Enrol a trainee (opening their account if needed); returns whether a link to set a
    password was mailed."""
    _check_period(program, data)  # before opening any account, so a refusal leaves none behind
    trainee, mailed = resolve_person(person, actor=actor, now=now)
    enrolment = Enrolment(trainee=trainee, program=program)
    _apply_enrolment(enrolment, program, trainee, data)
    db.session.add(enrolment)
    db.session.flush()
    after = enrolment_content(enrolment)
    record("enrolment", enrolment.id, "created", after=after, actor=actor, now=now)
    return enrolment, mailed


def update_enrolment(
    enrolment: Enrolment, data: EnrolmentInput, *, actor: User | None = None, now: datetime
) -> Enrolment:
    """Change an enrolment's dates, cohort or home institution."""
    before = enrolment_content(enrolment)
    _apply_enrolment(enrolment, enrolment.program, enrolment.trainee, data)
    db.session.flush()
    old, new = changes(before, enrolment_content(enrolment))
    if new:
        record("enrolment", enrolment.id, "changed", before=old, after=new, actor=actor, now=now)
    return enrolment


def enrolment_content(enrolment: Enrolment) -> dict[str, object]:
    """An enrolment as plain values, for the audit trail."""
    return {
        "trainee_id": enrolment.trainee_id,
        "program_id": enrolment.program_id,
        "start_date": enrolment.start_date.isoformat(),
        "end_date": enrolment.end_date.isoformat(),
        "home_institution": enrolment.home_institution,
        "cohort": enrolment.cohort,
    }


def end_enrolment(
    enrolment: Enrolment, on: date, *, actor: User | None = None, now: datetime
) -> Enrolment:
    """End an enrolment early, on the given day (its last day in the program)."""
    if on < enrolment.start_date:
        raise DomainError(
            _(
                "This enrolment starts on %(day)s; it cannot end before it starts. "
                "Change its dates instead.",
                day=format_date(enrolment.start_date),
            ),
            "last_day",
        )
    if on >= enrolment.end_date:
        raise DomainError(
            _("This enrolment already ends on %(day)s.", day=format_date(enrolment.end_date)),
            "last_day",
        )
    before = enrolment.end_date
    enrolment.end_date = on
    db.session.flush()
    record(
        "enrolment",
        enrolment.id,
        "ended",
        before={"end_date": before.isoformat()},
        after={"end_date": on.isoformat()},
        actor=actor,
        now=now,
    )
    return enrolment


def _apply_enrolment(
    enrolment: Enrolment, program: Program, trainee: User, data: EnrolmentInput
) -> None:
    """Check every rule about an enrolment, then copy the values onto it."""
    _check_period(program, data)
    if _is_mentor(trainee.id, program.id):
        raise DomainError(
            _(
                "%(name)s is a mentor in this program and cannot also be a trainee in it.",
                name=trainee.full_name,
            ),
            "email",
        )
    overlapping = db.session.scalar(
        select(
            exists().where(
                Enrolment.trainee_id == trainee.id,
                Enrolment.program_id == program.id,
                Enrolment.id != (enrolment.id or 0),
                Enrolment.start_date <= data.end_date,
                Enrolment.end_date >= data.start_date,
            )
        )
    )
    if overlapping:
        raise DomainError(
            _(
                "%(name)s is already enrolled in this program for part of that period.",
                name=trainee.full_name,
            ),
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
            _(
                "An enrolment must fall within the program's dates, %(start)s to %(end)s.",
                start=format_date(program.start_date),
                end=format_date(program.end_date),
            ),
            "start_date",
        )


def appoint(
    program: Program,
    person: PersonInput,
    site_id: int | None,
    *,
    actor: User | None = None,
    now: datetime,
) -> tuple[MentorAppointment, bool]:
    """Appoint a mentor, at one of the program's sites or all of them; returns whether a
    link to set a password was mailed (to a new account)."""
    if site_id is not None and site_id not in {site.id for site in program.sites}:
        raise DomainError(_("Choose one of the program's sites, or all sites."), "site_id")
    mentor, mailed = resolve_person(person, actor=actor, now=now)
    is_trainee = db.session.scalar(
        select(
            exists().where(Enrolment.trainee_id == mentor.id, Enrolment.program_id == program.id)
        )
    )
    if is_trainee:
        raise DomainError(
            _(
                "%(name)s is a trainee in this program and cannot also be a mentor in it.",
                name=mentor.full_name,
            ),
            "email",
        )
    existing = list(
        db.session.scalars(
            select(MentorAppointment).where(
                MentorAppointment.mentor_id == mentor.id, MentorAppointment.program_id == program.id
            )
        )
    )
    if any(a.site_id is None or a.site_id == site_id for a in existing):
        raise DomainError(_("%(name)s is already a mentor here.", name=mentor.full_name), "site_id")
    appointment = MentorAppointment(mentor=mentor, program=program, site_id=site_id)
    if site_id is None:  # all sites replaces the per-site appointments
        for old in existing:
            record(
                "appointment",
                old.id,
                "removed",
                before=appointment_content(old),
                reason="replaced by an appointment at all sites",
                actor=actor,
                now=now,
            )
            db.session.delete(old)
    db.session.add(appointment)
    db.session.flush()
    record(
        "appointment",
        appointment.id,
        "appointed",
        after=appointment_content(appointment),
        actor=actor,
        now=now,
    )
    return appointment, mailed


def appointment_content(appointment: MentorAppointment) -> dict[str, object]:
    """A mentor appointment as plain values, for the audit trail."""
    return {
        "mentor_id": appointment.mentor_id,
        "program_id": appointment.program_id,
        "site_id": appointment.site_id,
    }


def remove_appointment(
    appointment: MentorAppointment, *, actor: User | None = None, now: datetime
) -> None:
    """Remove a mentor from a program, unless cases already name them as supervisor there."""
    named = db.session.scalar(
        select(
            exists().where(
                Case.supervisor_id == appointment.mentor_id,
                Case.program_id == appointment.program_id,
            )
        )
    )
    if named:
        raise DomainError(  # flashed, so it names nobody: the cookie is readable
            _(
                "This mentor is named as supervisor on cases in this program, so the "
                "appointment stays: those cases need their mentor."
            )
        )
    record(
        "appointment",
        appointment.id,
        "removed",
        before=appointment_content(appointment),
        actor=actor,
        now=now,
    )
    mentor_id, program_id = appointment.mentor_id, appointment.program_id
    db.session.delete(appointment)
    db.session.flush()
    if not _is_mentor(mentor_id, program_id):  # no longer a mentor here: delegations end
        stale = list(
            db.session.scalars(
                select(Delegate).where(
                    Delegate.program_id == program_id,
                    (Delegate.mentor_id == mentor_id) | (Delegate.delegate_id == mentor_id),
                )
            )
        )
        for delegate in stale:
            _remove_delegate(delegate, actor, now, reason="the mentor's appointment was removed")


# Delegates -----------------------------------------------------------------------------


def appoint_delegate(
    program: Program,
    mentor_id: int | None,
    delegate_id: int | None,
    *,
    actor: User | None = None,
    now: datetime,
) -> Delegate:
    """Let one mentor of the program sign the cases that name another mentor of it."""
    mentor = db.session.get(User, mentor_id) if mentor_id else None
    if mentor is None or not _is_mentor(mentor.id, program.id):
        raise DomainError(_("Choose a mentor of this program to sign for."), "mentor_id")
    delegate = db.session.get(User, delegate_id) if delegate_id else None
    if delegate is None or not _is_mentor(delegate.id, program.id):
        raise DomainError(_("The delegate must be a mentor of this program."), "delegate_id")
    if delegate.id == mentor.id:
        raise DomainError(
            _("A mentor cannot be their own delegate: choose another mentor."), "delegate_id"
        )
    if not delegate.active:
        raise DomainError(
            _("The account of %(name)s is deactivated.", name=delegate.full_name),
            "delegate_id",
        )
    duplicate = db.session.scalar(
        select(
            exists().where(
                Delegate.program_id == program.id,
                Delegate.mentor_id == mentor.id,
                Delegate.delegate_id == delegate.id,
            )
        )
    )
    if duplicate:
        raise DomainError(
            _(
                "%(delegate)s already signs for %(mentor)s in this program.",
                delegate=delegate.full_name,
                mentor=mentor.full_name,
            ),
            "delegate_id",
        )
    row = Delegate(program=program, mentor=mentor, delegate=delegate, created_at=now)
    db.session.add(row)
    db.session.flush()
    record("delegate", row.id, "appointed", after=delegate_content(row), actor=actor, now=now)
    return row


def remove_delegate(delegate: Delegate, *, actor: User | None = None, now: datetime) -> None:
    """End a delegation: the delegate no longer signs for that mentor."""
    _remove_delegate(delegate, actor, now)


def _remove_delegate(
    delegate: Delegate, actor: User | None, now: datetime, reason: str = ""
) -> None:
    record(
        "delegate",
        delegate.id,
        "removed",
        before=delegate_content(delegate),
        reason=reason,
        actor=actor,
        now=now,
    )
    db.session.delete(delegate)
    db.session.flush()


def delegate_content(delegate: Delegate) -> dict[str, object]:
    """A delegation as plain values, for the audit trail."""
    return {
        "program_id": delegate.program_id,
        "mentor_id": delegate.mentor_id,
        "delegate_id": delegate.delegate_id,
    }


def _is_mentor(user_id: int, program_id: int) -> bool:
    return bool(
        db.session.scalar(
            select(
                exists().where(
                    MentorAppointment.mentor_id == user_id,
                    MentorAppointment.program_id == program_id,
                )
            )
        )
    )


def name_in_languages(
    program: Program, translations: dict[str, str], *, actor: User | None = None, now: datetime
) -> Program:
    """The program's name in other languages, as its director gives them: each reader sees
    the one in their language, or the name as written where none is given."""
    before = dict(program.name_translations or {})
    after = cleaned_translations(program.name, translations, "name_translations", NAME_MAX)
    if after != before:
        program.name_translations = after
        db.session.flush()
        record(
            "program",
            program.id,
            "names_changed",
            before={"name_translations": before},
            after={"name_translations": after},
            actor=actor,
            now=now,
        )
    return program
