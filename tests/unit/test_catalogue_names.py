"""A catalogue row's name for each reader, and the search text that follows every change."""

from caselog.models import Procedure, ProcedureName, Specialty, SpecialtyName


def test_display_name_in_the_readers_language_else_english_marked(db_session):
    spine = Specialty(code="spine-n", name="Spine surgery")
    spine.names.append(SpecialtyName(locale="ru", name="Хирургия позвоночника"))
    procedure = Procedure(specialty=spine, code="tlif", name="TLIF fusion", short_name="TLIF")
    procedure.names.append(ProcedureName(locale="ru", name="Спондилодез ТЛИФ", short_name="ТЛИФ"))
    procedure.names.append(ProcedureName(locale="ko", synonyms="경추간공 유합술"))
    db_session.add(procedure)
    db_session.flush()

    russian = procedure.display_name("ru_RU")
    assert (russian.text, russian.english, russian.short) == (
        "Спондилодез ТЛИФ",
        "TLIF fusion",
        "ТЛИФ",
    )
    assert russian.differs and not russian.fallback and str(russian) == "Спондилодез ТЛИФ"
    korean = procedure.display_name("ko")  # synonyms, but no Korean name yet
    assert korean.fallback and korean.text == "TLIF fusion" and korean.short == "TLIF"
    english = procedure.display_name("en")
    assert not english.fallback and not english.differs
    assert not procedure.display_name(None).fallback
    assert spine.display_name("ru").text == "Хирургия позвоночника"
    assert spine.display_name("mn").fallback


def test_search_text_follows_every_change_of_names(db_session):
    spine = Specialty(code="spine-s", name="Spine surgery")
    procedure = Procedure(specialty=spine, code="plif", name="Posterior fusion")  # no synonyms
    db_session.add(procedure)
    db_session.flush()
    assert procedure.search_text == "posterior fusion\nposteriorfusion"

    procedure.names.append(ProcedureName(locale="ru", name="Задний СПОНДИЛОДЕЗ", synonyms="ПЛИФ"))
    db_session.flush()
    assert "задний спондилодез" in procedure.search_text.split("\n")
    assert "плиф" in procedure.search_text.split("\n")

    procedure.names[0].synonyms = "ЗМС"  # a name row changed on its own
    db_session.flush()
    assert "змс" in procedure.search_text and "плиф" not in procedure.search_text

    procedure.names.clear()
    db_session.flush()
    assert procedure.search_text == "posterior fusion\nposteriorfusion"
