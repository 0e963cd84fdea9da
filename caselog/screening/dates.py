"""Dates and years of birth, and ages over 89, in the four languages' ways of writing them.

A date is a date of birth when words around it say so (DOB, д.р., төрсөн, 생년월일 ...) or
when it lies so far back that it cannot be an operation a trainee logs today; other dates
(the operation's, a drain's removal) are clinical and pass.
"""

import re
from collections.abc import Iterator
from dataclasses import dataclass

from caselog.screening.kinds import Hit, Kind

OLD_ENOUGH_YEARS = 15  # a full date this many years back is read as a date of birth

_EN_MONTHS = {
    "jan": 1, "feb": 2, "mar": 3, "apr": 4, "may": 5, "jun": 6,
    "jul": 7, "aug": 8, "sep": 9, "oct": 10, "nov": 11, "dec": 12,
}  # fmt: skip
_RU_MONTHS = {
    "январ": 1, "янв": 1, "феврал": 2, "фев": 2, "март": 3, "мар": 3, "апрел": 4, "апр": 4,
    "ма": 5, "июн": 6, "июл": 7, "август": 8, "авг": 8, "сентябр": 9, "сен": 9,
    "октябр": 10, "окт": 10, "ноябр": 11, "ноя": 11, "декабр": 12, "дек": 12,
}  # fmt: skip
_MN_ORDINAL_MONTHS = {
    "нэгдүгээр": 1, "хоёрдугаар": 2, "гуравдугаар": 3, "дөрөвдүгээр": 4, "тавдугаар": 5,
    "зургаадугаар": 6, "долоодугаар": 7, "наймдугаар": 8, "есдүгээр": 9, "аравдугаар": 10,
    "арван нэгдүгээр": 11, "арван хоёрдугаар": 12,
}  # fmt: skip

_D = r"(?P<d>0?[1-9]|[12]\d|3[01])"
_M = r"(?P<m>0?[1-9]|1[0-2])"
_Y = r"(?P<y>(?:19|20)\d{2}|\d{2})"
_Y4 = r"(?P<y>(?:19|20)\d{2})"
_EN_MONTH = r"(?P<mon>jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?"
_RU_MONTH = r"(?P<mon>январ|феврал|март|апрел|ма|июн|июл|август|сентябр|октябр|ноябр|декабр|янв|фев|мар|апр|авг|сен|окт|ноя|дек)[а-я]*\.?"  # noqa: E501
_MN_MONTH = (
    r"(?:(?P<m>0?[1-9]|1[0-2])\s?(?:-?\s?р|-?\s?(?:дугаар|дүгээр))?|(?P<mord>"
    + "|".join(_MN_ORDINAL_MONTHS)
    + r"))\s*сар(?:ын|ы)?"
)
_EDGE_L = r"(?<![\w./-])"
_EDGE_R = r"(?![0-9A-Za-zА-Яа-яЁёӨөҮү/]|[.,]\d)"  # Hangul may follow: 12일생, 1965.3.12생

