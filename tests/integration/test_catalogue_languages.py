"""The catalogue in four languages, as Russian, Mongolian and Korean trainees and an English
admin meet it: found by their own words, listed in their language with the English beside."""

import re
from types import SimpleNamespace

import pytest
from flask_babel import force_locale, gettext
from sqlalchemy import select

from caselog.catalogue.loader import STARTER_CATALOGUE, load_catalogue
from caselog.folding import sort_key
from caselog.models import Procedure, ProcedureCode, ProcedureName, Specialty
from tests.integration.dashboard_steps import signed
from tests.integration.export_steps import read_csv, records
from tests.integration.report_steps import pdf_pages, pdf_text, poppler

RU_MICRODISCECTOMY = "Поясничная микродискэктомия"
RU_TLIF = "Трансфораминальный поясничный межтеловой спондилодез"
KO_PLIF = "후방 요추 척추체간 유합술"
MN_CHOLECYSTECTOMY = "Холецистэктоми"


@pytest.fixture
def starter(db_session, world, make):
    """The starter catalogue (in four languages) and a trainee's cases of five of its
    procedures; the world's own procedures have English names only."""
    load_catalogue(STARTER_CATALOGUE)

    def get(specialty: str, code: str) -> Procedure:
        return db_session.scalar(
            select(Procedure)
            .join(Procedure.specialty)
            .where(Specialty.code == specialty, Procedure.code == code)
        )

    procedures = SimpleNamespace(
        microdiscectomy=get("spine", "microdiscectomy"),
        tlif=get("spine", "tlif"),
        plif=get("spine", "plif"),
        posterolateral=get("spine", "posterolateral-fusion"),
        cholecystectomy=get("general", "cholecystectomy"),
    )
    procedures.cases = {
        name: make.case(world.trainee, world.program, procedure, world.mentor)
        for name, procedure in vars(procedures).items()
    }
    return procedures


def speaking(db_session, user, locale: str | None):
    """The user's chosen language (None: the browser's decides)."""
    user.locale = locale
    db_session.flush()
    return user


def listed(client, query: str) -> str:
    """The trainee's case list searched for `query`: the procedures' names, as shown."""
    html = client.get("/cases", query_string={"q": query}).get_data(as_text=True)
    return " | ".join(
        re.sub(r"<[^>]+>", "", row).strip()
        for row in re.findall(r'<span class="case-what">\s*<strong>(.*?)</strong>', html, re.S)
    )


def option(html: str, procedure: Procedure) -> str:
    """The case form's <option> of a procedure (of the primary procedure's list)."""
    match = re.search(rf'<option [^>]*value="{procedure.id}"[^>]*>[^<]*</option>', html)
    assert match, procedure.name
    return match.group(0)


def test_a_russian_trainee_finds_by_russian_names_and_abbreviations(
    client, world, db_session, starter
):
    client.login(speaking(db_session, world.trainee, "ru"))
    assert listed(client, "микродискэктомия") == RU_MICRODISCECTOMY
    assert listed(client, "ТЛИФ") == RU_TLIF
    assert listed(client, "тлиф") == RU_TLIF  # SQLite folds no Cyrillic: the search column does
    assert listed(client, "ЛХЭ") == "Холецистэктомия"
    assert listed(client, "TLIF") == RU_TLIF  # the English abbreviation, too
    assert set(listed(client, "спондилодез поясничный").split(" | ")) == {
        RU_TLIF,
        "Задний поясничный межтеловой спондилодез",
        "Заднебоковой поясничный спондилодез",
    }


def test_koreans_and_mongolians_find_by_the_words_they_use(client, world, db_session, starter):
    client.login(speaking(db_session, world.trainee, "ko"))
    assert KO_PLIF in listed(client, "척추 유합술")  # spinal fusion: every lumbar fusion
    assert "요추 후외측 유합술" in listed(client, "척추유합술")  # typed without its space
    assert listed(client, "미세 현미경 추간판 절제술") == "요추 미세 현미경 추간판 절제술"
    assert listed(client, "복강경 담낭 절제술") == "담낭 절제술"
    assert listed(client, "디스크 수술") == "요추 미세 현미경 추간판 절제술"

    speaking(db_session, world.trainee, "mn")
    assert listed(client, "цөс авах мэс засал") == MN_CHOLECYSTECTOMY
    assert listed(client, "Дискэктоми") == "Бүсэлхийн микродискэктоми"
    assert listed(client, "микродискэктомия") == "Бүсэлхийн микродискэктоми"  # Russian words


def test_an_english_reader_finds_by_cyrillic_and_hangul_too(client, world, starter):
    client.login(world.trainee)  # no language chosen, the browser's is English
    assert listed(client, "ТЛИФ") == "Transforaminal lumbar interbody fusion"
    assert listed(client, "랩콜레") == "Cholecystectomy"


def test_the_case_form_lists_procedures_in_the_readers_language_with_the_english_beside(
    client, world, db_session, starter
):
    client.login(speaking(db_session, world.trainee, "ru"))
    html = client.get("/cases/new").get_data(as_text=True)
    tlif = option(html, starter.tlif)
    assert f">{RU_TLIF} — Transforaminal lumbar interbody fusion</option>" in tlif
    assert f'data-name="{RU_TLIF}"' in tlif
    assert 'data-english="Transforaminal lumbar interbody fusion"' in tlif
    search = re.search(r'data-search="([^"]*)"', tlif).group(1)
    for word in ("тлиф", "transforaminal", "경추간공", "трансфораминаль"):  # every language
        assert word in search, word
    assert '<optgroup label="Хирургия позвоночника">' in html
    spine = re.search(r'<optgroup label="Хирургия позвоночника">(.*?)</optgroup>', html, re.S)
    names = re.findall(r'data-name="([^"]+)"', spine.group(1))
    assert RU_MICRODISCECTOMY in names and names == sorted(names, key=sort_key)  # Russian order

    korean_browser = {"Accept-Language": "ko"}  # the user's own choice wins over the browser's
    html = client.get("/cases/new", headers=korean_browser).get_data(as_text=True)
    assert f">{RU_MICRODISCECTOMY} — Lumbar microdiscectomy</option>" in html


