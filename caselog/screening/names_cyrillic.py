"""Names in Cyrillic, Russian and Mongolian: initials, full names with a patronymic, patients
named as such, Mongolian patronymic forms (Батын Дорж) and names with an honorific.

Russian given names, patronymics and surnames are told from ordinary words by pymorphy3's
dictionary (OpenCorpora, shipped in its wheel); Mongolian names by the pieces they are
built of (lexicon.MN_NAME_PARTS), which no packaged library knows.
"""

import re
from collections.abc import Iterator
from functools import cache

import pymorphy3

from caselog.screening.kinds import Hit, Kind
from caselog.screening.lexicon import (
    CYRILLIC_KOREAN_SURNAMES,
    MN_AFTER_NAME,
    MN_BEFORE_NAME,
    MN_NAME_ENDINGS,
    MN_NAME_PARTS,
    MN_PLACE_AFTER,
    RU_PATIENT_STEMS,
)

_UP = "А-ЯЁӨҮ"
_LOW = "а-яёөү"
WORD = rf"[{_UP}][{_LOW}]+(?:-[{_UP}{_LOW}][{_LOW}]+)?"
_INITIAL = rf"[{_UP}]\.\s?"
_GENITIVE = ("гийн", "ийн", "ын", "ий", "ы", "н")

_INITIALS_FIRST = re.compile(rf"(?<![\w.])(?:{_INITIAL}){{1,2}}(?P<name>{WORD})")
_INITIALS_AFTER = re.compile(rf"(?<![\w.])(?P<name>{WORD})\s(?:[{_UP}]\.){{1}}(?:\s?[{_UP}]\.)?")
_RUN = re.compile(rf"(?<![\w.]){WORD}(?:\s{WORD}){{1,2}}")
_RU_CONTEXT = re.compile(
    r"(?<!\w)(?i:" + "|".join(re.escape(stem) for stem in RU_PATIENT_STEMS) + r")[\w.]*"
    rf"[\s:,]+(?P<name>(?:{_INITIAL})*{WORD}(?:\s{WORD}){{0,2}}(?:\s[{_UP}]\.){{0,2}}"
    rf"|[{_UP}]\.(?:\s?[{_UP}]\.)?)"
)
_MN_BEFORE = re.compile(
    r"(?<!\w)(?i:" + "|".join(MN_BEFORE_NAME) + rf")\s+(?P<name>{WORD}(?:\s{WORD})?)"
)
_KOREAN = re.compile(
    r"(?<![\w.])(?:"
    + "|".join(sorted(CYRILLIC_KOREAN_SURNAMES))
    + rf")(?:\s[{_UP}][{_LOW}]{{0,3}}){{1,2}}"
    rf"(?![{_LOW}])"
)
_PATRONYMIC_ENDING = re.compile(r"(?:ович|евич|ич|овна|евна|ична|инична)$")
_MN_AFTER = re.compile(
    rf"(?<![\w.])(?P<name>{WORD})\s(?:" + "|".join(MN_AFTER_NAME) + rf")(?!\w)(?:\s{WORD})?"
)
_PATRONYMIC = re.compile(rf"(?<![\w.])(?P<father>{WORD})\s(?P<name>{WORD})")
_WORDS = re.compile(rf"(?<![\w.])(?P<name>{WORD})(?:-(?:[{_LOW}]+))?")
_AGE_AFTER = re.compile(r"^,?\s?\d{1,3}\s?(?:нас|лет|год)")
_SENTENCE_END = re.compile(r"(?:^|[.!?:;]\s*|\n\s*)$")


@cache
def _morph() -> pymorphy3.MorphAnalyzer:
    return pymorphy3.MorphAnalyzer()


@cache
def _russian(word: str) -> frozenset[str]:
    """The person tags pymorphy gives a word ("Name", "Surn", "Patr"), plus "known" when the
    dictionary has it as an ordinary word."""
    morph = _morph()
    tags: set[str] = set()
    for parse in morph.parse(word):
        if parse.score < 0.05:
            continue
        tags |= {tag for tag in ("Name", "Surn", "Patr") if tag in parse.tag}
    if morph.word_is_known(word.lower()) and not tags:
        tags.add("known")
    return frozenset(tags)


