"""The figures agree with a hand count on the demo data: for every trainee and target of
every demo program with a framework, program_progress against plain SQL over the tables."""

import json
from collections import defaultdict
from datetime import date, timedelta

from sqlalchemy import select, text

from caselog.extensions import db
from caselog.models import Autonomy, Program
from caselog.progress.compute import Status
from caselog.progress.queries import program_progress
from tests.clock import NOW
from tests.integration.test_demo_seed import db_session, lines  # noqa: F401 - seeded once

COUNTING_LADDER = [a.value for a in Autonomy]  # show and tell .. supervision only


def rows(sql: str, **params) -> list:
    return db.session.execute(text(sql), params).all()


def day(value) -> date:
    """A date as SQLite (text) or PostgreSQL (date) returns it."""
    return value if isinstance(value, date) else date.fromisoformat(str(value)[:10])


def anniversary(start: date, years: int) -> date:
    try:
        return start.replace(year=start.year + years)
    except ValueError:  # 29 February in a common year
        return date(start.year + years, 2, 28)


def hand_count(program_id: int, today: date) -> dict[tuple[int, int], dict]:
    """Per (trainee, target): the counted case ids, oldest first, the pending ones, the
    entrusted count, the window, and whether it is met, from the tables alone."""
    [(version_id, program_start)] = rows(
        "SELECT framework_version_id, start_date FROM program WHERE id = :p", p=program_id
    )
    program_start = day(program_start)
    targets = rows(
        "SELECT id, min_count, involvements, entrust_count, entrust_autonomy, "
        "program_year FROM target WHERE version_id = :v",
        v=version_id,
    )
    procedures = defaultdict(set)
    for target_id, procedure_id in rows(
        "SELECT tp.target_id, tp.procedure_id FROM target_procedure tp "
        "JOIN target t ON t.id = tp.target_id WHERE t.version_id = :v "
        "UNION SELECT tg.target_id, m.procedure_id FROM target_group tg "
        "JOIN procedure_group_member m ON m.group_id = tg.group_id "
        "JOIN target t ON t.id = tg.target_id WHERE t.version_id = :v",
        v=version_id,
    ):
        procedures[target_id].add(procedure_id)
    periods: dict[int, tuple[date, date]] = {}
    for trainee_id, start, end in rows(
        "SELECT trainee_id, start_date, end_date FROM enrolment WHERE program_id = :p", p=program_id
    ):
        first, last = periods.get(trainee_id, (day(start), day(end)))
        periods[trainee_id] = (min(first, day(start)), max(last, day(end)))
    extras = defaultdict(set)
    for case_id, procedure_id in rows(
        "SELECT a.case_id, a.procedure_id FROM case_additional_procedure a "
        'JOIN "case" c ON c.id = a.case_id WHERE c.program_id = :p',
        p=program_id,
    ):
        extras[case_id].add(procedure_id)
    latest = {
        case_id: (json.loads(content), autonomy)
        for case_id, content, autonomy in rows(
            'SELECT s.case_id, s.content, s.autonomy FROM signature s JOIN "case" c '
            "ON c.id = s.case_id WHERE c.program_id = :p AND s.version = "
            "(SELECT MAX(t.version) FROM signature t WHERE t.case_id = s.case_id)",
            p=program_id,
        )
    }

    # Each case as it counts: by its latest signature's content, or waiting for its first.
    signed, waiting = [], []
    for case_id, trainee_id, status, operated, primary, involvement in rows(
        "SELECT id, trainee_id, status, operation_date, primary_procedure_id, involvement "
        'FROM "case" WHERE program_id = :p',
        p=program_id,
    ):
        if case_id in latest:
            content, autonomy = latest[case_id]
            signed.append(
                (
                    trainee_id,
                    day(content["operation_date"]),
                    case_id,
                    {content["primary_procedure_id"], *content["additional_procedure_ids"]},
                    content["involvement"],
                    autonomy,
                )
            )
        elif status == "submitted":
            waiting.append(
                (trainee_id, day(operated), case_id, {primary} | extras[case_id], involvement, None)
            )

    counts = {}
    for trainee_id, (start, end) in periods.items():
        for target_id, minimum, levels, entrust_count, entrust_autonomy, year in targets:
            if year:
                start_, end_ = (
                    anniversary(program_start, year - 1),
                    anniversary(program_start, year) - timedelta(days=1),
                )
                start_, end_ = max(start, start_), min(end, end_)
            else:
                start_, end_ = start, end

            def matching(
                cases,
                target_id=target_id,
                levels=levels,
                start_=start_,
                end_=end_,
                trainee_id=trainee_id,
            ):
                return sorted(
                    (
                        c
                        for c in cases
                        if c[0] == trainee_id
                        and start_ <= c[1] <= end_
                        and c[4] in levels.split()
                        and c[3] & procedures[target_id]
                    ),
                    key=lambda c: (c[1], c[2]),
                )

            counted, pending = matching(signed), matching(waiting)
            entrusted = sum(
                1
                for c in counted
                if entrust_autonomy
                and c[5]
                and COUNTING_LADDER.index(c[5]) >= COUNTING_LADDER.index(entrust_autonomy)
            )
            counts[trainee_id, target_id] = {
                "case_ids": [c[2] for c in counted],
                "pending_ids": [c[2] for c in pending],
                "entrusted": entrusted,
                "window": (start_, end_),
                "met": len(counted) >= minimum and entrusted >= (entrust_count or 0),
                "ahead": today < start_,
            }
    return counts


