"""Throttling of password guesses: sign-in, bedside sign-off and the signing password.

Failures are counted per (account, address) pair and per address, never per account
alone, so nobody can lock another person out by guessing at their account: after its free
failures a pair, or an address, waits before its next attempt is even checked, the first
delay and then twice as long after each further failure, up to the longest. The right
password from an address that has not been failing is never refused. Past a high ceiling
of failures for one account (guesses from many addresses), an address that fails for it
waits the longest delay after every failure: slower guessing, still no lock-out.

`refuse_if_throttled` is the cheap check before the slow hash; `admit` and
`record_failure` check again after it, in the transaction that writes the outcome, with the
address's attempts taken one at a time, so guesses sent together cannot slip past the count.
"""

import hashlib
import math
from dataclasses import dataclass
from datetime import datetime, timedelta

from flask import current_app
from flask_babel import gettext as _
from flask_babel import ngettext
from sqlalchemy import and_, func, or_, select, text

from caselog.errors import TooManyAttempts
from caselog.extensions import db
from caselog.models import LoginFailure

ADDRESS_LENGTH = 64  # as stored in LoginFailure.address


@dataclass(frozen=True)
class _Failures:
    """Failures counted in the window, and when the latest was."""

    count: int
    latest: datetime | None


def refuse_if_throttled(email: str, address: str, *, now: datetime) -> None:
    """Raise TooManyAttempts while this account must wait at this address."""
    seconds = wait(email, address, now=now)
    if seconds:
        raise too_many(seconds)


def admit(email: str, address: str, *, now: datetime) -> None:
    """The right password: check the wait again (attempts sent together are counted one at a
    time), then forget this pair's failures; never the address's or other addresses'."""
    _one_at_a_time(address)
    refuse_if_throttled(email, address, now=now)
    db.session.execute(
        db.delete(LoginFailure).where(
            LoginFailure.email == email, LoginFailure.address == address[:ADDRESS_LENGTH]
        )
    )


def record_failure(email: str, address: str, *, now: datetime) -> None:
    """A wrong password: counted against the pair and the address (call inside
    `kept_despite_refusal`). Raises TooManyAttempts instead when another attempt sent
    together was counted first and this one should have waited."""
    _one_at_a_time(address)
    refuse_if_throttled(email, address, now=now)
    window = current_app.config["LOGIN_WINDOW"]
    db.session.execute(db.delete(LoginFailure).where(LoginFailure.at < now - window))
    db.session.add(LoginFailure(email=email, address=address[:ADDRESS_LENGTH], at=now))
    db.session.flush()


def wait(email: str, address: str, *, now: datetime) -> int:
    """Whole seconds before this account's next attempt from this address is checked; 0: now."""
    config = current_app.config
    first, longest = config["LOGIN_FIRST_DELAY"], config["LOGIN_LONGEST_DELAY"]
    pair, by_address, by_account = _failures(email, address[:ADDRESS_LENGTH], now=now)
    if by_account.count >= config["LOGIN_ACCOUNT_CEILING"]:
        pair_ends = _until(pair, 1, longest, longest)
    else:
        pair_ends = _until(pair, config["LOGIN_FREE_FAILURES_PER_PAIR"], first, longest)
    address_ends = _until(by_address, config["LOGIN_FREE_FAILURES_PER_ADDRESS"], first, longest)
    ends = max((end for end in (pair_ends, address_ends) if end is not None), default=now)
    return math.ceil((ends - now).total_seconds()) if ends > now else 0


def delay(failures: int, free: int, first: timedelta, longest: timedelta) -> timedelta:
    """The wait after `failures` failures: none for the first `free`, then `first`, doubling
    with each further failure, never more than `longest`."""
    if failures < free:
        return timedelta(0)
    return min(first * (1 << min(failures - free, 32)), longest)


def too_many(seconds: int, before: str = "") -> TooManyAttempts:
    """The refusal, saying in the reader's language when to try again (rounded up)."""
    if seconds < 60:
        when = ngettext(
            "Too many failed attempts. Try again in %(num)d second.",
            "Too many failed attempts. Try again in %(num)d seconds.",
            seconds,
        )
    else:
        when = ngettext(
            "Too many failed attempts. Try again in %(num)d minute.",
            "Too many failed attempts. Try again in %(num)d minutes.",
            math.ceil(seconds / 60),
        )
    return TooManyAttempts(f"{before} {when}" if before else when, max(seconds, 1))


def nothing_signed(refused: TooManyAttempts) -> TooManyAttempts:
    """The same refusal, for a signature: saying first that nothing was signed."""
    return too_many(refused.retry_after, before=_("Nothing was signed."))


def _until(failures: _Failures, free: int, first: timedelta, longest: timedelta) -> datetime | None:
    """When the wait that these failures impose ends (None: no wait)."""
    if failures.latest is None or failures.count < free:
        return None
    return failures.latest + delay(failures.count, free, first, longest)


def _failures(email: str, address: str, *, now: datetime) -> list[_Failures]:
    """The failures in the window of the pair, of the address and of the account, in one query."""
    pair = and_(LoginFailure.email == email, LoginFailure.address == address)
    by_address = LoginFailure.address == address
    by_account = LoginFailure.email == email
    latest = func.max(LoginFailure.at)
    row = db.session.execute(
        select(
            func.count().filter(pair),
            latest.filter(pair),
            func.count().filter(by_address),
            latest.filter(by_address),
            func.count().filter(by_account),
            latest.filter(by_account),
        ).where(
            LoginFailure.at >= now - current_app.config["LOGIN_WINDOW"],
            or_(by_address, by_account),
        )
    ).one()
    return [
        _Failures(count=row[0], latest=row[1]),
        _Failures(count=row[2], latest=row[3]),
        _Failures(count=row[4], latest=row[5]),
    ]


def _one_at_a_time(address: str) -> None:
    """Take the address's attempts one at a time until the transaction ends: PostgreSQL, by
    an advisory lock on the address; SQLite's write lock, taken when the transaction began,
    already does."""
    if db.session.get_bind().dialect.name != "postgresql":
        return
    digest = hashlib.sha256(f"caselog-login:{address[:ADDRESS_LENGTH]}".encode()).digest()
    key = int.from_bytes(digest[:8], "big", signed=True)
    db.session.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": key})
