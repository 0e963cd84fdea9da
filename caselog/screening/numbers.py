"""Identifiers made of digits: national numbers, record numbers, phone numbers, e-mail and web
addresses. Phone numbers are recognised by libphonenumber (the `phonenumbers` port)."""

import re
from collections.abc import Iterator

import phonenumbers

from caselog.screening.kinds import Hit, Kind

_CYR = "А-ЯЁӨҮа-яёөү"
_NOT_BEFORE = r"(?<![\w.,/])"  # a number that does not continue a word, decimal or fraction
_NOT_AFTER = r"(?![\d]|[.,/]\d)"
_YYMMDD = r"\d{2}(?:0[1-9]|1[0-2])(?:0[1-9]|[12]\d|3[01])"
# Mongolian register numbers give the month plus 20 for people born from 2000.
_MN_YYMMDD = r"\d{2}(?:[02][1-9]|[13][0-2])(?:0[1-9]|[12]\d|3[01])"

# What follows a measurement, so that "15000 ng/ml" or "5000 IU" is not a record number.
_UNIT = (
    r"\s?(?:%|°|×|x\b|/|mg|g\b|kg|mcg|µg|ug|ml|mL|l\b|L\b|IU|U\b|ng|pg|mm|cm|m\b|min|h\b|s\b"
    r"|мг|г\b|кг|мл|л\b|ЕД|Ед|ед|МЕ|нг|мм|см|мин|ч\b|сек|руб|тыс|мкг|мкмоль|ммоль"
    r"|ширхэг|төгрөг|₮|원|개|회|분|시간|일|단위|cc|Fr|G\b)"
)


def _rx(pattern: str, flags: int = 0) -> re.Pattern[str]:
    return re.compile(pattern, flags)


# (kind, pattern): each pattern names the whole identifier, its label included when written.
_LABELLED: list[tuple[Kind, re.Pattern[str]]] = [
    (
        Kind.RRN,
        _rx(
            r"(?:주민\s?(?:등록)?\s?번호|외국인\s?등록\s?번호|RRN|resident\s+(?:registration\s+)?"
            r"(?:number|no\.?)|РНН)\s*(?:앞자리|뒷자리)?[\s:.]*"
            r"(?:\d{6}(?:\s?-\s?[\d*]{1,7})?|\d{13})(?!\d)",
            re.IGNORECASE,
        ),
    ),
    (
        Kind.SNILS,
        _rx(r"(?:СНИЛС|SNILS)[\s:№#]*\d{3}[\s-]?\d{3}[\s-]?\d{3}[\s-]?\d{2}(?!\d)", re.I),
    ),
    (
        Kind.PASSPORT,
        _rx(
            r"(?:(?:гадаад\s+)?паспорт\w*|passport|여권)(?:\s*(?:no\.?|number|номер|"
            r"дугаар|번호|серия(?:\s+и\s+номер)?|гражданина\s+\w+))*[\s:.№#]*"
            r"(?:[A-ZА-Я]{1,2}\s?\d{7,8}|[A-Z]\d{3}[A-Z]\d{4}|\d{2}\s?\d{2}\s?(?:№\s?)?\d{6})"
            r"(?!\d)",
            re.IGNORECASE,
        ),
    ),
    (
        Kind.INSURANCE,
        _rx(
            r"(?:(?:номер\s+)?полис\w*(?:\s+ОМС)?|ОМС|policy\s+(?:number|no\.?)|"
            r"NHS\s+(?:number|no\.?)|(?:건강)?보험증?\s?번호|ЭМД[\w-]*\s+дугаар)[\s:№#]*"
            r"\d[\d\s-]{8,20}\d(?!\d)",
            re.IGNORECASE,
        ),
    ),
    (
        Kind.NATIONAL_ID,
        _rx(
            r"(?:ИНН|SSN|social\s+security\s+(?:number|no\.?))[\s:№#]*\d[\d\s-]{7,12}\d"
            r"(?!\d)",
            re.IGNORECASE,
        ),
    ),
]

