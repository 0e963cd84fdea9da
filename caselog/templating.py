"""What every template can use: permission rules, labels, the request's time (`now()`),
local times; and the error pages."""

from datetime import datetime
from zoneinfo import ZoneInfo

from flask import Flask, render_template
from flask_babel import format_date, format_datetime, get_locale
from flask_wtf.csrf import CSRFError

from caselog import clock, policies
from caselog.i18n import label


def init_app(app: Flask) -> None:
    app.jinja_env.globals.update(
        policies=policies, label=label, get_locale=get_locale, now=clock.now
    )
    app.jinja_env.filters["local_datetime"] = local_datetime
    app.jinja_env.filters["date"] = format_date
    for code in (400, 403, 404, 429):
        app.register_error_handler(code, _error_page)
    app.register_error_handler(CSRFError, _csrf_error)


def local_datetime(moment: datetime | None, time_zone: str = "UTC") -> str:
    """A UTC timestamp shown in a site's time zone, with the zone named."""
    if moment is None:
        return ""
    local = moment.astimezone(ZoneInfo(time_zone))
    return f"{format_datetime(local, 'medium', rebase=False)} ({local.tzname()})"


def _error_page(error):
    return render_template("error.html", error=error), error.code


def _csrf_error(error):
    return render_template("error.html", error=error, csrf=True), 400
