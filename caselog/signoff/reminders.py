"""Reminders: which mentors have a sign-off queue longer or older than their program allows.

A mentor's queue in a program holds the submitted cases that name them, and those that
name a mentor they are a delegate for. They are due a reminder when, in any program, more
cases wait than the program's `reminder_max_waiting`, or one has waited more whole days
than its `reminder_max_days`. `send-reminders` (caselog/cli.py) mails each of them once.
"""

from dataclasses import dataclass, field
from datetime import datetime

from flask import current_app, render_template
from flask_babel import force_locale, ngettext
from sqlalchemy import and_, func, select, union_all

from caselog import mail
from caselog.audit.services import record
from caselog.extensions import db
from caselog.i18n import user_locale
from caselog.models import Case, CaseStatus, Delegate, Program, User


@dataclass
class ProgramQueue:
    """The cases one mentor may sign in one program: how many, and the oldest's age."""

    program: Program
    waiting: int
    oldest_days: int

    @property
    def too_long(self) -> bool:
        return self.waiting > self.program.reminder_max_waiting

    @property
    def too_old(self) -> bool:
        return self.oldest_days > self.program.reminder_max_days

    @property
    def due(self) -> bool:
        return self.too_long or self.too_old


@dataclass
class MentorQueue:
    """One mentor's waiting cases, program by program."""

    mentor: User
    programs: list[ProgramQueue] = field(default_factory=list)

    @property
    def waiting(self) -> int:
        return sum(q.waiting for q in self.programs)

    @property
    def oldest_days(self) -> int:
        return max((q.oldest_days for q in self.programs), default=0)

    @property
    def due(self) -> bool:
        return any(q.due for q in self.programs)


def queues(*, now: datetime) -> list[MentorQueue]:
    """Every active mentor with cases waiting for them, by name, their ages taken at `now`:
    one query, whatever the size."""
    submitted = Case.status == CaseStatus.SUBMITTED
    own = select(Case.supervisor_id.label("mentor_id"), Case.program_id, Case.submitted_at).where(
        submitted
    )
    delegated = (
        select(Delegate.delegate_id, Case.program_id, Case.submitted_at)
        .join(
            Case,
            and_(Case.program_id == Delegate.program_id, Case.supervisor_id == Delegate.mentor_id),
        )
        .where(submitted, Case.trainee_id != Delegate.delegate_id)
    )
    signable = union_all(own, delegated).subquery()
    per_program = (
        select(
            signable.c.mentor_id,
            signable.c.program_id,
            func.count().label("waiting"),
            func.min(signable.c.submitted_at).label("oldest"),
        )
        .group_by(signable.c.mentor_id, signable.c.program_id)
        .subquery()
    )
    rows = db.session.execute(
        select(User, Program, per_program.c.waiting, per_program.c.oldest)
        .join(per_program, per_program.c.mentor_id == User.id)
        .join(Program, Program.id == per_program.c.program_id)
        .where(User.active)
        .order_by(User.full_name, User.id, Program.name)
    )
    result: dict[int, MentorQueue] = {}
    for mentor, program, waiting, oldest in rows:
        queue = result.setdefault(mentor.id, MentorQueue(mentor))
        days = (now - oldest).days if oldest else 0
        queue.programs.append(ProgramQueue(program, waiting, days))
    return list(result.values())


def due(*, now: datetime) -> list[MentorQueue]:
    """The mentors whose queue, in some program, is longer or older than it allows at `now`."""
    return [queue for queue in queues(now=now) if queue.due]


def remind(queue: MentorQueue, connection=None, *, now: datetime) -> None:
    """Mail one mentor about their queue, in their language, and note it in the audit trail."""
    with force_locale(user_locale(queue.mentor)):
        subject = ngettext(
            "%(num)d case waits for your sign-off in Caselog",
            "%(num)d cases wait for your sign-off in Caselog",
            queue.waiting,
        )
        body = render_template(
            "mail/reminder.txt",
            queue=queue,
            queue_url=current_app.config["BASE_URL"].rstrip("/") + "/awaiting",
        )
    record(
        "user",
        queue.mentor.id,
        "reminded",
        after={
            "waiting": queue.waiting,
            "oldest_days": queue.oldest_days,
            "programs": sorted(q.program.id for q in queue.programs if q.due),
        },
        now=now,
    )
    mail.message(queue.mentor.email, subject, body, connection=connection).send()