# A record-number label, then the number: "MRN 00482913", "и/б № 4521", "등록번호 12345678".
_RECORD_LABEL = (
    r"(?:\bMRN|\bmedical\s+record(?:\s+(?:number|no\.?))?|\bhosp(?:ital)?\.?\s+(?:number|no\.?)"
    r"|\brecord\s+(?:number|no\.?)|\breg(?:istration)?\.?\s+(?:number|no\.?)"
    r"|\bpatient\s+id|\bcase\s+(?:number|no\.?)|\bunit\s+(?:number|no\.?)"
    r"|\bchart(?:\s+(?:number|no\.?))?|\bID"
    r"|и/б|история\s+болезни|истори\w+\s+болезни|номер\s+и/б|№\s?ИБ|\bИБ"
    r"|амб\.?\s+карт\w*|амбулаторн\w+\s+карт\w*|медкарт\w*|мед\.\s?карт\w*"
    r"|карт\w*\s+стационарного\s+больного|\bМК"
    r"|өвчний\s+түүх\w*|\bӨТ(?:-ийн)?|\bкарт\w*|амбулаторийн\s+карт|бүртгэлийн|\bтүүх"
    r"|(?:병원\s?)?등록\s?번호|병록\s?번호|환자\s?번호|차트\s?번호|의무\s?기록\s?번호|차트"
    r"|환자\s?ID)"
)
_RECORD = _rx(
    _RECORD_LABEL
    + r"(?:\s*(?:number|no\.?|дугаар|номер|№|#|:|-?ын|-?ийн))*[\s:.№#]*"
    + r"[A-Za-zА-Яа-я]{0,5}-?\d[\d/-]{2,}\d*(?![\d])",
    re.IGNORECASE,
)

# Record-like numbers without a label word.
_SERIALS = [
    _rx(r"(?:№|#|\bNo\.|\bNr\.)\s?\d{3,}(?:[/-]\d{2,4})?(?!\d)"),  # № 4521, #48213, No. 58213
    _rx(_NOT_BEFORE + r"\d{4,}/\d{2}(?!\d)(?!" + _UNIT + ")"),  # 4521/23
    _rx(_NOT_BEFORE + r"(?:19|20)\d{2}-(?:0\d{3,}|\d{5,})(?!\d)"),  # 2024-04481
    _rx(r"(?<![\w-])[A-Z" + _CYR[:6] + r"]{1,4}-?\d{5,}(?![\w])"),  # H048213, A-102938, Х-10293
]

