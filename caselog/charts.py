"""Charts drawn on the server as SVG: the same picture on a page and in a PDF report.

Pure functions: plain values in, SVG markup out, with explicit width, height and viewBox;
presentation attributes only (no CSS, no script, nothing fetched), text in the font of
the document around it, colours that still read when printed in grey, and a <title> and
<desc> for screen readers. Callers pass every word, already translated.
"""

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from markupsafe import Markup, escape

INK = "#212529"
MUTED = "#495057"
GRID = "#dee2e6"
TRACK = "#e9ecef"
COUNTED = "#0f5c6e"
PENDING = "#8fc1cc"
NEEDED = "#495057"
TODAY = "#a34700"
FONT = 15  # text size in viewBox units; pages show the charts at about one unit a pixel
CHAR = 0.6  # a character's width, as a share of the font size (estimated)


@dataclass(frozen=True)
class Line:
    """A series over time: (day, value) points; drawn as steps for running counts."""

    label: str
    points: Sequence[tuple[date, float]]
    colour: str
    dashed: bool = False
    step: bool = True
    end_label: bool = False  # write the last value beside the line's end


@dataclass(frozen=True)
class Bar:
    """One row of a horizontal bar chart, with an optional lighter segment beside it."""

    label: str
    value: int
    extra: int = 0
    title: str = ""  # a longer name, shown as a tooltip


@dataclass(frozen=True)
class Column:
    """One column of a stacked column chart: a value per series, bottom to top."""

    label: str
    values: Sequence[int]
    title: str = ""


@dataclass(frozen=True)
class Series:
    """A named colour of a stacked chart's legend."""

    label: str
    colour: str


def _num(value: float) -> str:
    return f"{value:.1f}".rstrip("0").rstrip(".")


class _Svg:
    """Collects the elements of one chart and wraps them in an accessible <svg>."""

    def __init__(self, chart_id: str, title: str, desc: str):
        self.chart_id, self.title, self.desc = chart_id, title, desc
        self.parts: list[str] = []

    def add(self, markup: str) -> None:
        self.parts.append(markup)

    def text(
        self,
        x: float,
        y: float,
        words: str,
        anchor: str = "start",
        size: int = FONT,
        colour: str = INK,
        bold: bool = False,
        css: str = "",
    ) -> None:
        weight = ' font-weight="bold"' if bold else ""
        klass = f' class="{css}"' if css else ""
        self.add(
            f'<text x="{_num(x)}" y="{_num(y)}" font-size="{size}" fill="{colour}" '
            f'text-anchor="{anchor}"{weight}{klass}>{escape(words)}</text>'
        )

    def rect(
        self, x: float, y: float, w: float, h: float, fill: str, css: str = "", stroke: str = "none"
    ) -> None:
        klass = f' class="{css}"' if css else ""
        self.add(
            f'<rect x="{_num(x)}" y="{_num(y)}" width="{_num(max(w, 0))}" '
            f'height="{_num(max(h, 0))}" fill="{fill}" stroke="{stroke}"{klass}/>'
        )

    def line(
        self,
        x1: float,
        y1: float,
        x2: float,
        y2: float,
        colour: str = GRID,
        width: float = 1,
        dash: str = "",
    ) -> None:
        dashes = f' stroke-dasharray="{dash}"' if dash else ""
        self.add(
            f'<line x1="{_num(x1)}" y1="{_num(y1)}" x2="{_num(x2)}" y2="{_num(y2)}" '
            f'stroke="{colour}" stroke-width="{_num(width)}"{dashes}/>'
        )

    def render(self, width: float, height: float) -> Markup:
        w, h = _num(width), _num(height)
        ids = f"{self.chart_id}-title" + (f" {self.chart_id}-desc" if self.desc else "")
        head = (
            f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" id="{self.chart_id}" '
            f'width="{w}" height="{h}" viewBox="0 0 {w} {h}" role="img" '
            f'aria-labelledby="{ids}">'
            f'<title id="{self.chart_id}-title">{escape(self.title)}</title>'
        )
        if self.desc:
            head += f'<desc id="{self.chart_id}-desc">{escape(self.desc)}</desc>'
        return Markup(head + "".join(self.parts) + "</svg>")  # noqa: S704 - every text escaped


