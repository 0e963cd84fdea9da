"""Writing rows as CSV or XLSX, a little at a time, with no cell a spreadsheet runs.

A text cell that starts with = + - @, a tab or a carriage return would be read by Excel,
LibreOffice or Google Sheets as a formula (or the start of one), and so would one where
those signs follow spaces, line breaks or invisible characters that a spreadsheet trims:
`safe_cell` prefixes such text with an apostrophe, in both formats, whoever wrote it and
whether or not it was stripped before. Numbers, dates and empty cells keep their type.
"""

import csv
import io
import re
import unicodedata
from collections.abc import Iterable, Iterator
from datetime import UTC, date, datetime
from typing import IO

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ERROR_CODES
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
FORMULA_SIGNS = ("=", "+", "-", "@")
NEUTRALISER = "'"
BOM = "\ufeff"  # lets Excel read a UTF-8 CSV (Cyrillic, Korean) without asking
CSV_CHUNK = 64 * 1024  # characters of CSV gathered before a piece is sent
FILE_CHUNK = 64 * 1024  # bytes read from disk at a time
# Characters XML 1.0 cannot hold (so neither can an XLSX file); shown as U+FFFD instead.
XML_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def safe_cell(value):
    """The value, with text a spreadsheet would treat as a formula made plain text."""
    if isinstance(value, str) and starts_a_formula(value):
        return NEUTRALISER + value
    return value


def starts_a_formula(text: str) -> bool:
    """Whether a spreadsheet could read the text as a formula: it starts with = + - @, a
    tab or a carriage return, or one of those signs comes first after blanks (spaces of any
    kind, line breaks, control and format characters such as a zero-width space)."""
    if text.startswith(FORMULA_STARTS):
        return True
    first = next((ch for ch in text if not _blank(ch)), "")
    return first in FORMULA_SIGNS


def _blank(ch: str) -> bool:
    return ch.isspace() or unicodedata.category(ch) in ("Cc", "Cf")


def csv_value(value):
    """A safe value for a CSV cell: numbers as numbers, dates and times in ISO 8601 (UTC)."""
    if isinstance(value, bool):
        raise TypeError("say yes or no in words: a bool would be written as a number")
    if isinstance(value, datetime):
        return value.astimezone(UTC).replace(tzinfo=None).isoformat(timespec="seconds") + "Z"
    if isinstance(value, date):
        return value.isoformat()
    return safe_cell(value)


def csv_chunks(header: list[str], rows: Iterable[list]) -> Iterator[bytes]:
    """The CSV as UTF-8 pieces: a byte-order mark, the header, then the rows.

    Text is quoted and numbers are not (QUOTE_NONNUMERIC), so a reader can tell "007"
    typed as text from the number 7.
    """
    buffer = io.StringIO()
    writer = csv.writer(buffer, quoting=csv.QUOTE_NONNUMERIC, lineterminator="\r\n")
    buffer.write(BOM)
    writer.writerow([csv_value(title) for title in header])
    for row in rows:
        writer.writerow([csv_value(value) for value in row])
        if buffer.tell() >= CSV_CHUNK:
            yield buffer.getvalue().encode("utf-8")
            buffer.seek(0)
            buffer.truncate()
    yield buffer.getvalue().encode("utf-8")


def xlsx_text(value: str) -> str:
    """Text as an XLSX cell can hold it: neutralised, with characters XML cannot carry
    replaced, and line breaks as Excel's own (\\n; XML would turn a lone \\r into one)."""
    text = XML_ILLEGAL.sub("\ufffd", safe_cell(value))
    return text.replace("\r\n", "\n").replace("\r", "\n")


def xlsx_value(worksheet, value):
    """A value for a write-only worksheet: text always stored as text, never as a formula
    or an error code ("#N/A"); dates as dates; aware times as UTC (Excel has no zones)."""
    if isinstance(value, bool):
        raise TypeError("say yes or no in words: a bool would be written as a number")
    if value == "":
        return None  # no cell at all, rather than an empty text cell
    if isinstance(value, str):
        text = xlsx_text(value)  # never starts with "=", so openpyxl keeps it as text...
        if text not in ERROR_CODES:
            return text
        cell = WriteOnlyCell(worksheet, text)  # ...and "#N/A" is text too, not an error
        cell.data_type = "s"
        return cell
    if isinstance(value, datetime):  # shown as yyyy-mm-dd h:mm:ss
        return value.astimezone(UTC).replace(tzinfo=None)
    return value  # numbers; dates (shown as yyyy-mm-dd); None (an empty cell)


def write_xlsx(
    target: IO[bytes],
    header: list[str],
    rows: Iterable[list],
    title: str,
    widths: Iterable[int] = (),
) -> int:
    """Write an XLSX workbook of one sheet to `target`, row by row; returns the rows written.

    openpyxl's write-only mode keeps no rows in memory: each goes to a temporary file as it
    is appended, and strings are written inline (no shared-strings table to grow).
    """
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title=title[:31])
    sheet.freeze_panes = "A2"
    for index, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width
    bold = Font(bold=True)
    titles = [WriteOnlyCell(sheet, xlsx_text(text)) for text in header]
    for cell in titles:
        cell.font, cell.data_type = bold, "s"
    sheet.append(titles)
    written = 0
    for row in rows:
        sheet.append([xlsx_value(sheet, value) for value in row])
        written += 1
    workbook.save(target)
    return written


def file_chunks(source: IO[bytes]) -> Iterator[bytes]:
    """Read a file from its start in pieces, and close it when done (or abandoned)."""
    try:
        source.seek(0)
        while chunk := source.read(FILE_CHUNK):
            yield chunk
    finally:
        source.close()
