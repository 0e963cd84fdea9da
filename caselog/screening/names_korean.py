"""Korean names: a surname and a given name of one or two syllables, read as a person's when
an honorific or the word for patient stands beside it (김민수 님, 환자 이정훈) or the
patient's age and sex follow it (한상우 62세, 이정훈(65/M))."""

import re
from collections.abc import Iterator

from caselog.screening.kinds import Hit, Kind
from caselog.screening.lexicon import (
    KO_AFTER_NAME,
    KO_BEFORE_NAME,
    KO_NAME_SYLLABLES,
    KO_NOT_NAMES,
    KO_SURNAMES,
)

_RUN = re.compile(r"[가-힣]+")
_PARTICLE = r"(?:께서|에게|께|은|는|이|가|을|를|의|와|과|도|로|으로|만|이고|이며)?"
_HONORIFIC_IN_RUN = re.compile(r"^(?:님|씨)(?:께서|에게|께|은|는|이|가|을|를|의|과|도)?$")
_AFTER = re.compile(
    r"^\s?(?:"
    + "|".join(sorted(KO_AFTER_NAME, key=len, reverse=True))
    + ")"
    + _PARTICLE
    + r"(?![가-힣])"
)
_BEFORE = re.compile(r"(?:" + "|".join(KO_BEFORE_NAME) + r")\s?[:：]?\s?$")
_AGE_SEX = re.compile(
    r"^\s?(?:\(\s?(?:\d{1,3}\s?/\s?[MFmf남여]|[MFmf남여]\s?[,/]?\s?\d{1,3})|\d{1,3}\s?세)"
)
_SURNAMES = sorted(set(KO_SURNAMES), key=len, reverse=True)


def find(text: str) -> Iterator[Hit]:
    """Korean names beside an honorific, the word for patient, or an age and sex."""
    runs = list(_RUN.finditer(text))
    for index, run in enumerate(runs):
        word = run.group()
        # 박 순자 님: the surname written apart from the given name
        if word in _SURNAMES and index + 1 < len(runs):
            following = runs[index + 1]
            if following.start() == run.end() + 1 and len(following.group()) <= 2:
                joined = word + following.group()
                if _name_like(joined) and _AFTER.match(text[following.end() :]):
                    yield Hit(run.start(), following.end(), Kind.NAME)
                    continue
        for name_end in _name_ends(word):
            name, rest = word[:name_end], word[name_end:]
            after = text[run.end() :]
            before = text[max(0, run.start() - 8) : run.start()]
            attached = rest and _HONORIFIC_IN_RUN.match(rest)
            beside = not rest and (_AFTER.match(after) or _AGE_SEX.match(after))
            named = (
                len(name) >= 3
                and re.fullmatch(_PARTICLE, rest) is not None
                and _BEFORE.search(before) is not None
            )
            if attached or beside or named:
                yield Hit(run.start(), run.start() + len(name), Kind.NAME)
                break


def _name_ends(word: str) -> Iterator[int]:
    """Where a name could end in a run of Hangul that begins with a surname."""
    for surname in _SURNAMES:
        if word.startswith(surname):
            for given in (2, 1):
                end = len(surname) + given
                if end <= len(word) and _name_like(word[:end], len(surname)):
                    yield end
            return


def _name_like(name: str, surname_length: int | None = None) -> bool:
    """A surname and given-name syllables, and not a common word that looks like one."""
    if surname_length is None:
        surname_length = next((len(s) for s in _SURNAMES if name.startswith(s)), 0)
    given = name[surname_length:]
    return (
        surname_length > 0
        and 1 <= len(given) <= 2
        and all(syllable in KO_NAME_SYLLABLES for syllable in given)
        and name not in KO_NOT_NAMES
    )
