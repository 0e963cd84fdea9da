"""Every rule of the second factor: setting up an authenticator app, checking its codes
(at sign-in and at signing), recovery codes, turning it off, and programs that require it.

A code is accepted within one 30-second step either side of `now`, and never twice: the
step of the last accepted code is kept, and only a later one passes. Refused attempts are
counted on the factor, kept despite the refusal and audited; after MAX_FAILURES in a row
the factor refuses every code for LOCK_TIME. Counting per account cannot be turned into a
way to jam someone's sign-in: only a person who already has their password reaches it.
"""

from datetime import datetime, timedelta
from typing import Any, cast

from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import CursorResult, delete, func, or_, select, update

from caselog.audit.services import record
from caselog.auth.services import verify_password
from caselog.errors import DomainError
from caselog.extensions import db
from caselog.models import MentorAppointment, Program, RecoveryCode, SecondFactor, User
from caselog.second_factor import codes
from caselog.unit_of_work import kept_despite_refusal

MAX_FAILURES = 5
LOCK_TIME = timedelta(minutes=15)

# What a code was asked for: kept in the audit trail with each refusal and recovery code.
SIGN_IN = "sign-in"
SIGNING = "signing"
TURN_OFF = "turn off"
NEW_RECOVERY_CODES = "new recovery codes"


def _key() -> str | bytes:
    return cast(str | bytes, current_app.config["SIGNATURE_KEY"])


def factor_of(user: User) -> SecondFactor | None:
    """The user's second factor, set up or being set up."""
    return db.session.scalar(select(SecondFactor).where(SecondFactor.user_id == user.id))


def active_factor(user: User) -> SecondFactor | None:
    """The user's second factor once confirmed: the one every sign-in asks for."""
    factor = factor_of(user)
    return factor if factor is not None and factor.confirmed else None


def is_enrolled(user: User) -> bool:
    return active_factor(user) is not None


# Setting up ---------------------------------------------------------------------------


def start(user: User, *, now: datetime) -> SecondFactor:
    """A new secret for the user to put in their app; in force only once confirmed.

    Starting again replaces a secret not yet confirmed; a factor in force is turned off
    first (with the password and a code), never replaced here.
    """
    factor = factor_of(user)
    if factor is not None and factor.confirmed:
        raise DomainError(_("Your authenticator app is already set up."))
    if factor is None:
        factor = SecondFactor(user_id=user.id, secret="")
        db.session.add(factor)
    factor.secret = codes.seal(codes.new_secret(), _key())
    factor.created_at = now
    factor.failures = 0
    factor.failed_at = None
    db.session.flush()
    return factor


def secret_being_set_up(user: User) -> str | None:
    """The secret of a factor not yet confirmed, to show as a QR code; None once confirmed:
    a secret in force is never shown again."""
    factor = factor_of(user)
    if factor is None or factor.confirmed:
        return None
    return codes.unseal(factor.secret, _key())


def confirm(user: User, code: str, *, now: datetime) -> list[str]:
    """Put the factor in force with a first code from the app; the recovery codes, to show
    once (only their hashes are kept)."""
    factor = factor_of(user)
    secret = secret_being_set_up(user)
    if factor is None or factor.confirmed or secret is None:
        raise DomainError(_("Start the set-up again: scan the new QR code with your app."))
    step = codes.matching_step(secret, codes.normalise(code), now)
    if step is None:
        raise DomainError(
            _("That code is not right. Check the time on your phone and enter the newest code."),
            "code",
        )
    factor.confirmed_at = now
    factor.last_step = step
    recovery = _new_recovery_codes(factor)
    record("user", user.id, "second_factor_enrolled", actor=user, after={"app": "totp"}, now=now)
    return recovery


def _new_recovery_codes(factor: SecondFactor) -> list[str]:
    db.session.execute(delete(RecoveryCode).where(RecoveryCode.factor_id == factor.id))
    fresh = codes.new_recovery_codes()
    db.session.add_all(
        RecoveryCode(factor_id=factor.id, code_hash=codes.recovery_hash(code)) for code in fresh
    )
    db.session.flush()
    return fresh


def recovery_codes_left(factor: SecondFactor) -> int:
    return (
        db.session.scalar(
            select(func.count())
            .select_from(RecoveryCode)
            .where(RecoveryCode.factor_id == factor.id, RecoveryCode.used_at.is_(None))
        )
        or 0
    )


# Checking a code ------------------------------------------------------------------------


def check_code(user: User, code: str | None, purpose: str, *, now: datetime) -> None:
    """Pass if the user has no second factor, or `code` is a fresh code from their app or
    an unused recovery code; else raise DomainError on the field "code", the refusal kept
    and audited."""
    factor = active_factor(user)
    if factor is None:
        return
    _refuse_if_locked(factor, now)
    typed = codes.normalise(code or "")
    if not typed:
        raise DomainError(_("Enter the 6-digit code from your authenticator app."), "code")
    if codes.is_totp_code(typed):
        problem = _accept_app_code(factor, typed, now)
    else:
        problem = _accept_recovery_code(factor, user, typed, purpose, now)
    if problem is not None:
        reason, message = problem
        _refuse(factor, user, purpose, reason, message, now)


