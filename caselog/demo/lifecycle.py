"""What became of each demo case after it was logged, told through the app's own services.

Cases are submitted, signed by their supervisor (or the supervisor's delegate), with a
rating where the program asks for one, returned with a comment, withdrawn, corrected after
a return, or amended after sign-off and signed again. The services stamp everything with
the present moment; afterwards each case and signature gets the time it would really have
happened, and each signature is sealed again so that its HMAC covers that time.
"""

from collections.abc import Callable
from dataclasses import dataclass, fields
from datetime import UTC, datetime, time, timedelta
from random import Random
from zoneinfo import ZoneInfo

from caselog.cases.services import CaseInput, update_case, withdraw_case
from caselog.demo.casemix import ASST, OBS, PROFILES, STS, STU, Profile
from caselog.demo.schedules import PlannedCase
from caselog.demo.world import World
from caselog.extensions import db
from caselog.models import (
    Autonomy,
    Case,
    CaseStatus,
    Complexity,
    Complication,
    Involvement,
    Setting,
    Signature,
    User,
)
from caselog.signoff import signatures
from caselog.signoff.services import Assessment, Seen, return_case, sign

# The mentor who lets cases wait: the one `send-reminders` nudges (older than 30 days).
SLOW_MENTOR = "park.jihoon"
MENTORS_SIGN_WITHIN = 28  # days: every other mentor clears a case within four weeks

# The few cases with a longer story than submitted-and-signed.
AMENDED = "amended"  # signed, amended with a reason, signed again
AMENDING = "amending"  # signed, amended, waiting for the new version's signature
CORRECTED = "corrected"  # returned, corrected by the trainee, then signed
BEDSIDE = "bedside"  # signed on the trainee's tablet right after the operation


@dataclass
class Story:
    """One logged case and the times of its life so far."""

    case: Case
    plan: PlannedCase
    status: CaseStatus  # where the case ends up (AMENDING: approved, then submitted again)
    created: datetime
    submitted: datetime | None  # of the latest version
    path: str = ""
    updated: datetime | None = None


def status_for(rng: Random, days_ago: int, slow: bool) -> CaseStatus:
    """Old cases are signed off; recent ones wait in a queue, a few are returned, withdrawn
    or still drafts. Mentors sign within four weeks, except the slow one."""
    if days_ago > 48 or (days_ago > MENTORS_SIGN_WITHIN and not slow):
        weights = (1, 0, 2, 96, 1)
    elif days_ago > MENTORS_SIGN_WITHIN:
        weights = (1, 70, 2, 26, 1)
    elif days_ago > 14:
        weights = (4, 45, 6, 43, 2) if slow else (4, 28, 6, 60, 2)
    else:
        weights = (16, 46, 5, 30, 3)
    order = [CaseStatus.DRAFT, CaseStatus.SUBMITTED, CaseStatus.RETURNED,
             CaseStatus.APPROVED, CaseStatus.WITHDRAWN]
    return rng.choices(order, weights)[0]


def timeline(rng: Random, day, zone: str, draft: bool, now: datetime
             ) -> tuple[datetime, datetime | None]:
    """Logged the evening of the operation or a few days later; submitted then or soon after."""
    lag = rng.choices([0, 1, 2, 3, 6], [55, 20, 10, 8, 7])[0]
    local = datetime.combine(day + timedelta(days=lag),
                             time(rng.randint(16, 22), rng.randint(0, 59)), ZoneInfo(zone))
    created = min(_utc(local), now - timedelta(minutes=rng.randint(5, 60)))
    if draft:
        return created, None
    delay = timedelta(0) if rng.random() < 0.75 else timedelta(days=rng.randint(1, 4))
    return created, min(created + delay, now - timedelta(minutes=1))


def live(world: World, stories: list[Story], rng: Random, now: datetime) -> None:
    """Take every logged case to its end state, then date everything as it happened."""
    _choose_paths(world, stories, rng)
    for story in stories:
        _live(world, story, rng, now)
    for story in stories:
        story.case.created_at = story.created
        story.case.submitted_at = story.submitted
        story.case.updated_at = max(t for t in (story.created, story.submitted, story.updated)
                                    if t is not None)
    db.session.flush()


