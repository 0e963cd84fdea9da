"""Every rule about logging and changing a case lives here."""

from dataclasses import dataclass, field
from datetime import date, datetime

from flask_babel import format_date
from flask_babel import gettext as _
from sqlalchemy import select

from caselog import policies
from caselog.audit.services import changes, record
from caselog.cases.queries import CaseFormOptions
from caselog.errors import DomainError
from caselog.extensions import db
from caselog.i18n import program_name
from caselog.models import (
    Approach,
    Case,
    CaseStatus,
    Complication,
    Enrolment,
    Involvement,
    MentorAppointment,
    Procedure,
    Program,
    Setting,
    Sex,
    Site,
    Urgency,
    User,
)
from caselog.models.cases import AGE_TOP_BAND
from caselog.models.types import local_date
from caselog.screening import refuse_identifiers


@dataclass
class CaseInput:
    """What a trainee typed, as plain values (the form's job is only shape and type)."""

    operation_date: date
    site_id: int
    supervisor_id: int
    primary_procedure_id: int
    involvement: Involvement
    approach: Approach | None = None
    urgency: Urgency = Urgency.ELECTIVE
    setting: Setting = Setting.THEATRE
    program_id: int | None = None
    additional_procedure_ids: list[int] = field(default_factory=list)
    patient_age: int | None = None
    patient_sex: Sex | None = None
    asa_grade: int | None = None
    complication: Complication = Complication.NONE
    complication_description: str = ""
    operative_minutes: int | None = None
    blood_loss_ml: int | None = None
    return_to_theatre: bool = False
    notes: str = ""


def enrolments_on(trainee: User, day: date) -> list[Enrolment]:
    """The trainee's enrolments in force on a day."""
    query = select(Enrolment).where(
        Enrolment.trainee_id == trainee.id,
        Enrolment.start_date <= day,
        Enrolment.end_date >= day,
    )
    return list(db.session.scalars(query))


def new_case_defaults(
    options: CaseFormOptions, last: Case | None, *, now: datetime
) -> dict[str, object]:
    """Initial values of a new case: today at the trainee's hospital, and the site and
    supervisor of the last case, or the only ones the trainee has."""
    sites, supervisors = options.sites, options.supervisors
    site_id = last.site_id if last else (sites[0].id if len(sites) == 1 else None)
    supervisor_id = (
        last.supervisor_id if last else (supervisors[0].id if len(supervisors) == 1 else None)
    )
    today = local_date(now, sites[0].time_zone) if sites else None
    return {"operation_date": today, "site_id": site_id, "supervisor_id": supervisor_id}


def log_case(
    trainee: User, data: CaseInput, submit: bool, *, now: datetime, reference: str | None = None
) -> Case:
    """Create a case as a draft, or submitted for sign-off, logged at `now`.

    The reference is random unless one is given (the demo's, so a seed repeats exactly)."""
    case = Case(trainee_id=trainee.id, created_at=now, updated_at=now)
    if reference is not None:
        case.reference = reference
    _apply(case, trainee, data, now)
    db.session.add(case)
    db.session.flush()
    record("case", case.id, "logged", actor=trainee, after=case.content(), now=now)
    if submit:
        _submit(case, trainee, now)
    return case


def update_case(
    case: Case, trainee: User, data: CaseInput, submit: bool, reason: str = "", *, now: datetime
) -> Case:
    """Change a draft, returned or withdrawn case, or amend an approved one.

    An amendment makes a new version: the signature of the old one stays, superseded,
    and the new version needs signing again.
    """
    _lock(case)
    if case.trainee_id != trainee.id:
        raise DomainError(_("Only the trainee who logged a case can change it."))
    amending = case.status is CaseStatus.APPROVED
    if amending and not reason.strip():
        raise DomainError(_("Say why you are changing a signed case."), "reason")
    if not amending and not case.is_editable:
        raise DomainError(_("This case awaits sign-off: withdraw it first to change it."))
    if amending:
        refuse_identifiers("reason", reason, today=now.date())
    before = case.content()
    _apply(case, trainee, data, now)
    if amending:
        case.version += 1
    if amending or case.status is CaseStatus.WITHDRAWN:
        case.status = CaseStatus.DRAFT
    if db.session.is_modified(case):
        case.updated_at = now
    db.session.flush()
    old, new = changes(before, case.content())
    if new:
        record(
            "case",
            case.id,
            "amended" if amending else "changed",
            actor=trainee,
            before=old,
            after=new,
            reason=reason.strip(),
            now=now,
        )
    if submit:
        _submit(case, trainee, now)
    return case


def submit_case(case: Case, trainee: User, *, now: datetime) -> Case:
    """Send a saved draft (or a returned or withdrawn case) to the supervisor for sign-off."""
    _lock(case)
    if case.trainee_id != trainee.id:
        raise DomainError(_("Only the trainee who logged a case can submit it."))
    if not case.is_editable:
        raise DomainError(_("This case has already been submitted."))
    _submit(case, trainee, now)
    return case


