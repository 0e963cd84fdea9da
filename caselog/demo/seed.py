"""Replace the database's contents with the demo world, so a newcomer can sign in and look."""

from datetime import UTC, date, datetime, time, timedelta
from random import Random
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.orm import joinedload

from caselog.audit.guard import guard_lifted
from caselog.auth.services import hash_password
from caselog.cases.services import CaseInput, log_case
from caselog.catalogue.loader import STARTER_CATALOGUE, load_catalogue
from caselog.demo.casemix import PROFILES, case_details
from caselog.demo.schedules import PlannedCase, plan_all
from caselog.demo.world import APPOINTMENTS, ENROLMENTS, SITES, World, build_world
from caselog.extensions import db
from caselog.models import Case, CaseStatus, Procedure
from caselog.models.types import local_today, utcnow

SEED = 2026
REFERENCE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"
SHORT_NAMES = {
    "fellowship": "Spine fellowship",
    "visiting": "Visiting program",
    "hpb": "HPB exchange",
    "masterclass": "Master class",
    "residency": "General surgery residency",
}


def seed_demo(password: str) -> list[str]:
    """Wipe every table, build the demo world and its cases, commit; return the log-ins."""
    rng = Random(SEED)
    wipe_database()
    load_catalogue(STARTER_CATALOGUE)
    world = build_world(demo_today(), hash_password(password))
    world.procedures = _procedures()
    plans = plan_all(world, rng)
    missing = sorted({plan.procedure for plan in plans} - world.procedures.keys())
    if missing:
        raise RuntimeError(f"The starter catalogue lacks the demo's procedures: {missing}")
    now = utcnow()
    for plan in plans:
        _log(world, plan, rng, now)
    db.session.commit()
    return login_lines(world, password, len(plans))


def wipe_database() -> None:
    """Delete the rows of every table, children before parents, inside the current transaction."""
    db.session.flush()
    with guard_lifted(db.session):  # the demo starts a fresh audit trail too
        for table in reversed(db.metadata.sorted_tables):
            db.session.execute(table.delete())
    db.session.expunge_all()


def demo_today() -> date:
    """The earliest local date among the demo's time zones: no site sees a future operation."""
    return min(local_today(zone) for *_, zone in SITES)


def _procedures() -> dict[tuple[str, str], Procedure]:
    query = select(Procedure).options(joinedload(Procedure.specialty))
    return {(p.specialty.code, p.code): p for p in db.session.scalars(query)}


def _log(world: World, plan: PlannedCase, rng: Random, now: datetime) -> Case:
    """Log one planned case through the app's own rules, then age it realistically."""
    profile = PROFILES[plan.procedure]
    extras = []
    if plan.shared is not None:
        details = dict(plan.shared)
    else:
        details = {**case_details(rng, profile, plan.involvement), **plan.overrides}
        extras = [world.procedures[key].id for key, chance in profile.extras
                  if rng.random() < chance]
    status = status_for(rng, (world.today - plan.day).days)
    data = CaseInput(
        operation_date=plan.day,
        site_id=world.sites[plan.site].id,
        supervisor_id=world.people[plan.supervisor].id,
        primary_procedure_id=world.procedures[plan.procedure].id,
        involvement=plan.involvement,
        setting=plan.setting,
        program_id=world.programs[plan.program].id,
        additional_procedure_ids=extras,
        **details,
    )
    case = log_case(world.people[plan.trainee], data, submit=status is not CaseStatus.DRAFT)
    case.status = status
    case.reference = "".join(rng.choice(REFERENCE_ALPHABET) for _ in range(8))
    case.reference = f"{case.reference[:4]}-{case.reference[4:]}"
    _age(case, plan.day, world.sites[plan.site].time_zone, rng, now)
    return case


def status_for(rng: Random, days_ago: int) -> CaseStatus:
    """Old cases are signed off; recent ones wait in a queue, with a few returned or drafts."""
    if days_ago > 40:
        weights = (1, 0, 2, 97)
    elif days_ago > 14:
        weights = (4, 28, 6, 62)
    else:
        weights = (17, 48, 5, 30)
    order = [CaseStatus.DRAFT, CaseStatus.SUBMITTED, CaseStatus.RETURNED, CaseStatus.APPROVED]
    return rng.choices(order, weights)[0]


def _age(case: Case, day: date, zone: str, rng: Random, now: datetime) -> None:
    """Logged the evening of the operation or a few days later; submitted then or soon after."""
    lag = rng.choices([0, 1, 2, 3, 6], [55, 20, 10, 8, 7])[0]
    local = datetime.combine(day + timedelta(days=lag),
                             time(rng.randint(16, 22), rng.randint(0, 59)), ZoneInfo(zone))
    created = min(local.astimezone(UTC), now - timedelta(minutes=rng.randint(5, 60)))
    submitted = None
    if case.status is not CaseStatus.DRAFT:
        delay = timedelta(0) if rng.random() < 0.75 else timedelta(days=rng.randint(1, 4))
        submitted = min(created + delay, now - timedelta(minutes=1))
    case.created_at = created
    case.submitted_at = submitted
    case.updated_at = submitted or created


def login_lines(world: World, password: str, case_count: int) -> list[str]:
    """Every demo account by role, with its e-mail, so a newcomer can sign in."""
    sites = {key: site.name for key, site in world.sites.items()}
    people = world.people
    programs_of = _group(ENROLMENTS, lambda row: SHORT_NAMES[row[1]])
    mentored = _group(
        APPOINTMENTS,
        lambda row: SHORT_NAMES[row[1]] + (f" at {sites[row[2]]}" if row[2] else ""),
    )
    directed: dict[str, list[str]] = {}
    for key, program in world.programs.items():
        for director in program.directors:
            directed.setdefault(_key(director.email), []).append(SHORT_NAMES[key])
    groups = [
        ("Administrator", "admin", {k: ["all sites, accounts and the catalogue"]
                                    for k, u in people.items() if u.is_admin}),
        ("Program directors", "director", directed),
        ("Mentors", "mentor", mentored),
        ("Trainees", "trainee", programs_of),
    ]
    width = max(len(user.email) for user in people.values())
    lines = [
        f"Demo world ready: {len(world.sites)} sites, {len(world.programs)} programs, "
        f"{len(people)} accounts, {case_count} cases.",
        f"Sign in with any e-mail below; the password of every demo account is: {password}",
    ]
    for title, role, holders in groups:
        lines += ["", f"{title}:"]
        for key, roles in holders.items():
            user = people[key]
            lines.append(f"  {role:<9} {user.email:<{width}}  {user.full_name} — "
                         f"{'; '.join(dict.fromkeys(roles))}")
    return lines


def _group(rows, label) -> dict[str, list[str]]:
    grouped: dict[str, list[str]] = {}
    for row in rows:
        grouped.setdefault(row[0], []).append(label(row))
    return grouped


def _key(email: str) -> str:
    return email.split("@", 1)[0]