_RRN = _rx(_NOT_BEFORE + _YYMMDD + r"(?:\s?-\s?|\s)[1-8](?:\d{6}|\*{6})(?!\d)")
_RRN_BARE = _rx(_NOT_BEFORE + r"\d{2}(?:0[1-9]|1[0-2])(?:0[1-9]|[12]\d|3[01])[1-8]\d{6}(?!\d)")
_REGISTER = _rx(r"(?<![\w])(?:[" + _CYR + r"]{2}|UB|ub)\s?" + _MN_YYMMDD + r"\d{2}(?!\d)")
_SNILS = _rx(_NOT_BEFORE + r"\d{3}-\d{3}-\d{3}[\s-]\d{2}(?!\d)")
_RU_PASSPORT = _rx(_NOT_BEFORE + r"\d{2}\s\d{2}\s\d{6}(?!\d)")
_SSN = _rx(_NOT_BEFORE + r"\d{3}-\d{2}-\d{4}(?!\d)")
_EMAIL = _rx(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
_URL = _rx(r"\b(?:https?://|www\.)\S+", re.IGNORECASE)
_LONG = _rx(_NOT_BEFORE + r"\d{5,}" + _NOT_AFTER + r"(?!" + _UNIT + ")")
_GROUPED = _rx(_NOT_BEFORE + r"\d{4}(?:\s\d{4}){3}(?!\d)")  # 16 digits in fours: a policy

# A phone number libphonenumber does not know (a fictional range, an old local number)
# still counts when it is labelled, or written as a number to dial (+..., 0...).
_PHONE_LABEL = (
    r"(?:\bphone|\btel\.?|\bmob(?:ile)?\.?|\bcall|тел\.?|телефон\w*|сотов\w*|моб\.?"
    r"|утас\w*|утсаар|전화\w*|연락처|휴대폰|핸드폰)"
)
_PHONE_LABELLED = _rx(
    _PHONE_LABEL + r"[\s:.\w]{0,12}?(\+?\d[\d\s().-]{5,16}\d)(?!\d)", re.IGNORECASE
)
_DIALLED = _rx(r"(?<![\w+])(?:\+\d{1,3}[\s-]?|0)\d{2,4}[\s.-]?\d{3,4}[\s.-]?\d{3,4}(?!\d)")
_PHONE_REGIONS = ("KR", "MN", "RU", "GB", "US")


# A procedure or diagnosis code (CPT 63047, SNOMED CT 387713003) is not the patient's.
_CODE_LABEL = re.compile(
    r"(?:\bCPT|\bOPCS(?:-4)?|\bICD(?:-10)?(?:-PCS|-CM)?|\bSNOMED(?:\s?CT)?|МКБ(?:-10)?|\bКСГ"
    r"|\bEDI|수가\s?코드|(?:procedure|diagnosis)\s+codes?|код\w*\s+(?:операции|услуги|по))"
    r"[^.;!?\n]{0,30}$",
    re.IGNORECASE,
)


def find(text: str) -> Iterator[Hit]:
    """Every number-like identifier in the text, less procedure and diagnosis codes."""
    for hit in _find(text):
        if hit.kind in (Kind.NUMBER, Kind.SERIAL) and _CODE_LABEL.search(text[: hit.start]):
            continue
        yield hit


def _find(text: str) -> Iterator[Hit]:
    yield from _simple(text, _EMAIL, Kind.EMAIL)
    yield from _simple(text, _URL, Kind.URL)
    for kind, pattern in _LABELLED:
        yield from _simple(text, pattern, kind)
    yield from _simple(text, _RECORD, Kind.RECORD_NUMBER)
    yield from _simple(text, _RRN, Kind.RRN)
    yield from _simple(text, _RRN_BARE, Kind.RRN)
    yield from _simple(text, _REGISTER, Kind.REGISTER)
    yield from _simple(text, _SNILS, Kind.SNILS)
    yield from _simple(text, _RU_PASSPORT, Kind.PASSPORT)
    yield from _simple(text, _SSN, Kind.NATIONAL_ID)
    yield from _simple(text, _GROUPED, Kind.INSURANCE)
    for pattern in _SERIALS:
        yield from _simple(text, pattern, Kind.SERIAL)
    yield from _phones(text)
    yield from _simple(text, _LONG, Kind.NUMBER)


def _simple(text: str, pattern: re.Pattern[str], kind: Kind) -> Iterator[Hit]:
    for match in pattern.finditer(text):
        yield Hit(match.start(), match.end(), kind)


_PHONE_SHAPED = re.compile(r"\+?\(?\d[\d\s().-]{5,18}\d")


def _phones(text: str) -> Iterator[Hit]:
    seen: set[tuple[int, int]] = set()
    for candidate in _PHONE_SHAPED.finditer(text):  # libphonenumber reads only these stretches
        offset = candidate.start()
        for region in _PHONE_REGIONS:
            matcher = phonenumbers.PhoneNumberMatcher(
                candidate.group(), region, leniency=phonenumbers.Leniency.VALID
            )
            for number in matcher:
                span = (offset + number.start, offset + number.end)
                if span not in seen:
                    seen.add(span)
                    yield Hit(*span, Kind.PHONE)
    for match in _PHONE_LABELLED.finditer(text):
        yield Hit(match.start(1), match.end(1), Kind.PHONE)
    for match in _DIALLED.finditer(text):
        yield Hit(match.start(), match.end(), Kind.PHONE)
