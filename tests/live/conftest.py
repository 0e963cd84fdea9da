"""Races against a running server: real HTTP requests from several threads at once.

The test client runs one request at a time inside the test's transaction, so it cannot
show what two requests arriving together do. Here the app is served by werkzeug (one
thread per request) from its own database, each person is an httpx client with its own
cookies who signs in through the login form, and the competing requests are released
together by a barrier. Data is committed so the server sees it; every table is emptied
after each test (as for the browser tests).
"""

import re
import threading
import time
from collections.abc import Callable
from datetime import timedelta
from html import unescape
from pathlib import Path
from types import SimpleNamespace

import httpx
import pytest

from caselog.extensions import db
from caselog.models import Approach, CaseStatus, Delegate, Involvement, Sex
from tests import factories
from tests.clock import NOW, TODAY
from tests.conftest import csrf_token_from, make_app
from tests.html import form_values
from tests.servers import CommittingFactory, committing_session, served


def pytest_configure(config):
    config.addinivalue_line("markers", "live: concurrent HTTP requests to a running server")


def pytest_collection_modifyitems(items):
    here = Path(__file__).parent
    for item in items:
        if here in Path(item.path).parents:
            item.add_marker(pytest.mark.live)


@pytest.fixture(scope="session")
def live_app(new_database_url):
    """An app on its own database; plain HTTP, so the session cookie may not be Secure."""
    app = make_app(
        new_database_url("caselog_live"), SESSION_COOKIE_SECURE=False, REMEMBER_COOKIE_SECURE=False
    )
    yield app
    with app.app_context():
        db.engine.dispose()


@pytest.fixture(scope="session")
def live_server(live_app):
    """The app served on a free loopback port; yields its base URL."""
    with served(live_app) as url:
        yield url


@pytest.fixture(autouse=True)
def db_session(live_app):
    """Commit what the server must see; read the outcome afterwards; empty every table.

    On SQLite a transaction of the test thread holds the database's write lock: end every
    read with `db.session.rollback()` (the `fresh` helper does) before the next race.
    """
    with committing_session(live_app) as session:
        yield session


@pytest.fixture
def make(db_session):
    return CommittingFactory(db_session)


@pytest.fixture
def team(make, db_session):
    """A program with a mentor, the mentor's delegate and a trainee."""
    spine = make.specialty("Spine surgery", code="spine-live")
    site = make.site("Seoul Spine Hospital", city="Seoul")
    team = SimpleNamespace(
        site=site,
        procedure=make.procedure("Lumbar microdiscectomy", spine, approach=Approach.MICROSCOPIC),
        director=make.user("Dr Director Kim", email="director@example.test"),
        mentor=make.user("Dr Mentor Park", email="mentor@example.test"),
        deputy=make.user("Dr Deputy Choi", email="deputy@example.test"),
        trainee=make.user("Bat-Erdene Dorj", email="trainee@example.test"),
    )
    team.program = make.program(
        sites=[site],
        directors=[team.director],
        specialty=spine,
        name="Spine fellowship",
        assessment_enabled=True,
    )
    make.appoint(team.mentor, team.program, site)
    make.appoint(team.deputy, team.program, site)
    make.enrol(team.trainee, team.program)
    make._save(Delegate(program=team.program, mentor=team.mentor, delegate=team.deputy))
    return team


@pytest.fixture
def waiting_case(make, team):
    """`waiting_case(n)`: a new case submitted n days ago, awaiting the team's mentor."""

    def new(days: int = 1):
        return make.case(
            team.trainee,
            team.program,
            team.procedure,
            team.mentor,
            site=team.site,
            status=CaseStatus.SUBMITTED,
            operation_date=TODAY - timedelta(days=days + 1),
            submitted_at=NOW - timedelta(days=days),
            involvement=Involvement.SUPERVISED_SCRUBBED,
            patient_age=54,
            patient_sex=Sex.FEMALE,
            operative_minutes=95,
            notes="Tight lateral recess.",
        )

    return new


@pytest.fixture
def visitor(live_server):
    """`visitor(user)`: a browser of its own (cookies, session) signed in as the user."""
    opened: list[Visitor] = []

    def sign_in(user) -> Visitor:
        person = Visitor(live_server)
        opened.append(person)
        person.sign_in(user)
        return person

    yield sign_in
    for person in opened:
        person.close()


class Visitor:
    """One person at one browser: GETs pages and posts forms with the page's CSRF token."""

    def __init__(self, base_url: str):
        self.http = httpx.Client(base_url=base_url, timeout=30)

    def close(self) -> None:
        self.http.close()

    def sign_in(self, user, password: str = factories.PASSWORD) -> None:
        token = csrf_token_from(self.http.get("/login").text)
        response = self.http.post(
            "/login", data={"csrf_token": token, "email": user.email, "password": password}
        )
        assert response.status_code == 302, "sign-in failed"

    def page(self, url: str) -> str:
        response = self.http.get(url)
        assert response.status_code == 200, (url, response.status_code)
        return response.text

    def token(self, url: str = "/") -> str:
        """A CSRF token of this session, from a page that holds a form."""
        return csrf_token_from(self.http.get(url, follow_redirects=True).text)

    def post(self, url: str, data: dict) -> "Answer":
        """Post and follow the redirect, as a browser does; the page shown afterwards."""
        response = self.http.post(url, data=data, follow_redirects=True)
        return Answer(response.status_code, unescape(response.text), str(response.url))

    def review(self, case_id: int) -> tuple[str, str]:
        """Open the case's review page as a mentor: (CSRF token, fingerprint of the case as
        shown)."""
        page = self.page(f"/cases/{case_id}/review")
        match = re.search(r'<input[^>]*name="fingerprint"[^>]*value="([0-9a-f]{64})"', page)
        assert match, "no fingerprint on the review page"
        return csrf_token_from(page), match.group(1)

    def queue_boxes(self) -> dict[int, str]:
        """The mentor's queue: case id -> the value its ticked box posts ("<id>:<fingerprint>")."""
        page = self.page("/awaiting")
        return {
            int(value.split(":")[0]): value
            for value in re.findall(r'<input[^>]*name="cases"[^>]*value="([^"]+)"', page)
        }

    def form(self, url: str) -> dict[str, list[str]]:
        """The values the page's forms would post as they stand."""
        return form_values(self.page(url))


class Answer(SimpleNamespace):
    """A response after redirects: status, page text (unescaped) and final URL."""

    status: int
    text: str
    url: str

    def __init__(self, status: int, text: str, url: str):
        super().__init__(status=status, text=text, url=url)


class Race(list):
    """The actions' results, in order; `together` says whether every request was in flight
    at one moment (all started before any finished)."""

    together: bool = False


def race(*actions: Callable[[], object]) -> Race:
    """Run each action in its own thread, all released at the same instant; their results."""
    barrier = threading.Barrier(len(actions))
    results = Race([None] * len(actions))
    spans: list[tuple[float, float]] = []
    errors: list[BaseException] = []

    def run(index: int, action: Callable[[], object]) -> None:
        try:
            barrier.wait(timeout=30)
            start = time.perf_counter()
            results[index] = action()
            spans.append((start, time.perf_counter()))
        except BaseException as error:  # noqa: BLE001 - re-raised in the test's thread
            errors.append(error)

    threads = [
        threading.Thread(target=run, args=(i, a), name=f"racer-{i}") for i, a in enumerate(actions)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    if errors:
        raise errors[0]
    assert not any(thread.is_alive() for thread in threads), "a request never finished"
    results.together = max(start for start, _end in spans) < min(end for _start, end in spans)
    return results
