"""The catalogue loader: the starter file, re-runs that update in place, and clear refusals."""

import re
import tomllib

import pytest
from sqlalchemy import func, select

from caselog.catalogue.loader import STARTER_CATALOGUE, CatalogueFileError, load_catalogue
from caselog.folding import fold
from caselog.models import (
    CATALOGUE_LOCALES,
    Approach,
    Procedure,
    ProcedureGroup,
    ProcedureName,
    Specialty,
)

REQUIRED = {
    "spine": [
        "microdiscectomy",
        "endoscopic-discectomy",
        "laminectomy",
        "plif",
        "tlif",
        "llif",
        "alif",
        "acdf",
        "posterior-cervical-fusion",
        "cervical-disc-replacement",
        "lumbar-disc-replacement",
        "deformity-correction",
        "lateral-corpectomy-cage",
        "cervical-laminoplasty",
        "kyphoplasty",
    ],
    "hpb": [
        "minor-liver-resection",
        "major-liver-resection",
        "central-liver-resection",
        "pancreaticoduodenectomy",
        "distal-pancreatectomy",
        "liver-transplantation",
        "living-donor-hepatectomy",
        "total-pancreatectomy",
    ],
    "arthroplasty": [
        "primary-tha",
        "revision-tha",
        "primary-tka",
        "revision-tka",
        "unicompartmental-knee",
    ],
    "general": [
        "cholecystectomy",
        "appendicectomy",
        "inguinal-hernia",
        "ventral-hernia",
        "right-hemicolectomy",
        "anterior-resection",
        "mastectomy",
        "thyroidectomy",
    ],
}

SMALL = """
[[specialty]]
code = "spine"
name = "Spine surgery"
  [[specialty.group]]
  code = "decompression"
  name = "Spinal decompression"
  [[specialty.group]]
  code = "fusion"
  name = "Lumbar fusion"
  [[specialty.procedure]]
  code = "microdiscectomy"
  name = "Lumbar microdiscectomy"
  short_name = "MLD"
  synonyms = ["microdiscectomy", "discectomy"]
  approach = "microscopic"
  groups = ["decompression"]
  codes = [{ system = "CPT", code = "63030", source = "CPT, American Medical Association" }]
  [[specialty.procedure]]
  code = "tlif"
  name = "Transforaminal lumbar interbody fusion"
  synonyms = ["TLIF"]
  groups = ["fusion"]
"""

TRANSLATED = """
[[specialty]]
code = "spine"
name = "Spine surgery"
ru = { name = "Хирургия позвоночника" }
ko = { name = "척추외과" }
  [[specialty.group]]
  code = "fusion"
  name = "Lumbar fusion"
  ru = { name = "Поясничный спондилодез" }
  [[specialty.procedure]]
  code = "tlif"
  name = "Transforaminal lumbar interbody fusion"
  short_name = "TLIF"
  groups = ["fusion"]
    [specialty.procedure.ru]
    name = "Трансфораминальный поясничный межтеловой спондилодез"
    short_name = "ТЛИФ"
    synonyms = ["трансфораминальный спондилодез", "ТЛИФ"]
    [specialty.procedure.ko]
    synonyms = ["경추간공 유합술"]
  [[specialty.procedure]]
  code = "plif"
  name = "Posterior lumbar interbody fusion"
    [specialty.procedure.ru]
    name = "Задний поясничный межтеловой спондилодез"
"""


def write(tmp_path, text: str, name: str = "catalogue.toml"):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def procedure(db_session, specialty: str, code: str) -> Procedure | None:
    return db_session.scalar(
        select(Procedure)
        .join(Procedure.specialty)
        .where(Specialty.code == specialty, Procedure.code == code)
    )


def count(db_session, model) -> int:
    return db_session.scalar(select(func.count()).select_from(model))


def test_starter_catalogue_loads_every_required_procedure(db_session):
    summary = load_catalogue(STARTER_CATALOGUE)
    total = count(db_session, Procedure)
    assert summary == f"4 specialties, {total} procedures ({total} new, 0 updated)"
    assert total >= 36
    assert set(db_session.scalars(select(Specialty.code))) == set(REQUIRED)
    for specialty, codes in REQUIRED.items():
        for code in codes:
            found = procedure(db_session, specialty, code)
            assert found is not None, (specialty, code)
            assert not found.retired


