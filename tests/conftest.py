"""Shared fixtures: one app and database per session, a rolled-back transaction per test.

Run with `--db=postgresql` (or CASELOG_TEST_DB=postgresql) to use a real PostgreSQL server
that the session starts and stops itself.
"""

import itertools
import os
import re

import pytest
import sqlalchemy as sa
from flask.testing import FlaskClient
from flask_migrate import upgrade
from flask_sqlalchemy.session import Session

from caselog import create_app
from caselog.extensions import db
from tests import factories
from tests.clock import CLOCK, TestClock
from tests.databases import database_urls

TEST_CONFIG = {
    "TESTING": True,
    "SECRET_KEY": "test-secret-key",
    "WTF_CSRF_ENABLED": True,
    "BABEL_DEFAULT_LOCALE": "en",
    "PASSWORD_HASH_PROFILE": factories.PASSWORD_HASH_PROFILE,  # fast, still argon2id
    "CLOCK": CLOCK,  # the app runs at tests.clock.NOW, whatever today's date
}


def pytest_addoption(parser):
    parser.addoption(
        "--db",
        choices=["sqlite", "postgresql"],
        default=os.environ.get("CASELOG_TEST_DB", "sqlite"),
        help="database the suite runs on",
    )
    parser.addoption(
        "--no-screenshots",
        action="store_true",
        help="browser tests save no pictures in test-artifacts/ (make test takes them once)",
    )


def pytest_report_header(config):
    return f"caselog database: {config.getoption('--db')}"


@pytest.fixture(scope="session")
def db_kind(pytestconfig) -> str:
    return pytestconfig.getoption("--db")


@pytest.fixture(scope="session")
def new_database_url(db_kind):
    """A factory of fresh, empty databases on the session's server."""
    with database_urls(db_kind) as create:
        yield create


def make_app(url: str, **overrides):
    """An app on the given database, migrated to the newest schema."""
    app = create_app({**TEST_CONFIG, "SQLALCHEMY_DATABASE_URI": url, **overrides})
    app.test_client_class = FormClient
    with app.app_context():
        upgrade()
    return app


@pytest.fixture(scope="session")
def app(new_database_url):
    app = make_app(new_database_url("caselog_test"))
    yield app
    with app.app_context():
        db.engine.dispose()  # close pooled connections before the server stops


class ConnectionBoundSession(Session):
    """Flask-SQLAlchemy's session, but on the test's connection instead of the engine."""

    def get_bind(self, *args, **kwargs):
        return self.bind or super().get_bind(*args, **kwargs)


@pytest.fixture(scope="session", autouse=True)
def audit_checkpoint_folder(tmp_path_factory):
    """Every app the tests make keeps its audit checkpoints here, never in instance/."""
    folder = tmp_path_factory.mktemp("audit-checkpoints")
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("CASELOG_AUDIT_CHECKPOINT_PATH", str(folder / "other-apps.jsonl"))
        yield folder


_checkpoint_files = itertools.count(1)


@pytest.fixture(autouse=True)
def audit_checkpoints(app, audit_checkpoint_folder):
    """A checkpoint file of the test's own: the tests' trails are rolled back, the file not."""
    path = audit_checkpoint_folder / f"test-{next(_checkpoint_files)}.jsonl"
    saved = app.config["AUDIT_CHECKPOINT_PATH"]
    app.config["AUDIT_CHECKPOINT_PATH"] = str(path)
    yield path
    app.config["AUDIT_CHECKPOINT_PATH"] = saved


@pytest.fixture(autouse=True)
def clock() -> TestClock:
    """The app's clock, back at tests.clock.NOW for each test."""
    CLOCK.reset()
    return CLOCK


@pytest.fixture(autouse=True)
def db_session(app):
    """Run each test inside a transaction that is rolled back afterwards.

    The app's own commits become savepoints, so requests behave as in production.
    """
    with app.app_context():
        connection = db.engine.connect()
        outer = connection.begin()
        original = db.session
        db.session = db._make_scoped_session(
            {
                "bind": connection,
                "class_": ConnectionBoundSession,
                "join_transaction_mode": "create_savepoint",
            }
        )
        try:
            yield db.session
        finally:
            db.session.remove()
            db.session = original
            outer.rollback()
            connection.close()


class FormClient(FlaskClient):
    """A test client that submits forms the way a browser does: with the page's CSRF token.

    Each request runs in an app context of its own, as in production: its own `g` (so no
    signed-in user leaks between requests or clients) and its own database session on the
    test's connection. Afterwards the test's session is expired, so it reads what the
    request committed.
    """

    def open(self, *args, **kwargs):
        with self.application.app_context():
            response = super().open(*args, **kwargs)
        db.session.expire_all()
        return response

    def submit(self, url: str, data: dict | None = None, page: str | None = None, **kwargs):
        """GET the page holding the form (default: url), then POST data with its token."""
        token = csrf_token_from(self.get(page or url).get_data(as_text=True))
        return self.post(url, data={"csrf_token": token, **(data or {})}, **kwargs)

    def token(self) -> str:
        """A valid CSRF token of this client's session, from whatever start page it reaches."""
        return csrf_token_from(self.get("/", follow_redirects=True).get_data(as_text=True))

    def call(self, method: str, url: str, data: dict | None = None):
        """GET, or POST with the session's CSRF token: for walking routes as each role."""
        if method == "GET":
            return self.get(url)
        return self.post(url, data={"csrf_token": self.token(), **(data or {})})

    def login(self, user, password: str = factories.PASSWORD):
        response = self.submit("/login", {"email": user.email, "password": password})
        assert response.status_code == 302, "sign-in failed"
        return response


def csrf_token_from(html: str) -> str:
    match = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', html) or re.search(
        r'name="csrf_token" value="([^"]+)"', html
    )
    assert match, "no CSRF token on the page"
    return match.group(1)


@pytest.fixture
def client(app) -> "FormClient":
    return app.test_client()


@pytest.fixture
def make(db_session):
    """Factories for test data: make.user(), make.program(), make.case(), ..."""
    return factories.Factory(db_session)


@pytest.fixture
def world(make):
    """A small program: two sites, a director, two mentors, two trainees, a few procedures."""
    return make.world()


@pytest.fixture
def people(world, make):
    """One person per role; other_director runs a program of their own."""
    other = make.user("Dr Other Director", email="other.director@example.test")
    make.program(sites=[world.busan], directors=[other], name="Other program")
    return {
        "anonymous": None,
        "trainee": world.trainee,
        "director": world.director,
        "other_director": other,
        "admin": world.admin,
    }


@pytest.fixture
def count_queries(app):
    """Count the SQL statements run inside a `with count_queries() as counter:` block."""

    class Counter:
        def __init__(self):
            self.statements: list[str] = []

        @property
        def count(self) -> int:
            return len(self.statements)

        def __enter__(self):
            sa.event.listen(db.engine, "before_cursor_execute", self._record)
            return self

        def __exit__(self, *exc):
            sa.event.remove(db.engine, "before_cursor_execute", self._record)

        def _record(self, conn, cursor, statement, *args):
            if not statement.lstrip().upper().startswith(("SAVEPOINT", "RELEASE")):
                self.statements.append(statement)

    return Counter
