"""What every template can use: permission rules, labels, the request's time (`now()`),
local times; and the error pages."""

from datetime import datetime
from zoneinfo import ZoneInfo

from flask import Flask, render_template, request
from flask_babel import format_date, format_datetime, format_decimal, get_locale
from flask_babel import gettext as _
from flask_wtf.csrf import CSRFError
from markupsafe import Markup, escape

from caselog import clock, policies
from caselog.i18n import current_language, label, language_for_reader, local_text
from caselog.models.catalogue import CATALOGUE_LOCALES, Translated
from caselog.notices import notice_text


def init_app(app: Flask) -> None:
    app.jinja_env.globals.update(
        policies=policies,
        label=label,
        get_locale=get_locale,
        now=clock.now,
        language_for_reader=language_for_reader,
        catalogue_locales=CATALOGUE_LOCALES,
        notice_text=notice_text,
    )
    app.jinja_env.filters["language_for_reader"] = language_for_reader
    app.jinja_env.filters["local_datetime"] = local_datetime
    app.jinja_env.filters["local_name"] = local_name
    app.jinja_env.filters["local_text"] = local_text
    app.jinja_env.filters["date"] = format_date
    for code in (400, 403, 404, 429):
        app.register_error_handler(code, _error_page)
    app.register_error_handler(413, _too_large)
    app.register_error_handler(CSRFError, _csrf_error)


def local_datetime(moment: datetime | None, time_zone: str = "UTC") -> str:
    """A UTC timestamp shown in a site's time zone, with the zone named."""
    if moment is None:
        return ""
    local = moment.astimezone(ZoneInfo(time_zone))
    return f"{format_datetime(local, 'medium', rebase=False)} ({local.tzname()})"


def local_name(item: Translated, english: bool = False) -> Markup:
    """A catalogue name (procedure, group, specialty) in the reader's language, marked "EN"
    when English stands in for a missing one; with `english`, the English name beside it
    when the two differ. For text without markup (titles, attributes), use `local_text`."""
    locale = current_language()
    name = item.display_name(locale)
    if name.fallback:
        note = _(
            "No name in %(language)s yet: shown in English.", language=language_for_reader(locale)
        )
        return Markup(
            '<span lang="en">{}</span> <span class="name-fallback" title="{}">'
            '<span aria-hidden="true">EN</span><span class="visually-hidden">{}</span></span>'
        ).format(name.text, note, note)
    html = escape(name.text)
    if english and name.differs:
        html += Markup(' <span class="english-name" lang="en">{}</span>').format(name.english)
    return html


def _error_page(error):
    return render_template("error.html", error=error), error.code


def _too_large(error):
    """A request body over MAX_CONTENT_LENGTH, refused before it is read."""
    megabytes = (request.max_content_length or 0) / (1024 * 1024)
    size = format_decimal(megabytes, "#,##0.#")
    return render_template("error.html", error=error, limit=size), 413


def _csrf_error(error):
    return render_template("error.html", error=error, csrf=True), 400
