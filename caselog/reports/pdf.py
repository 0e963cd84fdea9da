"""Drawing a report's HTML as PDF with WeasyPrint, from local files only.

Hospitals run closed networks and a report must look the same wherever it is made, so
nothing is fetched: stylesheets and images come from static/ (the base URL), fonts from
the machine (fontconfig: DejaVu Sans for Latin and Cyrillic, Noto Sans CJK for Korean),
and any other URL a template might name stops the rendering instead of being tried.
"""

from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import unquote, urlsplit
from zoneinfo import ZoneInfo

from flask import current_app, render_template
from flask_babel import gettext as _
from markupsafe import Markup
from weasyprint import HTML
from weasyprint.urls import URLFetcher

from caselog.formatting import day_and_time, time_of_day

# The fonts named in templates/reports/_print.css and on every chart (SVG text does not
# inherit the page's font). DejaVu Sans has every Mongolian Cyrillic letter (Ө, Ү).
FONT_STACK = "DejaVu Sans, Noto Sans CJK KR, sans-serif"


class LocalOnlyFetcher(URLFetcher):
    """Serves data: URLs and files inside static/; refuses everything else, loudly."""

    def __init__(self, root: Path):
        super().__init__(
            allowed_protocols=("file", "data"), allow_redirects=False, fail_on_errors=True
        )
        self.root = root.resolve()

    def fetch(self, url: str, headers=None):
        """Fetch a local resource, or raise: no network, no file outside static/."""
        parts = urlsplit(url)
        if parts.scheme == "file":
            path = Path(unquote(parts.path)).resolve()
            if not path.is_relative_to(self.root) or parts.netloc not in ("", "localhost"):
                raise ValueError(f"Refused to read {url}: reports use files in static/ only")
        elif parts.scheme != "data":
            raise ValueError(f"Refused to fetch {url}: reports fetch nothing from a network")
        return super().fetch(url, headers)


def html_to_pdf(html: str) -> bytes:
    """The PDF of a report's HTML; relative links resolve inside static/."""
    assert current_app.static_folder is not None  # the app is created with static/
    root = Path(current_app.static_folder)
    return HTML(
        string=html, base_url=f"{root.as_uri()}/", url_fetcher=LocalOnlyFetcher(root)
    ).write_pdf()


def render_pdf(template: str, **context) -> bytes:
    """Render a template of templates/reports/ and draw it as PDF."""
    return html_to_pdf(render_template(template, **context))


def css_string(text: str) -> str:
    """Text as a quoted CSS string, safe inside a <style> block."""
    escaped = (
        text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\A ").replace("<", "\\3C ")
    )
    return f'"{escaped}"'


def page_of_pages() -> Markup:
    """The CSS `content` of "Page X of Y" in the reader's language."""
    words = _("Page %(page)s of %(pages)s", page="\0page\0", pages="\0pages\0")
    parts = []
    for n, piece in enumerate(words.split("\0")):
        if n % 2:
            parts.append(f"counter({'page' if piece == 'page' else 'pages'})")
        elif piece:
            parts.append(css_string(piece))
    return Markup(" ".join(parts))  # noqa: S704 - every text piece quoted by css_string


def with_font(svg: Markup) -> Markup:
    """A chart with the report's fonts set on it: SVG text does not inherit the page's."""
    return Markup(str(svg).replace("<svg ", f'<svg font-family="{FONT_STACK}" ', 1))  # noqa: S704


def zone_name(moment: datetime) -> str:
    """A short name of a moment's zone: KST, or UTC+08 where the zone has no letters."""
    name = moment.tzname() or ""
    return name if name.isalpha() else f"UTC{name}"


def utc_and_local(moment: datetime, time_zone: str) -> str:
    """A moment in UTC and in a local zone, in the reader's language:
    "Mar 12, 2025, 09:14 UTC · 18:14 KST" (the local date too when it differs)."""
    utc = moment.astimezone(UTC)
    local = moment.astimezone(ZoneInfo(time_zone))
    shown = f"{day_and_time(utc)} UTC"
    if time_zone == "UTC":
        return shown
    when = time_of_day(local) if local.date() == utc.date() else day_and_time(local)
    return f"{shown} · {when} {zone_name(local)}"
