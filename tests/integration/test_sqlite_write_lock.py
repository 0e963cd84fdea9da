"""On SQLite, a request that may write takes the write lock when its transaction begins.

Two writers that both read first and then write would otherwise deadlock, and one would
fail with "database is locked": a download recorded in the audit trail (a GET that
writes) must begin like a POST. Pages that only read begin plainly and never wait.

A password check (sign-in, bedside, signing) reads, ends its transaction, hashes with no
lock held, and only then takes the lock to write what came of it: a writer meanwhile goes
ahead instead of waiting out the hash and failing with "database is locked".

The lock is SQLite's, so this runs on a SQLite database of its own in both runs of the
suite; and on real transactions, which the usual rolled-back test transaction would hide.
"""

import threading
from types import SimpleNamespace

import httpx
import pytest
import sqlalchemy as sa
from argon2 import PasswordHasher

from caselog.extensions import db
from tests.conftest import csrf_token_from, make_app
from tests.factories import PASSWORD
from tests.integration.case_steps import submitted_case
from tests.servers import CommittingFactory, committing_session, served

PLAIN, IMMEDIATE = "BEGIN", "BEGIN IMMEDIATE"


@pytest.fixture(scope="module")
def sqlite_app(tmp_path_factory):
    app = make_app(
        f"sqlite:///{tmp_path_factory.mktemp('write-lock')}/caselog.sqlite",
        SESSION_COOKIE_SECURE=False,  # served over plain HTTP to httpx below
        REMEMBER_COOKIE_SECURE=False,
    )
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


def test_a_sign_in_reads_then_hashes_with_no_lock_then_writes(sqlite_app, make, begins, db_session):
    email = make.user().email
    db_session.rollback()
    client = sqlite_app.test_client()
    for password, status in (("wrong", 200), (PASSWORD, 302)):
        with begins() as seen:
            response = client.submit("/login", {"email": email, "password": password})
        assert response.status_code == status
        assert seen[:2] == [PLAIN, IMMEDIATE] and PLAIN not in seen[1:], seen


def test_a_writer_goes_ahead_while_a_sign_in_hashes(sqlite_app, make, db_session, monkeypatch):
    """The mentor's sign-in is held in the middle of its hash until the trainee's change is
    done; were the lock held while hashing, that change would wait and fail."""
    world = make.world()
    case = submitted_case(make, world).id
    db_session.rollback()
    with (
        served(sqlite_app) as url,
        httpx.Client(base_url=url, timeout=60) as trainee,
        httpx.Client(base_url=url, timeout=60) as mentor,
    ):
        _sign_in(trainee, world.trainee.email)
        token = csrf_token_from(trainee.get(f"/cases/{case}").text)
        login_token = csrf_token_from(mentor.get("/login").text)

        hashing, written = threading.Event(), threading.Event()
        verify = PasswordHasher.verify

        def held_verify(hasher, stored, password):
            hashing.set()
            written.wait(timeout=30)
            return verify(hasher, stored, password)

        monkeypatch.setattr(PasswordHasher, "verify", held_verify)
        answers = {}

        def sign_in():
            data = {"csrf_token": login_token, "email": world.mentor.email, "password": PASSWORD}
            answers["sign-in"] = mentor.post("/login", data=data).status_code

        signing_in = threading.Thread(target=sign_in)
        signing_in.start()
        try:
            assert hashing.wait(timeout=30), "the sign-in never hashed"
            answers["change"] = trainee.post(
                f"/cases/{case}/withdraw", data={"csrf_token": token}
            ).status_code
        finally:
            written.set()
            signing_in.join(timeout=60)
        assert answers == {"change": 302, "sign-in": 302}


def _sign_in(http: httpx.Client, email: str) -> None:
    token = csrf_token_from(http.get("/login").text)
    response = http.post("/login", data={"csrf_token": token, "email": email, "password": PASSWORD})
    assert response.status_code == 302
