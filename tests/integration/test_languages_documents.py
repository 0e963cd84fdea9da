"""Documents and mail in their reader's language, and what Babel writes per locale: PDF
reports in the language their downloader chooses (their own by default), the verification
page restating a report in its visitor's, reminder mail in the mentor's; dates, times,
numbers and lists on pages; the demo people's languages."""

import re
from datetime import UTC, date, datetime

import pytest
from flask_babel import force_locale

from caselog import formatting
from caselog.catalogue.loader import STARTER_CATALOGUE, load_catalogue
from caselog.demo.world import LOCALES, PEOPLE, build_world
from caselog.extensions import db
from caselog.i18n import translated
from caselog.models import CaseStatus, IssuedReport
from caselog.reports import issuing
from caselog.reports.pdf import utc_and_local
from tests.integration.dashboard_steps import small_world
from tests.integration.report_steps import CODE, TRAINEE, pdf_text, poppler, reports_world
from tests.integration.test_reminders import run, waiting

NBSP = "\u00a0"
NNBSP = "\u202f"  # the narrow one CLDR puts before "г." and "оны"
RUSSIAN = "Стажировка по хирургии позвоночника (тест)"
KOREAN = "척추 외과 펠로우십 (테스트)"


@pytest.fixture
def scene(make, world, db_session):
    poppler()
    scene = reports_world(make, world, db_session)
    world.program.name_translations = {"ru": RUSSIAN, "ko": KOREAN}
    db_session.flush()
    return scene


def download(client, url: str, tmp_path) -> tuple[IssuedReport, str]:
    """A PDF as its downloader gets it: the record of its issue, and its text."""
    response = client.get(url)
    assert response.status_code == 200, response.get_data(as_text=True)[:300]
    text = " ".join(pdf_text(response.data, tmp_path).split())
    report = issuing.find(CODE.search(text).group(0))
    assert report is not None and issuing.is_exact_copy(report, response.data)
    return report, text


def test_a_pdf_report_is_drawn_in_the_language_chosen(client, world, scene, tmp_path):
    client.login(world.director)
    page = client.get("/reports?lang=ru").get_data(as_text=True)
    assert '<option selected value="ru">Русский</option>' in page
    logbook = f"/reports/logbook/{world.program.id}/{world.trainee.id}.pdf"
    assert f'href="{logbook}?lang=ru"' in page  # every link carries the choice
    assert f'href="/programs/{world.program.id}/cohort.pdf?lang=ru"' in page

    report, text = download(client, f"{logbook}?lang=ru", tmp_path)
    assert report.language == "ru"
    assert RUSSIAN in text and "Spine fellowship (test)" not in text
    assert re.search(r"\d{1,2} [а-я]+\.? \d{4} г\.", text), text[:400]  # 12 мар. 2025 г.
    assert report.subject == f"{TRAINEE} · {RUSSIAN}"
    assert report.facts["program"] == {
        "text": "Spine fellowship (test)",
        "translations": {"ru": RUSSIAN, "ko": KOREAN},
    }

    report, text = download(client, f"{logbook}?lang=ko", tmp_path)
    assert report.language == "ko" and KOREAN in text
    assert re.search(r"\d{4}\. \d{1,2}\. \d{1,2}\.", text)  # 2025. 3. 12.
    assert re.search(r"\d{4}년 \d{1,2}월 \d{1,2}일 \d\d:\d\d UTC", text)  # signed at


def test_by_default_a_report_is_in_its_downloaders_own_language(client, world, scene, tmp_path):
    world.director.locale = "ko"
    db.session.flush()
    client.login(world.director)
    for url in (
        f"/reports/competency/{world.program.id}/{world.trainee.id}.pdf",
        f"/programs/{world.program.id}/cohort.pdf",
        f"/programs/{world.program.id}/cohort.pdf?lang=xx",  # not one on offer: their own
    ):
        report, text = download(client, url, tmp_path)
        assert report.language == "ko", url
        assert KOREAN in text and "년" in text, url


def test_the_verification_page_restates_a_report_in_the_visitors_language(
    app, client, world, scene, tmp_path
):
    acdf = world.program.framework_version.targets[1]
    acdf.label_translations = {"ru": "ПШДС"}
    db.session.flush()
    client.login(world.director)
    url = f"/programs/{world.program.id}/cohort.pdf?lang=ru&sort={acdf.id}&dir=desc"
    report, text = download(client, url, tmp_path)
    assert "ПШДС" in text and report.facts["sort"]["translations"] == {"ru": "ПШДС"}
    printed = "Все группы · любая клиника · сортировка по нормативу ПШДС (по убыванию)"
    assert report.filters == printed  # kept as printed, in the report's language

    visitor = app.test_client()
    page = visitor.get(f"/verify/{report.code}").get_data(as_text=True)
    assert '<html lang="en">' in page
    assert "All cohorts · any site · ordered by ACDF (highest first)" in page
    assert "<dd>Spine fellowship (test)</dd>" in page  # the program, as written
    assert "data-report-language>Русский</dd>" in page
    assert "As printed on the report (Русский)" in page  # and the report's own words
    assert f'<dd lang="ru">{RUSSIAN}</dd>' in page

    russian = app.test_client()
    russian.environ_base["HTTP_ACCEPT_LANGUAGE"] = "ru"
    page = russian.get(f"/verify/{report.code}").get_data(as_text=True)
    assert '<html lang="ru">' in page
    assert f"<dd>{RUSSIAN}</dd>" in page and printed in page
    assert "As printed on the report" not in page  # the same language: said once

    korean = app.test_client()
    korean.environ_base["HTTP_ACCEPT_LANGUAGE"] = "ko-KR"
    page = korean.get(f"/verify/{report.code}").get_data(as_text=True)
    assert f"<dd>{KOREAN}</dd>" in page and "ACDF" in page  # no Korean label: as written
    assert "ordered by" not in page  # the filters restated in Korean
    assert re.search(r"\d{4}년 \d{1,2}월 \d{1,2}일", page)  # generated on