def _legend(
    svg: _Svg, items: list[tuple[str, str, str]], left: float, top: float, width: float
) -> float:
    """Swatches with labels in rows that fit the width; returns the height used."""
    x, y, row = left, top, 24
    for label, colour, kind in items:
        item_w = 30 + len(label) * FONT * CHAR + 18
        if x > left and x + item_w > left + width:
            x, y = left, y + row
        if kind == "box":
            svg.rect(x, y + 2, 16, 14, colour, stroke=MUTED)
        else:
            svg.line(x, y + 9, x + 22, y + 9, colour, 3, "6 4" if kind == "dashed" else "")
        svg.text(x + 28, y + 14, label, colour=INK)
        x += item_w
    return y - top + row


def _nice_top(value: float, ticks: int = 5) -> tuple[int, int]:
    """A round top for a count axis and its step, so that labels are whole numbers."""
    value = max(value, 1)
    raw = value / ticks
    magnitude = 10 ** math.floor(math.log10(raw)) if raw >= 1 else 1
    step = next(m * magnitude for m in (1, 2, 5, 10) if m * magnitude >= raw)
    return math.ceil(value / step) * step, step


def date_ticks(start: date, end: date) -> tuple[list[date], str]:
    """Up to seven tick days: month starts on long spans, days on short ones."""
    span = (end - start).days
    if span <= 62:
        step = next((s for s in (1, 2, 7, 14) if span / s <= 6), 14)
        return [start + timedelta(days=n) for n in range(0, span + 1, step)], "day"
    months = (end.year - start.year) * 12 + end.month - start.month
    step = next((s for s in (1, 2, 3, 6, 12, 24) if months / s <= 6), 60)
    first = start if start.day == 1 else add_months(start.replace(day=1), 1)
    ticks, n = [], 0
    while (tick := add_months(first, n)) <= end:
        ticks.append(tick)
        n += step
    return ticks, "month"