def _days_ago(world: World, story: Story) -> int:
    return (world.today - story.plan.day).days


def _choose_paths(world: World, stories: list[Story], rng: Random) -> None:
    approved = [s for s in stories if s.status is CaseStatus.APPROVED]

    def pick(count: int, path: str, rule: Callable[[Story], bool]) -> None:
        candidates = [s for s in approved if not s.path and rule(s)]
        for story in rng.sample(candidates, min(count, len(candidates))):
            story.path = path

    def program_aged(program: str, oldest: int, youngest: int) -> Callable[[Story], bool]:
        return lambda s: (s.plan.program == program
                          and youngest <= _days_ago(world, s) <= oldest)

    pick(1, AMENDED, program_aged("fellowship", 150, 50))
    pick(1, AMENDED, program_aged("hpb", 150, 50))
    pick(1, AMENDING, lambda s: program_aged("fellowship", 60, 32)(s)
         and s.plan.supervisor != SLOW_MENTOR)
    pick(2, CORRECTED, lambda s: s.plan.setting is Setting.THEATRE
         and s.plan.supervisor != SLOW_MENTOR and 20 <= _days_ago(world, s) <= 100)
    pick(2, BEDSIDE, program_aged("visiting", 30, 2))
    pick(1, BEDSIDE, program_aged("residency", 60, 2))


def _live(world: World, story: Story, rng: Random, now: datetime) -> None:
    case, trainee = story.case, world.people[story.plan.trainee]
    supervisor = world.people[story.plan.supervisor]
    if story.status is CaseStatus.WITHDRAWN:
        story.updated = _after(rng, story.submitted, timedelta(hours=rng.randint(2, 40)), now)
        withdraw_case(case, trainee)
    elif story.status is CaseStatus.RETURNED:
        story.updated = _after(rng, story.submitted, _review_delay(rng, story), now)
        return_case(supervisor, case.id, rng.choice(_returns_for(story)).text)
    elif story.status is CaseStatus.APPROVED:
        _approved(world, story, rng, now)


def _approved(world: World, story: Story, rng: Random, now: datetime) -> None:
    case, trainee = story.case, world.people[story.plan.trainee]
    if story.path == BEDSIDE:  # logged in theatre's changing room, signed there and then
        local = datetime.combine(story.plan.day, time(rng.randint(16, 18), rng.randint(0, 59)),
                                 ZoneInfo(world.sites[story.plan.site].time_zone))
        story.created = min(_utc(local), now - timedelta(hours=6))
        story.submitted = story.created + timedelta(minutes=rng.randint(1, 4))
        _sign(world, story, story.submitted + timedelta(minutes=rng.randint(2, 6)), rng)
        return
    if story.path == CORRECTED:
        returned = _after(rng, story.submitted, timedelta(days=rng.randint(1, 3)), now)
        change = rng.choice(_returns_for(story))
        return_case(world.people[story.plan.supervisor], case.id, change.text)
        update_case(case, trainee, _input(case, **change.fix(story, rng)), submit=True)
        story.submitted = _after(rng, returned, timedelta(hours=rng.randint(3, 30)), now)
    signed = _sign(world, story, _after(rng, story.submitted, _review_delay(rng, story), now),
                   rng)
    if story.path in (AMENDED, AMENDING):
        change = _fitting(AMENDMENTS if story.path == AMENDED else AMENDMENTS[-1:], story)[0]
        update_case(case, trainee, _input(case, **change.fix(story, rng)), submit=True,
                    reason=change.text)
        if story.path == AMENDING:  # a few days ago: in the supervisor's queue again
            story.submitted = max(now - timedelta(hours=rng.randint(20, 90)),
                                  signed + timedelta(days=1))
            return
        story.submitted = _after(rng, signed, timedelta(days=rng.randint(4, 20)), now)
        _sign(world, story, _after(rng, story.submitted, _review_delay(rng, story), now), rng)