def test_starter_catalogue_is_found_by_the_words_surgeons_use(db_session):
    load_catalogue(STARTER_CATALOGUE)
    expectations = {
        ("hpb", "pancreaticoduodenectomy"): ["Whipple", "PPPD"],
        ("hpb", "central-liver-resection"): ["central bisectionectomy", "mesohepatectomy"],
        ("hpb", "major-liver-resection"): ["hemihepatectomy"],
        ("hpb", "liver-transplantation"): ["OLT", "LT"],
        ("general", "cholecystectomy"): ["lap chole"],
        ("arthroplasty", "primary-tka"): ["TKR"],
        ("arthroplasty", "primary-tha"): ["THR"],
        ("spine", "acdf"): ["ACDF"],
        ("spine", "tlif"): ["TLIF"],
    }
    for (specialty, code), words in expectations.items():
        found = procedure(db_session, specialty, code)
        haystack = {w.casefold() for w in [*found.synonym_list, found.short_name or ""]}
        for word in words:
            assert word.casefold() in haystack, (code, word)


def test_starter_synonyms_are_neither_repeated_nor_ambiguous():
    """No synonym twice in a procedure's list, and no word (in any language) that would find
    two procedures by name."""
    document = tomllib.loads(STARTER_CATALOGUE.read_text(encoding="utf-8"))
    for specialty in document["specialty"]:
        owner: dict[str, str] = {}
        for entry in specialty["procedure"]:
            for names in (entry, *(entry[locale] for locale in CATALOGUE_LOCALES)):
                words = [*names.get("synonyms", [])]
                if names.get("short_name"):
                    words.append(names["short_name"])
                folded = [fold(w) for w in words]
                assert len(folded) == len(set(folded)), (entry["code"], words)
                for word in folded:
                    assert owner.setdefault(word, entry["code"]) == entry["code"], (
                        f"{specialty['code']}: '{word}' names both {owner[word]} "
                        f"and {entry['code']}"
                    )


def test_starter_catalogue_is_complete_in_every_language(db_session):
    """Every specialty, group and procedure has its name in each language, and each procedure
    words to find it by in each; a missing one is named."""
    load_catalogue(STARTER_CATALOGUE)
    missing = []
    for specialty in db_session.scalars(select(Specialty)):
        groups = db_session.scalars(
            select(ProcedureGroup).where(ProcedureGroup.specialty_id == specialty.id)
        )
        for row in [specialty, *groups, *specialty.procedures]:
            for locale in CATALOGUE_LOCALES:
                name = row.display_name(locale)
                if name.fallback:
                    missing.append(f"{type(row).__name__} {row.code}: no {locale} name")
                if isinstance(row, Procedure) and not row.translation(locale).synonym_list:
                    missing.append(f"procedure {row.code}: no {locale} synonyms")
    assert not missing, "\n".join(missing)
    rows = db_session.scalar(select(func.count()).select_from(ProcedureName))
    assert rows == count(db_session, Procedure) * len(CATALOGUE_LOCALES)


