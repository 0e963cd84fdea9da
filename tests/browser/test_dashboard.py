"""The trainee's dashboard on a tablet: after sign-in, what is behind shows at a glance."""

from datetime import timedelta

import pytest
from playwright.sync_api import expect

from caselog.models import (
    Autonomy,
    CaseStatus,
    Framework,
    FrameworkVersion,
    Involvement,
    Signature,
    Target,
)
from caselog.signoff import signatures
from tests.browser.test_log_case import assert_no_horizontal_scroll
from tests.clock import NOW, TODAY

pytestmark = pytest.mark.browser

RATINGS = [
    Autonomy.SHOW_AND_TELL,
    Autonomy.ACTIVE_HELP,
    Autonomy.PASSIVE_HELP,
    Autonomy.SUPERVISION_ONLY,
]


def with_targets(make, world):
    """Two targets on the fellowship: discectomies (behind) and fusions (on track)."""
    framework = make._save(
        Framework(
            name="Spine fellowship targets",
            specialty=world.spine,
            source="Modelled on test figures",
        )
    )
    version = make._save(FrameworkVersion(framework=framework, number=1))
    for position, (label, count, procedure, entrust) in enumerate(
        [
            ("Lumbar microdiscectomy, performed or supervised", 40, world.microdiscectomy, None),
            ("Transforaminal lumbar interbody fusion", 6, world.fusion, 3),
        ]
    ):
        target = Target(
            version=version,
            position=position,
            label=label,
            min_count=count,
            involvements="S-TS S-TU P",
            procedures=[procedure],
            entrust_count=entrust,
            entrust_autonomy=Autonomy.PASSIVE_HELP if entrust else None,
        )
        make._save(target)
    world.program.framework_version = version
    world.program.assessment_enabled = True
    make._save(world.program)


def signed_case(make, world, procedure, days_ago: int, involvement, autonomy):
    """A case the mentor signed (sealed as the sign-off service would)."""
    case = make.case(
        world.trainee,
        world.program,
        procedure,
        world.mentor,
        status=CaseStatus.SUBMITTED,
        involvement=involvement,
        operation_date=TODAY - timedelta(days=days_ago),
        submitted_at=NOW,
    )
    signature = Signature(
        case_id=case.id,
        version=case.version,
        signer_id=world.mentor.id,
        signer_name=world.mentor.full_name,
        signed_at=NOW,
        meaning=str(signatures.MEANING),
        autonomy=autonomy,
    )
    signatures.seal(signature, case)
    case.signatures.append(signature)
    case.status = CaseStatus.APPROVED
    make._save(case)


def test_trainee_lands_on_the_dashboard_and_sees_what_is_behind(
    page, sign_in, new_trainee, make, shoot
):
    with_targets(make, new_trainee)
    levels = [
        Involvement.SUPERVISED_SCRUBBED,
        Involvement.ASSISTED,
        Involvement.PERFORMED,
        Involvement.SUPERVISED_UNSCRUBBED,
    ]
    for n in range(12):
        fusion = n % 3 == 0
        signed_case(
            make,
            new_trainee,
            new_trainee.fusion if fusion else new_trainee.microdiscectomy,
            170 - n * 14,
            Involvement.PERFORMED if fusion else levels[n % 4],
            RATINGS[min(n // 3, 3)],
        )
    make.case(
        new_trainee.trainee,
        new_trainee.program,
        new_trainee.microdiscectomy,
        new_trainee.mentor,
        status=CaseStatus.SUBMITTED,
        operation_date=TODAY - timedelta(days=2),
        submitted_at=NOW,
    )

    sign_in(new_trainee.trainee)
    page.wait_for_url("**/dashboard")
    expect(page.get_by_role("heading", name="Dashboard")).to_be_visible()
    summary = page.locator(".behind-summary")
    expect(summary).to_contain_text("1 target behind:")
    expect(summary.get_by_role("link")).to_have_text(
        "Lumbar microdiscectomy, performed or supervised"
    )
    expect(summary).to_be_in_viewport()
    first = page.locator(".target-card").first
    expect(first).to_contain_text("Behind")
    expect(first).to_contain_text("counted 6 of 40")
    expect(first).to_contain_text("pending 1")
    expect(page.get_by_role("link", name="Log a case")).to_be_in_viewport()
    expect(page.get_by_role("link", name="My cases").first).to_be_visible()
    assert_no_horizontal_scroll(page)
    shoot("top")

    for name in ("Cases over time", "Cases by involvement", "Autonomy ratings (Zwisch) over time"):
        chart = page.get_by_role("img", name=name)
        chart.scroll_into_view_if_needed()
        expect(chart).to_be_visible()
        box = chart.bounding_box()
        assert box["x"] >= 0 and box["x"] + box["width"] <= page.viewport_size["width"], name
        assert box["width"] >= 300, name
    assert_no_horizontal_scroll(page)
    shoot("charts")

    page.get_by_label("Show").select_option(label="Transforaminal lumbar interbody fusion")
    page.get_by_role("button", name="Show").click()
    expect(page.locator("figcaption").first).to_contain_text(
        "4 of 6 counted toward Transforaminal lumbar interbody fusion"
    )
    shoot("one-target")

    page.locator(".target-card").first.get_by_role("link", name="Cases behind it (7)").click()
    expect(page.get_by_role("heading", name="Counted (6)")).to_be_visible()
    expect(page.locator(".case-row")).to_have_count(7)
    assert_no_horizontal_scroll(page)
    shoot("target-cases")


def test_mentor_sees_their_trainees_and_opens_one(page, sign_in, new_trainee, make, shoot):
    with_targets(make, new_trainee)
    junior = make.user("Oyunaa Bold", email="trainee2@example.test")
    make.enrol(junior, new_trainee.program, cohort="2026")
    for n in range(8):
        signed_case(
            make,
            new_trainee,
            new_trainee.fusion if n % 2 else new_trainee.microdiscectomy,
            160 - n * 20,
            Involvement.PERFORMED,
            RATINGS[n % 4],
        )

    sign_in(new_trainee.mentor)
    page.get_by_role("link", name="My trainees").click()
    expect(page.get_by_role("heading", name="My trainees")).to_be_visible()
    cards = page.locator(".mentee-card")
    expect(cards).to_have_count(2)
    mine = cards.filter(has_text="Bat-Erdene Dorj")
    expect(mine).to_contain_text("4 of 40")
    expect(mine).to_contain_text("4 of 6")
    expect(cards.filter(has_text="Oyunaa Bold")).to_contain_text("0 of 40")
    assert_no_horizontal_scroll(page)
    shoot("mentees")

    mine.get_by_role("link", name="Bat-Erdene Dorj").click()
    expect(page.get_by_role("heading", name="Bat-Erdene Dorj")).to_be_visible()
    expect(page.locator(".target-card").first).to_contain_text("counted 4 of 40")
    expect(page.get_by_role("img", name="Cases over time")).to_be_visible()
    expect(page.get_by_role("link", name="Log a case")).to_have_count(0)
    assert_no_horizontal_scroll(page)
    shoot("mentee")
