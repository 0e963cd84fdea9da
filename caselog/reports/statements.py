"""What an issued report states (its title, subject and filters), kept as plain values so that
it can be said in any language: the report's own when it is drawn, the visitor's on the public
verification page. Names people wrote keep their translations as they were at issue.
"""

from dataclasses import dataclass
from datetime import date

from flask_babel import format_date
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from caselog.extensions import db
from caselog.i18n import translated
from caselog.models import IssuedReport, Program, ReportKind, Target, User
from caselog.reports.documents import Cohort, LogbookFilters, Scope

TITLES = {
    ReportKind.LOGBOOK: _l("Trainee logbook"),
    ReportKind.COMPETENCY: _l("Competency summary"),
    ReportKind.COHORT: _l("Cohort progress report"),
}


@dataclass(frozen=True)
class Statement:
    """A report's title, subject and filters, in one language."""

    title: str
    subject: str
    filters: str


def _named(text: str, translations: dict[str, str] | None) -> dict:
    return {"text": text, "translations": dict(translations or {})}


def _said(named: dict | None) -> str:
    return translated(named["text"], named["translations"]) if named else ""


def _day(value: date | None) -> str | None:
    return value.isoformat() if value else None


def logbook_facts(program: Program, trainee: User, filters: LogbookFilters) -> dict:
    """A trainee's logbook: whose, in which program, with which filters."""
    return {
        "trainee": trainee.full_name,
        "program": _named(program.name, program.name_translations),
        "date_from": _day(filters.date_from),
        "date_to": _day(filters.date_to),
        "scope": filters.scope.value,
    }


def competency_facts(program: Program, trainee: User, today: date, version: str) -> dict:
    """A competency summary: whose, in which program, as of which day, against which version."""
    return {
        "trainee": trainee.full_name,
        "program": _named(program.name, program.name_translations),
        "today": today.isoformat(),
        "version": version,
    }


def cohort_facts(program: Program, doc: Cohort) -> dict:
    """A cohort report: which program, and the cohort view's filters and order."""
    view, site = doc.matrix.view, doc.matrix.site
    target = db.session.get(Target, int(view.sort)) if view.sort.isdigit() else None
    return {
        "program": _named(program.name, program.name_translations),
        "cohort": view.cohort,
        "site": site.name if site else None,
        "sort": _named(target.label, target.label_translations) if target else None,
        "descending": view.descending,
    }


def statement(kind: ReportKind, facts: dict) -> Statement:
    """What a report with these facts states, in the language of the moment."""
    program = _said(facts["program"])
    if kind is ReportKind.COHORT:
        return Statement(str(TITLES[kind]), program, _cohort_filters(facts))
    subject = f"{facts['trainee']} · {program}"
    if kind is ReportKind.LOGBOOK:
        filters = LogbookFilters(
            _date(facts["date_from"]), _date(facts["date_to"]), Scope(facts["scope"])
        ).describe()
    else:
        filters = _(
            "Cases to %(day)s · counted against %(version)s",
            day=format_date(date.fromisoformat(facts["today"]), "medium"),
            version=facts["version"],
        )
    return Statement(str(TITLES[kind]), subject, filters)


def restated(report: IssuedReport) -> Statement:
    """What an issued report states, in the language of the moment; as it was printed for a
    report issued before its facts were kept."""
    if report.facts:
        return statement(ReportKind(report.kind), report.facts)
    return Statement(report.title, report.subject, report.filters)


def _date(value: str | None) -> date | None:
    return date.fromisoformat(value) if value else None


def _cohort_filters(facts: dict) -> str:
    """The cohort view's filters in words, as the report prints them."""
    words = [_("Cohort %(name)s", name=facts["cohort"]) if facts["cohort"] else _("All cohorts")]
    words.append(
        _("trainees who logged cases at %(site)s", site=facts["site"])
        if facts["site"]
        else _("any site")
    )
    if facts["sort"]:
        words.append(
            _("ordered by %(target)s", target=_said(facts["sort"]))
            + (" " + _("(highest first)") if facts["descending"] else "")
        )
    elif facts["descending"]:
        words.append(_("ordered by name, Z to A"))
    return " · ".join(words)
