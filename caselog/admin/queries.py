"""Read-only queries for the admin pages: counts, lists, each account's roles, audit events."""

from collections.abc import Sequence
from dataclasses import dataclass, field

from sqlalchemy import Select, func, or_, select
from sqlalchemy.orm import selectinload

from caselog.extensions import db
from caselog.i18n import translated
from caselog.models import (
    AuditEvent,
    Enrolment,
    MentorAppointment,
    Program,
    Site,
    Specialty,
    User,
)
from caselog.models.organisation import program_directors


def counts() -> dict[str, int]:
    """How many sites, programs and accounts there are, for the landing page."""

    def total(model) -> int:
        return db.session.execute(select(func.count()).select_from(model)).scalar_one()

    return {"sites": total(Site), "programs": total(Program), "accounts": total(User)}


def sites() -> list[Site]:
    """Every hospital, by name."""
    return list(db.session.scalars(select(Site).order_by(Site.name)))


def programs() -> list[Program]:
    """Every program, newest first, with what the list shows preloaded."""
    query = (
        select(Program)
        .options(
            selectinload(Program.sites),
            selectinload(Program.directors),
            selectinload(Program.specialty),
        )
        .order_by(Program.start_date.desc(), Program.name)
    )
    return list(db.session.scalars(query))


def specialties() -> list[Specialty]:
    """Specialties a program can belong to."""
    return list(db.session.scalars(select(Specialty).order_by(Specialty.name)))


def accounts_for_picking(keep_ids: Sequence[int] = ()) -> list[User]:
    """Active accounts (and any already chosen), to pick directors from."""
    query = select(User).where(or_(User.active, User.id.in_(list(keep_ids))))
    return list(db.session.scalars(query.order_by(User.full_name)))


def accounts(search: str = "") -> Select:
    """Accounts whose name or e-mail contains the search text, by name."""
    query = select(User).order_by(User.full_name, User.id)
    text = search.strip()
    if text:
        pattern = f"%{text}%"
        query = query.where(or_(User.full_name.ilike(pattern), User.email.ilike(pattern)))
    return query


@dataclass
class Roles:
    """The programs in which one person is trainee, mentor, director."""

    trainee: list[str] = field(default_factory=list)
    mentor: list[str] = field(default_factory=list)
    director: list[str] = field(default_factory=list)

    def __bool__(self) -> bool:
        return bool(self.trainee or self.mentor or self.director)


def roles_of(user_ids: list[int]) -> dict[int, Roles]:
    """Roles for a page of accounts in three queries, whatever the page size."""
    roles = {user_id: Roles() for user_id in user_ids}
    if not user_ids:
        return roles
    sources = [
        ("trainee", Enrolment.trainee_id, Enrolment.program_id),
        ("mentor", MentorAppointment.mentor_id, MentorAppointment.program_id),
        ("director", program_directors.c.user_id, program_directors.c.program_id),
    ]
    for role, user_column, program_column in sources:
        rows = db.session.execute(
            select(user_column, Program.name, Program.name_translations)
            .join(Program, Program.id == program_column)
            .where(user_column.in_(user_ids))
            .distinct()
            .order_by(Program.name)
        )
        for user_id, name, translations in rows:
            getattr(roles[user_id], role).append(translated(name, translations))
    return roles


# The audit trail -----------------------------------------------------------------------


def audit_entities() -> list[str]:
    """The kinds of thing the audit trail has events about (case, enrolment, ...)."""
    return list(
        db.session.scalars(select(AuditEvent.entity).distinct().order_by(AuditEvent.entity))
    )


def audit_events(entity: str = "", entity_id: int | None = None) -> Select:
    """Audit events, newest first, optionally about one kind of thing or one of them."""
    query = select(AuditEvent).order_by(AuditEvent.seq.desc())
    if entity:
        query = query.where(AuditEvent.entity == entity)
    if entity_id is not None:
        query = query.where(AuditEvent.entity_id == entity_id)
    return query