def test_the_browsers_language_chooses_when_the_user_has_not(client, world, db_session, starter):
    client.login(speaking(db_session, world.trainee, None))
    korean = {"Accept-Language": "ko-KR,ko;q=0.9,en;q=0.5"}
    html = client.get(f"/cases/{starter.cases['plif'].id}", headers=korean).get_data(as_text=True)
    heading = re.search(r'<h1 class="h3 mb-1">(.*?)</h1>', html, re.S).group(1)
    assert heading == (
        f'{KO_PLIF} <span class="english-name" lang="en">Posterior lumbar interbody fusion</span>'
    )
    assert "<title>" + KO_PLIF in html


def test_a_name_missing_in_a_language_shows_the_english_one_marked(client, world, db_session, make):
    case = make.case(world.trainee, world.program, world.fusion, world.mentor)
    client.login(speaking(db_session, world.trainee, "ko"))
    page = client.get(f"/cases/{case.id}").get_data(as_text=True)
    heading = re.search(r'<h1 class="h3 mb-1">(.*?)</h1>', page, re.S).group(1)
    assert heading.startswith('<span lang="en">Transforaminal lumbar interbody fusion</span>')
    assert 'class="name-fallback"' in heading and ">EN<" in heading
    assert "한국어 이름이 아직 없어 영어로 표시합니다." in heading  # said in Korean
    assert 'class="name-fallback"' in client.get("/cases").get_data(as_text=True)
    form = option(client.get("/cases/new").get_data(as_text=True), world.fusion)
    assert ">Transforaminal lumbar interbody fusion [EN]</option>" in form
    assert 'data-fallback="한국어 이름이 아직 없어 영어로 표시합니다."' in form

    speaking(db_session, world.trainee, None)  # English readers see no mark
    page = client.get(f"/cases/{case.id}").get_data(as_text=True)
    assert "name-fallback" not in page
    assert '<h1 class="h3 mb-1">Transforaminal lumbar interbody fusion</h1>' in page


def test_pages_read_names_with_their_procedures_whatever_their_number(
    client, world, db_session, make, count_queries, starter
):
    client.login(speaking(db_session, world.trainee, "ru"))
    first = starter.cases["tlif"]

    def measure() -> list[int]:
        counts = []
        for url in ("/cases", "/cases/new", f"/cases/{first.id}"):
            with count_queries() as counter:
                assert client.get(url).status_code == 200
            counts.append(counter.count)
        return counts

    first.additional_procedures = [starter.plif]
    db_session.flush()
    small = measure()
    for n in range(6):
        procedure = make.procedure(f"Extra {n}", world.spine)
        procedure.names.append(ProcedureName(locale="ru", name=f"Дополнительная {n}"))
        procedure.codes.append(ProcedureCode(system="LOCAL", code=f"E{n}", source="list"))
        case = make.case(world.trainee, world.program, procedure, world.mentor)
        case.additional_procedures = [starter.tlif, starter.cholecystectomy]
    first.additional_procedures = [starter.plif, starter.microdiscectomy]
    db_session.flush()
    assert measure() == small


COLUMNS = [
    "Reference",
    "Procedure",
    "Procedure (English)",
    "Procedure codes",
    "Additional procedures",
    "Additional procedures (English)",
]


def test_exports_carry_the_readers_language_the_english_and_the_codes(
    client, world, db_session, starter
):
    client.login(speaking(db_session, world.trainee, "ru"))
    case = starter.cases["microdiscectomy"]
    case.additional_procedures = [starter.tlif]
    db_session.flush()
    rows = records(read_csv(client.get("/exports/cases.csv").get_data()))
    with client.application.test_request_context(), force_locale("ru"):  # Russian headers
        column = {name: gettext(name) for name in COLUMNS}
    row = next(r for r in rows if r[column["Reference"]] == case.reference)
    assert row[column["Procedure"]] == RU_MICRODISCECTOMY
    assert row[column["Procedure (English)"]] == "Lumbar microdiscectomy"
    assert row[column["Procedure codes"]] == "CPT:63030"
    assert row[column["Additional procedures"]] == RU_TLIF
    english = column["Additional procedures (English)"]
    assert row[english] == "Transforaminal lumbar interbody fusion"
    assert column["Reference"] != "Reference"  # the Russian catalogue named them


def test_the_logbook_pdf_names_procedures_in_its_language_with_english_and_codes(
    client, world, db_session, make, starter, tmp_path
):
    poppler()
    signed(make, world, starter.microdiscectomy, 3)
    signed(make, world, starter.cholecystectomy, 2)
    client.login(speaking(db_session, world.director, "ru"))
    response = client.get(f"/reports/logbook/{world.program.id}/{world.trainee.id}.pdf")
    assert response.status_code == 200
    text = " ".join(pdf_text(response.data, tmp_path).split())
    assert RU_MICRODISCECTOMY in text and "Lumbar microdiscectomy" in text
    assert "CPT 63030" in text
    assert "Холецистэктомия" in text and "CPT 47562; CPT 47600" in text
    pdf_pages(response.data, tmp_path, keep_as="logbook-russian", keep=1)  # to look at
