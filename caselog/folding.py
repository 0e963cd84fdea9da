"""Text folded for search and sorting, the same for Latin, Cyrillic and Hangul.

SQL's LOWER() and ILIKE do not fold Cyrillic on SQLite, so names are folded here when they
are written (into a search column) and queries are folded the same way before they are
compared. static/js/procedure-picker.js folds what is typed with the same steps.
"""

import unicodedata
from collections.abc import Iterable

LATIN_END = "\u0250"  # Latin letters (with their accented forms) come before this point
# Mongolian Cyrillic letters that Unicode orders after я; in the alphabet they follow о and у.
_MONGOLIAN_ORDER = str.maketrans({"ө": "о\u04ff", "ү": "у\u04ff"})


def fold(text: str) -> str:
    """Lower case, ё as е, accents of Latin letters dropped (é as e), spaces collapsed.

    Cyrillic й, ө, ү and Hangul syllables keep their identity: they are letters of their own.
    """
    lowered = unicodedata.normalize("NFKC", text).lower().replace("ё", "е")
    kept: list[str] = []
    for char in unicodedata.normalize("NFD", lowered):
        if unicodedata.combining(char) and kept and kept[-1] < LATIN_END:
            continue  # an accent on a Latin letter
        kept.append(char)
    return " ".join(unicodedata.normalize("NFC", "".join(kept)).split())


def search_text(terms: Iterable[str | None]) -> str:
    """The folded terms one per line, each also without its spaces and hyphens.

    Korean is written with and without spaces between words (척추 유합술, 척추유합술), and
    abbreviations with and without hyphens (MIS-TLIF, MIS TLIF): either finds the term.
    """
    lines: list[str] = []
    for term in terms:
        folded = fold(term or "")
        compact = folded.replace(" ", "").replace("-", "")
        for line in (folded, compact):
            if line and line not in lines:
                lines.append(line)
    return "\n".join(lines)


def words(query: str) -> list[str]:
    """The folded words of a query, each of which a match must contain."""
    return fold(query).split()


def sort_key(text: str) -> str:
    """A key that orders names alphabetically in each of the catalogue's scripts."""
    return fold(text).translate(_MONGOLIAN_ORDER)
