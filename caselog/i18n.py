"""Language choice, what people wrote shown in the reader's language, and translatable labels
for the domain's coded values."""

import enum
from collections.abc import Mapping

from babel import Locale
from flask import Flask, current_app, has_request_context, request, session
from flask_babel import LazyString, get_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from wtforms.fields.choices import SelectChoice

from caselog.errors import DomainError
from caselog.models import (
    Approach,
    Autonomy,
    CaseStatus,
    Complexity,
    Complication,
    Involvement,
    Program,
    ProgramKind,
    Setting,
    Sex,
    Status,
    Target,
    Urgency,
    User,
)

# Each language named in itself, as a person looking for their own reads it.
LANGUAGE_NAMES = {"en": "English", "ru": "Русский", "mn": "Монгол", "ko": "한국어"}
SESSION_KEY = "locale"  # the language a visitor chose before signing in


def languages() -> list[str]:
    """The codes of the languages this installation speaks, in the order it offers them."""
    return list(current_app.config["LANGUAGES"])


def language_name(code: str) -> str:
    """A language's name in that language: Русский, Монгол, 한국어."""
    return LANGUAGE_NAMES.get(code, code)


def language_choices() -> list[SelectChoice]:
    """The languages on offer as form choices, each named in itself."""
    return [SelectChoice(code, language_name(code)) for code in languages()]


def select_locale() -> str | None:
    """The signed-in user's language; else the one chosen in this browser; else the browser's
    best match among those we speak (Accept-Language); else None, the default."""
    if not has_request_context():  # a CLI command or a service called from a test
        return None
    supported = languages()
    if current_user and current_user.is_authenticated and current_user.locale in supported:
        return current_user.locale
    chosen = session.get(SESSION_KEY)
    if chosen in supported:
        return chosen
    return request.accept_languages.best_match(supported)


def current_language() -> str:
    """The code of the language this page, report or forced block is written in (the
    installation's default outside a request)."""
    locale = get_locale()
    return (
        locale.language if locale is not None else str(current_app.config["BABEL_DEFAULT_LOCALE"])
    )


def user_locale(user: User) -> str:
    """The language to write to a person in when they are not the one asking (mail): the one
    on their account, else the installation's default."""
    config = current_app.config
    chosen = user.locale
    return (
        chosen if chosen and chosen in config["LANGUAGES"] else str(config["BABEL_DEFAULT_LOCALE"])
    )


def translated(
    original: str, translations: Mapping[str, str] | None, locale: str | None = None
) -> str:
    """What a person wrote, in the reader's language when a translation into it was given,
    else as it was written."""
    if translations:
        text = translations.get(locale or current_language())
        if text:
            return text
    return original


def cleaned_translations(
    original: str, given: Mapping[str, str], field: str, max_length: int
) -> dict[str, str]:
    """Translations as they are kept: trimmed, only in the languages spoken here, none empty
    or the same as the original. One too long is refused, named on its field
    (`field`-`code`, as the form names it)."""
    kept = {}
    for code in languages():
        text = " ".join((given.get(code) or "").split())
        if len(text) > max_length:
            raise DomainError(_("At most %(n)d characters.", n=max_length), f"{field}-{code}")
        if text and text != original.strip():
            kept[code] = text
    return kept


def program_name(program: Program) -> str:
    """A program's name as the reader reads it: the one place programs are named."""
    return translated(program.name, program.name_translations)


def target_label(target: Target) -> str:
    """A framework target's label as the reader reads it: the one place targets are named."""
    return translated(target.label, target.label_translations)


def language_for_reader(locale: str) -> str:
    """A language's name in the reader's language, e.g. "Korean" or "корейский" (for the
    catalogue's names in other languages; `language_name` gives it in itself)."""
    name = Locale.parse(locale).get_display_name(current_language()) or locale
    return name[:1].upper() + name[1:]


def local_text(item) -> str:
    """A catalogue row's name in the reader's language (English when it has none), as text."""
    return item.display_name(current_language()).text


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


def language_options() -> list[tuple[str, str]]:
    """(code, name in itself) of every language on offer, for the switcher."""
    return [(code, language_name(code)) for code in languages()]


def init_app(app: Flask) -> None:
    """What templates use to name languages and to show what people wrote in the reader's."""
    app.jinja_env.globals.update(
        language_options=language_options,
        language_name=language_name,
        program_name=program_name,
        target_label=target_label,
    )


def N_(message: str) -> str:  # noqa: N802 - the name message extraction looks for
    """Mark a message for translation that is translated later, when shown to its reader
    (see caselog.notices)."""
    return message
