"""What each PDF report shows, gathered in a fixed number of queries before it is drawn.

The competency summary and the cohort matrix use the very functions the dashboard and the
cohort view use (caselog.progress, caselog.cohort), so a report never disagrees with a page.
"""

import enum
from collections import Counter
from dataclasses import dataclass, field
from datetime import date, datetime

from flask_babel import format_date
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.orm import joinedload, selectinload

from caselog.cohort import queries as cohort_queries
from caselog.extensions import db
from caselog.models import (
    Case,
    CaseStatus,
    Complication,
    Enrolment,
    FrameworkVersion,
    Involvement,
    Procedure,
    Program,
    Signature,
    User,
)
from caselog.progress import views
from caselog.progress.charting import DashboardCharts
from caselog.progress.compute import Progress, Status
from caselog.signoff.signatures import is_valid


class Scope(enum.StrEnum):
    """Which cases a logbook lists, by where they stand in sign-off."""

    SIGNED_AND_PENDING = "all"
    SIGNED = "signed"
    PENDING = "pending"


SCOPE_LABELS = {
    Scope.SIGNED_AND_PENDING: _l("Signed off and awaiting sign-off"),
    Scope.SIGNED: _l("Signed off only"),
    Scope.PENDING: _l("Awaiting sign-off only"),
}
SCOPE_STATUSES = {
    Scope.SIGNED_AND_PENDING: (CaseStatus.APPROVED, CaseStatus.SUBMITTED),
    Scope.SIGNED: (CaseStatus.APPROVED,),
    Scope.PENDING: (CaseStatus.SUBMITTED,),
}


@dataclass(frozen=True)
class LogbookFilters:
    """The cases a logbook covers: operated between two dates, in a sign-off scope."""

    date_from: date | None = None
    date_to: date | None = None
    scope: Scope = Scope.SIGNED_AND_PENDING

    def args(self) -> dict[str, str]:
        """The filters as query arguments, leaving out the defaults (for links)."""
        args = {}
        if self.date_from:
            args["date_from"] = self.date_from.isoformat()
        if self.date_to:
            args["date_to"] = self.date_to.isoformat()
        if self.scope is not Scope.SIGNED_AND_PENDING:
            args["status"] = self.scope.value
        return args

    def describe(self) -> str:
        """The filters in words, as the report prints them and the audit trail keeps them."""
        start = format_date(self.date_from, "medium") if self.date_from else None
        end = format_date(self.date_to, "medium") if self.date_to else None
        if start and end:
            dates = _("Operated from %(start)s to %(end)s", start=start, end=end)
        elif start:
            dates = _("Operated on or after %(start)s", start=start)
        elif end:
            dates = _("Operated on or before %(end)s", end=end)
        else:
            dates = _("All dates")
        return f"{dates} · {SCOPE_LABELS[self.scope]}"


@dataclass
class Subject:
    """Who and what a report is about: the program, and the trainee for a trainee's report."""

    program: Program
    time_zone: str  # the program's, for times printed beside UTC
    trainee: User | None = None
    start: date | None = None  # the trainee's time in the program
    end: date | None = None
    cohort: str = ""
    home: str = ""  # home institution, for a visiting trainee


def subject(program: Program, trainee: User | None = None) -> Subject:
    """The program and, if given, the trainee's enrolment in it (first start to last end)."""
    found = Subject(program, program.time_zone, trainee)
    if trainee is None:
        return found
    for e in db.session.scalars(
        select(Enrolment)
        .where(Enrolment.program_id == program.id, Enrolment.trainee_id == trainee.id)
        .order_by(Enrolment.start_date, Enrolment.id)
    ):
        found.start = min(found.start or e.start_date, e.start_date)
        found.end = max(found.end or e.end_date, e.end_date)
        found.cohort = e.cohort or found.cohort
        found.home = e.home_institution or found.home
    return found


@dataclass
class SignatureLine:
    """One signature in a case's manifest, checked as the report is made."""

    signature: Signature
    valid: bool
    superseded: bool
    statement: int  # the number of its meaning among the logbook's statements, from 1


@dataclass
class Entry:
    """One case in the logbook, numbered, with its signatures newest first."""

    number: int
    case: Case
    signatures: list[SignatureLine]

    @property
    def amended(self) -> bool:
        """Awaiting sign-off of a change to a case signed before."""
        return self.case.status is CaseStatus.SUBMITTED and bool(self.signatures)


@dataclass
class Totals:
    """The logbook's last page: the cases listed, counted several ways."""

    cases: int = 0
    signed: int = 0
    pending: int = 0
    amended: int = 0
    invalid: int = 0  # signatures whose check fails
    complications: int = 0
    involvement: Counter = field(default_factory=Counter)
    primary: Counter = field(default_factory=Counter)  # procedure -> cases
    additional: Counter = field(default_factory=Counter)
    sites: Counter = field(default_factory=Counter)

    @property
    def procedures(self) -> list[tuple[Procedure, int, int]]:
        """(procedure, as primary, as additional), the most frequent first."""
        procedures = set(self.primary) | set(self.additional)
        rows = [(p, self.primary[p], self.additional[p]) for p in procedures]
        return sorted(rows, key=lambda r: (-(r[1] + r[2]), r[0].name, r[0].id))


