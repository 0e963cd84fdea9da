"""Replace the database's contents with the demo world, so a newcomer can sign in and look."""

from datetime import date, datetime, timedelta
from random import Random

from sqlalchemy import select
from sqlalchemy.orm import joinedload

from caselog.audit.guard import guard_lifted
from caselog.auth.services import hash_password
from caselog.cases.services import CaseInput
from caselog.catalogue.loader import STARTER_CATALOGUE, load_catalogue
from caselog.demo.casemix import PROFILES, case_details
from caselog.demo.lifecycle import SLOW_MENTOR, Story, live, status_for, timeline
from caselog.demo.schedules import PlannedCase, plan_all
from caselog.demo.world import (
    APPOINTMENTS,
    DELEGATES,
    ENROLMENTS,
    SITES,
    World,
    build_world,
)
from caselog.extensions import db
from caselog.models import CaseStatus, Procedure
from caselog.models.types import local_date

SEED = 2026
REFERENCE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"
SHORT_NAMES = {
    "fellowship": "Spine fellowship",
    "visiting": "Visiting program",
    "hpb": "HPB exchange",
    "masterclass": "Master class",
    "residency": "General surgery residency",
}


def seed_demo(password: str, *, now: datetime) -> list[str]:
    """Wipe every table, build the demo world and its cases as they stand at `now` (its past
    replayed through the services); return the log-ins. The caller commits."""
    rng = Random(SEED)
    wipe_database()
    load_catalogue(STARTER_CATALOGUE)
    world = build_world(demo_today(now), hash_password(password))
    world.procedures = _procedures()
    plans = plan_all(world, rng)
    missing = sorted({plan.procedure for plan in plans} - world.procedures.keys())
    if missing:
        raise RuntimeError(f"The starter catalogue lacks the demo's procedures: {missing}")
    live(world, [_story(world, plan, rng, now) for plan in plans], rng, now)
    db.session.flush()
    return login_lines(world, password, len(plans))


def wipe_database() -> None:
    """Delete the rows of every table, children before parents, inside the current transaction."""
    db.session.flush()
    with guard_lifted(db.session()):  # the demo starts a fresh audit trail too
        for table in reversed(db.metadata.sorted_tables):
            db.session.execute(table.delete())
    db.session.expunge_all()


def demo_today(now: datetime) -> date:
    """The earliest local date among the demo's time zones an hour before `now`: no site
    sees a future operation, even for a case logged up to an hour ago."""
    return min(local_date(now - timedelta(hours=1), zone) for *_, zone in SITES)


def _procedures() -> dict[tuple[str, str], Procedure]:
    query = select(Procedure).options(joinedload(Procedure.specialty))
    return {(p.specialty.code, p.code): p for p in db.session.scalars(query)}


def _story(world: World, plan: PlannedCase, rng: Random, now: datetime) -> Story:
    """What the trainee will record for one planned case, its reference, where it ends up
    and when it was logged and submitted (nothing is written yet)."""
    profile = PROFILES[plan.procedure]
    extras = []
    if plan.shared is not None:
        details = dict(plan.shared)
    else:
        details = {**case_details(rng, profile, plan.involvement), **plan.overrides}
        extras = [
            world.procedures[key].id for key, chance in profile.extras if rng.random() < chance
        ]
    status = status_for(rng, (world.today - plan.day).days, plan.supervisor == SLOW_MENTOR)
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
    raw = "".join(rng.choice(REFERENCE_ALPHABET) for _ in range(8))
    created, submitted = timeline(
        rng, plan.day, world.sites[plan.site].time_zone, status is CaseStatus.DRAFT, now
    )
    return Story(plan, data, f"{raw[:4]}-{raw[4:]}", status, created, submitted)


def login_lines(world: World, password: str, case_count: int) -> list[str]:
    """Every demo account by role, with its e-mail, so a newcomer can sign in."""
    sites = {key: site.name for key, site in world.sites.items()}
    people = world.people
    programs_of = _group(ENROLMENTS, lambda row: SHORT_NAMES[row[1]])
    mentored = _group(
        APPOINTMENTS,
        lambda row: SHORT_NAMES[row[1]] + (f" at {sites[row[2]]}" if row[2] else ""),
    )
    for delegate, mentor, program_key, _days in DELEGATES:
        mentored[delegate].append(
            f"signs for {people[mentor].full_name} in {SHORT_NAMES[program_key]} (delegate)"
        )
    directed: dict[str, list[str]] = {}
    for key, program in world.programs.items():
        for director in program.directors:
            directed.setdefault(_key(director.email), []).append(SHORT_NAMES[key])
    groups = [
        (
            "Administrator",
            "admin",
            {k: ["all sites, accounts and the catalogue"] for k, u in people.items() if u.is_admin},
        ),
        ("Program directors", "director", directed),
        ("Mentors", "mentor", mentored),
        ("Trainees", "trainee", programs_of),
    ]
    width = max(len(user.email) for user in people.values())
    lines = [
        f"Demo world ready: {len(world.sites)} sites, {len(world.programs)} programs "
        f"({sum(p.framework_version is not None for p in world.programs.values())} with "
        f"competency targets), "
        f"{len(people)} accounts, {case_count} cases.",
        f"Sign in with any e-mail below; the password of every demo account is: {password}",
    ]
    for title, role, holders in groups:
        lines += ["", f"{title}:"]
        for key, roles in holders.items():
            user = people[key]
            lines.append(
                f"  {role:<9} {user.email:<{width}}  {user.full_name} — "
                f"{'; '.join(dict.fromkeys(roles))}"
            )
    return lines


def _group(rows, label) -> dict[str, list[str]]:
    grouped: dict[str, list[str]] = {}
    for row in rows:
        grouped.setdefault(row[0], []).append(label(row))
    return grouped


def _key(email: str) -> str:
    return email.split("@", 1)[0]
