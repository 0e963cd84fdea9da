"""SVG charts: well-formed markup, one mark per datum, sensible with no data at all."""

import xml.etree.ElementTree as ET  # noqa: S405 - parsing markup we generate
from datetime import date, timedelta

from caselog import charts
from caselog.models import Involvement
from caselog.progress.charting import credited_days, needed_by, running_count
from caselog.progress.compute import Progress, Status, TargetRule

NS = "{http://www.w3.org/2000/svg}"
START, END = date(2026, 1, 1), date(2026, 12, 31)


def parse(markup) -> ET.Element:
    root = ET.fromstring(str(markup))  # noqa: S314 - our own markup
    assert root.tag == f"{NS}svg"
    width, height = float(root.get("width")), float(root.get("height"))
    assert root.get("viewBox") == f"0 0 {root.get('width')} {root.get('height')}"
    assert width > 0 and height > 0
    return root


def marks(root: ET.Element, tag: str, css: str) -> list[ET.Element]:
    return [e for e in root.iter(f"{NS}{tag}") if e.get("class") == css]


def accessible(root: ET.Element, chart_id: str, described: bool = True) -> None:
    assert root.get("role") == "img"
    assert root.find(f"{NS}title").text
    if described:
        assert root.get("aria-labelledby") == f"{chart_id}-title {chart_id}-desc"
        assert root.find(f"{NS}desc").text
    else:  # no empty description for a screen reader to announce
        assert root.get("aria-labelledby") == f"{chart_id}-title"
        assert root.find(f"{NS}desc") is None


def test_progress_bar_has_counted_and_pending_segments_on_the_total():
    root = parse(charts.progress_bar(3, 2, 10, width=200))
    assert root.get("aria-hidden") == "true"
    assert float(marks(root, "rect", "bar-value")[0].get("width")) == 60
    extra = marks(root, "rect", "bar-extra")[0]
    assert float(extra.get("x")) == 60 and float(extra.get("width")) == 40


def test_progress_bar_never_runs_past_the_total_and_survives_a_zero_total():
    root = parse(charts.progress_bar(12, 5, 10, width=200))
    assert float(marks(root, "rect", "bar-value")[0].get("width")) == 200
    assert float(marks(root, "rect", "bar-extra")[0].get("width")) == 0
    root = parse(charts.progress_bar(0, 0, 0, width=200))
    assert float(marks(root, "rect", "bar-value")[0].get("width")) == 0


def test_timeline_draws_each_line_with_a_step_per_case_and_marks_today():
    counted = [(START, 0), (date(2026, 2, 1), 1), (date(2026, 3, 1), 2), (date(2026, 6, 1), 2)]
    needed = [(START, 0), (END, 12)]
    root = parse(
        charts.timeline(
            "t",
            [
                charts.Line("Needed", needed, charts.NEEDED, dashed=True, step=False),
                charts.Line("Counted", counted, charts.COUNTED, end_label=True),
            ],
            start=START,
            end=END,
            today=date(2026, 6, 1),
            title="Cases over time",
            desc="2 of 12",
            y_label="Cases",
            today_label="Today",
        )
    )
    accessible(root, "t")
    paths = marks(root, "path", "line")
    assert len(paths) == 2
    assert paths[0].get("d").count("L") == 1 and paths[0].get("stroke-dasharray")
    assert paths[1].get("d").count("H") == 3  # one step per later point
    assert len(marks(root, "circle", "point")) == 1
    texts = [t.text for t in root.iter(f"{NS}text")]
    assert texts.count("Today") == 2  # the marker and the legend
    assert "Needed" in texts and "Counted" in texts and "2" in texts  # the end label


def test_timeline_without_data_or_with_today_outside_still_draws_axes():
    root = parse(
        charts.timeline(
            "t",
            [],
            start=START,
            end=START,
            today=END,
            title="Empty",
            desc="",
            y_label="Cases",
            today_label="Today",
        )
    )
    assert not marks(root, "path", "line")
    assert [t.text for t in root.iter(f"{NS}text")].count("Today") == 1  # legend only


def test_date_ticks_are_months_on_long_spans_and_days_on_short_ones():
    ticks, kind = charts.date_ticks(START, END)
    assert kind == "month" and 4 <= len(ticks) <= 7 and all(t.day == 1 for t in ticks)
    ticks, kind = charts.date_ticks(date(2026, 3, 2), date(2026, 3, 30))
    assert kind == "day" and ticks[1] - ticks[0] == timedelta(days=7)
    ticks, _kind = charts.date_ticks(date(2021, 9, 1), date(2026, 8, 31))  # a residency
    assert len(ticks) <= 7


