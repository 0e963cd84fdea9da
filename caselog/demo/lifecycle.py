"""What became of each demo case, replayed in time order through the app's own services.

Cases are logged and submitted, signed by their supervisor (or, once the director has
appointed one, the supervisor's delegate) with a rating where the program asks for one,
returned with a comment, withdrawn, corrected after a return, or amended after sign-off
and signed again. Everything is planned first (every random draw, in plan order, so the
same seed gives the same world), then every step of every case is carried out in the
order it happened, each through its service with the moment it happened as `now`: the
services date the cases, seal the signatures and chain the audit events themselves.
"""

import itertools
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field, replace
from datetime import UTC, date, datetime, time, timedelta
from random import Random
from zoneinfo import ZoneInfo

from caselog.cases.services import CaseInput, log_case, submit_case, update_case, withdraw_case
from caselog.demo import remarks
from caselog.demo.frameworks import framework_steps
from caselog.demo.schedules import PlannedCase
from caselog.demo.world import World
from caselog.models import Case, CaseStatus, Setting, User
from caselog.programs.services import appoint_delegate
from caselog.signoff import signatures
from caselog.signoff.services import Seen, return_case, sign

# The mentor who lets cases wait: the one `send-reminders` nudges (older than 30 days).
SLOW_MENTOR = "park.jihoon"
MENTORS_SIGN_WITHIN = 28  # days: every other mentor clears a case within four weeks

# The few cases with a longer story than submitted-and-signed.
AMENDED = "amended"  # signed, amended with a reason, signed again
AMENDING = "amending"  # signed, amended (the role corrected), waiting for a new signature
CORRECTED = "corrected"  # returned, corrected by the trainee, then signed
BEDSIDE = "bedside"  # signed on the trainee's tablet right after the operation


@dataclass
class Story:
    """One planned case: what the trainee records, and the times of its life."""

    plan: PlannedCase
    data: CaseInput  # the content as it will be at its (next) signature
    reference: str
    status: CaseStatus  # where the case ends up (AMENDING: approved, then submitted again)
    created: datetime
    submitted: datetime | None  # of the latest version
    path: str = ""
    updated: datetime | None = None
    case: Case | None = None  # once logged


# One thing a person does, given the moment they do it.
Action = Callable[[datetime], object]


@dataclass(order=True)
class Step:
    """Something a person did, at a moment; ties keep the order they were planned in."""

    at: datetime
    order: int
    run: Action = field(compare=False)


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
    order = [
        CaseStatus.DRAFT,
        CaseStatus.SUBMITTED,
        CaseStatus.RETURNED,
        CaseStatus.APPROVED,
        CaseStatus.WITHDRAWN,
    ]
    return rng.choices(order, weights)[0]


def timeline(
    rng: Random, day: date, zone: str, draft: bool, now: datetime
) -> tuple[datetime, datetime | None]:
    """Logged the evening of the operation or a few days later; submitted then or soon after."""
    lag = rng.choices([0, 1, 2, 3, 6], [55, 20, 10, 8, 7])[0]
    local = datetime.combine(
        day + timedelta(days=lag), time(rng.randint(16, 22), rng.randint(0, 59)), ZoneInfo(zone)
    )
    created = min(local.astimezone(UTC), now - timedelta(minutes=rng.randint(5, 60)))
    created = created.replace(microsecond=0)
    if draft:
        return created, None
    delay = timedelta(0) if rng.random() < 0.75 else timedelta(days=rng.randint(1, 4))
    return created, min(created + delay, now - timedelta(minutes=1)).replace(microsecond=0)


def live(world: World, stories: list[Story], rng: Random, now: datetime) -> None:
    """Plan every step of every case (and the directors' delegates and frameworks), then
    carry them out in time order, each at its own moment."""
    _choose_paths(world, stories, rng)
    order = itertools.count()
    steps = [step for story in stories for step in _steps(world, story, rng, now, order)]
    steps += _delegations(world, order)
    steps += [Step(at, next(order), run) for at, run in framework_steps(world)]
    for step in sorted(steps):
        step.run(step.at)


