"""Reads for the cohort view: its filters, the sorted matrix, and the cases behind one cell."""

import re
from dataclasses import dataclass, field
from datetime import date, datetime

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from caselog.bounds import record_id
from caselog.extensions import db
from caselog.models import (
    Autonomy,
    Case,
    Involvement,
    Procedure,
    Program,
    Site,
    Target,
)
from caselog.progress.compute import Progress, Status, TargetRule
from caselog.progress.queries import ProgramProgress, TraineeProgress, program_progress

NAME = "name"  # the sort key of the trainees' column; a target sorts by its id
# "Anterior cervical discectomy and fusion (ACDF)" -> "ACDF"
_ABBREVIATION = re.compile(r"\(([A-Z][A-Za-z0-9/&-]{1,9})\)")


def short_label(label: str) -> str:
    """A target's label for a narrow column: its abbreviation in brackets, if it has one."""
    found = _ABBREVIATION.search(label)
    return found.group(1) if found else label


@dataclass
class View:
    """What the director asked to see: a cohort, a site, an order."""

    cohort: str | None = None
    site_id: int | None = None
    sort: str = NAME
    descending: bool = False

    def args(self) -> dict[str, str | int]:
        """The view as query arguments, leaving out the defaults (for links)."""
        args: dict[str, str | int] = {}
        if self.cohort:
            args["cohort"] = self.cohort
        if self.site_id:
            args["site"] = self.site_id
        if self.sort != NAME:
            args["sort"] = self.sort
        if self.descending:
            args["dir"] = "desc"
        return args

    def sorted_by(self, key: str) -> dict[str, str | int]:
        """The arguments of a column's sort link: ascending first, descending when clicked again."""
        args = {k: v for k, v in self.args().items() if k not in ("sort", "dir")}
        if key != NAME:
            args["sort"] = key
        if key == self.sort and not self.descending:
            args["dir"] = "desc"
        return args

    def order_of(self, key: str) -> str | None:
        """The column's aria-sort value, if the rows are sorted by it."""
        if key != self.sort:
            return None
        return "descending" if self.descending else "ascending"


@dataclass
class Column:
    """A target as a column: its rule, short label, and how the trainees shown stand on it."""

    rule: TargetRule
    short: str
    counts: dict[Status, int]


@dataclass
class Matrix:
    """The cohort view's content: the trainees shown, in order, by the version's targets."""

    progress: ProgramProgress
    view: View
    rows: list[TraineeProgress]
    columns: list[Column]
    cohorts: list[str]
    sites: list[Site]
    enrolled: int  # trainees in the program, before filters

    @property
    def site(self) -> Site | None:
        return next((s for s in self.sites if s.id == self.view.site_id), None)


def read_view(program: Program, args, rules: list[TargetRule], cohorts: list[str]) -> View:
    """The view asked for in the query string; anything unknown falls back to the default."""
    cohort = args.get("cohort") or None
    site_id = args.get("site", type=record_id)
    sort = args.get("sort", NAME)
    return View(
        cohort=cohort if cohort in cohorts else None,
        site_id=site_id if any(s.id == site_id for s in program.sites) else None,
        sort=sort if sort in {str(r.id) for r in rules} else NAME,
        descending=args.get("dir") == "desc",
    )


def matrix(program: Program, args, *, now: datetime) -> Matrix:
    """The matrix for the query string's filters and order, in a fixed number of queries.

    A trainee's cohort is the one their row shows (their latest enrolment's)."""
    everyone = program_progress(program, now=now)
    cohort_names = sorted({row.cohort for row in everyone.trainees if row.cohort})
    view = read_view(program, args, everyone.rules, cohort_names)
    at_site = _logged_at(program, view.site_id) if view.site_id else None
    rows = [
        row
        for row in everyone.trainees
        if (not view.cohort or row.cohort == view.cohort)
        and (at_site is None or row.trainee.id in at_site)
    ]
    rows = _sorted(rows, everyone.rules, view)
    columns = [
        Column(rule, short_label(rule.label), _counts(rows, n))
        for n, rule in enumerate(everyone.rules)
    ]
    return Matrix(
        everyone, view, rows, columns, cohort_names, list(program.sites), len(everyone.trainees)
    )


