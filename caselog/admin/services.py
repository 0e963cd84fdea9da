"""Every rule about sites, programs and accounts lives here (the admin's organisation work).

Each change writes an audit event in the same transaction, with what it was before and
after, naming the admin who made it (None: the command line or the system) and dated with
the time the caller gives (`now`).
"""

from dataclasses import dataclass, field
from datetime import date, datetime
from typing import TypeVar
from zoneinfo import available_timezones

from babel import Locale
from flask_babel import gettext as _
from flask_babel import ngettext
from sqlalchemy import func, select

from caselog.audit.services import changes, record
from caselog.auth import links, sessions
from caselog.auth.passwords import check_new_password, unusable_password_hash
from caselog.auth.services import hash_password, normalise_email
from caselog.errors import DomainError
from caselog.extensions import db
from caselog.i18n import cleaned_translations
from caselog.models import (
    Enrolment,
    LinkPurpose,
    PasswordLink,
    Program,
    ProgramKind,
    Site,
    Specialty,
    User,
)

# Sites ---------------------------------------------------------------------------------


@dataclass
class SiteInput:
    """A hospital as typed."""

    name: str
    city: str
    country: str
    time_zone: str


def country_names() -> dict[str, str]:
    """ISO 3166 alpha-2 codes and their English names (babel's territory list)."""
    return {
        code: name
        for code, name in Locale.parse("en").territories.items()
        if len(code) == 2 and code.isalpha()
    }


def time_zones() -> list[str]:
    """Every IANA time zone name this system knows, sorted."""
    return sorted(available_timezones())


def create_site(data: SiteInput, *, actor: User | None, now: datetime) -> Site:
    """Add a hospital."""
    site = Site()
    _apply_site(site, data)
    db.session.add(site)
    db.session.flush()
    record("site", site.id, "created", after=site_content(site), actor=actor, now=now)
    return site


def update_site(site: Site, data: SiteInput, *, actor: User | None, now: datetime) -> Site:
    """Change a hospital's details."""
    before = site_content(site)
    _apply_site(site, data)
    db.session.flush()
    old, new = changes(before, site_content(site))
    if new:
        record("site", site.id, "changed", before=old, after=new, actor=actor, now=now)
    return site


def site_content(site: Site) -> dict[str, object]:
    """A hospital as plain values, for the audit trail."""
    return {
        "name": site.name,
        "city": site.city,
        "country": site.country,
        "time_zone": site.time_zone,
    }


def _apply_site(site: Site, data: SiteInput) -> None:
    name = data.name.strip()
    if not name:
        raise DomainError(_("Enter the hospital's name."), "name")
    clash = db.session.scalar(
        select(Site.id).where(func.lower(Site.name) == name.lower(), Site.id != (site.id or 0))
    )
    if clash:
        raise DomainError(_("A site called %(name)s already exists.", name=name), "name")
    country = data.country.strip().upper()
    if len(country) != 2 or not country.isalpha() or country not in country_names():
        raise DomainError(
            _("Enter the country as its two-letter ISO code, for example KR, MN or GB."), "country"
        )
    time_zone = data.time_zone.strip()
    if time_zone not in available_timezones():
        raise DomainError(
            _(
                "“%(zone)s” is not a time zone name. Use a name such as Asia/Seoul or "
                "Europe/London.",
                zone=time_zone,
            ),
            "time_zone",
        )
    site.name = name
    site.city = data.city.strip()
    site.country = country
    site.time_zone = time_zone


# Programs ------------------------------------------------------------------------------


@dataclass
class ProgramInput:
    """A training program as typed."""

    name: str
    kind: ProgramKind
    specialty_id: int
    start_date: date
    end_date: date
    site_ids: list[int] = field(default_factory=list)
    director_ids: list[int] = field(default_factory=list)
    assessment_enabled: bool = False  # mentors rate autonomy and performance at sign-off
    requires_second_factor: bool = False  # signers give a code from an authenticator app
    reminder_max_waiting: int | None = 25  # remind a mentor when more cases wait than this
    reminder_max_days: int | None = 30  # or when any case has waited longer than this
    name_translations: dict[str, str] = field(default_factory=dict)  # by language code


NAME_MAX = 200
MAX_REMINDER_WAITING = 10_000
MAX_REMINDER_DAYS = 3_650


