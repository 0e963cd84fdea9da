"""Every rule about signing off, returning and reassigning cases lives here."""

from dataclasses import dataclass, field
from datetime import datetime

from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from caselog import policies
from caselog.audit.services import record
from caselog.auth import throttling
from caselog.auth.services import authenticate, checked_password
from caselog.errors import DomainError, TooManyAttempts
from caselog.extensions import db
from caselog.i18n import N_
from caselog.models import (
    Autonomy,
    Case,
    CaseStatus,
    Complexity,
    MentorAppointment,
    Signature,
    User,
)
from caselog.screening import refuse_identifiers
from caselog.second_factor import services as second_factor
from caselog.signoff import signatures
from caselog.unit_of_work import kept_despite_refusal


class PasswordRefused(DomainError):
    """The signer's password was wrong: nothing is signed, but the attempt is kept."""


@dataclass
class Seen:
    """A case as the signer saw it: its id and the fingerprint of its content then."""

    case_id: int
    fingerprint: str


@dataclass
class Assessment:
    """The mentor's optional rating at sign-off, visible to the trainee."""

    autonomy: Autonomy | None = None
    performance: int | None = None
    complexity: Complexity | None = None
    feedback: str = ""


@dataclass
class Outcome:
    """What a sign-off did: the signatures made; each case skipped, with the reason (a
    message marked with N_, to be said with caselog.notices); and the ids of the cases not
    found, which are those that do not exist and those out of the signer's reach alike."""

    signed: list[Signature]
    skipped: list[tuple[Case, str]]
    not_found: list[int] = field(default_factory=list)


def confirm_password(
    signer: User, password: str, address: str, seen: list[Seen], *, now: datetime
) -> None:
    """Signing asks for the password again: throttled like sign-in (TooManyAttempts); a
    wrong one is kept and audited."""
    signer_id, email = signer.id, signer.email
    try:
        if checked_password(email, password, address, now=now) is not None:
            return
        with kept_despite_refusal():
            throttling.record_failure(email, address, now=now)
            record(
                "user",
                signer_id,
                "signature_refused",
                actor=signer,
                after={"case_ids": [s.case_id for s in seen]},
                reason="wrong password",
                now=now,
            )
    except TooManyAttempts as refused:
        raise throttling.nothing_signed(refused) from None
    raise PasswordRefused(_("That password is not right. Nothing was signed."), "password")


def identify_bedside_signer(
    email: str, password: str, address: str, case_id: int, *, now: datetime
) -> User:
    """The mentor at the trainee's tablet, by their own e-mail and password (throttled per
    mentor and tablet address, like sign-in: a refusal there does not stop them elsewhere)."""
    try:
        return authenticate(email, password, address, now=now)
    except TooManyAttempts as refused:  # the password was not checked: nothing to audit
        raise throttling.nothing_signed(refused) from None
    except DomainError as error:
        with kept_despite_refusal():
            record(
                "case",
                case_id,
                "signature_refused",
                after={"email": email.strip().lower()[:254]},
                reason="bedside: wrong credentials",
                now=now,
            )
        raise PasswordRefused(error.message, "password") from error


def sign(
    signer: User,
    seen: list[Seen],
    assessment: Assessment | None = None,
    *,
    bedside: bool = False,
    now: datetime,
) -> Outcome:
    """Sign each listed case, exactly as seen, at `now`; skip (with the reason) any that
    changed.

    A case out of the signer's reach (policies.within_signing_reach) is not found, like
    one that does not exist, and the attempt is audited with the ids named. At the bedside
    the outcome is read on the trainee's device, about their own case: every reason is
    told there.
    """
    if not seen:
        raise DomainError(_("Choose at least one case to sign."))
    if assessment is not None:
        refuse_identifiers("feedback", assessment.feedback, today=now.date())
    outcome = Outcome([], [])
    locked = _lock(*(item.case_id for item in seen))
    for item in seen:
        case = locked.get(item.case_id)
        if case is None or not (bedside or policies.within_signing_reach(signer, case)):
            outcome.not_found.append(item.case_id)  # only a hand-made request names one
            continue
        problem = _why_not_sign(signer, case, item.fingerprint, bedside=bedside)
        if problem:
            outcome.skipped.append((case, problem))
            continue
        outcome.signed.append(_sign(signer, case, assessment, bedside, now))
    if outcome.not_found:
        record(
            "user",
            signer.id,
            "signature_out_of_reach",
            actor=signer,
            after={"case_ids": outcome.not_found},
            reason="cases not found or out of reach",
            now=now,
        )
    db.session.flush()
    return outcome


