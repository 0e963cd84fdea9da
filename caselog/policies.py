"""Who may do what: small named predicates, used by views (through `caselog.access`, to
refuse) and by templates (to hide), so a button is hidden by the same rule that forbids
the action. Each rule is named once; composite rules are built from the named ones.
"""

from flask import g
from sqlalchemy import exists, select

from caselog.extensions import db
from caselog.models import (
    Case,
    CaseStatus,
    Delegate,
    Enrolment,
    MentorAppointment,
    Program,
    User,
)
from caselog.models.organisation import program_directors


def is_admin(user: User) -> bool:
    return bool(user.is_authenticated and user.is_admin)


def _program_roles(user: User) -> tuple[bool, bool, bool]:
    """(trainee, mentor, director) anywhere: one query per request, however often asked."""
    cached: tuple[int, tuple[bool, bool, bool]] | None = g.get("_program_roles")
    if cached is None or cached[0] != user.id:
        trainee, mentor, director = db.session.execute(
            select(
                exists().where(Enrolment.trainee_id == user.id),
                exists().where(MentorAppointment.mentor_id == user.id),
                exists().where(program_directors.c.user_id == user.id),
            )
        ).one()
        cached = (user.id, (bool(trainee), bool(mentor), bool(director)))
        g._program_roles = cached
    return cached[1]


def is_trainee(user: User) -> bool:
    """Holds an enrolment in any program, so may log cases."""
    return bool(user.is_authenticated and _program_roles(user)[0])


def is_mentor(user: User) -> bool:
    return bool(user.is_authenticated and _program_roles(user)[1])


def directs(user: User, program: Program) -> bool:
    """Is the user a director of this program?"""
    if not user.is_authenticated:
        return False
    query = exists().where(
        program_directors.c.user_id == user.id, program_directors.c.program_id == program.id
    )
    return bool(db.session.scalar(select(query)))


def is_director(user: User) -> bool:
    return bool(user.is_authenticated and _program_roles(user)[2])


def can_manage_program(user: User, program: Program) -> bool:
    """Directors run their programs' enrolments and mentors; admins run every program."""
    return is_admin(user) or directs(user, program)


def can_view_case(user: User, case: Case) -> bool:
    """The trainee; once submitted, whoever may sign it or has signed it; the directors."""
    if not user.is_authenticated:
        return False
    if owns_case(user, case) or within_signing_reach(user, case):
        return True
    if case.status is not CaseStatus.DRAFT and any(s.signer_id == user.id for s in case.signatures):
        return True
    return is_director(user) and directs(user, case.program)  # the query only for directors


def may_sign_for(user: User, case: Case) -> bool:
    """The named supervisor, or a delegate the director appointed for them in the program.

    Says nothing of the case's status: see can_sign.
    """
    if not user.is_authenticated or user.id == case.trainee_id:
        return False
    if case.supervisor_id == user.id:
        return True
    query = exists().where(
        Delegate.program_id == case.program_id,
        Delegate.mentor_id == case.supervisor_id,
        Delegate.delegate_id == user.id,
    )
    return bool(db.session.scalar(select(query)))


def within_signing_reach(user: User, case: Case) -> bool:
    """A case the user may sign for and may see (any status but draft): signing or
    returning it tells them why it no longer waits; any other case answers them as if it
    did not exist."""
    return case.status is not CaseStatus.DRAFT and may_sign_for(user, case)


def can_sign(user: User, case: Case) -> bool:
    """Sign off or return a case: one awaiting sign-off, by someone who may sign for it."""
    return case.status is CaseStatus.SUBMITTED and may_sign_for(user, case)


def can_edit_case(user: User, case: Case) -> bool:
    """Only the trainee, and only while the case is a draft, returned or withdrawn."""
    return owns_case(user, case) and case.is_editable


def owns_case(user: User, case: Case) -> bool:
    """The trainee who logged the case."""
    return bool(user.is_authenticated and case.trainee_id == user.id)


def can_offer_bedside(user: User, case: Case) -> bool:
    """The trainee may hand their tablet to the mentor to sign a case that awaits sign-off."""
    return owns_case(user, case) and case.status is CaseStatus.SUBMITTED


def can_withdraw(user: User, case: Case) -> bool:
    """The trainee may take back a case that awaits sign-off."""
    return owns_case(user, case) and case.status is CaseStatus.SUBMITTED


def can_amend(user: User, case: Case) -> bool:
    """The trainee may amend an approved case: a new version that needs signing again."""
    return owns_case(user, case) and case.status is CaseStatus.APPROVED


def can_reassign(user: User, case: Case) -> bool:
    """A program director may hand a waiting case to another mentor."""
    return case.status is CaseStatus.SUBMITTED and directs(user, case.program)


def runs_programs(user: User) -> bool:
    """Directors and admins: they see programs (directors their own, admins every one) and
    read and write competency frameworks (an edit is a new version, so nobody's assigned
    version changes under them)."""
    return is_admin(user) or is_director(user)


def can_deactivate(user: User, account: User) -> bool:
    """Admins switch accounts off, but never their own (nobody locks themselves out)."""
    return is_admin(user) and user.id != account.id


def can_assign_framework(user: User, program: Program) -> bool:
    """Choosing the framework version a program is measured against is running the program."""
    return can_manage_program(user, program)


def enrolled_in(user: User, program: Program) -> bool:
    """The user is (or was) a trainee of this program."""
    return bool(
        user.is_authenticated
        and db.session.scalar(
            select(
                exists().where(Enrolment.trainee_id == user.id, Enrolment.program_id == program.id)
            )
        )
    )


def mentors_in(user: User, program: Program) -> bool:
    """The user holds a mentor appointment in this program (at any of its sites)."""
    return bool(
        user.is_authenticated
        and db.session.scalar(
            select(
                exists().where(
                    MentorAppointment.mentor_id == user.id,
                    MentorAppointment.program_id == program.id,
                )
            )
        )
    )


def supervised_or_signed(user: User, case: Case) -> bool:
    """Named as the case's supervisor or among its signers (signatures preloaded): cases a
    mentor may open from a trainee's progress, decided without a query per case."""
    return bool(
        user.is_authenticated
        and case.status is not CaseStatus.DRAFT
        and (case.supervisor_id == user.id or any(s.signer_id == user.id for s in case.signatures))
    )


def can_export_cases(user: User) -> bool:
    """Anyone with cases to export: trainees (their own), mentors, directors and admins."""
    return is_admin(user) or is_trainee(user) or is_mentor(user) or is_director(user)


def exports_others(user: User) -> bool:
    """Mentors, directors and admins export other people's cases, so choose a trainee."""
    return is_admin(user) or is_mentor(user) or is_director(user)


def exports_drafts(user: User) -> bool:
    """Drafts are exported by their trainee, the program's directors and admins only."""
    return is_admin(user) or is_trainee(user) or is_director(user)


def can_report_on(user: User, program: Program, trainee: User) -> bool:
    """A trainee's logbook and competency summary as PDF: the trainee, the program's mentors,
    its directors and admins; only ever for a trainee of that program."""
    if not user.is_authenticated or not enrolled_in(trainee, program):
        return False
    return user.id == trainee.id or mentors_in(user, program) or can_manage_program(user, program)


def can_report_on_program(user: User, program: Program) -> bool:
    """The cohort report as PDF: whoever may see the cohort view (directors, admins)."""
    return can_manage_program(user, program)
