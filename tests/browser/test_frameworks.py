"""A director writes a framework on a tablet, assigns it to the program, and changes it."""

import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from caselog.catalogue.loader import load_catalogue
from caselog.extensions import db
from caselog.models import Framework, Specialty
from tests.browser.test_log_case import assert_no_horizontal_scroll

pytestmark = pytest.mark.browser


@pytest.fixture
def spine_program(make):
    """A spine fellowship over the starter catalogue (twenty spine procedures, six groups)."""
    load_catalogue("caselog/catalogue/starter_catalogue.toml")
    db.session.commit()
    spine = db.session.scalar(select(Specialty).where(Specialty.code == "spine"))
    director = make.user("Dr Director Kim", email="director@example.test")
    site = make.site("Seoul Spine Hospital", city="Seoul")
    program = make.program(
        sites=[site], directors=[director], specialty=spine, name="Spine fellowship"
    )
    return program, director


def test_director_writes_assigns_and_changes_a_framework(page, sign_in, spine_program, shoot):
    program, director = spine_program
    sign_in(director)
    page.goto(f"/programs/{program.id}")
    panel = page.locator("#framework")
    expect(panel).to_contain_text("No framework assigned yet")
    panel.get_by_role("link", name="Write a new framework").tap()

    expect(page.get_by_label("Specialty")).to_have_value(str(program.specialty_id))
    page.get_by_role("region", name="Framework").get_by_label("Name").fill(
        "Spine fellowship targets"
    )
    page.get_by_label("Source").fill("Modelled on ACGME neurosurgery minimums")
    page.locator("[name='targets-0-label']").fill("Lumbar decompression")
    page.locator("[name='targets-0-min_count']").fill("30")
    page.locator("#target-1 .cf-groups-field").get_by_text("Spinal decompression").tap()
    shoot("new-form")

    page.get_by_role("button", name="Add a target").tap()
    expect(page.locator("#target-1 > summary")).to_contain_text("Lumbar decompression")
    second = page.locator("#target-2")
    expect(second.locator("[name='targets-1-label']")).to_be_focused()
    expect(page.locator("[name='targets-0-label']")).to_have_value("Lumbar decompression")
    second.locator("[name='targets-1-label']").fill("Lumbar fusion")
    second.locator("[name='targets-1-min_count']").fill("20")
    second.get_by_placeholder("Type to filter").fill("tlif")
    expect(second.locator(".cf-procedure-check:visible")).to_have_count(1)
    second.get_by_text("Transforaminal lumbar interbody fusion").tap()
    expect(second.locator("[data-chosen-count]")).to_have_text("1 chosen")
    second.locator("[name='targets-1-entrust_count']").fill("5")
    second.locator("[name='targets-1-entrust_autonomy']").select_option(label="Passive help")
    second.locator("[name='targets-1-program_year']").select_option(label="Program year 2")
    assert_no_horizontal_scroll(page)
    shoot("two-targets")
    page.get_by_role("button", name="Save framework").tap()

    expect(page.get_by_role("status")).to_contain_text("Spine fellowship targets v1 saved.")
    expect(page.locator(".cf-target-row")).to_have_count(2)
    expect(page.get_by_text("5 of them rated Passive help or better")).to_be_visible()
    assert_no_horizontal_scroll(page)
    shoot("version-1")

    page.goto(f"/programs/{program.id}")
    page.get_by_label("Framework version").select_option(
        label="Spine fellowship targets v1 (latest)"
    )
    page.get_by_role("button", name="Use this version").tap()
    expect(page.get_by_role("status")).to_contain_text(
        "Spine fellowship is now measured against Spine fellowship targets v1."
    )
    assert_no_horizontal_scroll(page)
    shoot("assigned")

    page.get_by_role("link", name="Spine fellowship targets v1").tap()
    page.get_by_role("link", name="Change (makes v2)").tap()
    first, second = page.locator("#target-1"), page.locator("#target-2")
    expect(first).not_to_have_attribute("open", "")  # saved targets fold to one line each
    expect(first.locator("> summary")).to_contain_text("30 cases · Spinal decompression")
    expect(second.locator("> summary")).to_contain_text(
        "20 cases · Transforaminal lumbar interbody fusion · S-TS S-TU P · "
        "5 rated Passive help or better · Program year 2"
    )
    shoot("edit-folded")
    first.locator("> summary").tap()
    first.locator("[name='targets-0-min_count']").fill("35")
    second.locator("> summary").tap()
    second.get_by_role("button", name="Remove").tap()
    expect(page.locator(".cf-target-card")).to_have_count(1)
    page.get_by_role("button", name="Save as version 2").tap()
    expect(page.locator("#problems")).to_contain_text("What changed")
    shoot("needs-note")
    page.get_by_label("What changed").fill("Decompressions raised to 35; fusion dropped.")
    page.get_by_role("button", name="Save as version 2").tap()

    expect(page.get_by_role("status")).to_contain_text("Spine fellowship targets v2 saved.")
    expect(page.locator(".cf-version-list > li")).to_have_count(2)
    expect(page.locator(".cf-version-list")).to_contain_text("Spine fellowship")  # v1 is used
    shoot("version-2")
    page.get_by_role("link", name="v1", exact=True).tap()
    expect(page.locator(".cf-older-version")).to_be_visible()
    expect(page.locator(".cf-target-row")).to_have_count(2)
    shoot("version-1-later")
    page.get_by_role("link", name="Competency frameworks").tap()
    card = page.locator(".framework-card")
    expect(card).to_contain_text("Latest version")
    expect(card).to_contain_text("Spine fellowship (v1)")
    assert_no_horizontal_scroll(page)
    shoot("list")
    db.session.rollback()
    framework = db.session.scalar(select(Framework))
    assert [v.number for v in framework.versions] == [1, 2]
