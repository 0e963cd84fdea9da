"""The mentor's view of the trainees they supervise: the same progress, per program."""

import re

import pytest

from tests.integration.dashboard_steps import pending, signed, small_world, spine_framework


@pytest.fixture
def mentor(client, world):
    client.login(world.mentor)
    return world.mentor


def trainee_card(page: str, name: str) -> str:
    """The HTML of one trainee's card on the mentor's page, found by their name."""
    cards = [c for c in page.split('<li class="mentee-card">')[1:] if f">{name}</a>" in c]
    assert len(cards) == 1, f"no card for {name}"
    return re.sub(r"\s+", " ", cards[0])


def test_mentor_sees_the_trainees_of_their_programs_with_progress(client, make, world, mentor):
    small_world(make, world)
    stranger = make.user("Stranger Trainee")
    elsewhere = make.program(sites=[world.busan], name="Somebody else's program")
    make.enrol(stranger, elsewhere)
    make.appoint(world.other_mentor, elsewhere)

    page = client.get("/mentees").get_data(as_text=True)
    assert "Spine fellowship (test)" in page and "Somebody else's program" not in page
    assert "Stranger Trainee" not in page
    mine = trainee_card(page, "Bat-Erdene Dorj")
    assert "Lumbar discectomy" in mine and "2 of 10" in mine and "+1 pending" in mine
    assert "3 of 4" in mine and "2 of 2" in mine
    assert "Behind" in mine and "On track" in mine and "Met" in mine
    assert "1 target behind" in mine
    # the framework's order, so that trainees compare line by line
    assert mine.index("Lumbar discectomy") < mine.index("ACDF") < mine.index("TLIF")
    other = trainee_card(page, "Oyunaa Bold")
    assert "0 of 10" in other and "2 targets behind" in other
    assert f'href="/mentees/{world.program.id}/{world.trainee.id}"' in page


def test_a_site_mentor_sees_every_trainee_of_the_program(client, make, world):
    spine_framework(make, world)
    client.login(world.other_mentor)  # appointed at Busan only
    page = client.get("/mentees").get_data(as_text=True)
    assert "Bat-Erdene Dorj" in page and "Oyunaa Bold" in page


def test_a_mentor_who_is_also_a_trainee_is_not_their_own_mentee(client, make, world, mentor):
    spine_framework(make, world)
    make.enrol(world.mentor, world.program)
    page = client.get("/mentees").get_data(as_text=True)
    assert f'href="/mentees/{world.program.id}/{world.mentor.id}"' not in page
    assert client.get(f"/mentees/{world.program.id}/{world.mentor.id}").status_code == 404


def test_program_without_framework_lists_its_trainees(client, world, mentor):
    page = client.get("/mentees").get_data(as_text=True)
    assert "This program has no competency framework yet" in page
    assert f'href="/mentees/{world.program.id}/{world.trainee.id}"' in page
    detail = client.get(f"/mentees/{world.program.id}/{world.trainee.id}")
    assert detail.status_code == 200
    assert "This program has no competency framework yet" in detail.get_data(as_text=True)


def test_one_trainee_in_detail_with_the_cases_behind_a_target(client, make, world, mentor):
    small_world(make, world)
    page = client.get(f"/mentees/{world.program.id}/{world.trainee.id}").get_data(as_text=True)
    assert '<h1 class="h3 m-0">Bat-Erdene Dorj</h1>' in page
    assert "1 target behind:" in page and "counted 2 of 10" in page
    assert "Log a case" not in page  # the mentor does not log the trainee's cases
    target = world.program.framework_version.targets[0]
    url = f"/mentees/{world.program.id}/{world.trainee.id}/targets/{target.id}"
    assert f'href="{url}"' in page
    page = client.get(url).get_data(as_text=True)
    assert "Counted (2)" in page and "Awaiting sign-off (1)" in page
    assert page.count('class="case-row" href="/cases/') == 3  # all name this mentor


def test_cases_another_mentor_supervised_are_listed_without_a_link(client, make, world):
    small_world(make, world)
    client.login(world.other_mentor)
    target = world.program.framework_version.targets[0]
    page = client.get(
        f"/mentees/{world.program.id}/{world.trainee.id}/targets/{target.id}"
    ).get_data(as_text=True)
    assert page.count('<div class="case-row">') == 3
    assert 'class="case-row" href=' not in page


def test_mentees_of_another_program_are_not_reachable(client, make, world, mentor):
    small_world(make, world)
    stranger = make.user("Stranger Trainee")
    elsewhere = make.program(sites=[world.busan], name="Somebody else's program")
    make.enrol(stranger, elsewhere)
    target = world.program.framework_version.targets[0]
    for url in (
        f"/mentees/{elsewhere.id}/{stranger.id}",
        f"/mentees/{world.program.id}/{stranger.id}",  # not a trainee of this one
        f"/mentees/{elsewhere.id}/{world.trainee.id}",
        f"/mentees/{world.program.id}/{stranger.id}/targets/{target.id}",
        f"/mentees/{world.program.id}/{world.trainee.id}/targets/999999",
        f"/mentees/{world.program.id}/999999",
    ):
        assert client.get(url).status_code == 404, url


def test_mentees_queries_do_not_grow_with_trainees_or_cases(
    client, make, world, mentor, count_queries
):
    spine_framework(make, world)
    second = make.program(sites=[world.seoul], name="Second program")
    make.appoint(world.mentor, second)
    procedures = [world.microdiscectomy, world.acdf, world.fusion]

    def measure(trainees: int):
        with count_queries() as counter:
            page = client.get("/mentees").get_data(as_text=True)
        assert page.count('class="mentee-card"') == trainees
        return counter.count

    signed(make, world, world.acdf, 5)
    small = measure(2)
    for n in range(10):
        trainee = make.user(f"Trainee {n:02d}")
        make.enrol(trainee, world.program, cohort="2026")
        make.enrol(trainee, second)
        signed(make, world, procedures[n % 3], 5 + n, trainee=trainee)
        pending(make, world, procedures[(n + 1) % 3], 2, trainee=trainee)
    assert measure(12) == small
