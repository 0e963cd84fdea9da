"""The verification link on a report and its QR code: the right address, a readable symbol."""

import re
import shutil
import subprocess
import xml.etree.ElementTree as ET

import pytest
import segno
from PIL import Image
from weasyprint import HTML

from caselog.reports.verification import QR_BORDER, qr_svg, verify_url
from tests.databases import missing

SVG = "{http://www.w3.org/2000/svg}"
URL = "https://caselog.example-hospital.org/verify/K7QM-2XRD-4P"
LONG_URL = "https://caselog.ministry-of-health.example.gov.mn/training/surgery/verify/K7QM-2XRD-4P"


def test_the_link_goes_to_the_public_address_whatever_renders_it(app):
    app.config["BASE_URL"] = "https://caselog.example-hospital.org/"
    try:
        assert verify_url("K7QM-2XRD-4P") == URL
        with app.test_request_context("/", base_url="http://10.0.0.5:8000"):  # behind a proxy
            assert verify_url("K7QM-2XRD-4P") == URL
        app.config["BASE_URL"] = "https://example.org/caselog"
        assert verify_url("K7QM-2XRD-4P") == "https://example.org/caselog/verify/K7QM-2XRD-4P"
    finally:
        app.config["BASE_URL"] = "http://127.0.0.1:5000"


def modules(svg: str) -> list[list[bool]]:
    """The dark modules the SVG draws, row by row, without the quiet zone."""
    root = ET.fromstring(svg)  # noqa: S314 - our own output
    width = int(root.get("viewBox").split()[2])
    grid = [[False] * width for _ in range(width)]
    for path in root.iter(f"{SVG}path"):
        assert path.get("fill") == "#000"
        for x, y, run in re.findall(r"M(\d+) (\d+)h(\d+)v1h-\3z", path.get("d")):
            for dx in range(int(run)):
                grid[int(y)][int(x) + dx] = True
    inner = range(QR_BORDER, width - QR_BORDER)
    assert not any(
        grid[y][x] for y in range(width) for x in range(width) if y not in inner or x not in inner
    ), "the quiet zone is blank"
    return [[grid[y][x] for x in inner] for y in inner]


def expected(url: str) -> list[list[bool]]:
    return [[bool(cell) for cell in row] for row in segno.make(url, error="m", micro=False).matrix]


@pytest.mark.parametrize("url", [URL, LONG_URL])
def test_the_qr_code_encodes_the_link_in_black_on_white(url):
    svg = str(qr_svg(url))
    root = ET.fromstring(svg)  # noqa: S314 - our own output
    assert root.tag == f"{SVG}svg"
    background = root.find(f"{SVG}rect")
    assert background.get("fill") == "#fff"
    assert background.get("width") == background.get("height") == root.get("viewBox").split()[2]
    assert modules(svg) == expected(url)
    assert segno.make(url, error="m", micro=False).error in ("M", "Q", "H")  # survives a smudge


def test_the_qr_code_has_a_fixed_printed_size_whatever_the_link():
    short, long = (ET.fromstring(str(qr_svg(url))) for url in (URL, LONG_URL))  # noqa: S314
    assert short.get("viewBox") != long.get("viewBox")  # a longer link needs more modules
    for root in (short, long):
        assert root.get("width") == root.get("height") == "28mm"
    assert ET.fromstring(str(qr_svg(URL, size="40mm"))).get("width") == "40mm"  # noqa: S314


def test_the_qr_code_escapes_what_it_is_given():
    svg = str(qr_svg('https://x.example/verify/A"><script>'))
    assert "<script>" not in svg
    ET.fromstring(svg)  # noqa: S314 - still well-formed


def test_the_printed_qr_code_reads_back_module_by_module(tmp_path):
    """Rendered by WeasyPrint and rasterised at 300 dpi, each module is where segno put it."""
    if not shutil.which("pdftoppm"):
        missing("pdftoppm (poppler-utils)")
    pdf = tmp_path / "qr.pdf"
    HTML(string=str(qr_svg(URL))).write_pdf(pdf)
    subprocess.run(
        ["pdftoppm", "-r", "300", "-png", "-singlefile", pdf, tmp_path / "qr"], check=True
    )
    image = Image.open(tmp_path / "qr.png").convert("L")
    dark = image.point(lambda value: 255 if value < 128 else 0)
    left, top, right, bottom = dark.getbbox()  # the finder patterns mark three corners
    want = expected(URL)
    size = len(want)
    module = (right - left) / size
    assert abs((bottom - top) - (right - left)) <= 2, "square"
    printed_mm = module * (size + 2 * QR_BORDER) / 300 * 25.4
    assert abs(printed_mm - 28) < 0.5, printed_mm
    read = [
        [
            image.getpixel((int(left + (x + 0.5) * module), int(top + (y + 0.5) * module))) < 128
            for x in range(size)
        ]
        for y in range(size)
    ]
    assert read == want