def _logged_at(program: Program, site_id: int) -> set[int]:
    """The trainees with at least one case logged at the site in this program."""
    return set(
        db.session.scalars(
            select(Case.trainee_id)
            .where(Case.program_id == program.id, Case.site_id == site_id)
            .distinct()
        )
    )


def _sorted(
    rows: list[TraineeProgress], rules: list[TargetRule], view: View
) -> list[TraineeProgress]:
    """By name; or by one target's percentage (then counted cases), names breaking ties."""
    by_name = sorted(rows, key=lambda row: (row.trainee.full_name.casefold(), row.trainee.id))
    if view.sort == NAME:
        return list(reversed(by_name)) if view.descending else by_name
    index = next(n for n, rule in enumerate(rules) if str(rule.id) == view.sort)
    return sorted(
        by_name,
        key=lambda row: (row.targets[index].percent, row.targets[index].counted),
        reverse=view.descending,
    )  # stable: equal ones stay in name order


def _counts(rows: list[TraineeProgress], index: int) -> dict[Status, int]:
    counts = dict.fromkeys(Status, 0)
    for row in rows:
        counts[row.targets[index].status] += 1
    return counts


@dataclass
class CellCase:
    """One case behind a cell, as it counts: by its signed version if amended since."""

    case: Case
    operation_date: date
    procedures: list[Procedure]  # the ones the target accepts first
    matched: set[int]
    involvement: Involvement
    signer_name: str = ""
    signed_at: datetime | None = None
    autonomy: Autonomy | None = None
    amended: bool = False  # changed since it was signed; counted as signed


@dataclass
class Cell:
    """A trainee's standing on one target, with the cases that count and those pending."""

    trainee: TraineeProgress
    progress: Progress
    target: Target
    counted: list[CellCase] = field(default_factory=list)
    pending: list[CellCase] = field(default_factory=list)


def cell(program: Program, trainee_id: int, target_id: int, *, now: datetime) -> Cell | None:
    """The cases behind one cell, in a fixed number of queries; None if it has no such cell."""
    found = program_progress(program, trainee_ids=[trainee_id], now=now)
    if not found.trainees:
        return None
    row = found.trainees[0]
    standing = next((p for p in row.targets if p.target.id == target_id), None)
    if standing is None:
        return None
    target = db.session.scalars(
        select(Target)
        .where(Target.id == target_id)
        .options(selectinload(Target.procedures), selectinload(Target.groups))
    ).one()
    facts = {f.case_id: f for f in row.cases}
    ids = standing.case_ids + standing.pending_ids
    cases = (
        {
            c.id: c
            for c in db.session.scalars(
                select(Case)
                .where(Case.id.in_(ids))
                .options(
                    selectinload(Case.signatures),
                    selectinload(Case.site),
                    selectinload(Case.supervisor),
                )
            )
        }
        if ids
        else {}
    )
    procedure_ids = {pid for case_id in ids for pid in facts[case_id].procedure_ids}
    procedures = (
        {
            p.id: p
            for p in db.session.scalars(select(Procedure).where(Procedure.id.in_(procedure_ids)))
        }
        if procedure_ids
        else {}
    )

    def one(case_id: int) -> CellCase:
        fact, case = facts[case_id], cases[case_id]
        matched = set(fact.procedure_ids & standing.target.procedure_ids)
        listed = sorted(
            fact.procedure_ids, key=lambda pid: (pid not in matched, procedures[pid].name)
        )
        item = CellCase(
            case,
            fact.operation_date,
            [procedures[pid] for pid in listed],
            matched,
            fact.involvement,
            autonomy=fact.autonomy,
        )
        if fact.signed and case.signatures:
            signature = case.signatures[-1]
            item.signer_name, item.signed_at = signature.signer_name, signature.signed_at
            item.amended = signature.version != case.version
        return item

    return Cell(
        row,
        standing,
        target,
        [one(i) for i in standing.case_ids],
        [one(i) for i in standing.pending_ids],
    )