def create_program(data: ProgramInput, *, actor: User | None, now: datetime) -> Program:
    """Add a training program."""
    program = Program()
    _apply_program(program, data)
    db.session.add(program)
    db.session.flush()
    after = program_content(program)
    record("program", program.id, "created", after=after, actor=actor, now=now)
    return program


def update_program(
    program: Program, data: ProgramInput, *, actor: User | None, now: datetime
) -> Program:
    """Change a program's details, sites and directors."""
    before = program_content(program)
    _apply_program(program, data)
    db.session.flush()
    old, new = changes(before, program_content(program))
    if new:
        record("program", program.id, "changed", before=old, after=new, actor=actor, now=now)
    return program


def program_content(program: Program) -> dict[str, object]:
    """A program as plain values (its sites and directors by id), for the audit trail."""
    return {
        "name": program.name,
        "name_translations": dict(program.name_translations or {}),
        "kind": program.kind.value,
        "specialty_id": program.specialty_id,
        "start_date": program.start_date.isoformat(),
        "end_date": program.end_date.isoformat(),
        "site_ids": sorted(site.id for site in program.sites),
        "director_ids": sorted(director.id for director in program.directors),
        "assessment_enabled": program.assessment_enabled,
        "reminder_max_waiting": program.reminder_max_waiting,
        "reminder_max_days": program.reminder_max_days,
    }


def _apply_program(program: Program, data: ProgramInput) -> None:
    name = data.name.strip()
    if not name:
        raise DomainError(_("Enter the program's name."), "name")
    clash = db.session.scalar(
        select(Program.id).where(
            func.lower(Program.name) == name.lower(), Program.id != (program.id or 0)
        )
    )
    if clash:
        raise DomainError(_("A program called %(name)s already exists.", name=name), "name")
    if db.session.get(Specialty, data.specialty_id) is None:
        raise DomainError(_("Choose a specialty from the list."), "specialty_id")
    if data.end_date < data.start_date:
        raise DomainError(_("The end date cannot be before the start date."), "end_date")
    sites = _load_all(Site, data.site_ids)
    if sites is None:
        raise DomainError(_("Choose sites from the list."), "site_ids")
    if not sites:
        raise DomainError(_("Choose at least one site."), "site_ids")
    directors = _load_all(User, data.director_ids)
    if directors is None:
        raise DomainError(_("Choose directors from the list."), "director_ids")
    max_waiting = _check_threshold(
        data.reminder_max_waiting, MAX_REMINDER_WAITING, "reminder_max_waiting"
    )
    max_days = _check_threshold(data.reminder_max_days, MAX_REMINDER_DAYS, "reminder_max_days")
    if program.id is not None:
        _check_dates_cover_enrolments(program, data.start_date, data.end_date)
    program.name = name
    program.name_translations = cleaned_translations(
        name, data.name_translations, "name_translations", NAME_MAX
    )
    program.kind = data.kind
    program.specialty_id = data.specialty_id
    program.start_date = data.start_date
    program.end_date = data.end_date
    program.sites = sites
    program.directors = directors
    program.assessment_enabled = data.assessment_enabled
    program.requires_second_factor = data.requires_second_factor
    program.reminder_max_waiting = max_waiting
    program.reminder_max_days = max_days


def _check_threshold(value: int | None, highest: int, field_name: str) -> int:
    """A reminder threshold is a whole number from 1 up to a sane limit: the value, checked."""
    if (
        value is None
        or isinstance(value, bool)
        or not isinstance(value, int)
        or not 1 <= value <= highest
    ):
        raise DomainError(_("Enter a whole number from 1 to %(n)d.", n=highest), field_name)
    return value


def _check_dates_cover_enrolments(program: Program, start: date, end: date) -> None:
    """Shortening a program must not leave enrolments outside its dates."""
    outside = db.session.scalar(
        select(func.count())
        .select_from(Enrolment)
        .where(
            Enrolment.program_id == program.id,
            (Enrolment.start_date < start) | (Enrolment.end_date > end),
        )
    )
    if outside:
        raise DomainError(
            ngettext(
                "%(num)d enrolment falls outside these dates. Change it first.",
                "%(num)d enrolments fall outside these dates. Change them first.",
                outside,
            ),
            "start_date",
        )


_Row = TypeVar("_Row", Site, User)


