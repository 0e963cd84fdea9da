"""The progress computation on its edge cases: plain values in, plain values out."""

from datetime import date, timedelta

import pytest

from caselog.models import Autonomy, Involvement
from caselog.progress.compute import CaseFacts, Period, Progress, Status, TargetRule, progress

OBS, A, STS, STU, P, T = (
    Involvement.OBSERVED,
    Involvement.ASSISTED,
    Involvement.SUPERVISED_SCRUBBED,
    Involvement.SUPERVISED_UNSCRUBBED,
    Involvement.PERFORMED,
    Involvement.TAUGHT,
)
HANDS_ON = frozenset({STS, STU, P})
DISCECTOMY, FUSION, ACDF = 1, 2, 3

# A 365-day period: 2025-01-01 .. 2025-12-31.
YEAR = Period(program_start=date(2025, 1, 1), start=date(2025, 1, 1), end=date(2025, 12, 31))
_ids = iter(range(1, 10_000))


def case(
    day: date, *procedures: int, involvement=STS, signed=True, autonomy=None, case_id=None
) -> CaseFacts:
    return CaseFacts(
        case_id or next(_ids),
        7,
        day,
        frozenset(procedures or {DISCECTOMY}),
        involvement,
        signed,
        autonomy,
    )


def rule(
    min_count=3, procedures=(DISCECTOMY,), involvements=HANDS_ON, rule_id=1, **fields
) -> TargetRule:
    return TargetRule(
        rule_id,
        f"Target {rule_id}",
        min_count,
        frozenset(procedures),
        frozenset(involvements),
        **fields,
    )


def one(target: TargetRule, cases: list[CaseFacts], today: date, period=YEAR) -> Progress:
    [result] = progress([target], cases, period, today)
    return result


def day(month: int, dom: int, year: int = 2025) -> date:
    return date(year, month, dom)


# --- what counts -----------------------------------------------------------------------


def test_a_case_with_several_procedures_counts_toward_every_target_it_matches_once():
    both = case(day(2, 1), DISCECTOMY, FUSION)  # primary discectomy, additional fusion
    targets = [
        rule(rule_id=1, procedures=[DISCECTOMY]),
        rule(rule_id=2, procedures=[FUSION]),
        rule(rule_id=3, procedures=[DISCECTOMY, FUSION]),
        rule(rule_id=4, procedures=[ACDF]),
    ]
    results = progress(targets, [both], YEAR, day(3, 1))
    assert [r.counted for r in results] == [1, 1, 1, 0]
    assert [r.case_ids for r in results] == [[both.case_id]] * 3 + [[]]
    assert [r.target.id for r in results] == [1, 2, 3, 4]  # in the framework's order


def test_involvement_levels_the_target_does_not_accept_count_nowhere():
    cases = [
        case(day(2, 1), involvement=OBS),
        case(day(2, 2), involvement=A),
        case(day(2, 3), involvement=T),
        case(day(2, 4), involvement=OBS, signed=False),
        case(day(2, 5), involvement=STU),
    ]
    result = one(rule(), cases, day(3, 1))
    assert (result.counted, result.pending) == (1, 0)
    assert result.case_ids == [cases[-1].case_id]
    # A target that accepts teaching counts the taught case too.
    assert one(rule(involvements={STS, STU, P, T}), cases, day(3, 1)).counted == 2


def test_pending_cases_are_shown_beside_and_never_counted_or_used_for_pace():
    signed = [case(day(1, 10)), case(day(1, 20))]
    waiting = [case(day(2, 1), signed=False), case(day(2, 2), involvement=P, signed=False)]
    outside = case(day(2, 3), ACDF, signed=False)  # another procedure: pending elsewhere
    result = one(rule(min_count=4), [*waiting, outside, *signed], day(3, 1))
    assert (result.counted, result.pending) == (2, 2)
    assert result.case_ids == [c.case_id for c in signed]
    assert result.pending_ids == [c.case_id for c in waiting]
    assert result.percent == 50
    # Pace from the two signed cases only: 60 days (1 January .. 1 March) for 2, so the
    # 2 more take another 60 days.
    assert result.projected == day(4, 30)
    # Pending cases never complete a target.
    assert one(rule(min_count=2), [*signed, *waiting], day(3, 1)).status is Status.MET
    assert one(rule(min_count=3), [*signed, *waiting], day(3, 1)).status is not Status.MET


