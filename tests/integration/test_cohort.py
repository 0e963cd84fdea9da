"""The director's cohort view: each cell's status and count, sorting, filters, the cases behind
a cell, and a fixed number of queries however big the cohort."""

import re
from datetime import timedelta

import pytest

from caselog.models import CaseStatus, Involvement
from tests.factories import framework_version
from tests.integration.cohort_steps import (
    listed_cases,
    logged,
    read_matrix,
    set_cohort,
    sign_all,
    small_cohort,
    spine_framework,
)


@pytest.fixture
def director(client, world):
    client.login(world.director)
    return world.director


def matrix_url(world, **args) -> str:
    query = "&".join(f"{key}={value}" for key, value in args.items())
    return f"/programs/{world.program.id}/cohort" + (f"?{query}" if query else "")


def test_each_cell_shows_status_and_count_by_the_counting_rules(
    client, world, make, db_session, director
):
    small_cohort(make, world, db_session)
    html = client.get(matrix_url(world)).get_data(as_text=True)

    assert "Counted against Spine fellowship framework v2" in html
    rows = read_matrix(html)
    assert [(r.trainee, r.cohort) for r in rows] == [
        ("Bat-Erdene Dorj", "2024"),
        ("Oyunaa Bold", "2025"),
    ]
    bat, oyunaa = rows
    # Decompression: the two-procedure case and the amended one (once, as signed); one
    # pending; the observed case does not count. TLIF: the two-procedure case. ACDF: the
    # amendment to an ACDF is not signed, so nothing. Year two has not begun.
    assert [(c.text, c.status) for c in bat.cells] == [
        ("2/4+1", "on_track"),
        ("1/1", "met"),
        ("0/10", "behind"),
        ("0/5", "not_started"),
    ]
    assert [(c.text, c.status) for c in oyunaa.cells] == [
        ("4/4", "met"),
        ("0/1", "on_track"),
        ("0/10", "behind"),
        ("0/5", "not_started"),
    ]
    assert [c.icon for c in bat.cells] == ["→", "✓", "▲", "○"]  # a shape, not only a colour
    assert bat.cells[0].name == (
        "Bat-Erdene Dorj, Lumbar decompression: 2 of 4 counted, 1 pending. On track."
    )
    assert oyunaa.cells[2].name.endswith("0 of 10 counted, 0 pending. Behind.")
    # Column headers: the short label (the abbreviation in brackets), the full one for
    # screen readers and in the tooltip, and the minimum.
    assert '<span class="target-label" aria-hidden="true">ACDF</span>' in html
    assert "Anterior cervical discectomy and fusion (ACDF)</span>" in html
    assert "min 10" in html
    summaries = re.findall(r'<span class="visually-hidden">(\d+ met, \d+ behind)</span>', html)
    assert summaries == ["1 met, 0 behind", "1 met, 0 behind", "0 met, 2 behind", "0 met, 0 behind"]
    for word in ("Met", "On track", "Behind", "Not started"):  # the key
        assert f"</span> {word}</span>" in html


def names(client, url) -> list[str]:
    return [row.trainee for row in read_matrix(client.get(url).get_data(as_text=True))]


def test_sorted_by_name_or_by_any_target_either_way(client, world, make, db_session, director):
    cohort = small_cohort(make, world, db_session)
    decompression, tlif, acdf, _ = (t.id for t in cohort.targets)
    both = ["Bat-Erdene Dorj", "Oyunaa Bold"]
    assert names(client, matrix_url(world)) == both
    assert names(client, matrix_url(world, sort="name", dir="desc")) == both[::-1]
    assert names(client, matrix_url(world, sort=decompression)) == both  # 50% before 100%
    assert names(client, matrix_url(world, sort=decompression, dir="desc")) == both[::-1]
    assert names(client, matrix_url(world, sort=tlif)) == both[::-1]
    # Equal percentages keep the names in order, whichever way.
    assert names(client, matrix_url(world, sort=acdf)) == both
    assert names(client, matrix_url(world, sort=acdf, dir="desc")) == both
    assert names(client, matrix_url(world, sort="999999")) == both  # unknown: by name

    html = client.get(matrix_url(world, sort=decompression)).get_data(as_text=True)
    assert 'aria-sort="ascending"' in html
    # The sorted column's link turns the order round; the others sort ascending first.
    assert f'href="/programs/{world.program.id}/cohort?sort={decompression}&amp;dir=desc"' in html
    assert f'href="/programs/{world.program.id}/cohort?sort={tlif}"' in html