def _sign(world: World, story: Story, at: datetime, rng: Random) -> datetime:
    """Sign the case as its mentor saw it, through the service; then date the signature."""
    case = story.case
    signer = _signer(world, story, rng)
    outcome = sign(signer, [Seen(case.id, signatures.fingerprint(case))],
                   _assessment(world, story, rng), bedside=story.path == BEDSIDE)
    if not outcome.signed:
        raise RuntimeError(f"Demo case {case.reference} was not signed: {outcome.skipped}")
    signature: Signature = outcome.signed[0]
    signature.signed_at = at.replace(microsecond=0)
    signatures.seal(signature, case)  # the HMAC covers the time it was really signed
    db.session.flush()
    story.updated = signature.signed_at
    return signature.signed_at


def _signer(world: World, story: Story, rng: Random) -> User:
    """The supervisor; at a site where the director appointed a delegate for them, often the
    delegate (once appointed)."""
    case = story.case
    for delegate in world.delegates:
        if (delegate.mentor_id == case.supervisor_id and delegate.program_id == case.program_id
                and delegate.delegate in [world.people[key] for key in
                                          world.mentors(story.plan.program, story.plan.site)]
                and story.submitted >= delegate.created_at and rng.random() < 0.6):
            return delegate.delegate
    return world.people[story.plan.supervisor]


def _review_delay(rng: Random, story: Story) -> timedelta:
    """How long the case waited in the queue: mostly a day or two."""
    if story.plan.supervisor == SLOW_MENTOR:
        return timedelta(days=rng.randint(9, 30), hours=rng.randint(0, 12))
    days = rng.choices([0, 1, 2, 4, 7, 12], [35, 25, 15, 12, 8, 5])[0]
    return timedelta(days=days, hours=rng.randint(1, 10), minutes=rng.randint(0, 59))


def _after(rng: Random, start: datetime, delay: timedelta, now: datetime) -> datetime:
    """start + delay, or some time between start and now if that would be in the future."""
    moment = start + delay
    if moment >= now - timedelta(minutes=2):
        moment = start + (now - start) * rng.uniform(0.2, 0.9)
    return moment.replace(microsecond=0)


def _utc(moment: datetime) -> datetime:
    return moment.astimezone(UTC)


# --- the mentor's rating ---------------------------------------------------------------

FEEDBACK = {
    Autonomy.SHOW_AND_TELL: [
        "Well prepared; knew the anatomy and the plan.",
        "Good questions at the key steps. Next time take over the exposure.",
        "Read up on the indications before the next one.",
    ],
    Autonomy.ACTIVE_HELP: [
        "Safe exposure. Work on economy of movement.",
        "Good hands; anticipate the next step more.",
        "Solid progress: aim to lead the next one with me assisting.",
        "Tissue handling improving; keep the field dry before moving on.",
    ],
    Autonomy.PASSIVE_HELP: [
        "Led most of the case well; I only helped at the critical step.",
        "Confident and safe. Plan the closure yourself next time.",
        "Good flow through the key steps; ready for more independence.",
    ],
    Autonomy.SUPERVISION_ONLY: [
        "Ran the case from start to finish safely.",
        "Independent and efficient; good decisions at the critical step.",
        "Ready to do these on your own.",
    ],
}


def _assessment(world: World, story: Story, rng: Random) -> Assessment | None:
    """Most signatures in programs that rate carry one; autonomy grows over the year."""
    program = world.programs[story.plan.program]
    involvement = story.case.involvement
    skip = 0.5 if involvement is OBS else 0.12
    if not program.assessment_enabled or rng.random() < skip:
        return None
    progress = (story.plan.day - program.start_date) / (program.end_date - program.start_date)
    autonomy = _autonomy(rng, involvement, progress)
    performance = rng.choices(range(1, 6), [0.01, 0.10 - 0.07 * progress,
                                            0.55 - 0.25 * progress, 0.28 + 0.20 * progress,
                                            0.06 + 0.12 * progress])[0]
    hard = story.case.complication is not Complication.NONE
    complexity = rng.choices(list(Complexity), (10, 40, 50) if hard else (30, 50, 20))[0]
    feedback = rng.choice(FEEDBACK[autonomy]) if rng.random() < 0.7 else ""
    return Assessment(autonomy, performance, complexity, feedback)