def test_counted_cases_are_listed_oldest_first_whatever_order_they_come_in():
    late, early, same_day = (
        case(day(5, 1), case_id=900),
        case(day(1, 5), case_id=901),
        case(day(5, 1), case_id=899),
    )
    assert one(rule(), [late, early, same_day], day(6, 1)).case_ids == [901, 899, 900]


# --- windows ---------------------------------------------------------------------------


def test_the_whole_period_counts_from_the_first_to_the_last_day_of_the_enrolment():
    cases = [case(day(12, 31, 2024)), case(day(1, 1)), case(day(12, 31)), case(day(1, 1, 2026))]
    result = one(rule(min_count=5), cases, day(12, 31))
    assert (result.window_start, result.window_end) == (day(1, 1), day(12, 31))
    assert result.case_ids == [cases[1].case_id, cases[2].case_id]


def test_a_program_year_window_takes_its_first_and_last_day_and_nothing_beyond():
    period = Period(date(2024, 3, 10), date(2024, 3, 10), date(2027, 3, 9))
    second_year = rule(min_count=9, program_year=2)
    cases = [case(day(3, 9)), case(day(3, 10)), case(day(3, 9, 2026)), case(day(3, 10, 2026))]
    result = one(second_year, cases, day(6, 1, 2026), period)
    assert (result.window_start, result.window_end) == (day(3, 10), day(3, 9, 2026))
    assert result.case_ids == [cases[1].case_id, cases[2].case_id]
    first_year = one(rule(program_year=1), cases, day(6, 1, 2026), period)
    assert first_year.case_ids == [cases[0].case_id]
    assert first_year.window_end == day(3, 9)


def test_an_enrolment_starting_mid_year_shortens_that_year_and_pace_is_judged_on_it():
    # The program starts on 1 September; this trainee joined on 15 January.
    period = Period(date(2024, 9, 1), date(2025, 1, 15), date(2026, 8, 31))
    first_year = rule(min_count=4, program_year=1)
    before_joining = case(day(12, 1, 2024))  # cannot normally exist; never counted anyway
    cases = [before_joining, case(day(1, 20)), case(day(2, 10))]
    result = one(first_year, cases, day(3, 15), period)
    assert (result.window_start, result.window_end) == (day(1, 15), day(8, 31))
    assert result.counted == 2
    # 60 days from joining for 2 cases: 2 more in 60 days, by 14 May, before 31 August.
    assert result.projected == day(5, 14)
    assert result.status is Status.ON_TRACK
    # The second year is whole.
    assert one(rule(program_year=2), [], day(3, 15), period).window_start == day(9, 1)


def test_a_program_year_ending_after_the_enrolment_ends_with_the_enrolment():
    period = Period(date(2024, 9, 1), date(2024, 9, 1), date(2025, 6, 30))
    result = one(rule(program_year=1), [], day(1, 1), period)
    assert (result.window_start, result.window_end) == (date(2024, 9, 1), day(6, 30))


def test_a_program_starting_on_29_february_has_years_that_follow_each_other_day_by_day():
    period = Period(date(2024, 2, 29), date(2024, 2, 29), date(2030, 2, 27))
    windows = [period.window(year) for year in range(1, 7)]
    assert windows[0] == (date(2024, 2, 29), date(2025, 2, 27))
    assert windows[1] == (date(2025, 2, 28), date(2026, 2, 27))
    assert windows[4] == (date(2028, 2, 29), date(2029, 2, 27))  # a leap year again
    for (_, end), (start, _) in zip(windows, windows[1:], strict=False):
        assert start == end + timedelta(days=1)
    anniversary = case(date(2025, 2, 28))
    assert one(rule(program_year=1), [anniversary], date(2025, 3, 1), period).counted == 0
    assert one(rule(program_year=2), [anniversary], date(2025, 3, 1), period).counted == 1


def test_29_february_inside_a_program_year_belongs_to_that_year():
    period = Period(date(2023, 3, 1), date(2023, 3, 1), date(2026, 2, 28))
    leap_day = case(date(2024, 2, 29))
    first = one(rule(program_year=1), [leap_day], date(2024, 3, 1), period)
    assert first.window_end == date(2024, 2, 29) and first.counted == 1
    assert one(rule(program_year=2), [leap_day], date(2024, 3, 1), period).counted == 0


