"""What the trainee's dashboard and the mentor's pages show, loaded in a fixed number of
queries per program: the programs, each trainee's progress in the order to read it, the
cases behind one target."""

from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import Select, select
from sqlalchemy.orm import selectinload

from caselog.extensions import db
from caselog.models import Case, Enrolment, FrameworkVersion, MentorAppointment, Program, User
from caselog.progress.charting import DashboardCharts, dashboard_charts
from caselog.progress.compute import Progress, Status
from caselog.progress.queries import TraineeProgress, program_progress

# Behind first: what needs doing comes before what is done.
READING_ORDER = [Status.BEHIND, Status.ON_TRACK, Status.NOT_STARTED, Status.MET]


@dataclass
class Standing:
    """One trainee in one program: progress per target, behind first, and the tally."""

    row: TraineeProgress
    targets: list[Progress]
    tally: Counter[Status] = field(default_factory=Counter)

    @property
    def behind(self) -> list[Progress]:
        """The targets behind, in the order shown."""
        return [p for p in self.targets if p.status is Status.BEHIND]


@dataclass
class Section:
    """A program on a dashboard: its framework, the trainee's standing and the charts."""

    program: Program
    version: FrameworkVersion | None
    standing: Standing | None
    charts: DashboardCharts | None


def standing(row: TraineeProgress) -> Standing:
    """Order a trainee's targets behind first (the framework's order within each status)."""
    ordered = sorted(row.targets, key=lambda p: READING_ORDER.index(p.status))
    return Standing(row, ordered, Counter(p.status for p in row.targets))


def _programs(query: Select[Program]) -> list[Program]:
    return list(
        db.session.scalars(
            query.distinct()
            .order_by(Program.start_date.desc(), Program.name)
            .options(
                selectinload(Program.sites),
                selectinload(Program.framework_version).selectinload(FrameworkVersion.framework),
            )
        )
    )


def enrolled_programs(user: User) -> list[Program]:
    """Programs the user is enrolled in as a trainee, the newest first."""
    return _programs(
        select(Program)
        .join(Enrolment, Enrolment.program_id == Program.id)
        .where(Enrolment.trainee_id == user.id)
    )


def mentored_programs(user: User) -> list[Program]:
    """Programs where the user holds a mentor appointment (at any site or one of them)."""
    return _programs(
        select(Program)
        .join(MentorAppointment, MentorAppointment.program_id == Program.id)
        .where(MentorAppointment.mentor_id == user.id)
    )


def section(
    program: Program, trainee_id: int, target_id: int | None = None, *, now: datetime
) -> Section:
    """One trainee's progress in one program at `now`, with the charts (none without a
    framework)."""
    if program.framework_version is None:
        return Section(program, None, None, None)
    progress = program_progress(program, [trainee_id], now=now)
    if not progress.trainees:
        return Section(program, progress.version, None, None)
    row = progress.trainees[0]
    charts = dashboard_charts(
        row, progress.today, f"chart-{program.id}", target_id, ratings=program.assessment_enabled
    )
    return Section(program, progress.version, standing(row), charts)


@dataclass
class Mentees:
    """A program's trainees as a mentor sees them: progress on its framework, if it has one."""

    program: Program
    version: FrameworkVersion | None
    standings: list[Standing]  # with a framework
    trainees: list[User]  # without one: just who they are


def mentees(program: Program, mentor: User, *, now: datetime) -> Mentees:
    """Every trainee of the program (whichever site they are at), but not the mentor."""
    if program.framework_version is None:
        trainees = db.session.scalars(
            select(User)
            .join(Enrolment, Enrolment.trainee_id == User.id)
            .where(Enrolment.program_id == program.id, User.id != mentor.id)
            .distinct()
            .order_by(User.full_name)
        ).all()
        return Mentees(program, None, [], list(trainees))
    progress = program_progress(program, now=now)
    rows = [row for row in progress.trainees if row.trainee.id != mentor.id]
    return Mentees(
        program,
        progress.version,
        [Standing(row, row.targets, Counter(p.status for p in row.targets)) for row in rows],
        [row.trainee for row in rows],
    )


def target_progress(
    program: Program, trainee_id: int, target_id: int, *, now: datetime
) -> Progress | None:
    """One trainee's progress on one target of the program's framework, if both exist."""
    if program.framework_version is None:
        return None
    progress = program_progress(program, [trainee_id], now=now)
    if not progress.trainees:
        return None
    return next((p for p in progress.trainees[0].targets if p.target.id == target_id), None)


def cases_by_id(ids: list[int]) -> dict[int, Case]:
    """The cases with what a list row shows preloaded, by id."""
    if not ids:
        return {}
    cases = db.session.scalars(
        select(Case)
        .where(Case.id.in_(ids))
        .options(
            selectinload(Case.primary_procedure),
            selectinload(Case.site),
            selectinload(Case.supervisor),
            selectinload(Case.signatures),
        )
    )
    return {case.id: case for case in cases}
