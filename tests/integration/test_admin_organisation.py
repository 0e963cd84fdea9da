"""Admins keep the sites and programs: create, edit, with clear messages when input is wrong."""

import re
from datetime import date

import pytest
from sqlalchemy import select

from caselog.models import Program, ProgramKind, Site


def site_data(**overrides):
    return {
        "name": "Mongolia Japan Hospital",
        "city": "Ulaanbaatar",
        "country": "mn",
        "time_zone": "Asia/Ulaanbaatar",
        **overrides,
    }


def test_create_a_site(client, world, db_session):
    client.login(world.admin)
    response = client.submit("/admin/sites/new", site_data())
    assert response.status_code == 302
    site = db_session.scalar(select(Site).where(Site.name == "Mongolia Japan Hospital"))
    assert (site.city, site.country, site.time_zone) == ("Ulaanbaatar", "MN", "Asia/Ulaanbaatar")
    html = client.get("/admin/sites").get_data(as_text=True)
    assert "Mongolia (MN)" in html and "Site Mongolia Japan Hospital added." in html


def test_a_site_needs_a_real_time_zone_and_country(client, world, db_session):
    client.login(world.admin)
    html = client.submit("/admin/sites/new", site_data(time_zone="Asia/Ulan Bator")).get_data(
        as_text=True
    )
    assert "“Asia/Ulan Bator” is not a time zone name" in html
    html = client.submit("/admin/sites/new", site_data(country="XX")).get_data(as_text=True)
    assert "two-letter ISO code" in html
    html = client.submit("/admin/sites/new", site_data(country="M1")).get_data(as_text=True)
    assert "two-letter ISO code" in html
    assert db_session.scalar(select(Site).where(Site.name == "Mongolia Japan Hospital")) is None


def test_edit_a_site_and_refuse_a_duplicate_name(client, world):
    client.login(world.admin)
    url = f"/admin/sites/{world.busan.id}/edit"
    assert "Busan University Hospital" in client.get(url).get_data(as_text=True)
    html = client.submit(url, site_data(name="seoul spine hospital")).get_data(as_text=True)
    assert "A site called seoul spine hospital already exists." in html
    response = client.submit(
        url,
        site_data(
            name="Pusan National University Hospital",
            city="Busan",
            country="KR",
            time_zone="Asia/Seoul",
        ),
    )
    assert response.status_code == 302
    assert world.busan.name == "Pusan National University Hospital"


def program_data(world, **overrides):
    return {
        "name": "HPB visiting program",
        "kind": "visiting",
        "specialty_id": str(world.spine.id),
        "start_date": "2027-03-01",
        "end_date": "2027-03-28",
        "site_ids": [str(world.seoul.id), str(world.busan.id)],
        "director_ids": [str(world.director.id)],
        "reminder_max_waiting": "25",
        "reminder_max_days": "30",
        **overrides,
    }


def test_create_a_program(client, world, db_session):
    client.login(world.admin)
    response = client.submit("/admin/programs/new", program_data(world))
    assert response.status_code == 302, response.get_data(as_text=True)
    program = db_session.scalar(select(Program).where(Program.name == "HPB visiting program"))
    assert program.kind is ProgramKind.VISITING
    assert (program.start_date, program.end_date) == (date(2027, 3, 1), date(2027, 3, 28))
    assert {s.id for s in program.sites} == {world.seoul.id, world.busan.id}
    assert [d.id for d in program.directors] == [world.director.id]
    html = client.get("/admin/programs").get_data(as_text=True)
    assert "HPB visiting program" in html and "Visiting program" in html


def test_program_sign_off_settings_are_saved_and_shown(app, client, world, db_session):
    client.login(world.admin)
    html = client.get("/admin/programs/new").get_data(as_text=True)
    assert "Rate autonomy at sign-off" in html
    assert re.search(r'name="reminder_max_waiting"[^>]*value="25"', html)
    assert re.search(r'name="reminder_max_days"[^>]*value="30"', html)
    response = client.submit(
        "/admin/programs/new",
        program_data(
            world, assessment_enabled="y", reminder_max_waiting="10", reminder_max_days="14"
        ),
    )
    assert response.status_code == 302, response.get_data(as_text=True)
    program = db_session.scalar(select(Program).where(Program.name == "HPB visiting program"))
    assert (
        program.assessment_enabled,
        program.reminder_max_waiting,
        program.reminder_max_days,
    ) == (True, 10, 14)
    html = client.get(f"/admin/programs/{program.id}/edit").get_data(as_text=True)
    assert re.search(r'<input [^>]*checked [^>]*name="assessment_enabled"', html)
    assert re.search(r'name="reminder_max_days"[^>]*value="14"', html)
    response = client.submit(f"/admin/programs/{program.id}/edit", program_data(world))
    assert response.status_code == 302  # the switch left off turns assessment off again
    assert (
        program.assessment_enabled,
        program.reminder_max_waiting,
        program.reminder_max_days,
    ) == (False, 25, 30)
    director = app.test_client()
    director.login(world.director)
    html = director.get(f"/programs/{program.id}").get_data(as_text=True)
    assert "No rating at sign-off" in html
    assert "more than 25 cases wait or one waits more than 30 days" in html