def test_a_window_ahead_is_not_started():
    period = Period(date(2025, 1, 1), date(2025, 1, 1), date(2027, 12, 31))
    result = one(rule(program_year=2), [case(day(6, 1))], day(7, 1), period)
    assert result.status is Status.NOT_STARTED
    assert (result.counted, result.projected, result.percent) == (0, None, 0)
    assert result.window_start == date(2026, 1, 1)
    # From its first day it is judged like any other.
    assert one(rule(program_year=2), [], date(2026, 1, 1), period).status is Status.ON_TRACK


# --- entrustment -----------------------------------------------------------------------


def entrusting(min_count=3, count=2, autonomy=Autonomy.PASSIVE_HELP) -> TargetRule:
    return rule(min_count=min_count, entrust_count=count, entrust_autonomy=autonomy)


def test_autonomy_at_the_level_or_above_entrusts_and_below_or_unrated_does_not():
    ratings = [
        Autonomy.SHOW_AND_TELL,
        Autonomy.ACTIVE_HELP,
        Autonomy.PASSIVE_HELP,
        Autonomy.SUPERVISION_ONLY,
        None,
    ]
    cases = [case(day(2, i + 1), autonomy=rating) for i, rating in enumerate(ratings)]
    assert one(entrusting(count=1), cases, day(3, 1)).entrusted == 2
    assert (
        one(entrusting(count=1, autonomy=Autonomy.SHOW_AND_TELL), cases, day(3, 1)).entrusted == 4
    )
    assert (
        one(entrusting(count=1, autonomy=Autonomy.SUPERVISION_ONLY), cases, day(3, 1)).entrusted
        == 1
    )
    assert one(rule(), cases, day(3, 1)).entrusted == 0  # no condition, nothing to count


def test_enough_cases_but_too_few_entrusted_is_not_met():
    cases = [
        case(day(1, 10), autonomy=Autonomy.ACTIVE_HELP),
        case(day(1, 20), autonomy=Autonomy.PASSIVE_HELP),
        case(day(2, 1), autonomy=Autonomy.ACTIVE_HELP),
        case(day(2, 9), autonomy=Autonomy.ACTIVE_HELP),
    ]
    result = one(entrusting(min_count=3, count=2), cases, day(3, 1))
    assert (result.counted, result.entrusted) == (4, 1)
    assert result.status is not Status.MET
    assert result.percent == 50  # the lesser share: 1 of 2 entrusted
    # Pace comes from the entrusted cases: 1 in 60 days, so 1 more in another 60.
    assert result.projected == day(4, 30)
    assert result.status is Status.ON_TRACK


def test_only_counted_cases_can_entrust():
    rated_high = Autonomy.SUPERVISION_ONLY
    cases = [
        case(day(2, 1), involvement=A, autonomy=rated_high),  # level does not count
        case(day(2, 2), ACDF, autonomy=rated_high),  # another procedure
        case(day(12, 1, 2024), autonomy=rated_high),  # before the window
        case(day(2, 3), signed=False),  # waiting: no rating yet
        case(day(2, 4), autonomy=rated_high),
    ]
    result = one(entrusting(min_count=1, count=1), cases, day(3, 1))
    assert (result.counted, result.entrusted, result.pending) == (1, 1, 1)
    assert result.status is Status.MET


def test_met_when_both_the_count_and_the_entrustment_are_reached_on_the_later_date():
    cases = [
        case(day(1, 10), autonomy=Autonomy.PASSIVE_HELP),
        case(day(1, 20), autonomy=Autonomy.ACTIVE_HELP),
        case(day(2, 1), autonomy=Autonomy.ACTIVE_HELP),  # completes the count
        case(day(2, 15), autonomy=Autonomy.SUPERVISION_ONLY),
    ]  # completes entrustment
    result = one(entrusting(min_count=3, count=2), cases, day(3, 1))
    assert result.status is Status.MET
    assert result.projected == day(2, 15)
    assert result.percent == 100


# --- pace ------------------------------------------------------------------------------


