"""Shared steps of the PDF reports' tests: a world with names in three scripts, reading PDFs
back as text (pdftotext) and as pictures (pdftoppm)."""

import re
import shutil
import subprocess
from pathlib import Path
from types import SimpleNamespace

from PIL import Image

from caselog.models import Autonomy, Involvement
from tests.databases import missing
from tests.integration.case_steps import amend
from tests.integration.cohort_steps import set_cohort
from tests.integration.dashboard_steps import pending, signed, spine_framework

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"
CODE = re.compile(r"\b[A-HJ-NP-Z2-9]{4}-[A-HJ-NP-Z2-9]{4}-[A-HJ-NP-Z2-9]{2}\b")
MEANING = "I supervised this operation and confirm the trainee's role as recorded."

TRAINEE = "Батбаярын Ганболд"  # Mongolian, in Cyrillic (Ө and Ү live in few fonts)
OTHER_TRAINEE = "Мөнх-Эрдэнэ Сүхбаатар"
MENTOR = "김민준 (Kim Min-jun)"  # Korean


def reports_world(make, world, db_session):
    """The world's program with a framework (Spine fellowship targets v1) and cases of both
    trainees: signed with ratings, pending, one amended after signing (two versions), one
    with a complication. Names in Cyrillic and Korean; the mentor signs as 김민준."""
    world.trainee.full_name = TRAINEE
    world.other_trainee.full_name = OTHER_TRAINEE
    world.mentor.full_name = MENTOR
    db_session.flush()
    version = spine_framework(make, world)
    set_cohort(db_session, world.trainee, world.program, "2024")
    set_cohort(db_session, world.other_trainee, world.program, "2025")
    cases = [
        signed(make, world, world.microdiscectomy, 150),
        signed(make, world, world.acdf, 120, autonomy=Autonomy.ACTIVE_HELP),
        signed(make, world, world.fusion, 90, autonomy=Autonomy.PASSIVE_HELP),
    ]
    amended = signed(make, world, world.microdiscectomy, 60)
    amend(
        amended,
        world.trainee,
        "The trainee performed it",
        submit=True,
        involvement=Involvement.PERFORMED,
    )
    waiting = pending(make, world, world.acdf, 5)
    others = [
        signed(make, world, world.microdiscectomy, days, trainee=world.other_trainee)
        for days in (100, 40)
    ]
    db_session.flush()
    return SimpleNamespace(
        version=version, cases=cases, amended=amended, waiting=waiting, others=others
    )


def poppler() -> None:
    """pdftotext and pdftoppm, or the test fails under CI=true (skips elsewhere)."""
    for tool in ("pdftotext", "pdftoppm", "pdffonts"):
        if shutil.which(tool) is None:
            missing(f"{tool} (poppler-utils)")


def pdf_text(data: bytes, folder: Path) -> str:
    """The PDF's text as pdftotext reads it, pages separated by form feeds."""
    source = folder / "report.pdf"
    source.write_bytes(data)
    return subprocess.run(
        ["pdftotext", "-enc", "UTF-8", source, "-"], check=True, capture_output=True, text=True
    ).stdout


def pdf_fonts(data: bytes, folder: Path) -> str:
    """The fonts embedded in the PDF, as pdffonts lists them."""
    source = folder / "fonts.pdf"
    source.write_bytes(data)
    return subprocess.run(["pdffonts", source], check=True, capture_output=True, text=True).stdout


def pdf_pages(data: bytes, folder: Path, keep_as: str | None = None, keep: int = 2) -> list[Path]:
    """Each page drawn as a PNG; the first `keep` saved in test-artifacts/ as `keep_as`."""
    source = folder / "pages.pdf"
    source.write_bytes(data)
    subprocess.run(
        ["pdftoppm", "-r", "80", "-png", source, folder / "page"], check=True, capture_output=True
    )
    pages = sorted(folder.glob("page-*.png"))
    if keep_as:
        ARTIFACTS.mkdir(exist_ok=True)
        for n, page in enumerate(pages[:keep], start=1):
            shutil.copy(page, ARTIFACTS / f"{keep_as}-{n}.png")
    return pages


def ink(png: Path) -> float:
    """The share of a page's pixels that are not white: 0 for a blank page."""
    with Image.open(png) as image:
        grey = image.convert("L")
        histogram = grey.histogram()
    return 1 - sum(histogram[250:]) / sum(histogram)
