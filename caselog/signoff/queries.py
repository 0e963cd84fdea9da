"""Read-only queries for sign-off: the mentor's queue."""

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from caselog.extensions import db
from caselog.models import Case, CaseStatus, User


def awaiting_sign_off(mentor: User, limit: int = 100) -> list[Case]:
    """Submitted cases that name the mentor as supervisor, oldest first."""
    query = (
        select(Case)
        .where(Case.supervisor_id == mentor.id, Case.status == CaseStatus.SUBMITTED)
        .options(
            selectinload(Case.primary_procedure),
            selectinload(Case.trainee),
            selectinload(Case.site),
            selectinload(Case.program),
        )
        .order_by(Case.submitted_at, Case.id)
        .limit(limit)
    )
    return list(db.session.scalars(query))