def _lock(*case_ids: int) -> dict[int, Case]:
    """Load the cases afresh, in one query, and hold them until the transaction ends
    (PostgreSQL: row locks, taken in id order so two overlapping batches cannot deadlock;
    SQLite: the write lock the transaction already holds)."""
    query = (
        select(Case)
        .where(Case.id.in_(case_ids))
        .options(selectinload(Case.program))  # each case's rules read its program
        .order_by(Case.id)
        .with_for_update()
        .execution_options(populate_existing=True)
    )
    return {case.id: case for case in db.session.scalars(query)}


def _why_not_sign(signer: User, case: Case, seen_fingerprint: str, *, bedside: bool) -> str | None:
    """Why this case is not signed, as a message (with the case's words, see
    caselog.notices.case_words) that names nothing itself; None: sign it. Away from the
    bedside the case is within the signer's reach already (checked by `sign`)."""
    if bedside and case.trainee_id == signer.id:
        return N_("you cannot sign your own case")
    if bedside and not policies.may_sign_for(signer, case):
        return N_("it names another supervisor")
    if second_factor.missing_for(signer, case.program):
        return N_("its program requires a second factor: set one up on your profile page")
    if case.status is CaseStatus.APPROVED:
        return N_("already signed by %(signer)s") if case.signature else N_("already signed")
    if case.status is CaseStatus.RETURNED:
        return N_("it was returned to the trainee")
    if case.status is not CaseStatus.SUBMITTED:
        return N_("the trainee withdrew it")
    if seen_fingerprint != signatures.fingerprint(case):
        return N_("it changed after you opened it: read it again")
    return None


def _sign(
    signer: User, case: Case, assessment: Assessment | None, bedside: bool, now: datetime
) -> Signature:
    """Make, seal and audit one signature, dated `now` (to the second, as it is shown)."""
    assessment = assessment if assessment and case.program.assessment_enabled else Assessment()
    signature = Signature(
        case_id=case.id,
        version=case.version,
        signer_id=signer.id,
        signer_name=signer.full_name,
        on_behalf_of_id=None if case.supervisor_id == signer.id else case.supervisor_id,
        signed_at=now.replace(microsecond=0),
        meaning=str(signatures.MEANING),
        bedside=bedside,
        autonomy=assessment.autonomy,
        performance=assessment.performance,
        complexity=assessment.complexity,
        feedback=assessment.feedback.strip(),
    )
    signatures.seal(signature, case)
    case.signatures.append(signature)
    case.status = CaseStatus.APPROVED
    case.return_comment = ""
    case.updated_at = now
    db.session.flush()
    record(
        "case",
        case.id,
        "approved",
        actor=signer,
        after={
            "version": case.version,
            "signature_id": signature.id,
            "hmac": signature.hmac,
            "bedside": bedside,
        },
        now=now,
    )
    return signature


def return_case(mentor: User, case_id: int, comment: str, *, now: datetime) -> Case:
    """Send a case back to the trainee with the mentor's comment on what to change."""
    case = _lock(case_id).get(case_id)
    if case is None or not policies.can_sign(mentor, case):  # None: gone since it was read
        raise DomainError(_("Only a case awaiting your sign-off can be returned."))
    comment = comment.strip()
    if not comment:
        raise DomainError(_("Say what the trainee should change."), "comment")
    refuse_identifiers("comment", comment, today=now.date())
    case.status = CaseStatus.RETURNED
    case.return_comment = comment
    case.updated_at = now
    record("case", case.id, "returned", actor=mentor, reason=comment, now=now)
    db.session.flush()
    return case


def reassign(
    director: User, case_id: int, supervisor_id: int, reason: str, *, now: datetime
) -> Case:
    """A director hands a waiting case to another of the program's mentors."""
    case = _lock(case_id).get(case_id)
    if case is None or not policies.can_reassign(director, case):  # None: gone since read
        raise DomainError(
            _("Only a case awaiting sign-off can be reassigned, by a director of its program.")
        )
    if supervisor_id == case.supervisor_id:
        raise DomainError(_("That mentor is already named on the case."), "supervisor_id")
    appointed = db.session.scalar(
        select(MentorAppointment.id).where(
            MentorAppointment.mentor_id == supervisor_id,
            MentorAppointment.program_id == case.program_id,
        )
    )
    if appointed is None or supervisor_id == case.trainee_id:
        raise DomainError(_("Choose a mentor of the program."), "supervisor_id")
    before = case.supervisor_id
    case.supervisor_id = supervisor_id
    case.updated_at = now
    record(
        "case",
        case.id,
        "reassigned",
        actor=director,
        before={"supervisor_id": before},
        after={"supervisor_id": supervisor_id},
        reason=reason.strip(),
        now=now,
    )
    db.session.flush()
    db.session.refresh(case, ["supervisor"])
    return case