def _days_ago(world: World, story: Story) -> int:
    return (world.today - story.plan.day).days


def _choose_paths(world: World, stories: list[Story], rng: Random) -> None:
    approved = [s for s in stories if s.status is CaseStatus.APPROVED]

    def pick(count: int, path: str, rule: Callable[[Story], bool]) -> None:
        candidates = [s for s in approved if not s.path and rule(s)]
        for story in rng.sample(candidates, min(count, len(candidates))):
            story.path = path

    def program_aged(program: str, oldest: int, youngest: int) -> Callable[[Story], bool]:
        return lambda s: s.plan.program == program and youngest <= _days_ago(world, s) <= oldest

    pick(1, AMENDED, program_aged("fellowship", 150, 50))
    pick(1, AMENDED, program_aged("hpb", 150, 50))
    pick(
        1,
        AMENDING,
        lambda s: (
            program_aged("fellowship", 60, 32)(s)
            and remarks.ROLE_CORRECTION.fits(s)
            and s.plan.supervisor != SLOW_MENTOR
        ),
    )
    pick(
        2,
        CORRECTED,
        lambda s: (
            s.plan.setting is Setting.THEATRE
            and s.plan.supervisor != SLOW_MENTOR
            and 20 <= _days_ago(world, s) <= 100
        ),
    )
    pick(2, BEDSIDE, program_aged("visiting", 30, 2))
    pick(1, BEDSIDE, program_aged("residency", 60, 2))


def _steps(
    world: World, story: Story, rng: Random, now: datetime, order: Iterator[int]
) -> list[Step]:
    """Everything that happens to one case, with its moment; random draws all made here."""
    steps: list[Step] = []

    def add(at: datetime, run: Action) -> None:
        steps.append(Step(at, next(order), run))

    trainee = world.people[story.plan.trainee]
    supervisor = world.people[story.plan.supervisor]
    if story.path == BEDSIDE:  # logged in the changing room, signed there and then
        local = datetime.combine(
            story.plan.day,
            time(rng.randint(16, 18), rng.randint(0, 59)),
            ZoneInfo(world.sites[story.plan.site].time_zone),
        )
        story.created = min(local.astimezone(UTC), now - timedelta(hours=6))
        story.submitted = story.created + timedelta(minutes=rng.randint(1, 4))
    at_once = story.submitted == story.created
    data = story.data

    def log(at: datetime) -> None:
        story.case = log_case(trainee, data, submit=at_once, now=at, reference=story.reference)

    add(story.created, log)
    if story.status is CaseStatus.DRAFT:
        return steps
    if not at_once:
        add(_submitted(story), lambda at: submit_case(_case(story), trainee, now=at))
    if story.status is CaseStatus.WITHDRAWN:
        story.updated = _after(rng, _submitted(story), timedelta(hours=rng.randint(2, 40)), now)
        add(story.updated, lambda at: withdraw_case(_case(story), trainee, now=at))
    elif story.status is CaseStatus.RETURNED:
        story.updated = _after(rng, _submitted(story), _review_delay(rng, story), now)
        comment = rng.choice(remarks.returns_for(story)).text
        add(story.updated, lambda at: return_case(supervisor, _case(story).id, comment, now=at))
    elif story.status is CaseStatus.APPROVED:
        _approval(world, story, rng, now, add)
    return steps


def _submitted(story: Story) -> datetime:
    """When the story's latest version was submitted (every case but a draft is)."""
    if story.submitted is None:
        raise RuntimeError(f"Demo case {story.reference} is used as submitted, but is a draft")
    return story.submitted


def _case(story: Story) -> Case:
    """The story's case, once its first step has logged it."""
    if story.case is None:
        raise RuntimeError(f"Demo case {story.reference} is used before it was logged")
    return story.case