# Where each role usually sits on the Zwisch scale (0 show and tell .. 3 supervision only)
# at the start of a program, and the most it can earn.
ZWISCH_START = {ASST: (0.0, 1), STS: (0.9, 2), STU: (1.7, 3)}


def _autonomy(rng: Random, involvement: Involvement, progress: float) -> Autonomy:
    """The mentor's Zwisch rating: by the trainee's role, rising as the program goes on."""
    if involvement is OBS:
        return Autonomy.SHOW_AND_TELL
    start, top = ZWISCH_START.get(involvement, (2.6, 3))  # performed, or taught
    score = start + 1.1 * progress + rng.gauss(0, 0.45)
    return list(Autonomy)[min(max(round(score), 0), top)]


# --- returns and amendments -------------------------------------------------------------

@dataclass
class Change:
    """A mentor's comment (or a trainee's reason) and the correction that answers it."""

    text: str
    fits: Callable[[Story], bool]
    fix: Callable[[Story, Random], dict]


def _profile(story: Story) -> Profile:
    return PROFILES[story.plan.procedure]


def _ward_complications(story: Story) -> list:
    return [c for c in _profile(story).complications if not c[2]]  # no return to theatre


def _add_complication(story: Story, rng: Random) -> dict:
    grade, description, _back = rng.choice(_ward_complications(story))
    return {"complication": grade, "complication_description": description}


def _no_complication_yet(story: Story) -> bool:
    return (story.case.complication is Complication.NONE and bool(_ward_complications(story))
            and story.plan.setting is Setting.THEATRE)


def _round(value: float, step: int) -> int:
    return max(step, int(value) - int(value) % step)


def _shorter(story: Story, rng: Random) -> dict:
    return {"operative_minutes": _round(story.case.operative_minutes * rng.uniform(0.7, 0.85), 5)}


def _more_blood(story: Story, rng: Random) -> dict:
    return {"blood_loss_ml": _round(story.case.blood_loss_ml * rng.uniform(1.5, 2.2), 10)}


RETURNS = [
    Change("Please check the operative time against the anaesthetic chart; it looks long "
           "for this operation.",
           lambda s: s.plan.setting is Setting.THEATRE and s.case.operative_minutes >= 60,
           _shorter),
    Change("Please change your role to assisted: I did the key steps of this one.",
           lambda s: s.case.involvement in (STS, STU) and not s.case.notes,
           lambda s, rng: {"involvement": ASST}),
    Change("Blood loss looks low for this operation; please take it from the anaesthetic "
           "chart.",
           lambda s: s.plan.setting is Setting.THEATRE
           and s.case.blood_loss_ml < sum(_profile(s).blood_ml) / 2,
           _more_blood),
    Change("Please add the complication we discussed on the ward round.",
           _no_complication_yet, _add_complication),
    Change("Please add a line to the notes on what you took away from this case.",
           lambda s: True,  # asked only when nothing above fits
           lambda s, rng: {"notes": f"{s.case.notes} {rng.choice(TAKEAWAYS)}".strip()}),
]
TAKEAWAYS = [
    "Take-away: plan every step on the images before the incision.",
    "Take-away: the positioning set up the whole operation.",
    "Take-away: keep the field dry before moving to the next step.",
]
AMENDMENTS = [
    Change("A complication showed at the clinic review after sign-off: added it.",
           _no_complication_yet, _add_complication),
    Change("Operative time corrected from the anaesthetic chart.", lambda s: True, _shorter),
    Change("Blood loss corrected from the anaesthetic chart; my first entry was an estimate.",
           lambda s: True, _more_blood),
]


def _fitting(changes: list[Change], story: Story) -> list[Change]:
    return [change for change in changes if change.fits(story)]


def _returns_for(story: Story) -> list[Change]:
    """What a mentor might ask of this case; the note on take-aways only if nothing else."""
    return _fitting(RETURNS[:-1], story) or RETURNS[-1:]


def _input(case: Case, **changes) -> CaseInput:
    """The case as the trainee's form would send it back, with some values changed."""
    values = {f.name: getattr(case, f.name) for f in fields(CaseInput)
              if f.name != "additional_procedure_ids"}
    values["additional_procedure_ids"] = [p.id for p in case.additional_procedures]
    return CaseInput(**{**values, **changes})
