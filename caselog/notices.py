"""Messages for the next page that name records without carrying them.

Flask keeps flashed messages in the session cookie, signed but readable by anyone who holds
it. A message that names a case or a person is therefore flashed as its source text and
ids: the case's, each person's, and the reader's it is meant for. The page that shows it
fills in the procedure, names and date in the reader's language, for that reader only and
only from a case they may still see; anyone else's page drops it.
"""

from collections.abc import Mapping
from typing import Any

from flask import flash
from flask_babel import format_date
from flask_babel import gettext as _
from flask_login import current_user

from caselog import policies
from caselog.extensions import db
from caselog.i18n import N_, local_text
from caselog.models import Case, User


def case_words(case: Case) -> dict[str, str]:
    """What a message may say of a case: procedure, trainee, date, supervisor, signer."""
    signature = case.signature
    return {
        "procedure": local_text(case.primary_procedure),
        "trainee": case.trainee.full_name,
        "date": format_date(case.operation_date, "medium"),
        "supervisor": case.supervisor.full_name,
        "signer": signature.signer_name if signature else "",
    }


def say(
    message: str, *, case: Case | None = None, reason: str | None = None, **people: User
) -> str:
    """The message in the reader's language, its placeholders filled from the case's words,
    the reason (itself a message about the case) and the people's names."""
    words = case_words(case) if case is not None else {}
    if reason is not None:
        words["reason"] = _(reason, **words)
    words.update({key: person.full_name for key, person in people.items()})
    return _(message, **words)


def flash_notice(
    message: str,
    category: str,
    *,
    case: Case | None = None,
    reason: str | None = None,
    hidden: str | None = None,
    **people: User,
) -> None:
    """Flash a message (marked with N_) about a case or people, for the signed-in user's
    next page; the cookie holds its source text and ids only. `hidden` (marked with N_,
    naming nothing) is said instead if the case is out of the reader's sight by then."""
    notice: Any = {  # Flask keeps any JSON value as a flashed message
        "notice": message,
        "hidden": hidden,
        "for": current_user.id,
        "case": case.id if case is not None else None,
        "reason": reason,
        "people": {key: person.id for key, person in people.items()},
    }
    flash(notice, category)


def flash_link_mailed(account: User) -> None:
    """Tell the signed-in user that the account's owner was mailed a link to set a password."""
    flash_notice(N_("A link to set a password was mailed to %(name)s."), "info", name=account)


def notice_text(message: Any) -> str | None:
    """A flashed message as its reader sees it: text as it came; a notice filled in, or
    None when it was meant for someone else or names a case the reader may not see."""
    if not isinstance(message, Mapping):
        return str(message)
    if not current_user.is_authenticated or message.get("for") != current_user.id:
        return None
    case = None
    if message.get("case") is not None:
        case = db.session.get(Case, message["case"])
        if case is None or not policies.can_view_case(current_user, case):
            hidden = message.get("hidden")
            return _(str(hidden)) if hidden else None
    people = {}
    for key, person_id in (message.get("people") or {}).items():
        person = db.session.get(User, person_id)
        if person is None:
            return None
        people[key] = person
    return say(str(message["notice"]), case=case, reason=message.get("reason"), **people)