def test_filtered_by_cohort_and_by_the_site_cases_were_logged_at(
    client, world, make, db_session, director
):
    small_cohort(make, world, db_session)
    assert names(client, matrix_url(world, cohort="2025")) == ["Oyunaa Bold"]
    assert names(client, matrix_url(world, site=world.seoul.id)) == ["Bat-Erdene Dorj"]
    assert names(client, matrix_url(world, site=world.busan.id)) == ["Oyunaa Bold"]
    assert names(client, matrix_url(world, cohort="nope")) == ["Bat-Erdene Dorj", "Oyunaa Bold"]
    html = client.get(matrix_url(world, cohort="2024", site=world.busan.id)).get_data(as_text=True)
    assert "No trainee matches these filters." in html
    html = client.get(matrix_url(world, site=world.seoul.id)).get_data(as_text=True)
    assert "1 of 2 trainees · logged cases at Seoul Spine Hospital" in html
    assert "their counts include every site" in html  # the note on sites
    # A filtered trainee's counts are the same as unfiltered: every site counts.
    assert read_matrix(html)[0].cells[0].text == "2/4+1"
    # The filters and the order travel with the links.
    html = client.get(matrix_url(world, cohort="2025", sort="name", dir="desc")).get_data(
        as_text=True
    )
    assert '<option value="2025" selected>' in html
    cell = read_matrix(html)[0].cells[0]
    assert cell.href.endswith("?cohort=2025&dir=desc")
    back = client.get(cell.href).get_data(as_text=True)
    assert f'href="/programs/{world.program.id}/cohort?cohort=2025&amp;dir=desc"' in back


def test_a_trainee_enrolled_twice_is_filtered_by_the_cohort_their_row_shows(
    client, world, make, db_session, director
):
    small_cohort(make, world, db_session)
    later = world.program.start_date + timedelta(days=200)
    make.enrol(world.trainee, world.program, cohort="2025", start_date=later)
    rows = read_matrix(client.get(matrix_url(world)).get_data(as_text=True))
    assert [(r.trainee, r.cohort) for r in rows] == [
        ("Bat-Erdene Dorj", "2025"),
        ("Oyunaa Bold", "2025"),
    ]
    assert names(client, matrix_url(world, cohort="2025")) == ["Bat-Erdene Dorj", "Oyunaa Bold"]
    html = client.get(matrix_url(world, cohort="2024")).get_data(as_text=True)
    assert '<option value="2024"' not in html  # no row shows it any more
    assert len(read_matrix(html)) == 2  # an unknown cohort filters nothing


def test_a_cell_leads_to_exactly_its_counted_and_pending_cases(
    client, world, make, db_session, director
):
    cohort = small_cohort(make, world, db_session)
    bat, oyunaa = read_matrix(client.get(matrix_url(world)).get_data(as_text=True))

    html = client.get(bat.cells[0].href).get_data(as_text=True)
    assert listed_cases(html, "counted") == [cohort.both.id, cohort.amended.id]
    assert listed_cases(html, "pending") == [cohort.pending.id]
    assert "Bat-Erdene Dorj" in html and "Lumbar decompression" in html
    assert "Signed by Dr Mentor Park" in html
    assert "Amended since; counted as signed" in html
    assert "Awaiting Dr Mentor Park" in html
    assert "with Transforaminal lumbar interbody fusion" in html  # the case's other procedure
    assert "Performed, supervisor scrubbed" in html

    html = client.get(bat.cells[1].href).get_data(as_text=True)
    assert listed_cases(html, "counted") == [cohort.both.id] and not listed_cases(html, "pending")
    html = client.get(bat.cells[2].href).get_data(as_text=True)
    assert listed_cases(html, "counted") == [] == listed_cases(html, "pending")
    assert "No signed case counts toward this target yet." in html
    html = client.get(oyunaa.cells[0].href).get_data(as_text=True)
    assert listed_cases(html, "counted") == [case.id for case in cohort.oyunaa]
    # Each listed case opens for the director.
    assert client.get(f"/cases/{cohort.amended.id}").status_code == 200


def test_an_admin_sees_the_cases_behind_a_cell_without_case_links(client, world, make, db_session):
    cohort = small_cohort(make, world, db_session)
    client.login(world.admin)
    target = cohort.targets[0]
    html = client.get(
        f"/programs/{world.program.id}/cohort/{world.trainee.id}/{target.id}"
    ).get_data(as_text=True)
    assert listed_cases(html, "counted") == []  # case pages are for the program's directors
    assert html.count('class="case-row cell-case"') == 3
    assert "Case pages are open to the program's directors." in html


