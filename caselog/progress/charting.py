"""The dashboard's three charts for one trainee in one program, each with a text alternative."""

from collections import Counter
from dataclasses import dataclass
from datetime import date, timedelta

from flask_babel import format_date, ngettext
from flask_babel import gettext as _
from markupsafe import Markup

from caselog import charts
from caselog.formatting import month_day, month_tick, month_year, names, number
from caselog.i18n import label
from caselog.models import Autonomy, Involvement
from caselog.progress.compute import CaseFacts, Progress
from caselog.progress.queries import TraineeProgress

RATING_COLOURS = ["#bcd9e1", "#7fb5c2", "#2f8299", "#0a4452"]  # light to dark, as autonomy grows


@dataclass
class Chart:
    """A chart and its text alternative: a sentence, and the figures as a small table."""

    svg: Markup
    summary: str
    head: list[str]
    rows: list[list[str]]


@dataclass
class DashboardCharts:
    """Cases over time (all targets, or the one chosen), involvement mix, ratings."""

    over_time: Chart
    mix: Chart
    ratings: Chart | None
    followed: Progress | None  # the target the first chart follows; None: all targets


def dashboard_charts(
    row: TraineeProgress,
    today: date,
    prefix: str,
    target_id: int | None = None,
    ratings: bool = True,
) -> DashboardCharts:
    """Build the charts; `prefix` keeps element ids unique when a page shows several."""
    followed = next((p for p in row.targets if p.target.id == target_id), None)
    return DashboardCharts(
        over_time=over_time_chart(row, today, f"{prefix}-time", followed),
        mix=mix_chart(row.cases, f"{prefix}-mix"),
        ratings=(
            ratings_chart(row, today, f"{prefix}-ratings")
            if ratings or any(c.autonomy for c in row.cases)
            else None
        ),
        followed=followed,
    )


def running_count(days: list[date], start: date, until: date) -> list[tuple[date, float]]:
    """Steps of a running count from zero at `start`, held level until `until`."""
    points: list[tuple[date, float]] = [(start, 0)]
    for n, day in enumerate(sorted(days), start=1):
        points.append((day, n))
    if until >= start:
        points.append((max(until, points[-1][0]), len(days)))
    return points


def needed_by(targets: list[Progress], day: date) -> float:
    """Cases due by `day` on an even pace through each target's window."""
    total = 0.0
    for p in targets:
        span = (p.window_end - p.window_start).days
        if day >= p.window_end or span <= 0:
            total += p.target.min_count if day >= p.window_start else 0
        elif day > p.window_start:
            total += p.target.min_count * (day - p.window_start).days / span
    return total


def credited_days(
    targets: list[Progress], dates: dict[int, date], with_pending: bool, cap: bool
) -> list[date]:
    """Days of the cases counted toward the targets; with `cap`, none past a target's minimum."""
    days: list[date] = []
    for p in targets:
        ids = p.case_ids + (p.pending_ids if with_pending else [])
        ordered = sorted(dates[case_id] for case_id in ids)
        days.extend(ordered[: p.target.min_count] if cap else ordered)
    return days


def over_time_chart(
    row: TraineeProgress, today: date, chart_id: str, followed: Progress | None = None
) -> Chart:
    """Counted cases (and with pending ones) against the line that finishes on time."""
    start, end = row.period.start, row.period.end
    targets = [followed] if followed else row.targets
    dates = {c.case_id: c.operation_date for c in row.cases}
    until = min(today, end)
    counted = credited_days(targets, dates, False, cap=followed is None)
    with_pending = credited_days(targets, dates, True, cap=followed is None)
    breaks = sorted(
        {start, end} | {p.window_start for p in targets} | {p.window_end for p in targets}
    )
    need_points = [(day, needed_by(targets, day)) for day in breaks if start <= day <= end]
    goal = int(round(needed_by(targets, end)))
    lines = [
        charts.Line(
            _("Needed to finish on time"), need_points, charts.NEEDED, dashed=True, step=False
        ),
        charts.Line(
            _("Counted and pending"), running_count(with_pending, start, until), charts.PENDING
        ),
        charts.Line(
            _("Counted"), running_count(counted, start, until), charts.COUNTED, end_label=True
        ),
    ]
    what = followed.target.label if followed else _("all targets")
    due_now = round(needed_by(targets, until))
    summary = _(
        "%(counted)d of %(goal)d counted toward %(what)s, %(pending)d more with "
        "pending cases; %(due)d were due by today to finish on time by %(end)s.",
        what=what,
        counted=len(counted),
        goal=goal,
        pending=len(with_pending) - len(counted),
        due=due_now,
        end=format_date(end, "medium"),
    )
    if followed is None:
        summary += " " + _("Cases beyond a target's minimum are not added.")
    ticks, _kind = charts.date_ticks(start, end)
    rows = [
        [
            format_date(day, "medium"),
            number(sum(d <= day for d in counted)) if day <= today else "—",
            number(sum(d <= day for d in with_pending)) if day <= today else "—",
            number(round(needed_by(targets, day))),
        ]
        for day in ticks
    ]
    svg = charts.timeline(
        chart_id,
        lines,
        start=start,
        end=end,
        today=today,
        title=_("Cases over time: %(what)s", what=what),
        desc=summary,
        y_label=_("Cases"),
        today_label=_("Today"),
        date_label=_date_label,
        width=660,
    )
    return Chart(
        svg, summary, [_("Date"), _("Counted"), _("Counted and pending"), _("Needed")], rows
    )


