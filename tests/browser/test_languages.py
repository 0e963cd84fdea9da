"""Each language on a tablet: a trainee, a mentor and a director who read Russian, Mongolian
or Korean (a third longer than English, or another script) see their pages in it, with no
text cut short, nothing wider than its box and a menu on one line that keeps their name."""

from datetime import timedelta
from types import SimpleNamespace

import pytest

from caselog.models import CaseStatus
from tests.browser.conftest import screenshot
from tests.browser.test_log_case import assert_no_horizontal_scroll
from tests.clock import TODAY
from tests.factories import framework_version

pytestmark = pytest.mark.browser

# A word of the page in each language, to know the page is in it (from its catalogue).
LANGUAGES = {"en": "Sign out", "ru": "Выйти", "mn": "Гарах", "ko": "로그아웃"}

# Elements whose text would be cut or spill out of their box (buttons, menu, labels, badges,
# table headers); scroll containers and visually hidden text are left out.
CUT_TEXT = """() => {
  const bad = [];
  const picked = 'button, .btn, .nav-link, .navbar-text, .navbar-brand, label, .badge,'
    + ' th, h1, h2, h3, .form-text, .alert, .dropdown-item, legend';
  for (const el of document.querySelectorAll(picked)) {
    const style = getComputedStyle(el);
    if (style.display === 'none' || style.visibility === 'hidden') continue;
    if (el.closest('.visually-hidden, .collapse:not(.show), [hidden]')) continue;
    if (el.clientWidth === 0) continue;
    const spills = el.scrollWidth > el.clientWidth + 1 || el.scrollHeight > el.clientHeight + 2
      && ['hidden', 'clip'].includes(style.overflowY);
    if (spills) bad.push(`${el.tagName.toLowerCase()}.${el.className}: "${el.innerText.trim()
      .slice(0, 40)}" ${el.scrollWidth}>${el.clientWidth}`);
  }
  return bad;
}"""

MENU = """() => {
  const bar = document.querySelector('nav.navbar');
  const name = document.querySelector('.user-name');
  const items = [...bar.querySelectorAll('.navbar-nav > li, .navbar-nav > .nav-item')]
    .filter((el) => el.offsetParent !== null);
  const tops = new Set(items.map((el) => Math.round(el.getBoundingClientRect().top)));
  const box = name ? name.getBoundingClientRect() : null;
  return {
    rows: tops.size,
    nameShown: !!box && box.width > 0 && box.right <= window.innerWidth
      && getComputedStyle(name).visibility !== 'hidden',
  };
}"""


def people_reading(make, db_session, locale: str):
    """A program with long target names, a trainee part-way, a mentor with a waiting case
    and a director, all reading `locale`."""
    spine = make.specialty("Spine surgery", code=f"spine-{locale}")
    site = make.site("Seoul National University Bundang Hospital", city="Seongnam")
    fusion = make.procedure("Transforaminal lumbar interbody fusion", spine, synonyms=["TLIF"])
    acdf = make.procedure("Anterior cervical discectomy and fusion", spine, synonyms=["ACDF"])
    director = make.user("Dr Kim Seo-yeon", email="director@example.test", locale=locale)
    mentor = make.user("Dr Park Ji-hoon", email="mentor@example.test", locale=locale)
    trainee = make.user("Tsogtbaatar-Munkhbayar Bat-Erdene", email="t@example.test", locale=locale)
    program = make.program(
        sites=[site],
        directors=[director],
        specialty=spine,
        name="Spine fellowship, Seoul",
        start=TODAY - timedelta(days=120),
    )
    program.framework_version = framework_version(
        make,
        spine,
        [
            dict(label="Transforaminal lumbar interbody fusion", min_count=20, procedures=[fusion]),
            dict(label="Anterior cervical discectomy and fusion", min_count=15, procedures=[acdf]),
        ],
    )
    make.appoint(mentor, program, site)
    make.enrol(trainee, program)
    waiting = [
        make.case(
            trainee,
            program,
            fusion if n % 2 else acdf,
            mentor,
            site=site,
            status=CaseStatus.SUBMITTED,
            operation_date=TODAY - timedelta(days=3 * n + 1),
        )
        for n in range(4)
    ]
    db_session.commit()
    return SimpleNamespace(
        program=program, director=director, mentor=mentor, trainee=trainee, waiting=waiting
    )


@pytest.mark.parametrize("locale", list(LANGUAGES))
def test_every_page_of_each_role_reads_whole_in_the_users_language(
    page, make, db_session, locale, request, sign_in
):
    world = people_reading(make, db_session, locale)
    pages = {
        world.trainee: ["/dashboard", "/cases", "/cases/new", "/reports"],
        world.mentor: ["/awaiting", f"/cases/{world.waiting[0].id}/review", "/mentees"],
        world.director: [f"/programs/{world.program.id}", f"/programs/{world.program.id}/cohort"],
    }
    problems = {}
    for person, urls in pages.items():
        page.context.clear_cookies()
        sign_in(person)
        for url in urls:
            page.goto(url)
            lang = page.locator("html").get_attribute("lang")
            assert LANGUAGES[locale] in page.content(), f"{url} is not in {locale}"
            assert_no_horizontal_scroll(page)
            menu = page.evaluate(MENU)
            cut = page.evaluate(CUT_TEXT)
            if lang != locale or menu["rows"] > 1 or not menu["nameShown"] or cut:
                problems[url] = {"lang": lang, "menu": menu, "cut": cut}
            screenshot(page, request.node.name, url.strip("/").replace("/", "-") or "home")
    assert problems == {}