def test_starter_catalogue_is_found_in_each_language_by_the_words_surgeons_use(db_session):
    from caselog.catalogue.queries import search_condition

    load_catalogue(STARTER_CATALOGUE)
    expectations = {
        "микродискэктомия": "microdiscectomy",
        "МДЭ": "microdiscectomy",
        "ТЛИФ": "tlif",
        "ПЛИФ": "plif",
        "ЛХЭ": "cholecystectomy",
        "лапароскопическая холецистэктомия": "cholecystectomy",
        "ПДР": "pancreaticoduodenectomy",
        "операция уиппла": "pancreaticoduodenectomy",
        "ТЭКС": "primary-tka",
        "дискэктоми": "microdiscectomy",
        "цөс авах мэс засал": "cholecystectomy",
        "элэгний хэсэгчилсэн тайралт": "minor-liver-resection",
        "мухар олгой": "appendicectomy",
        "өвдөгний үе солих": "primary-tka",
        "미세 현미경 추간판 절제술": "microdiscectomy",
        "디스크 수술": "microdiscectomy",
        "복강경 담낭 절제술": "cholecystectomy",
        "랩콜레": "cholecystectomy",
        "맹장 수술": "appendicectomy",
        "췌십이지장절제술": "pancreaticoduodenectomy",  # written without its space
        "휘플": "pancreaticoduodenectomy",
    }
    for words, code in expectations.items():
        found = db_session.scalars(select(Procedure.code).where(search_condition(words))).all()
        assert code in found, (words, found)
        assert len(found) <= 5, (words, found)  # the words of one operation find few others
    fusions = set(db_session.scalars(select(Procedure.code).where(search_condition("척추 유합술"))))
    assert {"plif", "tlif", "olif", "alif", "llif", "posterolateral-fusion"} <= fusions


def test_starter_codes_are_attributed():
    document = tomllib.loads(STARTER_CATALOGUE.read_text(encoding="utf-8"))
    codes = [c for s in document["specialty"] for p in s["procedure"] for c in p.get("codes", [])]
    assert codes, "the well-known CPT codes are expected"
    for code in codes:
        assert code["system"] and code["code"] and code["source"].strip(), code


def test_running_twice_changes_nothing(db_session):
    load_catalogue(STARTER_CATALOGUE)
    before = (count(db_session, Procedure), count(db_session, ProcedureGroup))
    summary = load_catalogue(STARTER_CATALOGUE)
    assert summary.endswith(f"({0} new, 0 updated)")
    assert (count(db_session, Procedure), count(db_session, ProcedureGroup)) == before


def test_rerun_updates_names_synonyms_groups_and_codes(db_session, tmp_path):
    load_catalogue(write(tmp_path, SMALL))
    first = procedure(db_session, "spine", "microdiscectomy")
    first_id = first.id
    changed = SMALL.replace('name = "Lumbar microdiscectomy"', 'name = "Lumbar micro-discectomy"')
    changed = changed.replace('["microdiscectomy", "discectomy"]', '["MD", "discectomy", "MD"]')
    changed = changed.replace('groups = ["decompression"]', 'groups = ["decompression", "fusion"]')
    two_codes = (
        'codes = [{ system = "CPT", code = "63030", source = "CPT (AMA)" },'
        ' { system = "LOCAL", code = "S-1", source = "Hospital list" }]'
    )
    changed = re.sub(r"codes = \[.*\]", two_codes, changed, count=1)
    changed = changed.replace('approach = "microscopic"', 'approach = "endoscopic"')
    summary = load_catalogue(write(tmp_path, changed))
    assert summary == "1 specialties, 2 procedures (0 new, 1 updated)"
    db_session.expire_all()
    updated = procedure(db_session, "spine", "microdiscectomy")
    assert updated.id == first_id
    assert updated.name == "Lumbar micro-discectomy"
    assert updated.synonym_list == ["MD", "discectomy"]  # repeats dropped
    assert updated.default_approach is Approach.ENDOSCOPIC
    assert [g.code for g in updated.groups] == ["fusion", "decompression"]  # by group name
    assert {(c.system, c.code, c.source) for c in updated.codes} == {
        ("CPT", "63030", "CPT (AMA)"),
        ("LOCAL", "S-1", "Hospital list"),
    }

    # Dropping the codes from the file removes them; the procedure stays.
    without_codes = changed.replace(two_codes, "")
    load_catalogue(write(tmp_path, without_codes))
    db_session.expire_all()
    assert procedure(db_session, "spine", "microdiscectomy").codes == []


def test_a_procedure_missing_from_the_file_is_left_alone(db_session, tmp_path):
    load_catalogue(write(tmp_path, SMALL))
    tlif = procedure(db_session, "spine", "tlif")
    tlif.retired = True
    db_session.flush()
    only_one = SMALL.split('  [[specialty.procedure]]\n  code = "tlif"')[0]
    summary = load_catalogue(write(tmp_path, only_one))
    assert summary == "1 specialties, 1 procedures (0 new, 0 updated)"
    db_session.expire_all()
    kept = procedure(db_session, "spine", "tlif")
    assert kept is not None and kept.retired and kept.name.startswith("Transforaminal")