@dataclass
class Logbook:
    """A trainee's logbook: the cases the filters cover, numbered, and their totals."""

    subject: Subject
    filters: LogbookFilters
    entries: list[Entry]
    totals: Totals
    statements: list[str]  # the signers' meanings, each printed once and numbered
    involvements: list[Involvement] = field(default_factory=lambda: list(Involvement))


def logbook(program: Program, trainee: User, filters: LogbookFilters) -> Logbook:
    """Every case of the trainee in the program that the filters cover, oldest first, with
    what the table prints preloaded (procedures with their names and codes): a fixed number
    of queries however many cases there are."""
    query = (
        select(Case)
        .where(
            Case.program_id == program.id,
            Case.trainee_id == trainee.id,
            Case.status.in_(SCOPE_STATUSES[filters.scope]),
        )
        .order_by(Case.operation_date, Case.id)
        .options(
            joinedload(Case.primary_procedure).selectinload(Procedure.codes),
            joinedload(Case.site),
            joinedload(Case.supervisor),
            selectinload(Case.additional_procedures).selectinload(Procedure.codes),
            selectinload(Case.signatures).joinedload(Signature.on_behalf_of),
        )
    )
    if filters.date_from:
        query = query.where(Case.operation_date >= filters.date_from)
    if filters.date_to:
        query = query.where(Case.operation_date <= filters.date_to)
    entries, totals = [], Totals()
    statements: dict[str, int] = {}  # each signer's meaning, numbered as first met
    for number, case in enumerate(db.session.scalars(query).unique(), start=1):
        lines = [
            SignatureLine(
                s,
                is_valid(s, case),
                s.version < case.version,
                statements.setdefault(s.meaning, len(statements) + 1),
            )
            for s in reversed(case.signatures)
        ]
        entry = Entry(number, case, lines)
        entries.append(entry)
        _add(totals, entry)
    return Logbook(subject(program, trainee), filters, entries, totals, list(statements))


def _add(totals: Totals, entry: Entry) -> None:
    case = entry.case
    totals.cases += 1
    if case.status is CaseStatus.APPROVED:
        totals.signed += 1
    else:
        totals.pending += 1
        totals.amended += entry.amended
    totals.invalid += sum(not line.valid for line in entry.signatures)
    totals.complications += case.complication is not Complication.NONE
    totals.involvement[case.involvement] += 1
    totals.primary[case.primary_procedure] += 1
    for procedure in case.additional_procedures:
        totals.additional[procedure] += 1
    totals.sites[case.site.name] += 1


@dataclass
class Competency:
    """A trainee's standing on each target of the program's framework version, with charts."""

    subject: Subject
    version: FrameworkVersion
    version_label: str
    source: str
    today: date
    targets: list[Progress]  # in the framework's order
    tally: Counter
    charts: DashboardCharts
    statuses: list[Status] = field(default_factory=lambda: list(views.READING_ORDER))
    involvements: list[Involvement] = field(default_factory=lambda: list(Involvement))


def competency(program: Program, trainee: User, *, now: datetime) -> Competency | None:
    """The dashboard's section for the trainee at `now` (None without a framework or an
    enrolment)."""
    section = views.section(program, trainee.id, now=now)
    if section.standing is None or section.version is None or section.charts is None:
        return None  # a standing comes with its version and charts
    row = section.standing.row
    found = subject(program, trainee)
    return Competency(
        found,
        section.version,
        section.version.label,
        section.version.framework.source,
        program.today(now),  # as program_progress's today
        row.targets,
        section.standing.tally,
        section.charts,
    )


@dataclass
class Cohort:
    """A program's trainees by its targets, filtered as the cohort view was."""

    subject: Subject
    matrix: cohort_queries.Matrix
    version_label: str
    source: str
    chunks: list[list[tuple[int, cohort_queries.Column]]]  # columns, a table's worth each
    statuses: list[Status] = field(default_factory=lambda: list(views.READING_ORDER))


COLUMNS_PER_TABLE = 10  # wider frameworks continue in a further table below


def cohort(program: Program, args, *, now: datetime) -> Cohort | None:
    """The cohort view's matrix for the same query arguments at `now` (None without a
    framework)."""
    matrix = cohort_queries.matrix(program, args, now=now)
    version = matrix.progress.version
    if version is None:
        return None
    columns = list(enumerate(matrix.columns))
    chunks = [
        columns[n : n + COLUMNS_PER_TABLE] for n in range(0, len(columns), COLUMNS_PER_TABLE)
    ] or [[]]
    return Cohort(subject(program), matrix, version.label, version.framework.source, chunks)
