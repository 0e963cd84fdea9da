"""The trainee's dashboard: the first page after sign-in, each target's figures, the charts."""

import re
import xml.etree.ElementTree as ET

import pytest

from tests.integration.dashboard_steps import (
    framework_version,
    signed,
    small_world,
    spine_framework,
)

SVG = "{http://www.w3.org/2000/svg}"


@pytest.fixture
def trainee(client, world):
    client.login(world.trainee)
    return world.trainee


def card(page: str, label: str) -> str:
    """The HTML of one target's card, found by its label."""
    match = re.search(
        r'<article class="target-card[^"]*"[^>]*>\s*<div class="target-head">\s*'
        r"<h3[^>]*>" + re.escape(label) + r"</h3>.*?</article>",
        page,
        re.S,
    )
    assert match, f"no card for {label}"
    return re.sub(r"\s+", " ", match.group(0))


def test_trainee_lands_on_the_dashboard_after_sign_in(client, world):
    response = client.login(world.trainee)
    assert response.headers["Location"] == "/"
    assert client.get("/").headers["Location"] == "/dashboard"
    page = client.get("/dashboard").get_data(as_text=True)
    assert '<h1 class="h3 m-0">Dashboard</h1>' in page
    assert 'href="/cases/new"' in page and "Log a case" in page
    assert 'href="/cases"' in page and "My cases" in page


def test_each_target_shows_counted_pending_percent_status_and_pace(client, make, world, trainee):
    small_world(make, world)
    page = client.get("/dashboard").get_data(as_text=True)

    discectomy = card(page, "Lumbar discectomy")
    assert "counted 2 of 10" in discectomy and "pending 1" in discectomy
    assert "20%" in discectomy and "Behind" in discectomy
    assert "At this rate, met by" in discectomy
    assert "8 more cases needed" in discectomy
    assert "Program ends " in discectomy

    acdf = card(page, "ACDF")  # the observed case does not count, nor the draft
    assert "counted 3 of 4" in acdf and "pending 0" in acdf and "75%" in acdf
    assert "On track" in acdf and "At this rate, met by" in acdf

    tlif = card(page, "TLIF")
    assert "counted 2 of 2" in tlif and "100%" in tlif and "Met" in tlif
    assert "Met on" in tlif and "Rated “Passive help” or more: 1 (needs 1)" in tlif
    assert "Program ends" in tlif

    # behind at a glance: the summary names it and its card comes first
    assert "1 target behind:" in page
    assert re.search(r'<a href="#target-\d+-\d+">Lumbar discectomy</a>', page)
    assert page.index("Lumbar discectomy</h3>") < page.index("ACDF</h3>") < page.index("TLIF</h3>")


def test_pace_when_no_case_is_approved_yet_and_for_a_later_year(client, make, world, trainee):
    version = framework_version(
        make,
        world.spine,
        [
            dict(label="Discectomy", min_count=5, procedures=[world.microdiscectomy]),
            dict(label="Year two fusions", min_count=5, procedures=[world.fusion], program_year=2),
        ],
    )
    world.program.framework_version = version
    make.session.flush()
    page = client.get("/dashboard").get_data(as_text=True)
    assert "No approved cases yet" in card(page, "Discectomy")
    later = card(page, "Year two fusions")
    assert "Not started" in later and "Starts " in later and "Year 2 ends" in later


def test_charts_are_inline_svg_with_text_alternatives(client, make, world, trainee):
    small_world(make, world)
    page = client.get("/dashboard").get_data(as_text=True)
    svgs = re.findall(r'<svg xmlns="http://www.w3.org/2000/svg" class="chart".*?</svg>', page, re.S)
    assert len(svgs) == 3  # over time, involvement, ratings
    for svg in svgs:
        root = ET.fromstring(svg)  # noqa: S314 - our own markup
        assert root.find(f"{SVG}title").text and root.find(f"{SVG}desc").text
        assert root.get("role") == "img" and root.get("viewBox")
    assert "Cases over time" in page and "Involvement" in page and "Autonomy ratings" in page
    # the text alternative: a sentence and a table of the figures
    assert "7 of 16 counted toward all targets, 1 more with pending cases" in page
    assert "Signed cases by involvement: O 1, A 0, S-TS 7, S-TU 0, P 0, and T 0." in page
    assert "5 cases rated. Latest: Active help" in page
    assert page.count('<details class="chart-table">') == 3
    assert "<script" not in page.split("</main>")[0].split('<main id="main"')[1]


def test_the_time_chart_follows_one_target_when_asked(client, make, world, trainee):
    small_world(make, world)
    acdf = next(t for t in world.program.framework_version.targets if t.label == "ACDF")
    page = client.get(f"/dashboard?target={acdf.id}").get_data(as_text=True)
    assert "3 of 4 counted toward ACDF" in page
    assert f'<option value="{acdf.id}" selected>ACDF</option>' in page


def test_program_without_framework_says_so(client, world, trainee):
    page = client.get("/dashboard").get_data(as_text=True)
    assert "This program has no competency framework yet" in page
    assert '<svg xmlns="http://www.w3.org/2000/svg" class="chart"' not in page


def test_a_trainee_of_two_programs_sees_both(client, make, world, trainee):
    spine_framework(make, world)
    other = make.program(sites=[world.busan], name="Master class in endoscopy")
    make.enrol(world.trainee, other)
    page = client.get("/dashboard").get_data(as_text=True)
    assert "Spine fellowship (test)" in page and "Master class in endoscopy" in page
    assert page.count('class="program-progress"') == 2


def test_cases_behind_a_target_are_one_tap_away(client, make, world, trainee):
    small_world(make, world)
    discectomy = next(
        t for t in world.program.framework_version.targets if t.label == "Lumbar discectomy"
    )
    page = client.get("/dashboard").get_data(as_text=True)
    url = f"/dashboard/{world.program.id}/targets/{discectomy.id}"
    assert f'href="{url}"' in page and "Cases behind it (3)" in page
    page = client.get(url).get_data(as_text=True)
    assert "Counted (2)" in page and "Awaiting sign-off (1)" in page
    assert page.count("Lumbar microdiscectomy") == 3
    assert page.count('class="case-row" href="/cases/') == 3
    assert "Transforaminal" not in page


def test_other_trainees_targets_are_not_reachable(client, make, world):
    small_world(make, world)
    signed(make, world, world.microdiscectomy, 40, trainee=world.other_trainee)
    target = world.program.framework_version.targets[0]
    other_program = make.program(sites=[world.busan], name="Not mine")
    client.login(world.other_trainee)
    page = client.get(f"/dashboard/{world.program.id}/targets/{target.id}").get_data(as_text=True)
    assert "Counted (1)" in page and "Awaiting sign-off (0)" in page  # only their own
    assert client.get(f"/dashboard/{other_program.id}/targets/{target.id}").status_code == 404
    assert client.get(f"/dashboard/{world.program.id}/targets/999999").status_code == 404


def test_dashboard_queries_do_not_grow_with_cases(client, make, world, trainee, count_queries):
    spine_framework(make, world)
    procedures = [world.microdiscectomy, world.acdf, world.fusion]

    def measure():
        with count_queries() as counter:
            page = client.get("/dashboard").get_data(as_text=True)
        assert "counted" in page
        return counter.count

    for n in range(3):
        signed(make, world, procedures[n], 10 + n)
    small = measure()
    for n in range(37):
        signed(make, world, procedures[n % 3], 20 + n * 4)
    make.case(
        world.trainee, world.program, world.acdf, world.mentor, additional_procedures=[world.fusion]
    )
    assert measure() == small
