"""Language choice, and translatable labels for the domain's coded values."""

import enum

from babel import Locale
from flask import current_app, has_request_context, request
from flask_babel import LazyString, get_locale
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from wtforms.fields.choices import SelectChoice

from caselog.models import (
    Approach,
    Autonomy,
    CaseStatus,
    Complexity,
    Complication,
    Involvement,
    ProgramKind,
    Setting,
    Sex,
    Status,
    Urgency,
)


def select_locale() -> str | None:
    """The user's chosen language, else the browser's best match among those we ship."""
    if not has_request_context():  # a CLI command or a service called from a test
        return None
    languages = current_app.config["LANGUAGES"]
    if current_user and current_user.is_authenticated and current_user.locale in languages:
        return current_user.locale
    return request.accept_languages.best_match(languages)


def current_locale() -> str:
    """The language of the page or report being made ("en" outside a request)."""
    locale = get_locale()
    return locale.language if locale is not None else "en"


def language_name(locale: str) -> str:
    """A language's name in the reader's language, e.g. "Korean" or "корейский"."""
    name = Locale.parse(locale).get_display_name(current_locale()) or locale
    return name[:1].upper() + name[1:]


def local_text(item) -> str:
    """A catalogue row's name in the reader's language (English when it has none), as text."""
    return item.display_name(current_locale()).text


LABELS: dict[type[enum.StrEnum], dict[enum.StrEnum, LazyString]] = {
    Involvement: {
        Involvement.OBSERVED: _l("Observed"),
        Involvement.ASSISTED: _l("Assisted"),
        Involvement.SUPERVISED_SCRUBBED: _l("Performed, supervisor scrubbed"),
        Involvement.SUPERVISED_UNSCRUBBED: _l("Performed, supervisor unscrubbed"),
        Involvement.PERFORMED: _l("Performed independently"),
        Involvement.TAUGHT: _l("Taught a junior"),
    },
    Approach: {
        Approach.OPEN: _l("Open"),
        Approach.MICROSCOPIC: _l("Microscopic"),
        Approach.ENDOSCOPIC: _l("Endoscopic"),
        Approach.LAPAROSCOPIC: _l("Laparoscopic"),
        Approach.ROBOTIC: _l("Robotic"),
        Approach.PERCUTANEOUS: _l("Percutaneous"),
    },
    Urgency: {
        Urgency.ELECTIVE: _l("Elective"),
        Urgency.URGENT: _l("Urgent"),
        Urgency.EMERGENCY: _l("Emergency"),
    },
    Setting: {
        Setting.THEATRE: _l("Theatre"),
        Setting.LIVE_DEMONSTRATION: _l("Live demonstration"),
        Setting.WORKSHOP: _l("Workshop"),
        Setting.VIDEO: _l("Video"),
    },
    Sex: {Sex.FEMALE: _l("Female"), Sex.MALE: _l("Male"), Sex.OTHER: _l("Other")},
    Complication: {
        Complication.NONE: _l("None"),
        **{
            grade: _l("Clavien-Dindo %(grade)s", grade=grade.value)
            for grade in Complication
            if grade is not Complication.NONE
        },
    },
    CaseStatus: {
        CaseStatus.DRAFT: _l("Draft"),
        CaseStatus.SUBMITTED: _l("Awaiting sign-off"),
        CaseStatus.RETURNED: _l("Returned"),
        CaseStatus.APPROVED: _l("Approved"),
        CaseStatus.WITHDRAWN: _l("Withdrawn"),
    },
    Autonomy: {
        Autonomy.SHOW_AND_TELL: _l("Show and tell"),
        Autonomy.ACTIVE_HELP: _l("Active help"),
        Autonomy.PASSIVE_HELP: _l("Passive help"),
        Autonomy.SUPERVISION_ONLY: _l("Supervision only"),
    },
    Complexity: {
        Complexity.EASIER: _l("Easier third"),
        Complexity.AVERAGE: _l("Average"),
        Complexity.HARDER: _l("Harder third"),
    },
    Status: {
        Status.MET: _l("Met"),
        Status.ON_TRACK: _l("On track"),
        Status.BEHIND: _l("Behind"),
        Status.NOT_STARTED: _l("Not started"),
    },
    ProgramKind: {
        ProgramKind.RESIDENCY: _l("Residency"),
        ProgramKind.FELLOWSHIP: _l("Fellowship"),
        ProgramKind.VISITING: _l("Visiting program"),
        ProgramKind.MASTER_CLASS: _l("Master class"),
    },
}


def label(value) -> str:
    """The translated label of an enum member; empty for None."""
    if value is None:
        return ""
    return str(LABELS[type(value)][value])


def choices(enum_cls) -> list[SelectChoice]:
    """The enum's members as form choices, in the enum's order."""
    return [SelectChoice(member.value, LABELS[enum_cls][member]) for member in enum_cls]