def test_progress_agrees_with_a_hand_count_for_every_trainee_and_target(lines):  # noqa: F811
    programs = db.session.scalars(
        select(Program).where(Program.framework_version_id.is_not(None)).order_by(Program.id)
    ).all()
    assert len(programs) == 3
    cells = counted = waited = 0
    for program in programs:
        result = program_progress(program, now=NOW)
        expected = hand_count(program.id, result.today)
        assert {
            (row.trainee.id, p.target.id) for row in result.trainees for p in row.targets
        } == set(expected)
        for row in result.trainees:
            for p in row.targets:
                hand = expected[row.trainee.id, p.target.id]
                where = f"{program.name}: {row.trainee.full_name}, {p.target.label}"
                assert p.case_ids == hand["case_ids"], where
                assert p.pending_ids == hand["pending_ids"], where
                assert (p.counted, p.pending) == (
                    len(hand["case_ids"]),
                    len(hand["pending_ids"]),
                ), where
                assert p.entrusted == hand["entrusted"], where
                assert (p.window_start, p.window_end) == hand["window"], where
                assert (p.status is Status.MET) == hand["met"], where
                assert (p.status is Status.NOT_STARTED) == (hand["ahead"] and not hand["met"])
                assert (p.percent == 100) == hand["met"], where
                cells += 1
                counted += p.counted
                waited += p.pending
    # The comparison covered real figures, not empty cells.
    assert cells == 3 * 4 + 2 * 4 + 2 * 6
    assert counted > 100 and waited > 5


def test_the_amended_case_awaiting_sign_off_is_counted_by_its_signed_version(lines):  # noqa: F811
    amending = rows(
        'SELECT c.id, c.program_id, c.trainee_id FROM "case" c '
        "WHERE c.status = 'submitted' AND EXISTS "
        "(SELECT 1 FROM signature s WHERE s.case_id = c.id)"
    )
    assert amending, "the demo holds an amended case waiting for its new signature"
    for case_id, program_id, trainee_id in amending:
        program = db.session.get(Program, program_id)
        [row] = program_progress(program, [trainee_id], now=NOW).trainees
        assert not any(case_id in p.pending_ids for p in row.targets)
        assert case_id in {c.case_id for c in row.cases if c.signed}
