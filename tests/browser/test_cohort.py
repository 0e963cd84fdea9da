"""A director's cohort of sixty on a tablet: every target in view, one tap to a cell's cases."""

import re
from datetime import timedelta
from types import SimpleNamespace

import pytest
from playwright.sync_api import expect

from caselog.extensions import db
from caselog.models import CaseStatus
from caselog.signoff.services import Seen, sign
from caselog.signoff.signatures import fingerprint
from tests.browser.test_log_case import assert_no_horizontal_scroll
from tests.clock import NOW, TODAY
from tests.factories import Factory, framework_version
from tests.servers import committing_session

pytestmark = pytest.mark.browser

FIRST = [
    "Bat-Erdene",
    "Oyunaa",
    "Min-jun",
    "Seo-yeon",
    "Ganbold",
    "Ji-woo",
    "Temuulen",
    "Hye-jin",
    "Nomin",
    "Dong-hyun",
    "Sarangerel",
    "Alexandra",
]
LAST = [
    "Dorj",
    "Bold",
    "Kim",
    "Park",
    "Batbayar",
    "Choi",
    "Enkhbaatar",
    "Jung",
    "Tsogtbaatar-Munkhbayar",
    "Yoon",
]
TARGETS = [  # label, minimum, program year
    ("Lumbar decompression", 6, None),
    ("Transforaminal lumbar interbody fusion (TLIF)", 4, None),
    ("Anterior cervical discectomy and fusion (ACDF)", 8, None),
    ("Posterior cervical fusion", 4, None),
    ("Posterior thoracolumbar fusion", 5, None),
    ("Spinal tumour resection", 3, 2),
]


def cohort_of_sixty(db_session):
    """A spine fellowship half a year in: sixty trainees in two cohorts, six targets, each
    trainee a different way along, some cases still waiting for their mentor."""
    bulk = Factory(db_session)  # flushes only: everything is committed once at the end
    spine = bulk.specialty("Spine surgery", code="spine-cohort")
    procedures = [bulk.procedure(label.split(" (")[0], spine) for label, _, _ in TARGETS]
    site = bulk.site("Seoul Spine Hospital")
    director = bulk.user("Dr Director Kim", email="director@example.test")
    mentor = bulk.user("Dr Mentor Park", email="mentor@example.test")
    program = bulk.program(
        sites=[site],
        directors=[director],
        specialty=spine,
        name="Spine fellowship",
        start=TODAY - timedelta(days=180),
    )
    bulk.appoint(mentor, program, site)
    version = framework_version(
        bulk,
        spine,
        [
            dict(label=label, min_count=minimum, procedures=[procedure], program_year=year)
            for (label, minimum, year), procedure in zip(TARGETS, procedures, strict=True)
        ],
        name="Spine fellowship framework",
        number=2,
    )
    program.framework_version = version
    to_sign, trainees = [], []
    for n in range(60):
        trainee = bulk.user(
            f"{FIRST[n % len(FIRST)]} {LAST[n % len(LAST)]}", email=f"trainee{n}@example.test"
        )
        bulk.enrol(trainee, program, cohort="2024" if n % 3 else "2025")
        trainees.append(trainee)
        for k, (_, minimum, _) in enumerate(TARGETS[:5]):  # year two has not begun
            for c in range((n * 3 + k * 5) % (minimum + 2)):
                case = bulk.case(
                    trainee,
                    program,
                    procedures[k],
                    mentor,
                    site=site,
                    status=CaseStatus.SUBMITTED,
                    operation_date=TODAY - timedelta(days=170 - 9 * c - k),
                )
                if (n + c) % 5:
                    to_sign.append(case)
    outcome = sign(mentor, [Seen(case.id, fingerprint(case)) for case in to_sign], now=NOW)
    assert not outcome.skipped
    db_session.commit()
    return SimpleNamespace(program=program, director=director, trainees=trainees)


@pytest.fixture(scope="module")
def cohort(browser_app):
    """One cohort for both tablet orientations (the tests only read it), emptied after."""
    with committing_session(browser_app) as session:
        yield cohort_of_sixty(session)


@pytest.fixture(autouse=True)
def db_session(cohort):
    """Instead of the usual emptying after each test: the cohort outlives the first one."""
    return db.session


def test_a_director_sees_sixty_trainees_by_six_targets_and_taps_into_a_cell(
    page, sign_in, cohort, shoot, viewport
):
    world = cohort
    sign_in(world.director)
    page.goto(f"/programs/{world.program.id}/cohort")
    expect(page.get_by_text("Counted against Spine fellowship framework v2")).to_be_visible()
    rows = page.locator(".cohort-matrix tbody tr")
    expect(rows).to_have_count(60)
    assert_no_horizontal_scroll(page)
    width = viewport["width"]
    headers = page.locator(".cohort-matrix .target-row th")
    expect(headers).to_have_count(7)
    for n in range(7):  # every target's column is on the screen, none cut off
        box = headers.nth(n).bounding_box()
        assert box["x"] >= 0 and box["x"] + box["width"] <= width, (n, box)
    row_height = rows.first.bounding_box()["height"]
    assert row_height <= 32, row_height  # compact rows: half the cohort per screen
    shoot("matrix")
    shoot("screen", full_page=False)

    rows.last.scroll_into_view_if_needed()  # the header row stays on top
    expect(rows.last).to_be_in_viewport()
    expect(headers.nth(3)).to_be_in_viewport()
    expect(page.locator(".cohort-matrix .summary-row td").first).to_be_in_viewport()
    shoot("scrolled")

    # A cell with counted and pending cases: one tap opens exactly those cases.
    cell = page.locator("td.cell a", has=page.locator(".cell-pending")).nth(7)
    cell.scroll_into_view_if_needed()
    counted, minimum = map(int, cell.locator(".cell-count").inner_text().split("/"))
    pending = int(cell.locator(".cell-pending").inner_text().lstrip("+"))
    name = cell.get_attribute("aria-label")
    trainee = name.split(",")[0]
    cell.tap()
    page.wait_for_url(re.compile(r"/cohort/\d+/\d+"))
    expect(page.get_by_role("heading", level=1)).to_contain_text(trainee)
    expect(page.locator("[data-list=counted] li")).to_have_count(counted)
    expect(page.locator("[data-list=pending] li")).to_have_count(pending)
    expect(page.locator("[data-counted]")).to_contain_text(f"{counted} of {minimum}")
    assert_no_horizontal_scroll(page)
    shoot("cell")
    page.locator("[data-list=counted] a").first.tap()
    page.wait_for_url(re.compile(r"/cases/\d+$"))
    expect(page.get_by_text("Approved")).to_be_visible()
