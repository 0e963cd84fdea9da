"""The procedure search on a tablet, for a Russian and a Korean trainee: their own words find
the procedure, listed in their language with the English under it."""

from pathlib import Path

import pytest
from babel.support import Translations
from playwright.sync_api import expect
from sqlalchemy import select

from caselog.catalogue.loader import STARTER_CATALOGUE, load_catalogue
from caselog.extensions import db
from caselog.models import Specialty
from tests.browser.test_log_case import assert_no_horizontal_scroll, open_case_form

pytestmark = pytest.mark.browser
CATALOGUES = Path(__file__).resolve().parents[2] / "caselog" / "translations"


@pytest.fixture
def trainee_of(make):
    """A trainee of a spine fellowship over the starter catalogue, speaking `locale`; one
    procedure of the program's specialty has an English name only."""

    def make_trainee(locale: str):
        load_catalogue(STARTER_CATALOGUE)
        db.session.commit()
        spine = db.session.scalar(select(Specialty).where(Specialty.code == "spine"))
        make.procedure("Sacroiliac joint fusion", spine, synonyms=["SI joint fusion"])
        site = make.site("Seoul Spine Hospital", city="Seoul")
        director = make.user("Dr Director Kim", email="director@example.test")
        mentor = make.user("Dr Mentor Park", email="mentor@example.test")
        trainee = make.user("Trainee", email="trainee@example.test", locale=locale)
        program = make.program(sites=[site], directors=[director], specialty=spine)
        make.appoint(mentor, program, site)
        make.enrol(trainee, program)
        return trainee

    return make_trainee


def said(locale: str, text: str) -> str:
    """The interface's text in that language, from the shipped catalogue."""
    return Translations.load(str(CATALOGUES), [locale]).gettext(text)


def results(page) -> list[str]:
    return page.locator("#primary_procedure_id-listbox li[role=option]").all_inner_texts()


def test_a_russian_trainee_finds_tlif_and_a_microdiscectomy_in_russian(
    page, sign_in, trainee_of, shoot
):
    sign_in(trainee_of("ru"))
    open_case_form(page, said("ru", "Log a case"))
    search = page.locator("#primary_procedure_id-search")
    search.press_sequentially("тлиф")
    first = page.locator("#primary_procedure_id-listbox li[role=option]").first
    expect(first).to_contain_text("Трансфораминальный поясничный межтеловой спондилодез")
    expect(first.locator(".english-name")).to_have_text("Transforaminal lumbar interbody fusion")
    expect(first).to_contain_text("Хирургия позвоночника")
    shoot("tlif")
    assert_no_horizontal_scroll(page)
    first.tap()
    expect(search).to_have_value("Трансфораминальный поясничный межтеловой спондилодез")
    expect(page.locator("#approach")).to_have_value("open")

    search.fill("")
    search.press_sequentially("микродискэктомия")
    expect(page.locator("#primary_procedure_id-listbox li[role=option]").first).to_contain_text(
        "Поясничная микродискэктомия"
    )
    search.fill("")
    search.press_sequentially("SI joint")  # an English-only procedure, marked as English
    only = page.locator("#primary_procedure_id-listbox li[role=option]")
    expect(only).to_have_count(1)
    expect(only.locator(".name-fallback")).to_have_text("EN")
    shoot("english-only")


def test_a_korean_trainee_finds_fusions_by_their_korean_words(page, sign_in, trainee_of, shoot):
    sign_in(trainee_of("ko"))
    open_case_form(page, said("ko", "Log a case"))
    search = page.locator("#primary_procedure_id-search")
    search.press_sequentially("척추 유합술")
    listbox = page.locator("#primary_procedure_id-listbox")
    # First the one whose synonym is exactly what was typed, then every lumbar fusion.
    expect(listbox.locator("li[role=option]").first).to_contain_text("요추 후외측 유합술")
    expect(listbox).to_contain_text("후방 요추 척추체간 유합술")
    expect(listbox).to_contain_text("Posterior lumbar interbody fusion")
    assert len(results(page)) >= 5, results(page)  # every lumbar fusion
    shoot("fusions")
    assert_no_horizontal_scroll(page)

    search.fill("")
    search.press_sequentially("랩콜레")
    expect(listbox.locator("li[role=option]").first).to_contain_text("담낭 절제술")
    expect(listbox.locator("li[role=option]").first).to_contain_text("Cholecystectomy")
    shoot("lap-chole")