def test_no_cases_yet_is_on_track_until_a_case_was_due_on_an_even_pace_then_behind():
    target = rule(min_count=5)  # one case due every 73 days of 365
    early = one(target, [], day(1, 1))
    assert (early.status, early.projected, early.percent) == (Status.ON_TRACK, None, 0)
    assert one(target, [], day(3, 13)).status is Status.ON_TRACK  # day 72
    later = one(target, [], day(3, 14))  # day 73: the first case was due
    assert (later.status, later.projected) == (Status.BEHIND, None)
    assert one(target, [], day(6, 1, 2026)).status is Status.BEHIND  # period over


def test_counted_cases_but_no_entrusted_one_yet_is_judged_like_no_cases():
    cases = [case(day(1, 5), autonomy=Autonomy.ACTIVE_HELP)]
    target = entrusting(min_count=2, count=2)  # one entrusted case due every 183 days
    assert one(target, cases, day(6, 1)).status is Status.ON_TRACK
    behind = one(target, cases, day(7, 2))  # day 183
    assert (behind.status, behind.projected) == (Status.BEHIND, None)


def test_projected_date_is_today_plus_the_remaining_cases_at_the_current_rate():
    # 60 days elapsed (1 January .. 1 March inclusive), 3 cases: 20 days a case.
    cases = [case(day(1, 5)), case(day(1, 25)), case(day(2, 20))]
    result = one(rule(min_count=10), cases, day(3, 1))
    assert result.projected == day(3, 1) + timedelta(days=7 * 20)
    assert result.status is Status.ON_TRACK
    # Fractions of a day round up: 60 / 7 days a case, 3 more → 25.7 → 26 days.
    seven = [case(day(1, i + 1)) for i in range(7)]
    assert one(rule(min_count=10), seven, day(3, 1)).projected == day(3, 27)
    # Projected after the period's end: behind.
    slow = one(rule(min_count=30), cases, day(3, 1))
    assert slow.projected == day(3, 1) + timedelta(days=27 * 20)
    assert slow.status is Status.BEHIND


def test_projected_on_the_last_day_is_on_track_and_a_day_later_behind():
    # 14 March is day 73 and one case was logged: 4 more at 73 days a case end on 31 December.
    first = [case(day(1, 2))]
    on_time = one(rule(min_count=5), first, day(3, 14))
    assert (on_time.projected, on_time.status) == (day(12, 31), Status.ON_TRACK)
    # A day later, 74 days a case: 296 days more, beyond the end.
    late = one(rule(min_count=5), first, day(3, 15))
    assert (late.projected, late.status) == (day(3, 15) + timedelta(days=296), Status.BEHIND)


def test_after_the_period_an_unmet_target_is_behind():
    result = one(rule(min_count=5), [case(day(3, 1))], day(2, 1, 2026))
    assert result.status is Status.BEHIND
    assert result.projected > YEAR.end


# --- a target already met --------------------------------------------------------------


def test_a_target_met_says_when_and_stays_at_one_hundred_percent():
    cases = [
        case(day(1, 10)),
        case(day(2, 10)),
        case(day(3, 10)),
        case(day(4, 10)),
        case(day(5, 10), signed=False),
    ]
    result = one(rule(min_count=3), cases, day(6, 1))
    assert result.status is Status.MET
    assert result.projected == day(3, 10)  # the third counted case completed it
    assert (result.counted, result.pending, result.percent) == (4, 1, 100)
    # Met stays met, even after the period's end.
    assert one(rule(min_count=3), cases, day(6, 1, 2026)).status is Status.MET


@pytest.mark.parametrize(
    ("counted", "minimum", "percent"),
    [(0, 3, 0), (1, 3, 33), (2, 3, 66), (3, 3, 100), (9, 3, 100), (29, 50, 58), (57, 100, 57)],
)  # no floating-point shortfall
def test_percent_is_the_whole_share_reached_capped_at_one_hundred(counted, minimum, percent):
    cases = [case(day(1, 1) + timedelta(days=i)) for i in range(counted)]
    assert one(rule(min_count=minimum), cases, day(6, 1)).percent == percent


def test_percent_with_entrustment_is_the_lesser_share_without_rounding_up():
    cases = [
        case(day(1, 1) + timedelta(days=i), autonomy=Autonomy.PASSIVE_HELP if i < 29 else None)
        for i in range(50)
    ]
    assert one(entrusting(min_count=50, count=50), cases, day(3, 1)).percent == 58


def test_no_targets_no_progress():
    assert progress([], [case(day(1, 1))], YEAR, day(2, 1)) == []
