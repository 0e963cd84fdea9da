"""The case form on a tablet: nothing typed is lost, identifiers are caught, nothing is hidden."""

import re

import pytest
from playwright.sync_api import expect
from sqlalchemy import func, select

from caselog.extensions import db
from caselog.models import Case
from tests.browser.test_log_case import assert_no_horizontal_scroll, open_case_form

pytestmark = pytest.mark.browser


def pick_procedure(page, typed: str, name: str):
    page.locator("#primary_procedure_id-search").press_sequentially(typed)
    page.locator("li[role=option]", has_text=name).tap()
    expect(page.locator("#primary_procedure_id-search")).to_have_value(name)


def open_details(page):
    page.get_by_text("More details").click()
    expect(page.get_by_label("Notes and reflection")).to_be_visible()


def test_an_unsaved_entry_is_offered_back_and_forgotten_once_saved(
    page, sign_in, new_trainee, shoot
):
    sign_in(new_trainee.trainee)
    open_case_form(page)
    pick_procedure(page, "microdisc", "Lumbar microdiscectomy")
    page.locator("label", has_text="Performed independently").tap()
    open_details(page)
    page.get_by_label("Patient age").fill("54")
    page.get_by_label("Notes and reflection").fill("Dural tear avoided; slow down at L5.")

    page.reload()
    banner = page.locator("#restore-banner")
    expect(banner).to_contain_text("This device kept an entry you had not saved.")
    shoot("banner")
    expect(page.locator("#primary_procedure_id-search")).to_have_value("")
    page.get_by_role("button", name="Restore it").tap()

    expect(banner).to_have_count(0)
    expect(page.locator("#primary_procedure_id-search")).to_have_value("Lumbar microdiscectomy")
    expect(page.get_by_role("radio", name=re.compile("Performed independently"))).to_be_checked()
    expect(page.get_by_label("Patient age")).to_have_value("54")
    expect(page.get_by_label("Notes and reflection")).to_have_value(
        "Dural tear avoided; slow down at L5."
    )
    shoot("restored")

    page.get_by_role("button", name="Save draft").tap()
    expect(page.get_by_text("Draft saved.")).to_be_visible()
    page.wait_for_load_state("load")  # the saved page's script forgets the entry
    page.goto("/cases/new")
    page.wait_for_load_state("load")
    expect(page.locator("#primary_procedure_id-search")).to_be_visible()
    expect(banner).to_be_hidden()
    kept = page.evaluate("() => Object.keys(localStorage)")
    assert not [key for key in kept if key.startswith("caselog:unsaved:")], kept

    case = db.session.scalars(select(Case)).one()
    assert case.patient_age == 54
    assert case.notes == "Dural tear avoided; slow down at L5."


def test_identifiers_in_notes_are_refused_and_everything_typed_is_kept(
    page, sign_in, new_trainee, shoot
):
    sign_in(new_trainee.trainee)
    open_case_form(page)
    pick_procedure(page, "tlif", "Transforaminal lumbar interbody fusion")
    page.locator("label", has_text="Assisted").tap()
    page.locator("label", has_text="Urgent").tap()
    open_details(page)
    page.get_by_label("Operative time (minutes)").fill("140")
    page.get_by_label("Notes and reflection").fill("MRN 12345678")
    page.get_by_role("button", name="Submit for sign-off").tap()

    message = page.get_by_role("alert").filter(has_text="Remove what could identify the patient")
    expect(message).to_be_visible()
    expect(message).to_contain_text("MRN")
    notes = page.get_by_label("Notes and reflection")
    expect(notes).to_have_value("MRN 12345678")
    expect(notes).to_have_attribute("aria-describedby", re.compile(r"\bnotes-error\b"))
    expect(page.locator("#primary_procedure_id-search")).to_have_value(
        "Transforaminal lumbar interbody fusion"
    )
    expect(page.get_by_role("radio", name=re.compile("Assisted"))).to_be_checked()
    expect(page.get_by_role("radio", name="Urgent", exact=True)).to_be_checked()
    expect(page.get_by_label("Operative time (minutes)")).to_have_value("140")
    expect(page.get_by_label("Supervisor", exact=True)).to_have_value(str(new_trainee.mentor.id))
    expect(page.locator("#restore-banner")).to_be_hidden()  # the page itself kept the values
    message.scroll_into_view_if_needed()
    shoot("refused")
    assert_no_horizontal_scroll(page)
    assert db.session.scalar(select(func.count()).select_from(Case)) == 0


COVERED_BY_SAVE_BAR = """
(element) => {
  const target = element.classList.contains("btn-check")
    ? document.querySelector(`label[for="${element.id}"]`) : element;
  const box = target.getBoundingClientRect();
  const bar = document.querySelector(".form-actions").getBoundingClientRect();
  return box.bottom > bar.top && box.top < bar.bottom;
}
"""


FOCUSED = f"""
() => {{
  const element = document.activeElement;
  if (!element.closest("form.case-form") || element.closest(".form-actions")) return null;
  return {{name: element.id || element.innerText.trim(),
           covered: ({COVERED_BY_SAVE_BAR.strip()})(element)}};
}}
"""


def test_the_form_fits_the_tablet_and_the_save_bar_hides_no_field(
    page, sign_in, new_trainee, shoot
):
    sign_in(new_trainee.trainee)
    assert_no_horizontal_scroll(page)
    open_case_form(page)
    assert_no_horizontal_scroll(page)
    open_details(page)
    page.locator("#primary_procedure_id-search").press_sequentially("l")  # the longest list
    assert_no_horizontal_scroll(page)
    page.keyboard.press("Escape")

    # Tab through the whole form as a keyboard user would: the browser scrolls each
    # focused field into view, and the sticky save bar must not end up on top of it.
    page.locator("#primary_procedure_id-search").focus()
    visited, covered = [], []
    for _step in range(60):
        page.keyboard.press("Tab")
        focused = page.evaluate(FOCUSED)
        if focused is None:
            break
        visited.append(focused["name"])
        if focused["covered"]:
            covered.append(focused["name"])
    assert {"operation_date", "asa_grade", "notes"} <= set(visited), visited
    assert not covered, f"the sticky save bar covers {covered} when they have focus"

    page.evaluate("() => window.scrollTo(0, document.documentElement.scrollHeight)")
    notes = page.get_by_label("Notes and reflection")
    assert not notes.evaluate(COVERED_BY_SAVE_BAR), "the last field is under the save bar"
    shoot("bottom")

    small = page.evaluate("""() => Array.from(
        document.querySelectorAll("form.case-form :is(.btn, .form-control, .form-select)"))
        .filter((el) => el.checkVisibility() && el.getBoundingClientRect().height < 44)
        .map((el) => el.id || el.textContent.trim())""")
    assert not small, f"touch targets under 44px: {small}"
