"""Folding for search: the same text whatever the case, accents or spacing, in every script."""

from caselog.folding import fold, search_text, sort_key, words


def test_case_and_accents_fold_in_latin_cyrillic_and_mongolian():
    assert fold("  Whipple   Procedure ") == "whipple procedure"
    assert fold("ТЛИФ") == fold("тлиф") == "тлиф"
    assert fold("Селезёнка") == "селезенка"  # ё typed as е finds it
    assert fold("Бүсэлхий") != fold("Бүсэлхии")  # й is a letter of its own
    assert fold("ӨВДӨГНИЙ ҮЕ") == "өвдөгний үе"  # Mongolian letters keep their identity
    assert fold("École") == "ecole"


def test_hangul_stays_whole_syllables():
    assert fold("척추 유합술") == "척추 유합술"
    assert words("척추  유합술") == ["척추", "유합술"]


def test_search_text_holds_each_term_with_and_without_spaces_and_hyphens():
    text = search_text(["척추 유합술", "MIS-TLIF", None, "", "TLIF"]).split("\n")
    assert text == ["척추 유합술", "척추유합술", "mis-tlif", "mistlif", "tlif"]


def test_mongolian_letters_sort_where_the_alphabet_has_them():
    names = ["Пүрэв", "Өлзий", "Оюун", "Үнэн", "Уянга", "Цэцэг"]
    assert sorted(names, key=sort_key) == ["Оюун", "Өлзий", "Пүрэв", "Уянга", "Үнэн", "Цэцэг"]