def _refuse_if_locked(factor: SecondFactor, now: datetime) -> None:
    if factor.failures >= MAX_FAILURES and factor.failed_at and now < factor.failed_at + LOCK_TIME:
        minutes = int(LOCK_TIME.total_seconds() // 60)
        raise DomainError(
            _("Too many wrong codes. Wait %(minutes)d minutes and try again.", minutes=minutes),
            "code",
        )


def _accept_app_code(factor: SecondFactor, code: str, now: datetime) -> tuple[str, str] | None:
    """None when accepted (and its step kept, so it never passes again); else why not."""
    secret = codes.unseal(factor.secret, _key())
    step = codes.matching_step(secret, code, now) if secret else None
    if step is None:
        return "wrong code", _("That code is not right.")
    taken = cast(
        CursorResult[Any],
        db.session.execute(
            update(SecondFactor)
            .where(
                SecondFactor.id == factor.id,
                or_(SecondFactor.last_step.is_(None), SecondFactor.last_step < step),
            )
            .values(last_step=step, failures=0, failed_at=None)
        ),
    )
    if taken.rowcount != 1:  # an earlier request took this code, or a later one
        return "code used before", _(
            "That code has been used already. Wait for the next one in your app."
        )
    return None


def _accept_recovery_code(
    factor: SecondFactor, user: User, code: str, purpose: str, now: datetime
) -> tuple[str, str] | None:
    """None when an unused recovery code (now used up, and audited); else why not."""
    used = cast(
        CursorResult[Any],
        db.session.execute(
            update(RecoveryCode)
            .where(
                RecoveryCode.factor_id == factor.id,
                RecoveryCode.code_hash == codes.recovery_hash(code),
                RecoveryCode.used_at.is_(None),
            )
            .values(used_at=now)
        ),
    )
    if used.rowcount != 1:
        return "wrong recovery code", _("That code is not right.")
    factor.failures = 0
    factor.failed_at = None
    db.session.flush()
    record(
        "user",
        user.id,
        "recovery_code_used",
        actor=user,
        after={"purpose": purpose, "left": recovery_codes_left(factor)},
        now=now,
    )
    return None


def _refuse(
    factor: SecondFactor, user: User, purpose: str, reason: str, message: str, now: datetime
) -> None:
    """Count and audit a refused attempt in a transaction of its own, then raise."""
    factor_id, user_id = factor.id, user.id
    with kept_despite_refusal():
        db.session.execute(
            update(SecondFactor)
            .where(SecondFactor.id == factor_id)
            .values(failures=SecondFactor.failures + 1, failed_at=now)
        )
        record(
            "user",
            user_id,
            "second_factor_refused",
            actor=db.session.get(User, user_id),
            after={"purpose": purpose},
            reason=reason,
            now=now,
        )
    field = "password" if reason == "wrong password" else "code"
    raise DomainError(message, field)


# Turning off, new recovery codes ------------------------------------------------------------


def turn_off(user: User, password: str, code: str, *, now: datetime) -> None:
    """Remove the user's second factor: their password and a code, both right."""
    factor = active_factor(user)
    if factor is None:
        raise DomainError(_("You have no authenticator app set up."))
    _refuse_if_locked(factor, now)
    if not verify_password(user, password):
        _refuse(factor, user, TURN_OFF, "wrong password", _("That password is not right."), now)
    check_code(user, code, TURN_OFF, now=now)
    db.session.execute(delete(RecoveryCode).where(RecoveryCode.factor_id == factor.id))
    db.session.delete(factor)
    db.session.flush()
    record("user", user.id, "second_factor_disabled", actor=user, now=now)


def remove_for_lost_phone(user: User, reason: str, *, now: datetime) -> bool:
    """An administrator's way out for someone who lost both their phone and their recovery
    codes (run from the command line, with the reason kept in the audit trail); whether
    there was a factor to remove."""
    factor = factor_of(user)
    if factor is None:
        return False
    db.session.execute(delete(RecoveryCode).where(RecoveryCode.factor_id == factor.id))
    db.session.delete(factor)
    db.session.flush()
    record("user", user.id, "second_factor_removed", reason=reason.strip(), now=now)
    return True


def renew_recovery_codes(user: User, code: str, *, now: datetime) -> list[str]:
    """Ten new recovery codes in place of the old ones, after a code from the app."""
    factor = active_factor(user)
    if factor is None:
        raise DomainError(_("You have no authenticator app set up."))
    check_code(user, code, NEW_RECOVERY_CODES, now=now)
    fresh = _new_recovery_codes(factor)
    record("user", user.id, "recovery_codes_renewed", actor=user, now=now)
    return fresh


# Programs that require it ------------------------------------------------------------------


def missing_for(signer: User, program: Program) -> bool:
    """The program requires a second factor of its signers, and this one has none."""
    return program.requires_second_factor and not is_enrolled(signer)


def programs_waiting_for(user: User) -> list[Program]:
    """The programs the user signs in (as a mentor) that require a second factor they have
    not set up: until they do, they cannot sign there."""
    if is_enrolled(user):
        return []
    query = (
        select(Program)
        .join(MentorAppointment, MentorAppointment.program_id == Program.id)
        .where(MentorAppointment.mentor_id == user.id, Program.requires_second_factor)
        .distinct()
        .order_by(Program.name)
    )
    return list(db.session.scalars(query))


def require_for_program(program: Program, required: bool, *, actor: User, now: datetime) -> bool:
    """Require (or stop requiring) a second factor of everyone who signs in the program;
    whether anything changed."""
    if program.requires_second_factor == required:
        return False
    program.requires_second_factor = required
    db.session.flush()
    record(
        "program",
        program.id,
        "second_factor_requirement_changed",
        actor=actor,
        before={"requires_second_factor": not required},
        after={"requires_second_factor": required},
        now=now,
    )
    return True
