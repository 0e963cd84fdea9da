"""Choosing a language: the browser's Accept-Language first, then the switcher on every page
(kept in the session for a visitor, on the account once signed in), the profile page, and
<html lang> saying which language each page is in.

Until the translators' catalogues land, the language shows in `lang` and in what Babel
writes by itself: dates, numbers and lists.
"""

import re

import pytest

from caselog.models import CaseStatus
from tests.integration.dashboard_steps import small_world

LANG = re.compile(r'<html lang="([^"]+)">')


def lang_of(response) -> str:
    """The language a page says it is in."""
    assert response.status_code == 200, response.status_code
    match = LANG.search(response.get_data(as_text=True))
    assert match, "no <html lang> on the page"
    return match.group(1)


def choose(client, locale: str, back: str = "/login", page: str | None = None):
    """Press a language's button on the switcher of the page `back` (or of `page`, with
    `back` as the page to return to)."""
    return client.submit("/language", {"locale": locale, "next": back}, page=page or back)


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        ("ru-RU,ru;q=0.9,en;q=0.8", "ru"),
        ("mn-MN,mn;q=0.9", "mn"),
        ("ko-KR,ko;q=0.9,en-US;q=0.6", "ko"),
        ("en-GB,en;q=0.9", "en"),
        ("de-DE,de;q=0.9", "en"),  # a language Caselog does not speak: the default
        ("fr;q=0.5,ko;q=0.3", "ko"),  # the best one it speaks
    ],
)
def test_before_any_choice_the_browser_language_is_spoken(client, header, expected):
    for url in ("/login", "/verify"):
        assert lang_of(client.get(url, headers={"Accept-Language": header})) == expected


def test_the_switcher_is_on_the_public_pages_and_names_each_language_in_itself(client):
    for url in ("/login", "/verify"):
        page = client.get(url).get_data(as_text=True)
        assert 'action="/language"' in page
        for code, name in (
            ("en", "English"),
            ("ru", "Русский"),
            ("mn", "Монгол"),
            ("ko", "한국어"),
        ):
            assert f'name="locale" value="{code}" lang="{code}"' in page
            assert f">{name}</button>" in page
        assert f'name="next" value="{url}"' in page


def test_a_visitor_chooses_and_the_session_keeps_it_over_the_browser(client):
    client.environ_base["HTTP_ACCEPT_LANGUAGE"] = "ru-RU,ru;q=0.9"
    assert lang_of(client.get("/login")) == "ru"
    response = choose(client, "mn", back="/login?next=%2Fcases")
    assert response.status_code == 302
    assert response.headers["Location"] == "/login?next=%2Fcases"  # back where it was chosen
    assert lang_of(client.get("/login")) == "mn"
    assert lang_of(client.get("/verify")) == "mn"


def test_the_switcher_never_leads_away_from_caselog(client):
    response = choose(client, "ko", back="https://evil.example/", page="/login")
    assert response.headers["Location"] == "/"  # the start page instead
    assert lang_of(client.get("/login")) == "ko"


def test_a_language_caselog_does_not_speak_is_refused(client):
    response = client.submit("/language", {"locale": "de", "next": "/login"}, page="/login")
    assert response.status_code == 302
    assert lang_of(client.get("/login")) == "en"


def test_a_signed_in_persons_choice_goes_on_their_account(app, client, world, db_session):
    client.login(world.trainee)
    assert world.trainee.locale is None
    response = choose(client, "ko", back="/cases")
    assert response.headers["Location"] == "/cases"
    assert world.trainee.locale == "ko"
    assert lang_of(client.get("/cases")) == "ko"
    # Another device whose browser asks for Russian: the account's language wins.
    other = app.test_client()
    other.environ_base["HTTP_ACCEPT_LANGUAGE"] = "ru"
    assert lang_of(other.get("/login")) == "ru"
    other.login(world.trainee)
    assert lang_of(other.get("/cases")) == "ko"


def test_a_choice_made_on_the_sign_in_page_goes_on_the_account(client, world):
    choose(client, "mn")
    client.login(world.trainee)
    assert world.trainee.locale == "mn"
    assert lang_of(client.get("/cases")) == "mn"


def test_the_account_language_wins_over_one_chosen_before_sign_in(client, make, world):
    world.trainee.locale = "ru"
    make.session.flush()
    choose(client, "ko")
    client.login(world.trainee)
    assert world.trainee.locale == "ru"
    assert lang_of(client.get("/cases")) == "ru"


def test_the_profile_shows_the_person_and_sets_the_language(client, world):
    client.login(world.mentor)
    page = client.get("/profile").get_data(as_text=True)
    assert "Dr Mentor Park" in page and "mentor@example.test" in page
    assert 'href="/profile">Dr Mentor Park</a>' in page  # the name in the menu leads here
    for code in ("en", "ru", "mn", "ko"):
        assert f'name="locale" required type="radio" value="{code}"' in page
    response = client.submit("/profile", {"locale": "ru"})
    assert response.status_code == 302 and response.headers["Location"] == "/profile"
    assert world.mentor.locale == "ru"
    assert lang_of(client.get("/profile")) == "ru"

    refused = client.submit("/profile", {"locale": "xx"})
    assert refused.status_code == 200
    # Said in Russian, the language just chosen.
    assert "Выберите один из предложенных языков." in refused.get_data(as_text=True)
    assert world.mentor.locale == "ru"


def pages_of(world, case_id: int) -> dict:
    """Pages of every role, each to be read in the person's language."""
    program = world.program.id
    return {
        world.trainee: [
            "/dashboard",
            "/cases",
            "/cases/new",
            f"/cases/{case_id}",
            f"/cases/{case_id}/history",
            "/reports",
            "/exports/cases",
            "/profile",
            "/verify",
            "/cases/999999",  # an error page
        ],
        world.mentor: [
            "/awaiting",
            f"/cases/{case_id}/review",
            "/mentees",
            f"/mentees/{program}/{world.trainee.id}",
            "/profile",
        ],
        world.director: [
            "/programs/",
            f"/programs/{program}",
            f"/programs/{program}/names",
            f"/programs/{program}/cohort",
            "/frameworks",
            "/frameworks/new",
            "/reports",
        ],
        world.admin: ["/admin/", "/admin/programs", f"/admin/programs/{program}/edit"],
    }


@pytest.mark.parametrize("locale", ["ru", "mn", "ko"])
def test_every_page_says_its_language(app, make, world, locale):
    small_world(make, world)
    case = make.case(
        world.trainee, world.program, world.acdf, world.mentor, status=CaseStatus.SUBMITTED
    )
    for person, urls in pages_of(world, case.id).items():
        person.locale = locale
        make.session.flush()
        client = app.test_client()
        client.login(person)
        for url in urls:
            response = client.get(url)
            expected = 404 if url.endswith("999999") else 200
            assert response.status_code == expected, url
            match = LANG.search(response.get_data(as_text=True))
            assert match and match.group(1) == locale, url
            assert 'action="/language"' in response.get_data(as_text=True), url


def test_pages_say_they_differ_by_language_static_files_do_not(client):
    page = client.get("/login")
    assert {"Accept-Language", "Cookie"} <= set(page.headers["Vary"].split(", "))
    with client.get("/static/css/app.css") as style:
        assert "Accept-Language" not in style.headers.get("Vary", "")
