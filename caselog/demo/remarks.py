"""What people write in the demo's sign-offs: the mentor's rating and feedback, the
comments on returned cases, and the trainees' reasons for amending a signed case, each
with the correction it asks for (caselog.demo.lifecycle decides when they happen)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from random import Random
from typing import TYPE_CHECKING

from caselog.demo.casemix import ASST, OBS, PROFILES, STS, STU, Profile
from caselog.demo.world import World
from caselog.models import Autonomy, Complexity, Complication, Involvement, Setting
from caselog.signoff.services import Assessment

if TYPE_CHECKING:
    from caselog.demo.lifecycle import Story


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

# Where each role usually sits on the Zwisch scale (0 show and tell .. 3 supervision only)
# at the start of a program, and the most it can earn.
ZWISCH_START = {ASST: (0.0, 1), STS: (0.9, 2), STU: (1.7, 3)}


def assessment(world: World, story: Story, rng: Random) -> Assessment | None:
    """Most signatures in programs that rate carry one; autonomy grows over the year."""
    program = world.programs[story.plan.program]
    involvement = story.data.involvement
    skip = 0.5 if involvement is OBS else 0.12
    if not program.assessment_enabled or rng.random() < skip:
        return None
    progress = (story.plan.day - program.start_date) / (program.end_date - program.start_date)
    autonomy = _autonomy(rng, involvement, progress)
    performance = rng.choices(
        range(1, 6),
        [
            0.01,
            0.10 - 0.07 * progress,
            0.55 - 0.25 * progress,
            0.28 + 0.20 * progress,
            0.06 + 0.12 * progress,
        ],
    )[0]
    hard = story.data.complication is not Complication.NONE
    complexity = rng.choices(list(Complexity), (10, 40, 50) if hard else (30, 50, 20))[0]
    feedback = rng.choice(FEEDBACK[autonomy]) if rng.random() < 0.7 else ""
    return Assessment(autonomy, performance, complexity, feedback)


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
    return (
        story.data.complication is Complication.NONE
        and bool(_ward_complications(story))
        and story.plan.setting is Setting.THEATRE
    )


def _round(value: float, step: int) -> int:
    return max(step, int(value) - int(value) % step)


def _shorter(story: Story, rng: Random) -> dict:
    minutes = story.data.operative_minutes
    assert minutes is not None  # asked only when there is a time (see RETURNS)
    return {"operative_minutes": _round(minutes * rng.uniform(0.7, 0.85), 5)}


def _more_blood(story: Story, rng: Random) -> dict:
    blood = story.data.blood_loss_ml
    assert blood is not None  # asked only when there is a blood loss (see RETURNS)
    return {"blood_loss_ml": _round(blood * rng.uniform(1.5, 2.2), 10)}


def _in_theatre(story: Story) -> bool:
    return story.plan.setting is Setting.THEATRE


RETURNS = [
    Change(
        "Please check the operative time against the anaesthetic chart; it looks long "
        "for this operation.",
        lambda s: _in_theatre(s) and (s.data.operative_minutes or 0) >= 60,
        _shorter,
    ),
    Change(
        "Please change your role to assisted: I did the key steps of this one.",
        lambda s: s.data.involvement in (STS, STU) and not s.data.notes,
        lambda s, rng: {"involvement": ASST},
    ),
    Change(
        "Blood loss looks low for this operation; please take it from the anaesthetic chart.",
        lambda s: (
            _in_theatre(s)
            and s.data.blood_loss_ml is not None
            and s.data.blood_loss_ml < sum(_profile(s).blood_ml) / 2
        ),
        _more_blood,
    ),
    Change(
        "Please add the complication we discussed on the ward round.",
        _no_complication_yet,
        _add_complication,
    ),
    Change(
        "Please add a line to the notes on what you took away from this case.",
        lambda s: True,  # asked only when nothing above fits
        lambda s, rng: {"notes": f"{s.data.notes} {rng.choice(TAKEAWAYS)}".strip()},
    ),
]
TAKEAWAYS: list[str] = [
    "Take-away: plan every step on the images before the incision.",
    "Take-away: the positioning set up the whole operation.",
    "Take-away: keep the field dry before moving to the next step.",
]
# Trainee and mentor often disagree on the trainee's role; until the corrected version is
# signed, the case still counts toward targets by its signed role.
ROLE_CORRECTION = Change(
    "Role corrected after talking it over with my mentor: I assisted, "
    "the key steps were the mentor's.",
    lambda s: s.data.involvement in (STS, STU),
    lambda s, rng: {"involvement": ASST},
)
AMENDMENTS = [
    Change(
        "A complication showed at the clinic review after sign-off: added it.",
        _no_complication_yet,
        _add_complication,
    ),
    Change("Operative time corrected from the anaesthetic chart.", lambda s: True, _shorter),
    Change(
        "Blood loss corrected from the anaesthetic chart; my first entry was an estimate.",
        lambda s: True,
        _more_blood,
    ),
]


def fitting(changes: list[Change], story: Story) -> list[Change]:
    return [change for change in changes if change.fits(story)]


def returns_for(story: Story) -> list[Change]:
    """What a mentor might ask of this case; the note on take-aways only if nothing else."""
    return fitting(RETURNS[:-1], story) or RETURNS[-1:]