def add_months(day: date, months: int) -> date:
    """The same day of the month, `months` later (for the first of a month: always valid)."""
    index = day.month - 1 + months
    return day.replace(year=day.year + index // 12, month=index % 12 + 1)


def _default_date_label(day: date, kind: str) -> str:
    """Numbers only (2025-03, 03-12), in no language: callers pass the reader's own."""
    return day.isoformat()[:7] if kind == "month" else day.isoformat()[5:]


def progress_bar(
    counted: int, pending: int, total: int, *, width: int = 240, height: int = 14
) -> Markup:
    """A bar: counted in full colour, pending beside it lighter, on a track of the total.

    Decorative (aria-hidden): the figures are always written beside it.
    """
    total = max(total, 1)
    done = min(counted, total) / total * width
    waiting = min(pending, max(total - counted, 0)) / total * width
    return Markup(  # noqa: S704 - numbers only
        f'<svg xmlns="http://www.w3.org/2000/svg" class="progress-bar-svg" width="{width}" '
        f'height="{height}" viewBox="0 0 {width} {height}" preserveAspectRatio="none" '
        f'aria-hidden="true" focusable="false">'
        f'<rect x="0" y="0" width="{width}" height="{height}" fill="{TRACK}" '
        f'stroke="{MUTED}" stroke-width="0.5"/>'
        f'<rect class="bar-value" x="0" y="0" width="{_num(done)}" height="{height}" '
        f'fill="{COUNTED}"/>'
        f'<rect class="bar-extra" x="{_num(done)}" y="0" width="{_num(waiting)}" '
        f'height="{height}" fill="{PENDING}"/></svg>'
    )


def timeline(
    chart_id: str,
    lines: Sequence[Line],
    *,
    start: date,
    end: date,
    today: date,
    title: str,
    desc: str,
    y_label: str,
    today_label: str,
    date_label: Callable[[date, str], str] = _default_date_label,
    width: int = 720,
    plot_height: int = 230,
) -> Markup:
    """Running counts from start to end (steps or straight lines), with today marked."""
    svg = _Svg(chart_id, title, desc)
    left, right, top = 52, 28, 44
    plot_w = width - left - right
    span = max((end - start).days, 1)
    y_top, y_step = _nice_top(max((v for line in lines for _, v in line.points), default=1))

    def x(day: date) -> float:
        return left + min(max((day - start).days, 0), span) / span * plot_w

    def y(value: float) -> float:
        return top + plot_height - value / y_top * plot_height

    svg.text(left - 44, 18, y_label, colour=MUTED)
    for level in range(0, y_top + 1, y_step):
        svg.line(left, y(level), left + plot_w, y(level), GRID)
        svg.text(left - 8, y(level) + 5, str(level), anchor="end", colour=MUTED)
    ticks, kind = date_ticks(start, end)
    for tick in ticks:
        svg.line(x(tick), top + plot_height, x(tick), top + plot_height + 6, MUTED)
        anchor = "end" if x(tick) > left + plot_w - 30 else "middle"
        svg.text(
            x(tick), top + plot_height + 24, date_label(tick, kind), anchor=anchor, colour=MUTED
        )
    svg.line(left, top + plot_height, left + plot_w, top + plot_height, MUTED, 1.5)
    if start <= today <= end:
        svg.line(x(today), top - 4, x(today), top + plot_height, TODAY, 2, "3 3")
        anchor = (
            "end"
            if x(today) > left + plot_w - 40
            else "start"
            if x(today) < left + 40
            else "middle"
        )
        svg.text(x(today), top - 10, today_label, anchor=anchor, colour=TODAY, bold=True)
    for line in lines:
        if not line.points:
            continue
        path = [f"M{_num(x(line.points[0][0]))} {_num(y(line.points[0][1]))}"]
        for day, value in line.points[1:]:
            if line.step:
                path.append(f"H{_num(x(day))} V{_num(y(value))}")
            else:
                path.append(f"L{_num(x(day))} {_num(y(value))}")
        dash = ' stroke-dasharray="8 6"' if line.dashed else ""
        svg.add(
            f'<path class="line" d="{" ".join(path)}" fill="none" stroke="{line.colour}" '
            f'stroke-width="3" stroke-linejoin="round"{dash}/>'
        )
        if line.end_label:
            day, value = line.points[-1]
            svg.add(
                f'<circle class="point" cx="{_num(x(day))}" cy="{_num(y(value))}" r="4.5" '
                f'fill="{line.colour}"/>'
            )
            svg.text(
                x(day) + (8 if x(day) < left + plot_w - 40 else -8),
                y(value) - 8,
                _num(value),
                anchor="start" if x(day) < left + plot_w - 40 else "end",
                colour=line.colour,
                bold=True,
            )
    items = [(line.label, line.colour, "dashed" if line.dashed else "line") for line in lines]
    items.append((today_label, TODAY, "dashed"))
    legend_h = _legend(svg, items, left - 44, top + plot_height + 40, width - 16)
    return svg.render(width, top + plot_height + 44 + legend_h)


def horizontal_bars(
    chart_id: str,
    bars: Sequence[Bar],
    *,
    title: str,
    desc: str,
    value_text: Callable[[Bar], str],
    legend: Sequence[Series] = (),
    empty_text: str = "",
    width: int = 480,
) -> Markup:
    """One row per label: a bar of its value, a lighter one of its extra, the figures."""
    svg = _Svg(chart_id, title, desc)
    row, bar_h, top = 36, 22, 8
    label_w = max((len(b.label) for b in bars), default=4) * FONT * CHAR + 14
    # Room after the longest bar for its figures, as long as they run in the reader's language.
    text_w = max((len(value_text(b)) for b in bars), default=10) * FONT * CHAR + 16
    plot_w = max(width - label_w - text_w, width / 4)
    scale = max((b.value + b.extra for b in bars), default=0) or 1
    for n, bar in enumerate(bars):
        y = top + n * row
        svg.add(
            f'<g class="bar-row"><title>{escape(bar.title or bar.label)}: '
            f"{escape(value_text(bar))}</title>"
        )
        svg.text(label_w - 10, y + bar_h / 2 + 5, bar.label, anchor="end", bold=True)
        value_w = bar.value / scale * plot_w
        extra_w = bar.extra / scale * plot_w
        svg.rect(label_w, y, value_w, bar_h, COUNTED, "bar-value")
        svg.rect(label_w + value_w, y, extra_w, bar_h, PENDING, "bar-extra")
        svg.text(label_w + value_w + extra_w + 8, y + bar_h / 2 + 5, value_text(bar))
        svg.add("</g>")
    plot_h = len(bars) * row
    if bars:
        svg.line(label_w, top - 4, label_w, top + plot_h - row + bar_h + 4, MUTED, 1.5)
    elif empty_text:
        svg.text(width / 2, top + 30, empty_text, anchor="middle", colour=MUTED)
        plot_h = 48
    items = [(s.label, s.colour, "box") for s in legend]
    legend_h = _legend(svg, items, 8, top + plot_h + 8, width - 16) if items else 0
    return svg.render(width, top + plot_h + 12 + legend_h)


def stacked_columns(
    chart_id: str,
    columns: Sequence[Column],
    series: Sequence[Series],
    *,
    title: str,
    desc: str,
    y_label: str,
    empty_text: str,
    width: int = 480,
    plot_height: int = 190,
) -> Markup:
    """Columns of counts stacked by series (for example ratings by month), with a legend."""
    svg = _Svg(chart_id, title, desc)
    left, right, top = 44, 12, 36
    plot_w = width - left - right
    totals = [sum(c.values) for c in columns]
    y_top, y_step = _nice_top(max(totals, default=1))

    def y(value: float) -> float:
        return top + plot_height - value / y_top * plot_height

    svg.text(left - 36, 18, y_label, colour=MUTED)
    for value in range(0, y_top + 1, y_step):
        svg.line(left, y(value), left + plot_w, y(value), GRID)
        svg.text(left - 8, y(value) + 5, str(value), anchor="end", colour=MUTED)
    if not any(totals):
        svg.text(
            left + plot_w / 2, top + plot_height / 2, empty_text, anchor="middle", colour=MUTED
        )
    else:
        slot = plot_w / len(columns)
        bar_w = min(slot * 0.7, 44)
        label_w = max(len(c.label) for c in columns) * FONT * CHAR + 14
        every = max(math.ceil(len(columns) * label_w / plot_w), 1)
        for n, column in enumerate(columns):
            cx = left + slot * (n + 0.5)
            parts = ", ".join(
                f"{s.label} {v}" for s, v in zip(series, column.values, strict=True) if v
            )
            svg.add(
                f'<g class="column"><title>{escape(column.title or column.label)}: '
                f"{escape(parts or '0')}</title>"
            )
            base = 0
            for colour, value in zip((s.colour for s in series), column.values, strict=True):
                if value:
                    svg.rect(
                        cx - bar_w / 2,
                        y(base + value),
                        bar_w,
                        y(base) - y(base + value),
                        colour,
                        "segment",
                        stroke="#ffffff",
                    )
                base += value
            svg.add("</g>")
            if n % every == 0:
                svg.text(cx, top + plot_height + 22, column.label, anchor="middle", colour=MUTED)
    svg.line(left, top + plot_height, left + plot_w, top + plot_height, MUTED, 1.5)
    items = [(s.label, s.colour, "box") for s in series]
    legend_h = _legend(svg, items, 8, top + plot_height + 36, width - 16)
    return svg.render(width, top + plot_height + 40 + legend_h)
