"""A trainee logs a case on a tablet: the fewest taps, by touch and by accessible names."""

import re

import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from caselog.extensions import db
from caselog.models import Case, CaseStatus, Involvement

pytestmark = pytest.mark.browser


class Counted:
    """Drives the page like a person and counts each thing they do (a tap or typing a word)."""

    def __init__(self, page):
        self.page = page
        self.count = 0

    def type(self, locator, text: str):
        self.count += 1
        locator.press_sequentially(text)

    def tap(self, locator):
        self.count += 1
        locator.tap()


def test_new_trainee_logs_a_case_in_five_taps(page, sign_in, new_trainee, shoot):
    sign_in(new_trainee.trainee)
    open_case_form(page)
    expect(page.get_by_role("heading", name="Log a case")).to_be_visible()
    shoot("empty-form")

    person = Counted(page)
    person.type(page.locator("#primary_procedure_id-search"), "microdisc")
    suggestion = page.locator("li[role=option]", has_text="Lumbar microdiscectomy")
    expect(suggestion).to_be_visible()
    shoot("suggestion")
    person.tap(suggestion)
    person.tap(page.locator("label", has_text="Performed, supervisor scrubbed"))
    person.tap(page.get_by_role("button", name="Submit for sign-off"))

    expect(page.get_by_text("Case submitted for sign-off.")).to_be_visible()
    assert person.count <= 5, f"{person.count} interactions to log a case"
    assert re.search(r"/cases/\d+", page.url)
    shoot("saved")

    page.get_by_role("link", name="All my cases").click()
    row = page.locator(".case-row", has_text="Lumbar microdiscectomy")
    expect(row).to_have_count(1)
    expect(row).to_contain_text("Seoul Spine Hospital")
    expect(row).to_contain_text("Dr Mentor Park")
    expect(row).to_contain_text("Awaiting sign-off")
    assert_no_horizontal_scroll(page)

    case = db.session.scalars(select(Case)).one()
    assert case.primary_procedure_id == new_trainee.microdiscectomy.id
    assert case.status is CaseStatus.SUBMITTED
    assert case.supervisor_id == new_trainee.mentor.id
    assert case.involvement is Involvement.SUPERVISED_SCRUBBED


def test_screen_reader_path_every_field_has_a_visible_label(page, sign_in, new_trainee, shoot):
    sign_in(new_trainee.trainee)
    open_case_form(page)

    # Drive the form by the names a screen reader announces, nothing else.
    procedure = page.get_by_role("combobox", name="Procedure")
    procedure.fill("microdisc")
    page.get_by_role("option", name=re.compile("Lumbar microdiscectomy")).click()
    expect(procedure).to_have_value("Lumbar microdiscectomy")
    involvement = page.get_by_role("group", name="Your involvement")
    scrubbed = involvement.get_by_role("radio", name=re.compile("Performed, supervisor scrubbed"))
    scrubbed.focus()  # as assistive technology does: focus the radio itself, then press Space
    page.keyboard.press("Space")
    expect(scrubbed).to_be_checked()
    expect(page.get_by_label("Hospital", exact=True)).to_have_value(str(new_trainee.site.id))
    expect(page.get_by_label("Supervisor", exact=True)).to_have_value(str(new_trainee.mentor.id))
    expect(page.get_by_label("Date of operation", exact=True)).not_to_have_value("")

    page.get_by_text("More details").click()
    shoot("all-fields")
    for control in labelled_controls(page):
        assert control["labels"], f"{control['id']} has no visible <label> (or legend)"
        if control["type"] == "radio":
            assert control["legend"], f"the group of {control['id']} has no visible legend"
        expect(page.locator(f"#{control['id']}")).to_have_accessible_name(control["labels"])

    page.get_by_role("button", name="Submit for sign-off").click()
    saved = page.get_by_role("status").filter(has_text="Case submitted for sign-off.")
    expect(saved).to_be_visible()
    page.get_by_role("link", name="All my cases").click()
    expect(page.get_by_role("link", name=re.compile("Lumbar microdiscectomy"))).to_have_count(1)


LABELLED_CONTROLS = """
() => {
  const shown = (el) => {
    if (!el || !el.checkVisibility({checkOpacity: true, checkVisibilityCSS: true})) return false;
    const box = el.getBoundingClientRect();
    const style = getComputedStyle(el);
    return box.width > 1 && box.height > 1 && !style.clip.startsWith("rect(0")
      && style.clipPath === "none";
  };
  const text = (el) => el.innerText.replace(/\\s+/g, " ").trim();
  const form = document.querySelector("form.case-form");
  const controls = Array.from(form.querySelectorAll("input, select, textarea")).filter((el) =>
    !["hidden", "submit", "button"].includes(el.type)
    && !el.closest("[hidden], [aria-hidden=true]"));
  return controls.map((el) => {
    const named = Array.from(el.labels || []);
    for (const id of (el.getAttribute("aria-labelledby") || "").split(/\\s+/).filter(Boolean)) {
      named.push(document.getElementById(id));
    }
    const fieldset = el.closest("fieldset");
    const legend = fieldset && fieldset.querySelector(":scope > legend");
    return {
      id: el.id, type: el.type,
      labels: named.filter(shown).map(text).filter(Boolean).join(" "),
      legend: legend && shown(legend) ? text(legend) : "",
    };
  });
}
"""


def labelled_controls(page) -> list[dict]:
    """Each form control a person can use, with the text of its visible label(s) and legend."""
    controls = page.evaluate(LABELLED_CONTROLS)
    assert len(controls) >= 15, "the form's controls were not found"
    return controls


def open_case_form(page, label: str = "Log a case"):
    """From the case list, tap "Log a case" (in the page's language) and wait for the page's
    scripts to have run."""
    page.get_by_role("link", name=label).click()
    page.wait_for_url("**/cases/new")
    page.wait_for_load_state("load")
    expect(page.locator("#primary_procedure_id-search")).to_be_visible()


def assert_no_horizontal_scroll(page):
    """Nothing sticks out sideways: the page is exactly as wide as the screen (once it has
    loaded: measured mid-load, under a busy CPU, a page can be caught half laid out)."""
    page.wait_for_load_state("load")
    overflow = page.evaluate(
        "() => document.documentElement.scrollWidth - document.documentElement.clientWidth"
    )
    assert overflow <= 0, f"the page scrolls sideways by {overflow}px at {page.viewport_size}"