def _ordinary(word: str) -> bool:
    """Whether a capitalised word is an ordinary Russian word, not a name."""
    return all(_russian(part) == {"known"} for part in word.split("-"))


@cache
def mongolian_name(word: str) -> bool:
    """Whether a word is built of the pieces Mongolian names are made of."""
    word = word.lower().replace("-", "")
    for ending in ("ийнх", "ынх", "гийн", "ийн", "ын", "ий", "ы", "д", "т", "аас", "ээс", "тай"):
        if word.endswith(ending) and _pieces(word[: -len(ending)]):
            return True
    return _pieces(word)


_PARTS = sorted(MN_NAME_PARTS | set(MN_NAME_ENDINGS), key=len, reverse=True)


@cache
def _pieces(word: str) -> bool:
    """Whether the word splits wholly into name pieces."""
    if not word or word in MN_NAME_PARTS or word in MN_NAME_ENDINGS:
        return True
    return any(
        len(part) >= 2 and word.startswith(part) and _pieces(word[len(part) :]) for part in _PARTS
    )


def find(text: str) -> Iterator[Hit]:
    """Names in Cyrillic."""
    for pattern in (_INITIALS_FIRST, _INITIALS_AFTER):
        for match in pattern.finditer(text):
            if not _ordinary(match.group("name")):
                yield Hit(match.start(), match.end(), Kind.NAME)
    for match in _RU_CONTEXT.finditer(text):  # a capital after "больной" starts a name
        yield Hit(match.start("name"), match.end(), Kind.NAME)
    for match in _KOREAN.finditer(text):
        yield Hit(match.start(), match.end(), Kind.NAME)
    for match in _RUN.finditer(text):
        words = match.group().split()
        while words and _ordinary(words[0]):  # a sentence's first word: "Дочь Галины Петровны"
            words.pop(0)
        while words and _ordinary(words[-1]):
            words.pop()
        if len(words) >= 2 and _full_russian_name(words):
            start = text.index(words[0], match.start())
            yield Hit(start, start + len(" ".join(words)), Kind.NAME)
    yield from _mongolian(text)


def _full_russian_name(words: list[str]) -> bool:
    """A given name or patronymic the dictionary knows, beside a surname or given name."""
    tags = [_russian(word) for word in words]
    if any("known" in tag for tag in tags):
        return False
    given = [
        i
        for i, word in enumerate(words)
        if _PATRONYMIC_ENDING.search(word)
        or ("Name" in tags[i] and _morph().word_is_known(word.lower()))
    ]
    return any(
        i != j and tags[j] & {"Name", "Surn", "Patr"} for i in given for j in range(len(tags))
    )


def _mongolian(text: str) -> Iterator[Hit]:
    for match in _MN_BEFORE.finditer(text):
        if not _ordinary(match.group("name").split()[0]):
            yield Hit(match.start("name"), match.end(), Kind.NAME)
    for match in _MN_AFTER.finditer(text):  # Mongolian honorifics follow only names
        yield Hit(match.start(), match.end(), Kind.NAME)
    for match in _PATRONYMIC.finditer(text):
        father, name = match.group("father"), match.group("name")
        if not father.lower().endswith(_GENITIVE) or _place(text, match.end()):
            continue
        if mongolian_name(father) or mongolian_name(name):
            yield Hit(match.start(), match.end(), Kind.NAME)
    for match in _WORDS.finditer(text):
        word = match.group("name")
        if not mongolian_name(word) or _ordinary(word) or _place(text, match.end()):
            continue
        first_of_sentence = _SENTENCE_END.search(text[: match.start()])
        if not first_of_sentence or _AGE_AFTER.match(text[match.end() : match.end() + 12]):
            yield Hit(match.start(), match.end(), Kind.NAME)


def _place(text: str, end: int) -> bool:
    """Whether the word ending here is followed by a word for a place or an institution."""
    following = text[end : end + 16].split()
    return bool(following) and following[0].lower().strip(",.;") in MN_PLACE_AFTER