def _approval(
    world: World,
    story: Story,
    rng: Random,
    now: datetime,
    add: Callable[[datetime, Action], None],
) -> None:
    trainee = world.people[story.plan.trainee]
    supervisor = world.people[story.plan.supervisor]
    if story.path == CORRECTED:
        returned = _after(rng, _submitted(story), timedelta(days=rng.randint(1, 3)), now)
        asked = rng.choice(remarks.returns_for(story))
        corrected = replace(story.data, **asked.fix(story, rng))
        add(returned, lambda at: return_case(supervisor, _case(story).id, asked.text, now=at))
        story.submitted = _after(rng, returned, timedelta(hours=rng.randint(3, 30)), now)
        story.data = corrected
        add(
            story.submitted,
            lambda at: update_case(_case(story), trainee, corrected, submit=True, now=at),
        )
    if story.path == BEDSIDE:
        signed = _submitted(story) + timedelta(minutes=rng.randint(2, 6))
    else:
        signed = _after(rng, _submitted(story), _review_delay(rng, story), now)
    _signature(world, story, signed, rng, add)
    story.updated = signed
    if story.path not in (AMENDED, AMENDING):
        return
    why = remarks.fitting(
        remarks.AMENDMENTS
        if story.path == AMENDED
        else [remarks.ROLE_CORRECTION, remarks.AMENDMENTS[-1]],
        story,
    )[0]
    amended_data = replace(story.data, **why.fix(story, rng))
    if story.path == AMENDING:  # a few days ago: in the supervisor's queue again
        amended = max(now - timedelta(hours=rng.randint(20, 90)), signed + timedelta(days=1))
    else:
        amended = _after(rng, signed, timedelta(days=rng.randint(4, 20)), now)
    amended = amended.replace(microsecond=0)
    story.submitted = story.updated = amended
    story.data = amended_data
    add(
        amended,
        lambda at: update_case(
            _case(story), trainee, amended_data, submit=True, reason=why.text, now=at
        ),
    )
    if story.path == AMENDED:
        signed_again = _after(rng, amended, _review_delay(rng, story), now)
        _signature(world, story, signed_again, rng, add)
        story.updated = signed_again


def _signature(
    world: World,
    story: Story,
    at: datetime,
    rng: Random,
    add: Callable[[datetime, Action], None],
) -> None:
    """Sign the case as its mentor saw it, through the service, at `at`."""
    signer = _signer(world, story, rng)
    assessment = remarks.assessment(world, story, rng)

    def run(moment: datetime) -> None:
        case = _case(story)
        outcome = sign(
            signer,
            [Seen(case.id, signatures.fingerprint(case))],
            assessment,
            bedside=story.path == BEDSIDE,
            now=moment,
        )
        if not outcome.signed:
            raise RuntimeError(f"Demo case {case.reference} was not signed: {outcome.skipped}")

    add(at.replace(microsecond=0), run)


def _signer(world: World, story: Story, rng: Random) -> User:
    """The supervisor; at a site where the director appointed a delegate for them, often the
    delegate (once appointed)."""
    for delegation in world.delegations:
        if (
            delegation.mentor == story.plan.supervisor
            and delegation.program == story.plan.program
            and delegation.delegate in world.mentors(story.plan.program, story.plan.site)
            and _submitted(story) >= delegation.since
            and rng.random() < 0.6
        ):
            return world.people[delegation.delegate]
    return world.people[story.plan.supervisor]


def _delegations(world: World, order: Iterator[int]) -> list[Step]:
    """The director appoints each delegate through the programs service, on the day."""
    steps = []
    for delegation in world.delegations:
        program = world.programs[delegation.program]

        def appoint(at: datetime, delegation=delegation, program=program) -> None:
            appoint_delegate(
                program,
                world.people[delegation.mentor].id,
                world.people[delegation.delegate].id,
                actor=program.directors[0],
                now=at,
            )

        steps.append(Step(delegation.since, next(order), appoint))
    return steps


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
