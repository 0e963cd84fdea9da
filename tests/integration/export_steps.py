"""Steps of the export tests: downloading an export and reading it back as a spreadsheet would."""

import csv
import io
from datetime import UTC, datetime

from openpyxl import load_workbook

from caselog.models import CaseStatus, ProcedureCode
from tests.integration.case_steps import sign_case


def download(client, fmt: str, **args):
    """GET /exports/cases.<fmt> with the filters as its query string; the response."""
    return client.get(f"/exports/cases.{fmt}", query_string=args)


def read_csv(data: bytes) -> list[list]:
    """Rows of a CSV export, quoted text as str and unquoted numbers as numbers."""
    assert data.startswith("\ufeff".encode()), "no byte-order mark"
    text = data.decode("utf-8-sig")
    return list(csv.reader(io.StringIO(text, newline=""), quoting=csv.QUOTE_NONNUMERIC))


def read_xlsx(data: bytes) -> list[list]:
    """Rows of an XLSX export's first sheet as openpyxl reads them."""
    sheet = load_workbook(io.BytesIO(data)).worksheets[0]
    return [[cell.value for cell in row] for row in sheet.iter_rows()]


def xlsx_cells(data: bytes):
    """Every cell of an XLSX export's first sheet (to check data types)."""
    sheet = load_workbook(io.BytesIO(data)).worksheets[0]
    return [cell for row in sheet.iter_rows() for cell in row]


def records(rows: list[list]) -> list[dict]:
    """Rows after the header, as dicts keyed by the header's titles."""
    header, *body = rows
    return [dict(zip(header, row, strict=True)) for row in body]


def exported(client, fmt: str = "csv", **args) -> list[dict]:
    """The export's rows as dicts (asserting it was served)."""
    response = download(client, fmt, **args)
    assert response.status_code == 200, response.status_code
    reader = read_csv if fmt == "csv" else read_xlsx
    return records(reader(response.get_data()))


def references(client, fmt: str = "csv", **args) -> set[str]:
    """The case references an export holds."""
    return {row["Reference"] for row in exported(client, fmt, **args)}


def signed_case(make, world, signer=None, **fields):
    """A case of the world's trainee, submitted and signed by its mentor."""
    case = make.case(
        world.trainee,
        world.program,
        fields.pop("procedure", world.fusion),
        world.mentor,
        status=CaseStatus.SUBMITTED,
        submitted_at=datetime(2024, 3, 4, 5, 6, 7, tzinfo=UTC),
        **fields,
    )
    sign_case(case, signer or world.mentor)
    return case


def add_codes(make, procedure, *codes: str):
    """Give a procedure external codes written "SYSTEM:code"."""
    for text in codes:
        system, code = text.split(":")
        make._save(
            ProcedureCode(procedure_id=procedure.id, system=system, code=code, source="Test")
        )
