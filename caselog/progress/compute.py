"""The progress computation itself: plain values in, plain values out, no database.

A case counts toward every target whose procedures it includes (primary or additional)
at an involvement level the target accepts, by the content of its latest signature: an
approved case by what was approved, an amended case still by its signed version until
the amendment is signed. A submitted case that was never signed is pending. Nothing else
counts: drafts, returned and withdrawn cases without an earlier signature.
"""

import math
from dataclasses import dataclass, field
from datetime import date, timedelta

from caselog.models import Autonomy, Involvement, Status

AUTONOMY_ORDER = list(Autonomy)  # show and tell ... supervision only


@dataclass(frozen=True)
class CaseFacts:
    """What progress needs to know of one case."""

    case_id: int
    trainee_id: int
    operation_date: date
    procedure_ids: frozenset[int]
    involvement: Involvement
    signed: bool  # False: submitted and waiting for its first signature (pending)
    autonomy: Autonomy | None = None  # the signer's Zwisch rating, if any


@dataclass(frozen=True)
class TargetRule:
    """A target in the form the computation uses."""

    id: int
    label: str
    min_count: int
    procedure_ids: frozenset[int]
    involvements: frozenset[Involvement]
    entrust_count: int | None = None
    entrust_autonomy: Autonomy | None = None
    program_year: int | None = None

    def matches(self, case: CaseFacts) -> bool:
        return case.involvement in self.involvements and bool(
            case.procedure_ids & self.procedure_ids
        )

    def entrusts(self, case: CaseFacts) -> bool:
        """Rated at the target's autonomy level or higher."""
        return (
            self.entrust_autonomy is not None
            and case.autonomy is not None
            and AUTONOMY_ORDER.index(case.autonomy) >= AUTONOMY_ORDER.index(self.entrust_autonomy)
        )


@dataclass(frozen=True)
class Period:
    """The trainee's time in the program; targets with a year look only at that year."""

    program_start: date
    start: date  # the trainee's enrolment
    end: date

    def window(self, program_year: int | None) -> tuple[date, date]:
        if program_year is None:
            return self.start, self.end
        year_start = _add_years(self.program_start, program_year - 1)
        year_end = _add_years(self.program_start, program_year) - timedelta(days=1)
        return max(self.start, year_start), min(self.end, year_end)


@dataclass
class Progress:
    """One trainee's standing on one target."""

    target: TargetRule
    counted: int
    pending: int
    entrusted: int  # counted cases rated at the entrustment level (0 without a condition)
    window_start: date
    window_end: date
    status: Status
    projected: date | None  # when the target will be met at the current rate; or was met
    case_ids: list[int] = field(default_factory=list)  # the counted cases, oldest first
    pending_ids: list[int] = field(default_factory=list)

    @property
    def percent(self) -> int:
        """Share of the target reached, the entrustment condition included (0..100)."""
        shares = [(self.counted, self.target.min_count)]
        if self.target.entrust_count:
            shares.append((self.entrusted, self.target.entrust_count))
        # Whole numbers throughout: 29 of 50 is 58%, never 57 from a float's shortfall.
        return min(100, *(done * 100 // need for done, need in shares))


def progress(
    targets: list[TargetRule], cases: list[CaseFacts], period: Period, today: date
) -> list[Progress]:
    """Each target's progress for one trainee, from that trainee's cases."""
    ordered = sorted(cases, key=lambda c: (c.operation_date, c.case_id))
    return [_one(target, ordered, period, today) for target in targets]


def _one(target: TargetRule, cases: list[CaseFacts], period: Period, today: date) -> Progress:
    start, end = period.window(target.program_year)
    inside = [c for c in cases if start <= c.operation_date <= end and target.matches(c)]
    counted = [c for c in inside if c.signed]
    pending = [c for c in inside if not c.signed]
    entrusted = [c for c in counted if target.entrusts(c)]
    status, projected = _pace(target, counted, entrusted, start, end, today)
    return Progress(
        target,
        len(counted),
        len(pending),
        len(entrusted),
        start,
        end,
        status,
        projected,
        [c.case_id for c in counted],
        [c.case_id for c in pending],
    )


def _pace(
    target: TargetRule,
    counted: list[CaseFacts],
    entrusted: list[CaseFacts],
    start: date,
    end: date,
    today: date,
) -> tuple[Status, date | None]:
    """Met (and when), or the date it will be met at the current rate against the end."""
    needs = [(target.min_count, counted)]
    if target.entrust_count:
        needs.append((target.entrust_count, entrusted))
    if all(len(done) >= need for need, done in needs):
        return Status.MET, max(done[need - 1].operation_date for need, done in needs)
    if today < start:
        return Status.NOT_STARTED, None
    elapsed = (min(today, end) - start).days + 1
    total = (end - start).days + 1
    projections = []
    for need, done in needs:
        if len(done) >= need:
            continue
        if not done:  # no rate yet: behind once a case was due by now on an even pace
            due_by_now = need * elapsed / total
            return (Status.BEHIND if due_by_now >= 1 else Status.ON_TRACK), None
        days_per_case = elapsed / len(done)
        projections.append(today + timedelta(days=math.ceil((need - len(done)) * days_per_case)))
    projected = max(projections)
    return (Status.ON_TRACK if projected <= end else Status.BEHIND), projected


def _add_years(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)
