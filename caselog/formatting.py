"""Numbers, percentages, lists and short dates written the reader's way (Babel, in the
request's locale or the one a block forces), for templates and Python alike.

Whole dates and times go through flask_babel's `format_date` and `format_datetime` (the
`date` and `local_datetime` filters); this module adds what those do not cover.
"""

from collections.abc import Iterable
from datetime import date, datetime

from babel import Locale
from babel.dates import format_skeleton
from babel.lists import format_list
from flask import Flask, Response, request
from flask_babel import format_decimal, format_percent, get_locale


def number(value: float) -> str:
    """A number as the reader writes it: 1,234.5 in English, 1 234,5 in Russian."""
    return format_decimal(value)


def percent(hundredths: float) -> str:
    """A percentage given in hundredths (37 for 37%): 37% in English, 37 % in Russian."""
    return format_percent(hundredths / 100)


def names(items: Iterable) -> str:
    """Names joined as a list in the reader's language: "A, B and C", "A, B и C"."""
    words = [str(item) for item in items]
    return format_list(words, locale=get_locale()) if words else ""


def month_day(day: date) -> str:
    """A day without its year, in the reader's order: "Mar 12", "12 мар.", "3월 12일"."""
    return format_skeleton("MMMd", day, locale=get_locale())


def month_year(day: date, full: bool = False) -> str:
    """A month of a year: "Mar 2025", "март 2025 г.", "2025년 3월" (full: "March 2025")."""
    return format_skeleton("yMMMM" if full else "yMMM", day, locale=get_locale())


def month_tick(day: date) -> str:
    """A chart axis's mark for a month: its short name ("Sep", "сент.", "9월"), or at January
    the year alone, so that long month names (Mongolian "9-р сар") do not run into each other."""
    if day.month == 1:
        return str(day.year)
    return format_skeleton("MMM", day, locale=get_locale())


def time_of_day(moment: datetime) -> str:
    """A moment's time on the 24-hour clock, in its own zone, as the reader writes it: 09:14."""
    return format_skeleton("Hm", moment, locale=get_locale())


def day_and_time(moment: datetime) -> str:
    """A moment's date and 24-hour time, in its own zone and the reader's order:
    "Mar 12, 2025, 09:14", "12 мар. 2025 г., 09:14", "2025년 3월 12일 09:14"."""
    locale = get_locale() or Locale("en")
    day = format_skeleton("yMMMd", moment, locale=locale)
    return str(locale.datetime_formats["medium"].format(time_of_day(moment), day))


def init_app(app: Flask) -> None:
    """The helpers as Jinja filters; responses say they differ by the browser's language."""
    app.jinja_env.filters.update(
        number=number, percent=percent, names=names, month_day=month_day, month_year=month_year
    )
    app.after_request(_vary_by_language)


def _vary_by_language(response: Response) -> Response:
    """A page is written in the language the browser asks for (Accept-Language) or the one
    chosen (kept in the session cookie): caches must keep the versions apart. Static files
    are the same in every language."""
    if not (request.endpoint or "").endswith("static"):
        response.vary.add("Accept-Language")
        response.vary.add("Cookie")
    return response
