"""Mentors sign off on a tablet: a queue of twenty in one batch, and bedside on the trainee's."""

import re
from datetime import timedelta

import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from caselog.extensions import db
from caselog.models import Autonomy, Case, CaseStatus, Involvement
from tests.browser.test_log_case import assert_no_horizontal_scroll
from tests.clock import NOW, TODAY
from tests.factories import PASSWORD

pytestmark = pytest.mark.browser


def submit_cases(make, world, count: int, **fields) -> list[Case]:
    """Cases the trainee submitted over the past weeks, oldest first."""
    trainees = [world.trainee, fields.pop("other_trainee", world.trainee)]
    procedures = [world.microdiscectomy, world.fusion]
    involvements = [Involvement.SUPERVISED_SCRUBBED, Involvement.ASSISTED, Involvement.PERFORMED]
    return [
        make.case(
            trainees[n % 2],
            world.program,
            procedures[n % 2],
            world.mentor,
            status=CaseStatus.SUBMITTED,
            involvement=involvements[n % 3],
            operation_date=TODAY - timedelta(days=count - n + 2),
            submitted_at=NOW - timedelta(days=count - n, hours=1),
            **fields,
        )
        for n in range(count)
    ]


def test_mentor_clears_a_queue_of_twenty_in_one_batch_with_one_password(
    page, sign_in, new_trainee, make, shoot
):
    junior = make.user("Oyunaa Bold", email="trainee2@example.test")
    make.enrol(junior, new_trainee.program)
    cases = submit_cases(make, new_trainee, 20, other_trainee=junior)
    sign_in(new_trainee.mentor)

    banner = page.get_by_role("link", name=re.compile("20 cases await your sign-off"))
    page.goto(f"/cases/{cases[0].id}/review")
    expect(banner).to_contain_text("(oldest: 20 days)")
    expect(page.get_by_role("button", name="Approve and sign")).to_be_visible()
    expect(page.get_by_role("button", name="Return with comment")).to_be_visible()
    assert_no_horizontal_scroll(page)
    shoot("review")
    banner.click()
    page.wait_for_url("**/awaiting")
    expect(page.get_by_role("heading", name="Cases awaiting your sign-off")).to_be_visible()
    rows = page.locator(".queue-row")
    expect(rows).to_have_count(20)
    expect(rows.first).to_contain_text("waiting 20 days")
    expect(rows.first).to_contain_text("Bat-Erdene Dorj")
    expect(
        page.get_by_text("I supervised this operation and confirm the trainee's role as recorded.")
    ).to_be_visible()
    assert_no_horizontal_scroll(page)
    shoot("queue")

    page.get_by_label("Select all").tap()
    expect(page.get_by_text("20 selected")).to_be_visible()
    for box in page.locator("input[name=cases]").all():
        expect(box).to_be_checked()
    password = page.get_by_label("Your password")
    expect(password).to_have_count(1)
    password.fill(PASSWORD)
    expect(page.get_by_role("button", name="Approve selected")).to_be_in_viewport()
    shoot("ticked")
    page.get_by_role("button", name="Approve selected").tap()

    expect(page.get_by_role("status").filter(has_text="Signed 20 cases.")).to_be_visible()
    expect(page.get_by_text("No case is waiting for you.")).to_be_visible()
    expect(page.get_by_text("await your sign-off")).to_have_count(0)
    shoot("cleared")
    db.session.rollback()
    statuses = db.session.scalars(select(Case.status)).all()
    assert statuses == [CaseStatus.APPROVED] * 20


def test_a_wrong_password_keeps_the_ticks_and_says_so(page, sign_in, new_trainee, make, shoot):
    cases = submit_cases(make, new_trainee, 3)
    sign_in(new_trainee.mentor)
    page.goto("/awaiting")
    page.get_by_role("checkbox", name=re.compile("Select Transforaminal")).tap()
    page.get_by_label("Your password").fill("not my password")
    page.get_by_role("button", name="Approve selected").tap()
    expect(page.get_by_text("That password is not right. Nothing was signed.")).to_be_visible()
    expect(page.get_by_label("Your password")).to_have_value("")
    expect(page.locator("input[name=cases]:checked")).to_have_count(1)
    expect(page.get_by_text("1 selected")).to_be_visible()
    shoot("refused")
    db.session.rollback()
    assert all(
        case.status is CaseStatus.SUBMITTED
        for case in db.session.scalars(select(Case).where(Case.id.in_([c.id for c in cases])))
    )


def test_bedside_sign_off_on_the_trainees_tablet(
    page, sign_in, new_trainee, make, shoot, db_session
):
    new_trainee.program.assessment_enabled = True
    db_session.commit()
    [case] = submit_cases(make, new_trainee, 1, notes="L4/5 on the left; dura intact.")
    sign_in(new_trainee.trainee)
    page.goto(f"/cases/{case.id}")
    page.get_by_role("link", name="Mentor signs now").click()
    page.wait_for_url(f"**/cases/{case.id}/bedside")
    expect(page.get_by_role("heading", name="Mentor signs now")).to_be_visible()
    expect(page.get_by_text("L4/5 on the left; dura intact.")).to_be_visible()
    shoot("bedside-empty")

    page.get_by_role("group", name="Autonomy (Zwisch)").get_by_text("Passive help").tap()
    page.locator("label[for=performance-3]").tap()  # level 4
    expect(page.get_by_role("radio", name="4", exact=True)).to_be_checked()
    page.get_by_label("Feedback for the trainee").fill("Calm and tidy; next time lead the closure.")
    page.get_by_label("Mentor's e-mail").fill(new_trainee.mentor.email)
    page.get_by_label("Mentor's password").fill(PASSWORD)
    assert_no_horizontal_scroll(page)
    shoot("bedside-filled")
    page.get_by_role("button", name="Approve and sign").tap()

    page.wait_for_url(f"**/cases/{case.id}")
    expect(page.get_by_role("status").filter(has_text="Signed by Dr Mentor Park.")).to_be_visible()
    expect(page.locator(".user-name")).to_have_text("Bat-Erdene Dorj")  # still the trainee
    shoot("signed")
    content = page.content().lower()
    assert new_trainee.mentor.email not in content and PASSWORD not in content
    traces = page.evaluate("""() => JSON.stringify([Object.entries(localStorage),
                                                    Object.entries(sessionStorage),
                                                    document.cookie])""")
    assert new_trainee.mentor.email not in traces.lower()
    for cookie in page.context.cookies():
        assert new_trainee.mentor.email not in cookie["value"].lower()

    page.go_back()  # the sign-off page again: it holds nothing of the mentor's
    page.wait_for_load_state()
    for field in page.locator("input:not([type=hidden])").all():
        assert new_trainee.mentor.email not in field.input_value().lower()
        assert field.input_value() != PASSWORD
    db.session.rollback()
    db.session.expire_all()
    signed = db.session.get(Case, case.id)
    assert signed.status is CaseStatus.APPROVED
    assert signed.signature.bedside and signed.signature.signer_id == new_trainee.mentor.id
    assert signed.signature.autonomy is Autonomy.PASSIVE_HELP
    assert signed.signature.performance == 4
