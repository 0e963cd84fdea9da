"""Patients' names in the four languages; a colleague's name (Dr Park, проф. Иванов, 김
교수님) is not a patient's and passes."""

import re
from collections.abc import Iterable, Iterator

from caselog.screening import names_cyrillic, names_korean, names_latin
from caselog.screening.kinds import Hit, Kind
from caselog.screening.lexicon import EN_NOT_NAMES, STAFF_AFTER, STAFF_BEFORE

_LAST_WORD = re.compile(r"([\w.-]+)[\s,]*$")
_FIRST_WORD = re.compile(r"^\s?([가-힣\w]+)")
# Kinds strong enough that capitalised words just before them are the patient's name.
_ANCHORS = {
    Kind.BIRTH_DATE,
    Kind.BIRTH_YEAR,
    Kind.RECORD_NUMBER,
    Kind.SERIAL,
    Kind.RRN,
    Kind.REGISTER,
    Kind.SNILS,
    Kind.PASSPORT,
    Kind.INSURANCE,
    Kind.NATIONAL_ID,
    Kind.PHONE,
}
_WORDS_BEFORE = re.compile(
    r"(?:(?:" + names_latin.WORD + r"|" + names_cyrillic.WORD + r")\s){0,2}"
    r"(?:" + names_latin.WORD + r"|" + names_cyrillic.WORD + r")[\s,(]{1,3}$"
)


def find(text: str) -> Iterator[Hit]:
    """Names, less those of staff."""
    for detector in (names_latin.find, names_cyrillic.find, names_korean.find):
        for hit in detector(text):
            if not _staff(text, hit):
                yield hit


def beside(text: str, hits: Iterable[Hit]) -> Iterator[Hit]:
    """Capitalised words written just before a date of birth or a record number."""
    for hit in hits:
        if hit.kind not in _ANCHORS:
            continue
        match = _WORDS_BEFORE.search(text[max(0, hit.start - 60) : hit.start])
        if not match:
            continue
        words = re.findall(r"\w+", match.group())
        if any(word in EN_NOT_NAMES for word in words) or all(
            names_cyrillic._ordinary(word) for word in words
        ):
            continue
        start = hit.start - len(match.group())
        found = Hit(start, start + len(match.group().rstrip(" ,(")), Kind.NAME)
        if not _staff(text, found):
            yield found


def _staff(text: str, hit: Hit) -> bool:
    """Whether the name is a colleague's: a staff title just before it or just after it."""
    before = _LAST_WORD.search(text[max(0, hit.start - 20) : hit.start])
    after = _FIRST_WORD.match(text[hit.end : hit.end + 12])
    return bool(
        (before and before.group(1).lower() in STAFF_BEFORE)
        or (after and after.group(1).startswith(STAFF_AFTER))
    )
