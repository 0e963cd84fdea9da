"""Street addresses as Russian, Mongolian, Korean and English notes write them: a street
with a house number, a flat, a khoroo and building, a road or lot number, a unit."""

import re
from collections.abc import Iterator

from caselog.screening.kinds import Hit, Kind
from caselog.screening.lexicon import words

_CAP = r"[А-ЯЁӨҮ][а-яёөү]+(?:-[А-ЯЁӨҮа-яёөү][а-яёөү]+)?"
_NUM = r"\d{1,5}[а-яa-z]?(?:\s?[/-]\s?\d{1,4}[а-яa-z]?){0,2}"
# Korean counters and units: a number followed by one is a quantity, not a house number.
_KO_COUNTER = (
    r"(?:회|개|겹|일|분|시간|주|년|월|배|명|번|장|알|정|병|점|도|°|mm|cm|ml|mL|L\b|mg|g\b|kg|%|세"
    r"|단위|번째|차|곳|군데|부위|U\b|IU|cc)"
)

# Common words that end like a neighbourhood or village (다리 "leg", 증가 "increase").
_KO_WORDS = words(
    "다리 머리 처리 거리 자리 소리 관리 유리 우리 원리 무리 부리 고리 추가 증가 평가 부가 "
    "운동 이동 활동 행동 변동 작동 연동 충동 진동 반동 수동 자동 동면 측면 단면 표면 내면 "
    "전면 후면 정면 이면 국면 장면"
)

_STRONG = [
    # Russian: ул. Ленина 5, пр-т Мира 10, пер. Садовый, мкр. Солнечный, б-р Гагарина 20-5
    re.compile(
        r"(?<![\w-])(?:ул\.|улиц[аеуы]|пр-т|(?<!\bи\s)пр\.|просп\.|проспект\w*|пер\.|переул\w*|б-р|бульвар\w*"
        r"|ш\.|шоссе|наб\.|набережн\w*|мкр\.?|микрорайон\w*|проезд\w*|тупик\w*)\s?"
        r"(?:" + _CAP + r"(?:\s" + _CAP + r")?)?(?:,?\s?(?:д\.|дом)?\s?" + _NUM + r")?",
        re.IGNORECASE,
    ),
    # Russian: д. 5, дом 22, кв. 12, квартира 8, корп. 2
    re.compile(r"(?<![\w-])(?:д\.|дом[еа]?|кв\.|квартир[аеуы]|корп\.|корпус|стр\.)\s?\d{1,5}"),
    # Russian villages: с. Баклаши, п. Переяславка, пос., дер.
    re.compile(r"(?<![\w-])(?<!\d\s)(?:с\.|п\.|пос\.|пгт\.?|дер\.|д\.)\s?[А-ЯЁ][а-яё]{3,}"),
    # Mongolian: 1-р хороо, 5-р байр, 23 тоот, 13-р хороолол, 12-р гудамж, 9-р баг
    re.compile(
        r"(?<!\w)\d{1,4}(?:\s?-?\s?(?:р|дугаар|дүгээр|-р))?\s?"
        r"(?:хороолол\w*|хороо\w*|байр(?![лш])\w*|тоот\w*|гудамж\w*)"
    ),
    re.compile(r"(?<!\w)(?:хороо|байр|тоот)\s?№?\s?\d{1,4}"),
    # Mongolian avenues and streets: Энхтайваны өргөн чөлөө 15
    re.compile(r"[А-ЯЁӨҮ][а-яёөү]+\s+(?:өргөн\s+чөлөө|гудамж)\w*(?:\s?\d{1,4})?"),
    # Korean apartment: 105동 702호, 한빛아파트 105동
    re.compile(r"(?<!\d)\d{1,4}\s?동\s?\d{1,5}\s?호"),
    re.compile(
        r"[가-힣A-Za-z]+(?:아파트|빌라|맨션|오피스텔)(?:\s?\d{1,4}\s?동)?(?:\s?\d{1,5}\s?호)?"
    ),
    # Korean road and lot addresses: 테헤란로 152, 구미로 173번길 82, 역삼동 123-45
    re.compile(
        r"[가-힣]{1,10}(?:대로|로|길)\s?\d{1,4}(?:번?길)?(?:\s?\d{1,4})?(?:-\d{1,4})?"
        r"(?!\d|\s?" + _KO_COUNTER + r"|[.,]\d)"
    ),
    re.compile(
        r"(?<![가-힣])(?!(?:"
        + "|".join(_KO_WORDS)
        + r")\s)[가-힣]{1,6}(?:동|읍|면|리|가)\s\d{1,5}(?:-\d{1,5})?(?![\d/.,]|\s?"
        + _KO_COUNTER
        + r")"
    ),
    # English: 14 Baker Street, 120 Main St, 45 Peace Avenue
    re.compile(
        r"(?<![\w.,/])\d{1,5}[A-Za-z]?,?\s(?:[A-Z][\w'’-]+\s){1,3}"
        r"(?:Street|St|Road|Rd|Avenue|Ave|Lane|Ln|Drive|Dr|Boulevard|Blvd|Close|Way|Court|Ct"
        r"|Place|Pl|Crescent|Terrace|Square|Sq|Gardens|Highway|Hwy|Row|Mews|Walk)\b\.?"
    ),
    # English: Flat 3, Apt 5B, Apartment 12, Suite 4, Unit 12, Building 12, Khoroo 3
    re.compile(
        r"\b(?:[Ff]lat|[Aa]pt\.?|[Aa]partment|[Ss]uite|Unit|Building|Bldg\.?|Khoroo|khoroo)"
        r"\s?#?\d{1,5}[A-Za-z]?\b"
    ),
    # Romanised Korean and Russian addresses: Yeoksam-dong 123-45, Teheran-ro 152,
    # 101-dong 1203-ho, Seolleung-ro 93-gil, ul. Lenina 5-12
    re.compile(
        r"\b(?:[A-Z][a-z]+-(?:dong|ro|gil|gu|eup|myeon)|\d{1,4}-(?:dong|ho|gil))\b"
        r"(?:\s\d{1,5}(?:-\d{1,5})?)?"
    ),
    re.compile(
        r"\b(?:ul\.|ulitsa|pr\.|prospekt|per\.|mkr\.?)\s?[A-Z][a-z]+(?:\s\d{1,5}(?:-\d{1,4})?)?"
    ),
]

