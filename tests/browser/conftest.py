"""Browser tests: the app served over HTTP from its own database, driven by real Chromium
(see tests/servers.py for how data reaches the server and is emptied afterwards)."""

import os
import re
from pathlib import Path
from types import SimpleNamespace

import pytest

from caselog.extensions import db
from caselog.models import Approach
from tests import factories
from tests.conftest import make_app
from tests.databases import missing
from tests.servers import CommittingFactory, committing_session, served

CHROMIUM = Path(os.environ.get("CASELOG_CHROMIUM", "/usr/bin/chromium"))
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"
VIEWPORTS = {"landscape": (1024, 768), "portrait": (768, 1024)}  # a tablet, both ways


def pytest_collection_modifyitems(items):
    """Everything in this folder drives Chromium: mark it so `-m "not browser"` skips it."""
    here = Path(__file__).parent
    for item in items:
        if here in Path(item.path).parents:
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="session")
def browser_app(new_database_url):
    """An app on its own database, which the server thread and the test both see."""
    app = make_app(new_database_url("caselog_browser"))
    yield app
    with app.app_context():
        db.engine.dispose()


@pytest.fixture(scope="session")
def live_server(browser_app):
    """The app served on a free loopback port; yields its base URL."""
    with served(browser_app) as url:
        yield url


@pytest.fixture(autouse=True)
def db_session(browser_app):
    """Replaces the rolled-back transaction of the other tests: commit, then empty every table."""
    with committing_session(browser_app) as session:
        yield session


@pytest.fixture
def make(db_session):
    """Factories whose data the live server sees."""
    return CommittingFactory(db_session)


@pytest.fixture(scope="session")
def browser():
    """One Chromium for the session (the system's: Playwright cannot download one here)."""
    if not CHROMIUM.exists():
        missing("Chromium")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture(params=list(VIEWPORTS), ids=list(VIEWPORTS))
def viewport(request) -> dict:
    """Every browser test runs on a tablet held landscape and portrait."""
    width, height = VIEWPORTS[request.param]
    return {"width": width, "height": height}


@pytest.fixture(scope="session")
def screenshots(pytestconfig) -> bool:
    """Whether the tests save pictures of the pages for a person to look at. `make test`
    saves them in its SQLite run only: both runs draw the same pages, and a full-page
    picture takes about a third of a second."""
    return not pytestconfig.getoption("--no-screenshots")


@pytest.fixture
def page(browser, live_server, viewport, screenshots, request):
    """A fresh browser tab (own cookies and storage) on the live server, touch-enabled.

    Reduced motion turns off Bootstrap's smooth scrolling, so positions can be measured.
    """
    context = browser.new_context(
        base_url=live_server,
        viewport=viewport,
        has_touch=True,
        locale="en-GB",
        reduced_motion="reduce",
    )
    context.set_default_timeout(10_000)
    tab = context.new_page()
    errors: list[str] = []
    tab.on("pageerror", lambda error: errors.append(str(error)))
    tab.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
    yield tab
    if screenshots:
        screenshot(tab, request.node.name, "end")
    context.close()
    assert not errors, f"the page reported errors: {errors}"


def screenshot(page, test_name: str, step: str, full_page: bool = True) -> Path:
    """Save a picture of the page (whole, or as the screen shows it) in test-artifacts/."""
    ARTIFACTS.mkdir(exist_ok=True)
    name = re.sub(r"[^\w.-]+", "_", f"{test_name}-{step}") + ".png"
    path = ARTIFACTS / name
    page.screenshot(path=str(path), full_page=full_page)
    return path


@pytest.fixture
def shoot(page, screenshots, request):
    """`shoot("step")` saves a picture of the current page named after the test
    (`full_page=False`: only what the screen shows)."""

    def shoot(step: str, full_page: bool = True) -> None:
        if screenshots:
            screenshot(page, request.node.name, step, full_page)

    return shoot


@pytest.fixture
def sign_in(page):
    """Sign in through the real form, as a person would."""

    def sign_in_as(user, password: str = factories.PASSWORD):
        page.goto("/login")
        page.get_by_label("E-mail").fill(user.email)
        page.get_by_label("Password").fill(password)
        page.get_by_role("button", name="Sign in").click()
        page.wait_for_load_state()
        assert "/login" not in page.url, "sign-in failed"

    return sign_in_as


@pytest.fixture
def new_trainee(make):
    """A trainee's first day: one program, one site, one mentor, a small catalogue."""
    spine = make.specialty("Spine surgery", code="spine-browser")
    site = make.site("Seoul Spine Hospital", city="Seoul")
    world = SimpleNamespace(
        spine=spine,
        site=site,
        microdiscectomy=make.procedure(
            "Lumbar microdiscectomy",
            spine,
            synonyms=["microdiscectomy", "MLD"],
            approach=Approach.MICROSCOPIC,
        ),
        fusion=make.procedure(
            "Transforaminal lumbar interbody fusion",
            spine,
            synonyms=["TLIF"],
            approach=Approach.OPEN,
        ),
        director=make.user("Dr Director Kim", email="director@example.test"),
        mentor=make.user("Dr Mentor Park", email="mentor@example.test"),
        trainee=make.user("Bat-Erdene Dorj", email="trainee@example.test"),
    )
    world.program = make.program(
        sites=[site], directors=[world.director], specialty=spine, name="Spine fellowship"
    )
    make.appoint(world.mentor, world.program, site)
    make.enrol(world.trainee, world.program)
    return world