def mix_chart(cases: list[CaseFacts], chart_id: str) -> Chart:
    """Signed cases by involvement level, pending ones beside."""
    signed = Counter(c.involvement for c in cases if c.signed)
    pending = Counter(c.involvement for c in cases if not c.signed)

    def value_text(bar: charts.Bar) -> str:
        if bar.extra:
            return _("%(n)d + %(p)d pending", n=bar.value, p=bar.extra)
        return number(bar.value)

    bars = [
        charts.Bar(level.value, signed[level], pending[level], label(level))
        for level in Involvement
    ]
    summary = _(
        "Signed cases by involvement: %(list)s.",
        list=names(f"{level.value} {number(signed[level])}" for level in Involvement),
    )
    if sum(pending.values()):
        summary += " " + ngettext(
            "%(num)d more case awaits sign-off.",
            "%(num)d more cases await sign-off.",
            sum(pending.values()),
        )
    svg = charts.horizontal_bars(
        chart_id,
        bars,
        title=_("Cases by involvement"),
        desc=summary,
        value_text=value_text,
        width=400,
        legend=[
            charts.Series(_("Signed"), charts.COUNTED),
            charts.Series(_("Pending"), charts.PENDING),
        ],
    )
    rows = [
        [f"{level.value} · {label(level)}", number(signed[level]), number(pending[level])]
        for level in Involvement
    ]
    return Chart(svg, summary, [_("Involvement"), _("Signed"), _("Pending")], rows)


def ratings_chart(row: TraineeProgress, today: date, chart_id: str) -> Chart:
    """Zwisch ratings from signatures, counted per month (per week in short programs)."""
    start, until = row.period.start, min(today, row.period.end)
    weekly = (row.period.end - start).days <= 92
    buckets = _buckets(start, max(until, start), weekly)
    levels = list(Autonomy)
    counts: dict[date, Counter[Autonomy | None]] = {bucket: Counter() for bucket in buckets}
    rated = [c for c in row.cases if c.signed and c.autonomy]
    for case in rated:
        bucket = _bucket_of(case.operation_date, start, weekly)
        if bucket in counts:
            counts[bucket][case.autonomy] += 1
    columns = [
        charts.Column(
            _bucket_label(b, weekly),
            [counts[b][lv] for lv in levels],
            month_year(b, full=True)
            if not weekly
            else _("Week of %(day)s", day=format_date(b, "medium")),
        )
        for b in buckets
    ]
    series = [
        charts.Series(label(lv), colour) for lv, colour in zip(levels, RATING_COLOURS, strict=True)
    ]
    if rated:
        latest = max(rated, key=lambda c: (c.operation_date, c.case_id))
        summary = (
            ngettext("%(num)d case rated.", "%(num)d cases rated.", len(rated))
            + " "
            + _(
                "Latest: %(level)s (%(day)s).",
                level=label(latest.autonomy),
                day=format_date(latest.operation_date, "medium"),
            )
        )
    else:
        summary = _("No case has been rated yet.")
    svg = charts.stacked_columns(
        chart_id,
        columns,
        series,
        title=_("Autonomy ratings (Zwisch) over time"),
        desc=summary,
        y_label=_("Rated cases"),
        empty_text=_("No ratings yet"),
        width=400,
    )
    rows = [[c.title] + [number(v) for v in c.values] for c in columns if sum(c.values)]
    return Chart(svg, summary, [_("Period")] + [label(lv) for lv in levels], rows)


def _buckets(start: date, until: date, weekly: bool) -> list[date]:
    first = _bucket_of(start, start, weekly)
    out = [first]
    while True:
        nxt = (out[-1] + timedelta(days=7)) if weekly else charts.add_months(out[-1], 1)
        if nxt > until:
            return out
        out.append(nxt)


def _bucket_of(day: date, start: date, weekly: bool) -> date:
    if weekly:
        return start + timedelta(days=(day - start).days // 7 * 7)
    return day.replace(day=1)


def _bucket_label(day: date, weekly: bool) -> str:
    return month_day(day) if weekly else month_year(day)


def _date_label(day: date, kind: str) -> str:
    return month_tick(day) if kind == "month" else month_day(day)