def test_only_enrolled_trainees_and_targets_of_the_assigned_version(
    client, world, make, db_session, director, people
):
    cohort = small_cohort(make, world, db_session)
    base = f"/programs/{world.program.id}/cohort"
    target = cohort.targets[0].id
    older = framework_version(
        make, world.spine, [dict(label="Old", min_count=1, procedures=[world.fusion])]
    )
    outsider = make.user("Not Enrolled")
    assert client.get(f"{base}/{world.trainee.id}/{target}").status_code == 200
    assert client.get(f"{base}/{outsider.id}/{target}").status_code == 404
    assert client.get(f"{base}/{world.director.id}/{target}").status_code == 404
    assert client.get(f"{base}/{world.trainee.id}/{older.targets[0].id}").status_code == 404
    assert client.get(f"{base}/{world.trainee.id}/999999").status_code == 404
    assert client.get("/programs/999999/cohort").status_code == 404


def test_a_program_without_a_framework_says_so(client, world, director):
    html = client.get(matrix_url(world)).get_data(as_text=True)
    assert "This program has no competency framework yet" in html
    assert "cohort-matrix" not in html
    target_free = client.get(f"/programs/{world.program.id}/cohort/{world.trainee.id}/1")
    assert target_free.status_code == 404


def test_the_matrix_costs_the_same_queries_for_2_or_15_trainees(
    client, world, make, db_session, director, count_queries
):
    spine_framework(make, world, db_session)
    set_cohort(db_session, world.trainee, world.program, "2024")
    sign_all(world.mentor, [logged(make, world, world.trainee, world.microdiscectomy)])
    logged(make, world, world.other_trainee, world.fusion)
    urls = [
        matrix_url(world),
        matrix_url(
            world,
            cohort="2024",
            site=world.seoul.id,
            sort=world.program.framework_version.targets[0].id,
            dir="desc",
        ),
    ]

    def measure():
        counts, sizes = [], []
        for url in urls:
            with count_queries() as counter:
                html = client.get(url).get_data(as_text=True)
            counts.append(counter.count)
            sizes.append(len(read_matrix(html)))
        return counts, sizes

    small, sizes = measure()
    assert sizes == [2, 1]
    for n in range(13):
        trainee = make.user(f"Trainee {n:02d}")
        make.enrol(trainee, world.program, cohort="2024" if n % 2 else "2025")
        cases = [
            logged(
                make,
                world,
                trainee,
                [world.microdiscectomy, world.fusion, world.acdf][k % 3],
                days_ago=5 + k,
                additional_procedures=[world.fusion] if k % 4 == 0 else [],
                site=world.busan if k % 5 == 0 else None,
            )
            for k in range(12)
        ]
        sign_all(world.mentor, cases[:8])
        logged(
            make,
            world,
            trainee,
            world.fusion,
            status=CaseStatus.RETURNED,
            involvement=Involvement.ASSISTED,
        )
    large, sizes = measure()
    assert sizes == [15, 7]
    assert large == small


def test_the_cases_behind_a_cell_cost_the_same_queries_for_1_or_25_cases(
    client, world, make, db_session, director, count_queries
):
    version = spine_framework(make, world, db_session)
    url = f"/programs/{world.program.id}/cohort/{world.trainee.id}/{version.targets[0].id}"
    sign_all(world.mentor, [logged(make, world, world.trainee, world.microdiscectomy)])

    def measure():
        with count_queries() as counter:
            html = client.get(url).get_data(as_text=True)
        return counter.count, len(listed_cases(html, "counted")), len(listed_cases(html, "pending"))

    small = measure()
    assert small[1:] == (1, 0)
    cases = [
        logged(
            make,
            world,
            world.trainee,
            world.microdiscectomy,
            days_ago=n + 2,
            additional_procedures=[world.fusion, world.acdf] if n % 3 else [],
            site=world.busan if n % 2 else world.seoul,
            supervisor=world.other_mentor if n % 2 else world.mentor,
        )
        for n in range(24)
    ]
    sign_all(world.mentor, [c for n, c in enumerate(cases[:18]) if n % 2 == 0])
    sign_all(world.other_mentor, [c for n, c in enumerate(cases[:18]) if n % 2])
    large = measure()
    assert large[1:] == (19, 6)
    assert large[0] == small[0]
