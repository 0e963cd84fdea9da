"""Names written in Latin letters: titles, initials, patients named as such, romanised Korean
and Mongolian names, and a name followed by the patient's age or sex."""

import re
from collections.abc import Iterator
from functools import cache

from caselog.screening.kinds import Hit, Kind
from caselog.screening.lexicon import EN_NOT_NAMES, EN_TITLES, MN_NAME_PARTS, words

WORD = r"(?:[A-Z]'[A-Z][a-z]+|Mc[A-Z][a-z]+|[A-Z][a-z]+(?:-[A-Za-z][a-z]+)?)"
_INITIAL = r"[A-Z]\.\s?"
_KO_ROMAN = words(
    "Kim Lee Yi Rhee Park Pak Bak Choi Choe Jung Jeong Chung Kang Cho Jo Yoon Yun Jang Chang "
    "Lim Im Han Oh Seo Suh Shin Sin Kwon Hwang Ahn An Song Ryu Yoo Yu Jeon Jun Hong Ko Go Moon "
    "Mun Yang Son Bae Baek Paik Heo Huh Nam Noh Roh Ha Kwak Sung Cha Joo Woo Koo Min Jin Na Ji "
    "Uhm Chae Won Cheon Bang Gong Hyun Ham Byun Yeom Yeo Choo Do Seok Sun Seol Ma Gil Yeon Pyo "
    "Myung Ki Ban Wang Ok Maeng Je Tak Eun Namgung Hwangbo Jegal Sunwoo"
)
_AGE_SEX = (
    r"(?=\s*(?:,\s*|\s+|\s*\()(?:\d{1,3}\s*(?:[MFmf]\b|y\b|yo\b|y\.o\.|years\b|/[MFmf]\b|,|\))"
    r"|[MF]\s*,\s*\d{1,3}\)|(?:male|female)\b))"
)

_PATTERNS = [
    # Mr John Carter, Mrs. Patel, Miss K. Howard, Mrs Oyunchimeg D.
    re.compile(
        r"\b(?:"
        + "|".join(EN_TITLES)
        + r")\.?\s+(?:"
        + _INITIAL
        + r")*"
        + WORD
        + r"(?:\s+(?:"
        + _INITIAL
        + r")*"
        + WORD
        + r"){0,2}(?:\s[A-Z]\.)?"
    ),
    # our patient Emily Ross, Pt. Kim Min-su, Patient name: David Miller, the patient, Sarah
    re.compile(
        r"\b(?P<context>[Pp]atient(?:\s+name)?|[Pp]t\.?|[Nn]ame|[Cc]ase\s+of|[Nn]amed)\s*[:,]?\s+"
        r"(?P<name>(?:" + _INITIAL + r")*" + WORD + r"(?:\s+" + WORD + r"){0,2}(?:\s[A-Z]\.)?)"
    ),
    # J. Smith, T. Munkhbat, J.R. Walker
    re.compile(r"(?<![\w.])(?:" + _INITIAL + r"){1,2}(?P<name>" + WORD + r")"),
    # Smith J., Dorj B., Ivanov I.I.
    re.compile(r"\b(?P<name>" + WORD + r")\s[A-Z]\.(?:\s?[A-Z]\.)?"),
    # Kim Min-su, Park Ji-hoon, Lee Seo-yeon: a Korean surname and a hyphenated given name
    re.compile(r"\b(?:" + "|".join(_KO_ROMAN) + r")\s[A-Z][a-z]+-[a-z]+\b"),
    # Batyn Dorj, Munkhbatyn Enkhjargal: a Mongolian patronymic
    re.compile(r"\b[A-Z][a-z]+(?:yn|iin|ын)\s[A-Z][a-z]+\b"),
    # Anna Sokolova, 56 / Choi Young-ho 70/M / Lee Seo-yeon (F, 48)
    re.compile(r"\b(?P<name>" + WORD + r"\s" + WORD + r")" + _AGE_SEX),
]


_CAPITALISED = re.compile(r"(?<![\w.'’-])[A-Z][a-z]{3,}(?:-[A-Z][a-z]+)?(?![\w'’-])")
_SENTENCE_START = re.compile(r"(?:^|[.!?:;]\s*|\n\s*)$")

# Mongolian names as passports and English notes spell them (Батбаяр: Batbayar).
_ROMAN = {
    "а": ("a",), "б": ("b",), "в": ("v", "w"), "г": ("g",), "д": ("d",), "е": ("ye", "e"),
    "ё": ("yo",), "ж": ("j", "zh"), "з": ("z",), "и": ("i",), "й": ("i", ""), "к": ("k",),
    "л": ("l",), "м": ("m",), "н": ("n",), "о": ("o",), "ө": ("o", "u"), "п": ("p",),
    "р": ("r",), "с": ("s",), "т": ("t",), "у": ("u",), "ү": ("u",), "ф": ("f",),
    "х": ("kh", "h"), "ц": ("ts", "c"), "ч": ("ch",), "ш": ("sh",), "ъ": ("",), "ы": ("y", "i"),
    "ь": ("i", ""), "э": ("e",), "ю": ("yu",), "я": ("ya",),
}  # fmt: skip


def _spellings(word: str) -> set[str]:
    spellings = {""}
    for letter in word:
        spellings = {start + end for start in spellings for end in _ROMAN.get(letter, (letter,))}
    return spellings | {spelling.replace("uu", "u") for spelling in spellings}


_MN_ROMAN_PARTS = sorted(
    {spelling for part in MN_NAME_PARTS for spelling in _spellings(part) if len(spelling) >= 3},
    key=len,
    reverse=True,
)


@cache
def romanised_mongolian(word: str) -> bool:
    """Whether a word in Latin letters is a Mongolian name: two pieces or a long one."""
    return _split(word.lower().replace("-", "")) >= 2 or (
        len(word) >= 6 and _split(word.lower()) == 1
    )


@cache
def _split(word: str) -> int:
    """Into how few Mongolian name pieces the word splits wholly (0: it does not)."""
    if not word:
        return 0
    best = 0
    for part in _MN_ROMAN_PARTS:
        if word.startswith(part):
            if part == word:
                return 1
            rest = _split(word[len(part) :])
            if rest and (not best or rest + 1 < best):
                best = rest + 1
    return best


def find(text: str) -> Iterator[Hit]:
    """Names in Latin letters."""
    for pattern in _PATTERNS:
        for match in pattern.finditer(text):
            named = match.group("name") if "name" in pattern.groupindex else match.group()
            if any(word in EN_NOT_NAMES for word in re.findall(r"[A-Za-z][\w'’-]*", named)):
                continue
            start = match.start("name") if "context" in pattern.groupindex else match.start()
            yield Hit(start, match.end(), Kind.NAME)
    for match in _CAPITALISED.finditer(text):  # Batbayar, Oyuntsetseg: mid-sentence
        word = match.group()
        if word in EN_NOT_NAMES or _SENTENCE_START.search(text[: match.start()]):
            continue
        if romanised_mongolian(word):
            yield Hit(match.start(), match.end(), Kind.NAME)