# Parts that are an address only beside a strong part: a city, a district, a village.
_WEAK = [
    re.compile(r"(?<![\w-])г\.\s?[А-ЯЁ][а-яё]+"),
    re.compile(r"[가-힣]{2,6}(?:특별시|광역시|시|도|구|군)(?=\s)"),
    re.compile(r"[가-힣]{2,5}(?:동|읍|면|리)(?=\s|$|에|,)"),
    re.compile(
        r"[А-ЯЁӨҮ]{2,4}Д|[А-ЯЁӨҮ][а-яёөү]+(?:-[А-ЯЁӨҮ][а-яёөү]+)?\s(?:дүүрэг|сум|хот|баг)\w*"
    ),
    re.compile(r"\b[A-Z][a-z]+-gu\b|\b[A-Z][a-z]+\s(?:district|city)\b"),
]


def find(text: str) -> Iterator[Hit]:
    """Each address, its city or district included when written next to it."""
    strong = sorted(
        {m.span() for pattern in _STRONG for m in pattern.finditer(text) if m.group().strip()}
    )
    weak = sorted({m.span() for pattern in _WEAK for m in pattern.finditer(text)})
    spans = _joined(strong, weak, text)
    for start, end in spans:
        yield Hit(start, end, Kind.ADDRESS)


def _joined(
    strong: list[tuple[int, int]], weak: list[tuple[int, int]], text: str
) -> list[tuple[int, int]]:
    """Strong parts, with the weak ones that touch them, as whole addresses."""
    joined: list[list[int]] = []
    for start, end in sorted(strong + weak):
        is_strong = (start, end) in strong
        touching = joined and (
            start < joined[-1][1]
            or (start - joined[-1][1] <= 3 and _only_separators(text[joined[-1][1] : start]))
        )
        if touching:
            joined[-1][1] = max(joined[-1][1], end)
            joined[-1][2] = joined[-1][2] or is_strong
        else:
            joined.append([start, end, is_strong])
    # a district and its neighbourhood together (강남구 역삼동) make an address too
    return [
        (start, end)
        for start, end, is_strong in joined
        if is_strong or _parts(text[start:end]) >= 2
    ]


def _parts(words: str) -> int:
    return len(
        [w for w in re.split(r"[\s,]+", words) if re.search(r"(?:구|군|시|동|읍|면|리)$", w)]
    )


def _only_separators(between: str) -> bool:
    return all(char in " ,;" for char in between)