def test_a_retired_procedure_stays_retired_when_the_file_is_loaded_again(db_session, tmp_path):
    load_catalogue(write(tmp_path, SMALL))
    procedure(db_session, "spine", "microdiscectomy").retired = True
    db_session.flush()
    load_catalogue(write(tmp_path, SMALL))
    db_session.expire_all()
    assert procedure(db_session, "spine", "microdiscectomy").retired


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (
            ('approach = "microscopic"', 'approach = "keyhole"'),
            "specialty 'spine', procedure 'microdiscectomy': unknown approach 'keyhole'",
        ),
        (
            ('groups = ["fusion"]', 'groups = ["fusoin"]'),
            "specialty 'spine', procedure 'tlif': unknown group 'fusoin'",
        ),
        (
            ('code = "tlif"', 'code = "microdiscectomy"'),
            "specialty 'spine': procedure 'microdiscectomy' appears twice",
        ),
        (
            (', source = "CPT, American Medical Association"', ""),
            "procedure 'microdiscectomy', code CPT 63030: has no source",
        ),
        (
            ('source = "CPT, American Medical Association"', 'source = "  "'),
            "procedure 'microdiscectomy', code CPT 63030: has no source",
        ),
        (('synonyms = ["TLIF"]', 'synonym = ["TLIF"]'), "procedure 'tlif': unknown key(s) synonym"),
        (
            ('code = "fusion"', 'code = "decompression"'),
            "specialty 'spine': group 'decompression' appears twice",
        ),
        (
            ('code = "tlif"', 'code = "TLIF fusion"'),
            "procedure #2: code 'TLIF fusion' must be lower-case",
        ),
        (
            ('name = "Transforaminal lumbar interbody fusion"', 'name = "Lumbar microdiscectomy"'),
            "procedure 'tlif': another procedure is also named 'Lumbar microdiscectomy'",
        ),
        (('name = "Spine surgery"', ""), "specialty 'spine': 'name' is missing or empty"),
        (
            ('synonyms = ["TLIF"]', 'synonyms = "TLIF"'),
            "procedure 'tlif': 'synonyms' must be a list",
        ),
    ],
)
def test_invalid_files_are_refused_naming_the_entry(db_session, tmp_path, change, message):
    old, new = change
    assert old in SMALL
    with pytest.raises(CatalogueFileError) as raised:
        load_catalogue(write(tmp_path, SMALL.replace(old, new, 1)))
    assert message in str(raised.value)
    assert str(raised.value).startswith("catalogue.toml: ")
    assert count(db_session, Specialty) == 0  # checked before anything is written


def test_duplicate_specialty_and_bad_toml_are_refused(db_session, tmp_path):
    with pytest.raises(CatalogueFileError, match="specialty 'spine' appears twice"):
        load_catalogue(write(tmp_path, SMALL + SMALL))
    with pytest.raises(CatalogueFileError, match="not valid TOML"):
        load_catalogue(write(tmp_path, "[[specialty]\ncode = 1"))
    with pytest.raises(CatalogueFileError, match="no \\[\\[specialty\\]\\] entries"):
        load_catalogue(write(tmp_path, ""))


def test_cli_command_loads_and_reports(app, db_session):
    runner = app.test_cli_runner()
    result = runner.invoke(args=["load-catalogue"])
    assert result.exit_code == 0, result.output
    total = count(db_session, Procedure)
    assert f"4 specialties, {total} procedures ({total} new, 0 updated)" in result.output


def test_cli_command_reports_a_bad_file_without_a_traceback(app, db_session, tmp_path):
    bad = write(tmp_path, SMALL.replace('approach = "microscopic"', 'approach = "keyhole"'))
    result = app.test_cli_runner().invoke(args=["load-catalogue", str(bad)])
    assert result.exit_code == 1
    assert (
        "Error: catalogue.toml: specialty 'spine', procedure 'microdiscectomy': "
        "unknown approach 'keyhole'" in result.output
    )
    assert "Traceback" not in result.output
    assert count(db_session, Specialty) == 0