def test_horizontal_bars_one_row_per_level_with_pending_beside():
    bars = [
        charts.Bar(level.value, n, n % 2, f"<{level.value}> & co")
        for n, level in enumerate(Involvement)
    ]
    root = parse(
        charts.horizontal_bars(
            "mix",
            bars,
            title="Cases by involvement",
            desc="Signed cases by involvement",
            value_text=lambda bar: f"{bar.value} + {bar.extra}",
            legend=[charts.Series("Signed", charts.COUNTED)],
        )
    )
    accessible(root, "mix")
    assert len(marks(root, "g", "bar-row")) == 6
    values = [float(r.get("width")) for r in marks(root, "rect", "bar-value")]
    assert values[0] == 0 and values == sorted(values)
    assert len(marks(root, "rect", "bar-extra")) == 6
    titles = [g.find(f"{NS}title").text for g in marks(root, "g", "bar-row")]
    assert titles[1] == "<A> & co: 1 + 1"  # escaped in the markup, read back as written


def test_horizontal_bars_with_no_data_say_so():
    root = parse(
        charts.horizontal_bars(
            "mix",
            [],
            title="Cases by involvement",
            desc="",
            value_text=str,
            empty_text="No cases yet",
        )
    )
    assert not marks(root, "g", "bar-row")
    assert "No cases yet" in [t.text for t in root.iter(f"{NS}text")]


def test_stacked_columns_one_segment_per_nonzero_value():
    series = [
        charts.Series(name, colour)
        for name, colour in zip("ABCD", ["#111111", "#222222", "#333333", "#444444"], strict=True)
    ]
    columns = [
        charts.Column("Jan", [1, 0, 2, 0]),
        charts.Column("Feb", [0, 0, 0, 0]),
        charts.Column("Mar", [0, 3, 1, 1]),
    ]
    root = parse(
        charts.stacked_columns(
            "r",
            columns,
            series,
            title="Ratings",
            desc="",
            y_label="Rated cases",
            empty_text="No ratings yet",
        )
    )
    accessible(root, "r", described=False)
    assert len(marks(root, "g", "column")) == 3
    assert len(marks(root, "rect", "segment")) == 5
    assert "No ratings yet" not in [t.text for t in root.iter(f"{NS}text")]


def test_stacked_columns_with_no_ratings_say_so():
    series = [charts.Series("A", "#111111")]
    for columns in ([], [charts.Column("Jan", [0])]):
        root = parse(
            charts.stacked_columns(
                "r",
                columns,
                series,
                title="Ratings",
                desc="",
                y_label="Rated cases",
                empty_text="No ratings yet",
            )
        )
        assert not marks(root, "rect", "segment")
        assert "No ratings yet" in [t.text for t in root.iter(f"{NS}text")]


def _progress(min_count, counted_ids, pending_ids=(), start=START, end=END):
    rule = TargetRule(1, "T", min_count, frozenset({1}), frozenset({Involvement.PERFORMED}))
    return Progress(
        rule,
        len(counted_ids),
        len(pending_ids),
        0,
        start,
        end,
        Status.ON_TRACK,
        None,
        list(counted_ids),
        list(pending_ids),
    )


def test_running_count_steps_up_per_case_and_holds_until_today():
    points = running_count([date(2026, 3, 1), date(2026, 2, 1)], START, date(2026, 5, 1))
    assert points == [
        (START, 0),
        (date(2026, 2, 1), 1),
        (date(2026, 3, 1), 2),
        (date(2026, 5, 1), 2),
    ]
    assert running_count([], START, START - timedelta(days=1)) == [(START, 0)]


def test_needed_line_is_even_through_each_targets_window():
    whole = _progress(10, [])
    second_half = _progress(4, [], start=date(2026, 7, 1))
    assert needed_by([whole], START) == 0 and needed_by([whole], END) == 10
    assert round(needed_by([whole], date(2026, 7, 2)), 1) == 5.0
    assert needed_by([second_half], date(2026, 6, 1)) == 0
    assert needed_by([whole, second_half], END) == 14


def test_credited_days_stop_at_each_targets_minimum_when_capped():
    dates = {n: START + timedelta(days=n) for n in range(1, 8)}
    small = _progress(2, [1, 2, 3], [4])
    large = _progress(5, [5, 6], [7])
    capped = credited_days([small, large], dates, with_pending=False, cap=True)
    assert capped == [dates[1], dates[2], dates[5], dates[6]]
    assert len(credited_days([small, large], dates, with_pending=True, cap=True)) == 5
    assert len(credited_days([small], dates, with_pending=True, cap=False)) == 4