def withdraw_case(case: Case, trainee: User, *, now: datetime) -> Case:
    """Take back a case that awaits sign-off, to change it or leave it unsigned."""
    _lock(case)
    if not policies.can_withdraw(trainee, case):
        raise DomainError(_("Only a case awaiting sign-off can be withdrawn, by its trainee."))
    case.status = CaseStatus.WITHDRAWN
    case.updated_at = now
    record("case", case.id, "withdrawn", actor=trainee, now=now)
    db.session.flush()
    return case


def _lock(case: Case) -> None:
    """Re-read the case and hold it until the transaction ends, so a signature and a
    change never interleave (PostgreSQL: a row lock; SQLite: the write lock)."""
    db.session.refresh(case, with_for_update=True)


def _submit(case: Case, trainee: User, now: datetime) -> None:
    case.status = CaseStatus.SUBMITTED
    case.submitted_at = case.updated_at = now
    case.return_comment = ""
    db.session.flush()
    record("case", case.id, "submitted", actor=trainee, after={"version": case.version}, now=now)


def _apply(case: Case, trainee: User, data: CaseInput, now: datetime) -> None:
    """Check every rule (the date against the site's date at `now`), then copy the values."""
    program_id = _program_for(trainee, data.operation_date, data.program_id)
    site = _check_site(program_id, data.site_id)
    if data.operation_date > local_date(now, site.time_zone):
        raise DomainError(_("The operation date cannot be in the future."), "operation_date")
    _check_supervisor(trainee, program_id, data.supervisor_id)
    procedures = _active_procedures(
        [data.primary_procedure_id, *data.additional_procedure_ids], case
    )
    primary = procedures[data.primary_procedure_id]
    approach = data.approach or primary.default_approach
    if approach is None:
        raise DomainError(_("Choose the approach."), "approach")
    if data.complication is not Complication.NONE and not data.complication_description.strip():
        raise DomainError(
            _("Describe the complication in a few words."), "complication_description"
        )
    for field_name in ("notes", "complication_description"):
        refuse_identifiers(field_name, getattr(data, field_name), today=now.date())

    case.program_id = program_id
    case.site_id = data.site_id
    case.supervisor_id = data.supervisor_id
    case.operation_date = data.operation_date
    case.primary_procedure_id = primary.id
    case.additional_procedures = [
        procedures[pid] for pid in dict.fromkeys(data.additional_procedure_ids) if pid != primary.id
    ]
    case.approach = approach
    case.urgency = data.urgency
    case.setting = data.setting
    case.involvement = data.involvement
    case.patient_age = None if data.patient_age is None else min(data.patient_age, AGE_TOP_BAND)
    case.patient_sex = data.patient_sex
    case.asa_grade = data.asa_grade
    case.complication = data.complication
    case.complication_description = (
        data.complication_description.strip() if data.complication is not Complication.NONE else ""
    )
    case.operative_minutes = data.operative_minutes
    case.blood_loss_ml = data.blood_loss_ml
    case.return_to_theatre = data.return_to_theatre
    case.notes = data.notes.strip()


def _program_for(trainee: User, day: date, chosen: int | None) -> int:
    """The program a case counts for: the enrolment in force on the operation date."""
    program_ids = [e.program_id for e in enrolments_on(trainee, day)]
    if not program_ids:
        raise DomainError(
            _(
                "You were not enrolled in a program on %(day)s. Check the date.",
                day=format_date(day, "long"),
            ),
            "operation_date",
        )
    if chosen in program_ids:
        return chosen
    if len(program_ids) == 1:
        return program_ids[0]
    raise DomainError(_("You were in more than one program that day: choose one."), "program_id")


def _check_site(program_id: int, site_id: int) -> Site:
    program = db.session.get(Program, program_id)
    assert program is not None  # the id comes from one of the trainee's enrolments
    site = next((site for site in program.sites if site.id == site_id), None)
    if site is None:
        raise DomainError(
            _("That hospital is not one of %(program)s's sites.", program=program_name(program)),
            "site_id",
        )
    return site


def _check_supervisor(trainee: User, program_id: int, supervisor_id: int) -> None:
    if supervisor_id == trainee.id:
        raise DomainError(_("You cannot name yourself as supervisor."), "supervisor_id")
    appointed = db.session.scalar(
        select(MentorAppointment.id).where(
            MentorAppointment.mentor_id == supervisor_id,
            MentorAppointment.program_id == program_id,
        )
    )
    if appointed is None:
        raise DomainError(
            _("That supervisor is not a mentor in the program for this date."), "supervisor_id"
        )


def _active_procedures(ids: list[int], case: Case) -> dict[int, Procedure]:
    """Load the chosen procedures; a retired one is only allowed if the case already had it."""
    found = {p.id: p for p in db.session.scalars(select(Procedure).where(Procedure.id.in_(ids)))}
    already = {case.primary_procedure_id} | {p.id for p in case.additional_procedures}
    for pid in ids:
        procedure = found.get(pid)
        if procedure is None or (procedure.retired and pid not in already):
            raise DomainError(_("Choose a procedure from the list."), "primary_procedure_id")
    return found