_DATES = [
    # 1965-03-12, 1965.03.12, 1965/3/12, 1960. 11. 17.
    re.compile(_EDGE_L + _Y4 + r"(?P<s>[./-])\s?" + _M + r"(?P=s)\s?" + _D + r"\.?" + _EDGE_R),
    # 12.03.1965, 12/03/65, 1/2/60 (day first, or month first when the day cannot be a month)
    re.compile(_EDGE_L + r"(?P<a>\d{1,2})(?P<s>[./-])(?P<b>\d{1,2})(?P=s)" + _Y + _EDGE_R),
    # 65.03.12 (Korean: year first, two digits), once the day-first reading has failed
    re.compile(_EDGE_L + r"(?P<y>\d{2})(?P<s>[./-])" + _M + r"(?P=s)" + _D + _EDGE_R),
    # 12 March 1965, 12th March 1965, 12-Mar-1965, 1 Sept 1980
    re.compile(
        _EDGE_L + _D + r"(?:st|nd|rd|th)?(?:\sof)?[\s-]" + _EN_MONTH + r"[\s-],?\s?" + _Y4, re.I
    ),
    # March 12, 1965
    re.compile(r"\b" + _EN_MONTH + r"\s" + _D + r"(?:st|nd|rd|th)?,?\s" + _Y4, re.I),
    # 12 марта 1965 г.
    re.compile(_EDGE_L + _D + r"\s" + _RU_MONTH + r"\s" + _Y4 + r"(?:\s?г(?:ода|\.)?)?", re.I),
    # 1965 оны 3 сарын 12, 1958 оны 05 дугаар сарын 05, 1963 оны 9-р сарын 1
    re.compile(_EDGE_L + _Y4 + r"\s?оны\s" + _MN_MONTH + r"(?:\s(?P<d>0?[1-9]|[12]\d|3[01]))?"),
    # 1965년 3월 12일, 65년 3월 12일
    re.compile(_EDGE_L + _Y + r"\s?년\s?" + _M + r"\s?월(?:\s?" + _D + r"\s?일)?"),
]
# A month and year without the day: a birth date only when words around it say so.
_MONTH_YEAR = [
    re.compile(r"\b" + _EN_MONTH + r",?\s" + _Y4 + _EDGE_R, re.I),
    re.compile(_EDGE_L + r"(?P<m>0?[1-9]|1[0-2])[./-]" + _Y4 + _EDGE_R),
    re.compile(r"(?<!\w)" + _RU_MONTH + r"\s" + _Y4 + r"(?:\s?г(?:ода|\.)?)?", re.I),
]

# Words before a date that make it a birth date (the date may follow a colon or "on").
_BIRTH_BEFORE = re.compile(
    r"(?:\bDOB|\bD\.\s?O\.\s?B\.?|date\s+of\s+birth|birth\s?date|birthday|\bborn(?:\s+on)?"
    r"|\bb\.|д\.\s?р\.?|д/р|\bДР\b|дат\w*\s+рожд\w*\.?|\bрод\.|родил\w*|рождени\w*"
    r"|г\.\s?р\.?|төрсөн(?:\s+(?:огноо|он\s+сар\s+өдөр|өдөр|он))?|т/о"
    r"|생년월일|출생일?|생일)[\s:.,-]*(?:on\s+|в\s+)?$",
    re.IGNORECASE,
)
# Words after a date that make it a birth date.
_BIRTH_AFTER = re.compile(
    r"^(?:\s?г\.?\s?р\.?|\s?года?\s+рождения|\s?рождения|\s?생|\s?출생|\s?년생"
    r"|\s?-?(?:нд|ны\s+өдөр|ны|ний)?\s?төрсөн|\s?-?(?:нд|ны)?\s?төрөлттэй)",
    re.IGNORECASE,
)
# A year of birth: "born 1958", "1958 г.р.", "1958 онд төрсөн", "58년생".
_YEAR_BEFORE = re.compile(
    r"(?:\bborn(?:\s+in)?|\(b\.|\bb\.|year\s+of\s+birth|\bг\.\s?р\.|родил\w*\s+в"
    r"|төрсөн\s+он|출생\s?연도|출생\s?년도)[\s:.,-]*$",
    re.IGNORECASE,
)
_YEAR_AFTER = re.compile(
    r"^(?:\s?г\.?\s?р\.?|\s?г(?:ода|\.)?\s+рождения|\s?году(?=.{0,3}$|\W)|\s?онд\s+төрсөн"
    r"|\s?оны\s+төрөлт\w*|\s?년생|\s?년\s생)",
    re.IGNORECASE,
)
_YEAR = re.compile(r"(?<![\w./-])(?:19|20)\d{2}" + _EDGE_R + r"|(?<![\w./-])\d{2}(?=\s?년생)")
_COMPACT_BIRTH = re.compile(
    r"(?<!\d)(?:\d{2}|19\d{2}|20\d{2})(?:0[1-9]|1[0-2])(?:0[1-9]|[12]\d|3[01])(?!\d)"
)  # noqa: E501
_AGE_OVER_89 = re.compile(
    r"(?<![\w.,])(?:aged\s+|в\s+возрасте\s+|만\s?)?(?:9\d|1[01]\d)"
    r"(?:[\s-]?(?:year-old|years?[\s-]old|y/o|yo\b|y\.o\.|yrs?\b|years\b|лет|года?\b|-?летн\w*|настай|нас\w*"
    r"|세|살))",
    re.IGNORECASE,
)
_AGED = re.compile(r"\b(?:aged|age)\s+(?:9\d|1[01]\d)\b|в\s+возрасте\s+(?:9\d|1[01]\d)", re.I)