@pytest.mark.parametrize(
    "field, value, message",
    [
        ("reminder_max_waiting", "0", "Enter a whole number from 1 to 10000."),
        ("reminder_max_waiting", "-4", "Enter a whole number from 1 to 10000."),
        ("reminder_max_days", "0", "Enter a whole number from 1 to 3650."),
        ("reminder_max_days", "99999", "Enter a whole number from 1 to 3650."),
        ("reminder_max_days", "2.5", "Not a valid integer value."),
        ("reminder_max_waiting", "", "This field is required."),
    ],
)
def test_reminder_thresholds_are_positive_whole_numbers(
    client, world, db_session, field, value, message
):
    client.login(world.admin)
    url = f"/admin/programs/{world.program.id}/edit"
    html = client.submit(
        url,
        program_data(
            world,
            name="Spine fellowship (test)",
            kind="fellowship",
            start_date=world.program.start_date.isoformat(),
            end_date=world.program.end_date.isoformat(),
            **{field: value},
        ),
    ).get_data(as_text=True)
    assert message in html
    assert (world.program.reminder_max_waiting, world.program.reminder_max_days) == (25, 30)


def test_a_program_ends_after_it_starts_and_has_a_site(client, world, db_session):
    client.login(world.admin)
    html = client.submit(
        "/admin/programs/new", program_data(world, end_date="2027-02-01")
    ).get_data(as_text=True)
    assert "The end date cannot be before the start date." in html
    html = client.submit("/admin/programs/new", program_data(world, site_ids=[])).get_data(
        as_text=True
    )
    assert "Choose at least one site." in html
    assert db_session.scalar(select(Program).where(Program.name == "HPB visiting program")) is None


def test_edit_a_program_form_shows_current_choices(client, world):
    client.login(world.admin)
    html = client.get(f"/admin/programs/{world.program.id}/edit").get_data(as_text=True)
    assert 'value="Spine fellowship (test)"' in html
    for site in (world.busan, world.seoul):
        assert re.search(
            rf'<input checked [^>]*name="site_ids" type="checkbox" value="{site.id}"', html
        )
    assert re.search(
        rf'<input checked [^>]*name="director_ids" [^>]*value="{world.director.id}"', html
    )
    assert not re.search(
        rf'<input checked [^>]*name="director_ids" [^>]*value="{world.admin.id}"', html
    )


def test_edit_a_program_changes_sites_and_directors(client, world, make):
    deputy = make.user("Dr Deputy")
    client.login(world.admin)
    url = f"/admin/programs/{world.program.id}/edit"
    response = client.submit(
        url,
        program_data(
            world,
            name="Spine fellowship (test)",
            kind="fellowship",
            start_date=world.program.start_date.isoformat(),
            end_date=world.program.end_date.isoformat(),
            site_ids=[str(world.seoul.id)],
            director_ids=[str(world.director.id), str(deputy.id)],
        ),
    )
    assert response.status_code == 302, response.get_data(as_text=True)
    assert [s.name for s in world.program.sites] == ["Seoul Spine Hospital"]
    assert {d.id for d in world.program.directors} == {world.director.id, deputy.id}


def test_shortening_a_program_cannot_strand_enrolments(client, world):
    client.login(world.admin)
    url = f"/admin/programs/{world.program.id}/edit"
    html = client.submit(
        url,
        program_data(
            world,
            name="Spine fellowship (test)",
            kind="fellowship",
            start_date=world.program.start_date.isoformat(),
            end_date=world.program.start_date.isoformat(),
        ),
    ).get_data(as_text=True)
    assert "2 enrolments fall outside these dates" in html
