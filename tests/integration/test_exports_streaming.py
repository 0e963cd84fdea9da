"""An export streams: cases are read, written and let go a batch at a time, never all held
at once, and the CSV's first rows leave before the last cases are read.

This is the fast, exact form of "memory stays flat": it counts the cases alive while the
export runs instead of measuring the process (tests/benchmarks/export_memory.py prints
those figures, at 5,000 and 50,000 cases).
"""

import gc
import weakref

import pytest
import sqlalchemy as sa

from caselog.models import Case, CaseStatus
from tests.integration.case_steps import sign_case
from tests.integration.export_steps import read_csv, read_xlsx

BATCH = 5
BATCHES = 8
CASES = BATCH * BATCHES
NOTES = "Slow down at L5. " * 1_000  # ~17 KB a row: a CSV piece (64 KiB) every few cases


class CasesInMemory:
    """Watches every case the ORM loads while it is installed.

    `loaded` counts them; at the first case of each batch the garbage is collected and
    `alive` records how many loaded cases something still holds at that moment.
    """

    def __init__(self, batch: int):
        self.batch = batch
        self.refs: list[weakref.ref] = []
        self.alive: list[int] = []

    @property
    def loaded(self) -> int:
        return len(self.refs)

    def __enter__(self):
        sa.event.listen(Case, "load", self._loaded)
        return self

    def __exit__(self, *exc):
        sa.event.remove(Case, "load", self._loaded)

    def _loaded(self, case, _context):
        if self.loaded % self.batch == 0:  # a new batch begins
            gc.collect()
            self.alive.append(sum(ref() is not None for ref in self.refs))
        self.refs.append(weakref.ref(case))


@pytest.fixture
def many_cases(app, make, world, db_session, monkeypatch, client):
    """CASES cases of the trainee, every other one signed, exported BATCH at a time; the
    trainee signed in. The test's session lets go of everything it made, so every case the
    export shows is one it read, and whatever stays alive is the export's doing."""
    monkeypatch.setitem(app.config, "EXPORT_BATCH_SIZE", BATCH)
    client.login(world.trainee)
    for n in range(CASES):
        case = make.case(
            world.trainee,
            world.program,
            world.fusion,
            world.mentor,
            status=CaseStatus.SUBMITTED,
            additional_procedures=[world.acdf],
            notes=f"Case {n}. {NOTES}",
        )
        if n % 2:
            sign_case(case, world.mentor)
    del case
    db_session.expunge_all()
    return client


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_an_export_holds_no_more_than_one_batch_of_cases_when_it_reads_the_next(many_cases, fmt):
    with CasesInMemory(BATCH) as cases:
        response = many_cases.get(f"/exports/cases.{fmt}")
        assert response.status_code == 200
        data = response.get_data()  # a CSV is read while it is sent
    header, *rows = (read_csv if fmt == "csv" else read_xlsx)(data)
    notes = header.index("Notes")
    assert len(rows) == CASES and all(NOTES in row[notes] for row in rows)
    assert cases.loaded == CASES and len(cases.alive) == BATCHES
    # When a batch begins to load, only the one before it may still be held (its last row
    # was just written); an export that gathered its rows first would hold every case read
    # so far, and one that kept its batches would grow by a batch each time.
    assert max(cases.alive) <= BATCH, cases.alive


def test_the_csv_sends_its_first_rows_before_the_last_cases_are_read(many_cases):
    with CasesInMemory(BATCH) as cases:
        response = many_cases.get("/exports/cases.csv")
        assert response.status_code == 200
        pieces = iter(response.response)
        first = next(pieces)
        read_when_first_sent = cases.loaded
        rest = list(pieces)
        response.close()
    assert first.startswith("\ufeff".encode()) and b"Case 0. " in first
    assert read_when_first_sent <= BATCH, "the CSV was written before it was sent"
    assert cases.loaded == CASES and len(rest) > 1
    assert len(read_csv(first + b"".join(rest))) == CASES + 1
