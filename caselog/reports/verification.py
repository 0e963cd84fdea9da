"""The verification link printed on each report, and its QR code as an inline SVG."""

import segno
from flask import current_app
from markupsafe import Markup, escape

QR_SIZE = "28mm"  # printed size, whatever the length of the link
QR_BORDER = 4  # quiet zone in modules, as the QR standard asks


def verify_url(code: str) -> str:
    """The absolute link to the public verification page of a code.

    Built on BASE_URL, the installation's public address, so a report rendered from the
    command line or behind a proxy points where a third party can reach it.
    """
    return _public("verify.show", code=code)


def verify_page_url() -> str:
    """The absolute link to the public page where a code is typed in."""
    return _public("verify.index")


def _public(endpoint: str, **values) -> str:
    path = current_app.url_map.bind("localhost").build(endpoint, values)
    return current_app.config["BASE_URL"].rstrip("/") + path


def qr_svg(url: str, size: str = QR_SIZE) -> Markup:
    """An inline SVG QR code of the link: black modules on white, `size` wide and high.

    Dark modules are filled squares (one rectangle per run of a row) on a viewBox counted
    in modules, so it prints sharp at any resolution, on pages and in PDFs alike.
    """
    qr = segno.make(url, error="m", micro=False)
    width = len(qr.matrix) + 2 * QR_BORDER
    runs = []
    for y, row in enumerate(qr.matrix):
        x = 0
        while x < len(row):
            if row[x]:
                start = x
                while x < len(row) and row[x]:
                    x += 1
                runs.append(f"M{start + QR_BORDER} {y + QR_BORDER}h{x - start}v1h-{x - start}z")
            else:
                x += 1
    return Markup(
        '<svg xmlns="http://www.w3.org/2000/svg" class="qr-code" width="{size}" height="{size}" '
        'viewBox="0 0 {width} {width}" shape-rendering="crispEdges" role="img" '
        'aria-label="{label}"><rect width="{width}" height="{width}" fill="#fff"/>'
        '<path fill="#000" d="{path}"/></svg>'
    ).format(size=size, width=width, label=escape(url), path="".join(runs))
