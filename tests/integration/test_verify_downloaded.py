"""End to end: a director downloads a logbook; a board reads its code and checks the file."""

import io
import re
import shutil
import subprocess

from caselog.models import CaseStatus
from tests.databases import missing


def test_a_downloaded_logbook_verifies_from_the_code_printed_on_it(
    app, client, world, make, tmp_path
):
    if not shutil.which("pdftotext"):
        missing("pdftotext (poppler-utils)")
    make.case(world.trainee, world.program, world.fusion, world.mentor, status=CaseStatus.APPROVED)
    client.login(world.director)
    response = client.get(f"/reports/logbook/{world.program.id}/{world.trainee.id}.pdf")
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    pdf = response.get_data()
    (tmp_path / "logbook.pdf").write_bytes(pdf)
    printed = subprocess.run(
        ["pdftotext", tmp_path / "logbook.pdf", "-"], check=True, capture_output=True, text=True
    ).stdout
    code = re.search(r"\b[A-Z2-9]{4}-[A-Z2-9]{4}-[A-Z2-9]{2}\b", printed).group(0)

    board = app.test_client()  # not signed in
    page = board.get(f"/verify/{code}").get_data(as_text=True)
    assert "Issued by this Caselog installation" in page and "Bat-Erdene Dorj" in page
    check = board.submit(
        f"/verify/{code}",
        {"document": (io.BytesIO(pdf), "logbook.pdf")},
        content_type="multipart/form-data",
    )
    assert "This file is exactly the report issued on" in check.get_data(as_text=True)
    tampered = bytearray(pdf)
    tampered[len(pdf) // 3] ^= 0x20
    check = board.submit(
        f"/verify/{code}",
        {"document": (io.BytesIO(bytes(tampered)), "logbook.pdf")},
        content_type="multipart/form-data",
    )
    assert "This file is NOT the issued report" in check.get_data(as_text=True)