def test_a_report_issued_before_its_facts_were_kept_is_shown_as_printed(app, client, world):
    from tests.integration.verify_steps import issue_logbook

    report, _pdf = issue_logbook(world.trainee, world.director)
    assert report.facts is None and report.language == "en"
    visitor = app.test_client()
    visitor.environ_base["HTTP_ACCEPT_LANGUAGE"] = "mn"
    page = visitor.get(f"/verify/{report.code}").get_data(as_text=True)
    assert f"<dd>{report.title}</dd>" in page and "Program: Spine fellowship (test)" in page
    assert "As printed on the report" not in page


def test_reminder_mail_is_written_in_each_mentors_language(app, world, make, db_session):
    world.program.name_translations = {"ru": RUSSIAN, "ko": KOREAN}
    world.mentor.locale = "ru"
    world.other_mentor.locale = "mn"  # no Mongolian name given: the name as written
    db_session.flush()
    waiting(make, world, 26, days=3)
    waiting(make, world, 2, days=45, supervisor=world.other_mentor)
    result = run(app, "send-reminders")
    assert result.exit_code == 0, result.output
    to_lee, to_park = result.output.split("To: mentor@example.test")
    assert f"- {RUSSIAN}: " in to_park and "Spine fellowship (test)" not in to_park
    assert "- Spine fellowship (test): " in to_lee and RUSSIAN not in to_lee


@pytest.mark.parametrize(
    ("locale", "long_date", "percent", "sites"),
    [
        ("en", "March 12, 2026", "20%", "Busan University Hospital and Seoul Spine Hospital"),
        (
            "ru",
            f"12 марта 2026{NNBSP}г.",
            f"20{NBSP}%",
            "Busan University Hospital и Seoul Spine Hospital",
        ),
        (
            "mn",
            f"2026{NNBSP}оны гуравдугаар сарын 12",
            "20%",
            "Busan University Hospital, Seoul Spine Hospital",
        ),
        ("ko", "2026년 3월 12일", "20%", "Busan University Hospital 및 Seoul Spine Hospital"),
    ],
)
def test_dates_numbers_and_lists_are_written_the_readers_way(
    app, make, world, locale, long_date, percent, sites
):
    small_world(make, world)  # discectomy: 2 of 10 counted
    case = make.case(
        world.trainee,
        world.program,
        world.acdf,
        world.mentor,
        status=CaseStatus.SUBMITTED,
        operation_date=date(2026, 3, 12),
    )
    for person in (world.trainee, world.director):
        person.locale = locale
    make.session.flush()
    trainee = app.test_client()
    trainee.login(world.trainee)
    assert long_date in trainee.get(f"/cases/{case.id}").get_data(as_text=True)
    assert percent in trainee.get("/dashboard").get_data(as_text=True)
    director = app.test_client()
    director.login(world.director)
    assert sites in director.get(f"/programs/{world.program.id}").get_data(as_text=True)


def test_the_formatting_helpers_follow_the_locale(app):
    moment = datetime(2025, 3, 12, 20, 14, tzinfo=UTC)
    expected = {
        "en": (
            "12,345.5",
            "Mar 12",
            "Mar 2025",
            "Mar 12, 2025, 20:14 UTC · Mar 13, 2025, 05:14 KST",
        ),
        "ru": (
            f"12{NBSP}345,5",
            "12 мар.",
            f"март 2025{NNBSP}г.",
            f"12 мар. 2025{NNBSP}г., 20:14 UTC · 13 мар. 2025{NNBSP}г., 05:14 KST",
        ),
        "ko": (
            "12,345.5",
            "3월 12일",
            "2025년 3월",
            "2025년 3월 12일 20:14 UTC · 2025년 3월 13일 05:14 KST",
        ),
    }
    with app.test_request_context():
        for locale, (number, day, month, signed) in expected.items():
            with force_locale(locale):
                assert formatting.number(12345.5) == number
                assert formatting.month_day(moment.date()) == day
                assert formatting.month_year(moment.date()) == month
                assert utc_and_local(moment, "Asia/Seoul") == signed
                assert translated("Spine", {"ru": "Позвоночник"}) == (
                    "Позвоночник" if locale == "ru" else "Spine"
                )


def test_the_demo_people_read_caselog_in_their_own_languages(db_session):
    load_catalogue(STARTER_CATALOGUE)  # the specialties of the demo's programs
    world = build_world(date(2026, 6, 1), "not-a-real-hash")
    people = world.people
    assert people["admin"].locale == "en"
    for key in ("ganbold", "sarangerel", "munkherdene", "enkhjargal", "bilguun", "nomin"):
        assert people[key].locale == "mn", key  # Mongolian fellows and residents
    for key in ("nurlan", "dilnoza", "azamat"):
        assert people[key].locale == "ru", key  # visiting surgeons who work in Russian
    for key in ("jung.doyun", "choi.sua", "seo.minjae", "kim.minjun", "lim.yerin", "han.seungwoo"):
        assert people[key].locale == "ko", key  # Korean directors and mentors
    assert set(LOCALES) <= {key for key, _name in PEOPLE}
    assert {person.locale for person in people.values()} == {"en", "ru", "mn", "ko"}