def _load_all(model: type[_Row], ids: list[int]) -> list[_Row] | None:
    """The rows with these ids, or None if any id is unknown."""
    wanted = set(ids)
    if not wanted:
        return []
    rows = list(db.session.scalars(select(model).where(model.id.in_(wanted))))
    return rows if len(rows) == len(wanted) else None


# Accounts ------------------------------------------------------------------------------


def find_account(email: str) -> User | None:
    """The account with this e-mail address, whatever its case and spacing."""
    return db.session.scalar(select(User).where(User.email == normalise_email(email)))


def create_account(
    full_name: str,
    email: str,
    password: str | None = None,
    is_admin: bool = False,
    *,
    own_password: bool = False,
    actor: User | None = None,
    now: datetime,
    reason: str = "",
) -> User:
    """Open an account. Without a password, its owner is mailed a link to set one; a
    password typed by someone else must be changed at its first use (`own_password`: the
    owner typed it themselves, as `flask create-admin` asks). Audited, with `reason`."""
    full_name = full_name.strip()
    if not full_name:
        raise DomainError(_("Enter the person's full name."), "full_name")
    email = _checked_email(email)
    if password:
        check_new_password(password, about=(full_name, email))
    user = User(
        full_name=full_name,
        email=email,
        password_hash=hash_password(password) if password else unusable_password_hash(),
        is_admin=is_admin,
        active=True,
        must_change_password=bool(password) and not own_password,
    )
    db.session.add(user)
    db.session.flush()
    password_kind = "own" if own_password else "chosen" if password else "link"
    after = {**account_content(user), "password": password_kind}
    record("user", user.id, "created", after=after, reason=reason, actor=actor, now=now)
    if not password:
        links.send(user, LinkPurpose.WELCOME, actor=actor, now=now)
    return user


def account_content(account: User) -> dict[str, object]:
    """An account as plain values, for the audit trail (never its password or its hash)."""
    return {
        "full_name": account.full_name,
        "email": account.email,
        "is_admin": account.is_admin,
        "active": account.active,
    }


def update_account(
    actor: User, account: User, full_name: str, email: str, is_admin: bool, *, now: datetime
) -> User:
    """Change an account's name, e-mail and admin rights."""
    full_name = full_name.strip()
    if not full_name:
        raise DomainError(_("Enter the person's full name."), "full_name")
    email = _checked_email(email, account)
    if actor.id == account.id and account.is_admin and not is_admin:
        raise DomainError(
            _("You cannot remove your own admin rights; ask another admin."), "is_admin"
        )
    before = account_content(account)
    account.full_name = full_name
    account.email = email
    account.is_admin = is_admin
    db.session.flush()
    old, new = changes(before, account_content(account))
    if new:
        record("user", account.id, "changed", before=old, after=new, actor=actor, now=now)
    return account


def set_active(actor: User, account: User, active: bool, *, now: datetime) -> User:
    """Switch an account off (it can no longer sign in) or on again."""
    if not active and actor.id == account.id:
        raise DomainError(_("You cannot deactivate your own account."))
    if account.active == active:
        return account
    account.active = active
    if not active:
        sessions.end_all(account)  # and reactivating it later brings none of them back
    db.session.flush()
    record(
        "user",
        account.id,
        "reactivated" if active else "deactivated",
        before={"active": not active},
        after={"active": active},
        actor=actor,
        now=now,
    )
    return account


def reset_password(account: User, *, actor: User | None = None, now: datetime) -> PasswordLink:
    """End the account's password and every sign-in of it, and mail its owner a link to set
    a new password: nobody but the owner ever knows it."""
    account.password_hash = unusable_password_hash()
    ended = sessions.end_all(account)
    db.session.flush()
    record(
        "user", account.id, "password_reset", after={"sign_ins_ended": ended}, actor=actor, now=now
    )
    return links.send(account, LinkPurpose.RESET, actor=actor, now=now)


def _checked_email(email: str, account: User | None = None) -> str:
    email = normalise_email(email)
    local, _at, domain = email.partition("@")
    if not local or not domain or "." not in domain or " " in email:
        raise DomainError(_("Enter a valid e-mail address."), "email")
    owner = find_account(email)
    if owner is not None and (account is None or owner.id != account.id):
        raise DomainError(_("Another account already uses %(email)s.", email=email), "email")
    return email
