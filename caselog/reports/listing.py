"""The reports a user may download, program by program: the reports page's content."""

from dataclasses import dataclass, field

from sqlalchemy import and_, or_, select
from sqlalchemy.orm import selectinload

from caselog.extensions import db
from caselog.models import (
    Enrolment,
    FrameworkVersion,
    MentorAppointment,
    Program,
    User,
)
from caselog.models.organisation import directed_program_ids


@dataclass
class Trainee:
    """A trainee whose reports the user may download, with the cohort of their latest
    enrolment (as the cohort view shows it)."""

    user: User
    cohort: str = ""


@dataclass
class ProgramReports:
    """One program: whether the user may take its cohort report, and whose reports."""

    program: Program
    cohort: bool
    trainees: list[Trainee] = field(default_factory=list)

    @property
    def version(self) -> FrameworkVersion | None:
        """The framework version the program counts against, if any."""
        return self.program.framework_version


def programs_for(user: User) -> list[ProgramReports]:
    """Directors and admins: their programs' cohort and every trainee; mentors: every
    trainee of the programs they are appointed in; trainees: their own reports. The rules
    are policies.can_report_on and can_report_on_program; this lists what they allow."""
    own = set(
        db.session.scalars(select(Enrolment.program_id).where(Enrolment.trainee_id == user.id))
    )
    mentored = set(
        db.session.scalars(
            select(MentorAppointment.program_id).where(MentorAppointment.mentor_id == user.id)
        )
    )
    if user.is_admin:
        managed = set(db.session.scalars(select(Program.id)))
    else:
        managed = set(db.session.scalars(directed_program_ids(user.id)))
    everyone = mentored | managed
    ids = own | everyone
    if not ids:
        return []
    programs = db.session.scalars(
        select(Program)
        .where(Program.id.in_(ids))
        .order_by(Program.start_date.desc(), Program.name)
        .options(selectinload(Program.framework_version).selectinload(FrameworkVersion.framework))
    ).all()
    groups = {p.id: ProgramReports(p, p.id in managed) for p in programs}
    seen: dict[tuple[int, int], Trainee] = {}
    query = (
        select(Enrolment)
        .order_by(Enrolment.start_date, Enrolment.id)
        .options(selectinload(Enrolment.trainee))
    )
    mine = and_(Enrolment.trainee_id == user.id, Enrolment.program_id.in_(own))
    query = query.where(or_(Enrolment.program_id.in_(everyone), mine) if everyone else mine)
    for e in db.session.scalars(query):
        key = (e.program_id, e.trainee_id)
        if key not in seen:
            seen[key] = Trainee(e.trainee)
            groups[e.program_id].trainees.append(seen[key])
        seen[key].cohort = e.cohort or seen[key].cohort
    for group in groups.values():
        group.trainees.sort(key=lambda t: (t.user.id != user.id, t.user.full_name.casefold()))
    return list(groups.values())