def test_names_in_other_languages_load_and_follow_the_file_without_deleting(db_session, tmp_path):
    load_catalogue(write(tmp_path, TRANSLATED))
    tlif = procedure(db_session, "spine", "tlif")
    assert tlif.display_name("ru").text == "Трансфораминальный поясничный межтеловой спондилодез"
    assert tlif.display_name("ru").short == "ТЛИФ"
    assert tlif.translation("ru").synonym_list == ["трансфораминальный спондилодез", "ТЛИФ"]
    korean = tlif.display_name("ko")  # synonyms only: the English name stands in, marked
    assert korean.fallback and korean.text == tlif.name and korean.short == "TLIF"
    assert tlif.translation("ko").synonym_list == ["경추간공 유합술"]
    spine = db_session.scalar(select(Specialty).where(Specialty.code == "spine"))
    assert spine.display_name("ko").text == "척추외과"
    assert spine.display_name("mn").fallback
    assert tlif.groups[0].display_name("ru").text == "Поясничный спондилодез"

    assert load_catalogue(write(tmp_path, TRANSLATED)).endswith("(0 new, 0 updated)")

    # An admin's Mongolian name is kept; the file's Russian name is changed; a language the
    # file leaves out of an entry keeps its names.
    tlif.names.append(ProcedureName(locale="mn", name="Трансфораминаль бэхэлгээ"))
    db_session.flush()
    changed = TRANSLATED.replace("Трансфораминальный поясничный", "Трансфораминальный")
    changed = changed.replace(
        '    [specialty.procedure.ko]\n    synonyms = ["경추간공 유합술"]\n', ""
    )
    assert load_catalogue(write(tmp_path, changed)).endswith("(0 new, 1 updated)")
    db_session.expire_all()
    tlif = procedure(db_session, "spine", "tlif")
    assert tlif.display_name("ru").text == "Трансфораминальный межтеловой спондилодез"
    assert tlif.display_name("mn").text == "Трансфораминаль бэхэлгээ"
    assert tlif.translation("ko").synonym_list == ["경추간공 유합술"]


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (
            ('ko = { name = "척추외과" }', 'kk = { name = "Омыртқа хирургиясы" }'),
            "specialty 'spine': unknown language(s) kk (catalogue languages: ru, mn, ko;",
        ),
        (
            ("[specialty.procedure.ko]", "[specialty.procedure.uz]"),
            "procedure 'tlif': unknown language(s) uz",
        ),
        (
            ('ru = { name = "Поясничный спондилодез" }', 'ru = { nmae = "Спондилодез" }'),
            "group 'fusion', ru: unknown key(s) nmae (allowed: name)",
        ),
        (
            ('short_name = "ТЛИФ"', 'short_title = "ТЛИФ"'),
            "procedure 'tlif', ru: unknown key(s) short_title",
        ),
        (
            ('ru = { name = "Хирургия позвоночника" }', 'ru = "Хирургия позвоночника"'),
            "specialty 'spine': 'ru' must be a table",
        ),
        (
            ('    synonyms = ["경추간공 유합술"]', "    synonyms = []"),
            "procedure 'tlif', ko: is empty",
        ),
        (
            ('name = "Задний поясничный', 'name = "Трансфораминальный поясничный'),
            "procedure 'plif': another procedure is also named "
            "'Трансфораминальный поясничный межтеловой спондилодез' in 'ru'",
        ),
        (
            ('ru = { name = "Поясничный спондилодез" }', 'ru = { name = "" }'),
            "group 'fusion', ru: 'name' is missing or empty",
        ),
    ],
)
def test_invalid_names_in_other_languages_are_refused(db_session, tmp_path, change, message):
    old, new = change
    assert old in TRANSLATED
    with pytest.raises(CatalogueFileError) as raised:
        load_catalogue(write(tmp_path, TRANSLATED.replace(old, new, 1)))
    assert message in str(raised.value)
    assert count(db_session, Specialty) == 0
