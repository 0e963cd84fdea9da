"""On SQLite, a request that may write takes the write lock when its transaction begins.

Two writers that both read first and then write would otherwise deadlock, and one would
fail with "database is locked": a download recorded in the audit trail (a GET that
writes) must begin like a POST. Pages that only read begin plainly and never wait.

The lock is SQLite's, so this runs on a SQLite database of its own in both runs of the
suite; and on real transactions, which the usual rolled-back test transaction would hide.
"""

from types import SimpleNamespace

import pytest
import sqlalchemy as sa

from caselog.extensions import db
from tests.conftest import make_app
from tests.integration.case_steps import submitted_case
from tests.servers import CommittingFactory, committing_session

PLAIN, IMMEDIATE = "BEGIN", "BEGIN IMMEDIATE"


@pytest.fixture(scope="module")
def sqlite_app(tmp_path_factory):
    app = make_app(f"sqlite:///{tmp_path_factory.mktemp('write-lock')}/caselog.sqlite")
    yield app
    with app.app_context():
        db.engine.dispose()


@pytest.fixture(autouse=True)
def db_session(sqlite_app):
    """Data is committed (the requests run transactions of their own); emptied afterwards."""
    with committing_session(sqlite_app) as session:
        yield session


@pytest.fixture
def make(db_session):
    return CommittingFactory(db_session)


@pytest.fixture
def begins(sqlite_app):
    """`with begins() as seen:` lists how each transaction begun inside the block began."""

    class Begins(list):
        def __enter__(self):
            sa.event.listen(db.engine, "before_cursor_execute", self._record)
            return self

        def __exit__(self, *exc):
            sa.event.remove(db.engine, "before_cursor_execute", self._record)

        def _record(self, conn, cursor, statement, *args):
            if statement.strip().upper().startswith("BEGIN"):
                self.append(statement.strip().upper())

    with sqlite_app.app_context():
        yield Begins


def test_reads_begin_plainly_and_writes_and_writing_downloads_take_the_lock_first(
    sqlite_app, make, begins, db_session
):
    world = make.world()
    case = submitted_case(make, world).id
    program, trainee, email = world.program.id, world.trainee.id, world.trainee.email
    db_session.rollback()  # the test's own transaction would hold the lock
    client = sqlite_app.test_client()
    client.login(SimpleNamespace(email=email))
    token = client.token()
    requests = [
        ("GET", f"/cases/{case}", 200, PLAIN),
        ("GET", "/exports/cases", 200, PLAIN),
        ("POST", f"/cases/{case}/withdraw", 302, IMMEDIATE),
        ("GET", "/exports/cases.csv", 200, IMMEDIATE),
        # The report downloads: refused here (not this trainee's program, or no such
        # program), which shows how their transactions begin without drawing a PDF.
        ("GET", f"/reports/logbook/{program + 99}/{trainee}.pdf", 404, IMMEDIATE),
        ("GET", f"/reports/competency/{program + 99}/{trainee}.pdf", 404, IMMEDIATE),
        ("GET", f"/programs/{program + 99}/cohort.pdf", 404, IMMEDIATE),
    ]
    for method, url, status, expected in requests:
        with begins() as seen:
            response = client.open(url, method=method, data={"csrf_token": token})
            response.get_data()
        assert response.status_code == status, (url, response.status_code)
        assert seen and set(seen) == {expected}, (method, url, seen)
