"""Read-only queries for sign-off: the mentor's queue, its filters, its summary."""

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import and_, exists, func, or_, select
from sqlalchemy.orm import selectinload

from caselog.extensions import db
from caselog.i18n import translated
from caselog.models import Case, CaseStatus, Delegate, Program, User

QUEUE_LIMIT = 300  # enough for any real queue; one page, one password entry


def _awaiting(user: User):
    """Submitted cases the user may sign: naming them, or a mentor they are a delegate of."""
    delegated = exists().where(
        Delegate.delegate_id == user.id,
        Delegate.mentor_id == Case.supervisor_id,
        Delegate.program_id == Case.program_id,
    )
    return and_(
        Case.status == CaseStatus.SUBMITTED,
        Case.trainee_id != user.id,
        or_(Case.supervisor_id == user.id, delegated),
    )


@dataclass
class QueueFilters:
    program_id: int | None = None
    trainee_id: int | None = None
    waiting_more_than: int | None = None  # days


def awaiting_sign_off(
    user: User, filters: QueueFilters | None = None, limit: int = QUEUE_LIMIT, *, now: datetime
) -> list[Case]:
    """Cases awaiting the user's sign-off, oldest first (waiting times taken at `now`), with
    all a row and its fingerprint need (so the page's queries do not grow with the queue)."""
    filters = filters or QueueFilters()
    query = select(Case).where(_awaiting(user))
    if filters.program_id:
        query = query.where(Case.program_id == filters.program_id)
    if filters.trainee_id:
        query = query.where(Case.trainee_id == filters.trainee_id)
    if filters.waiting_more_than is not None:
        since = now - timedelta(days=filters.waiting_more_than + 1)
        query = query.where(Case.submitted_at <= since)
    query = (
        query.options(
            selectinload(Case.primary_procedure),
            selectinload(Case.additional_procedures),
            selectinload(Case.trainee),
            selectinload(Case.supervisor),
            selectinload(Case.site),
            selectinload(Case.program),
        )
        .order_by(Case.submitted_at, Case.id)
        .limit(limit)
    )
    return list(db.session.scalars(query))


@dataclass
class QueueOptions:
    """What the queue's filters offer: the programs and trainees of the waiting cases."""

    programs: list[tuple[int, str]]
    trainees: list[tuple[int, str]]


def queue_options(user: User) -> QueueOptions:
    """The programs and trainees among all cases awaiting the user, in one query."""
    rows = db.session.execute(
        select(Program.id, Program.name, Program.name_translations, User.id, User.full_name)
        .select_from(Case)
        .join(Program, Program.id == Case.program_id)
        .join(User, User.id == Case.trainee_id)
        .where(_awaiting(user))
        .distinct()
    ).all()
    programs = sorted({(row[0], translated(row[1], row[2])) for row in rows}, key=lambda p: p[1])
    trainees = sorted({(row[3], row[4]) for row in rows}, key=lambda t: t[1])
    return QueueOptions(programs, trainees)


@dataclass
class Waiting:
    """How many cases await the user, since when the oldest has, and for how many days."""

    count: int
    oldest: datetime | None
    oldest_days: int


def waiting_summary(user: User, *, now: datetime) -> Waiting:
    """Count and age (at `now`) of the user's queue, in one query (for the banner on every
    page)."""
    count, oldest = db.session.execute(
        select(func.count(Case.id), func.min(Case.submitted_at)).where(_awaiting(user))
    ).one()
    return Waiting(count, oldest, (now - oldest).days if oldest else 0)