@dataclass(frozen=True)
class _Date:
    start: int
    end: int
    year: int | None


def find(text: str, this_year: int) -> Iterator[Hit]:
    """Dates and years of birth, and ages over 89."""
    taken: list[tuple[int, int]] = []
    for date in _dates(text, this_year):
        taken.append((date.start, date.end))
        before = _BIRTH_BEFORE.search(text[max(0, date.start - 40) : date.start])
        after = _BIRTH_AFTER.match(text[date.end : date.end + 24])
        if before or after:
            start = date.start - len(before.group()) if before else date.start
            end = date.end + len(after.group()) if after else date.end
            yield Hit(start, end, Kind.BIRTH_DATE)
        elif date.year is not None and date.year <= this_year - OLD_ENOUGH_YEARS:
            yield Hit(date.start, date.end, Kind.BIRTH_DATE, sure=False)
    for match in (m for pattern in _MONTH_YEAR for m in pattern.finditer(text)):
        if any(start < match.end() and match.start() < end for start, end in taken):
            continue
        before = _BIRTH_BEFORE.search(text[max(0, match.start() - 40) : match.start()])
        after = _BIRTH_AFTER.match(text[match.end() : match.end() + 24])
        if before or after:
            taken.append(match.span())
            yield Hit(match.start(), match.end(), Kind.BIRTH_DATE)
    for match in _COMPACT_BIRTH.finditer(text):
        before = _BIRTH_BEFORE.search(text[max(0, match.start() - 40) : match.start()])
        after = _BIRTH_AFTER.match(text[match.end() : match.end() + 24])
        if before or after:
            yield Hit(match.start(), match.end(), Kind.BIRTH_DATE)
    for match in _YEAR.finditer(text):
        if any(start <= match.start() < end for start, end in taken):
            continue
        before = _YEAR_BEFORE.search(text[max(0, match.start() - 30) : match.start()])
        after = _YEAR_AFTER.match(text[match.end() : match.end() + 24])
        if before or after:
            start = match.start() - len(before.group()) if before else match.start()
            end = match.end() + len(after.group()) if after else match.end()
            yield Hit(start, end, Kind.BIRTH_YEAR)
    for pattern in (_AGE_OVER_89, _AGED):
        for match in pattern.finditer(text):
            yield Hit(match.start(), match.end(), Kind.AGE)


def _dates(text: str, this_year: int) -> Iterator[_Date]:
    """Every calendar date written in full or with a month name, with its year if given."""
    seen: list[tuple[int, int]] = []
    for pattern in _DATES:
        for match in pattern.finditer(text):
            if any(s < match.end() and match.start() < e for s, e in seen):
                continue
            if not _possible(match):
                continue
            seen.append(match.span())
            yield _Date(match.start(), match.end(), _year(match, this_year))


def _possible(match: re.Match[str]) -> bool:
    """Whether day and month, when their order is not known, can make a date."""
    a, b = match.groupdict().get("a"), match.groupdict().get("b")
    if a is None or b is None:
        return True
    day_or_month, other = int(a), int(b)
    return 1 <= day_or_month <= 31 and 1 <= other <= 31 and min(day_or_month, other) <= 12


def _year(match: re.Match[str], this_year: int) -> int | None:
    """The match's year in four digits, or None when the date has none."""
    written = match.groupdict().get("y")
    if written is None:
        return None
    year = int(written)
    if year < 100:  # a two-digit year: the latest century that does not lie ahead
        year += 2000 if 2000 + year <= this_year else 1900
    return year
