"""Who operated where and when in each demo program: a plan of cases, before any is logged."""

from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, timedelta
from random import Random

from caselog.demo.casemix import (
    ENDO,
    LADDER,
    OBS,
    PROFILES,
    STS,
    Profile,
    case_details,
    involvement_for,
)
from caselog.demo.world import VISITING_SITES, VISITING_SURGEONS, World
from caselog.models import Involvement, Setting, Urgency


@dataclass
class PlannedCase:
    """One operation a trainee will log: everything CaseInput needs, by world keys."""

    trainee: str
    program: str
    day: date
    site: str
    supervisor: str
    procedure: tuple[str, str]
    involvement: Involvement
    setting: Setting = Setting.THEATRE
    shared: dict | None = None  # complete details shared by everyone at one demonstration
    overrides: dict = field(default_factory=dict)  # otherwise drawn from the casemix


FELLOWSHIP_MIX = {
    "microdiscectomy": 14,
    "endoscopic-discectomy": 9,
    "laminectomy": 12,
    "plif": 5,
    "tlif": 9,
    "llif": 3,
    "alif": 2,
    "acdf": 8,
    "posterior-cervical-fusion": 3,
    "cervical-disc-replacement": 2,
    "lumbar-disc-replacement": 1,
    "deformity-correction": 2,
    "lateral-corpectomy-cage": 1,
    "cervical-laminoplasty": 2,
    "kyphoplasty": 5,
}
TEACHABLE = {"microdiscectomy", "laminectomy", "kyphoplasty", "acdf"}
VISITING_MIX = {
    "microdiscectomy": 6,
    "endoscopic-discectomy": 8,
    "laminectomy": 6,
    "tlif": 6,
    "llif": 3,
    "acdf": 5,
    "deformity-correction": 2,
    "cervical-laminoplasty": 2,
    "kyphoplasty": 3,
}
LIVE_DEMOS = ["endoscopic-discectomy", "tlif", "llif", "acdf", "deformity-correction"]
HPB_MIX_KOREA = {
    "minor-liver-resection": 6,
    "major-liver-resection": 5,
    "central-liver-resection": 5,
    "pancreaticoduodenectomy": 5,
    "distal-pancreatectomy": 3,
    "liver-transplantation": 6,
    "living-donor-hepatectomy": 4,
    "total-pancreatectomy": 1,
}
HPB_MIX_HOME = {
    "minor-liver-resection": 5,
    "major-liver-resection": 4,
    "central-liver-resection": 4,
    "pancreaticoduodenectomy": 3,
    "distal-pancreatectomy": 3,
}
RESIDENCY_MIX = {
    "cholecystectomy": 8,
    "appendicectomy": 6,
    "inguinal-hernia": 5,
    "ventral-hernia": 2,
    "right-hemicolectomy": 2,
    "anterior-resection": 1,
    "mastectomy": 2,
    "thyroidectomy": 2,
}
MASTER_CLASS_DEMOS = [  # (day of the class, procedure, what the professor showed)
    (0, "endoscopic-discectomy", "transforaminal approach for a foraminal herniation"),
    (0, "endoscopic-discectomy", "interlaminar approach at the lumbosacral level"),
    (0, "laminectomy", "endoscopic unilateral decompression of lateral recess stenosis"),
    (1, "tlif", "endoscopic interbody fusion with percutaneous screws"),
    (1, "endoscopic-discectomy", "revision of a recurrent herniation"),
    (1, "laminectomy", "endoscopic over-the-top decompression of central stenosis"),
]


def days(start: date, end: date) -> Iterator[date]:
    """Every day from start to end inclusive."""
    for offset in range((end - start).days + 1):
        yield start + timedelta(days=offset)


def _choose(rng: Random, mix: dict[str, int]) -> str:
    return rng.choices(list(mix), list(mix.values()))[0]


def _cap(level: Involvement, ceiling: Involvement) -> Involvement:
    return min(level, ceiling, key=LADDER.index)


def plan_all(world: World, rng: Random) -> list[PlannedCase]:
    """Every demo case, program by program, in a fixed order (so the seed is repeatable)."""
    return [
        *master_class(world, rng),
        *fellowship(world, rng),
        *visiting(world, rng),
        *hpb_exchange(world, rng),
        *residency(world, rng),
    ]


def _last_day(world: World, program: str) -> date:
    return min(world.programs[program].end_date, world.today - timedelta(days=1))


def fellowship(world: World, rng: Random) -> Iterator[PlannedCase]:
    """Three fellows alternating between the two hospitals every three months."""
    program = world.programs["fellowship"]
    master_class_days = set(
        days(world.programs["masterclass"].start_date, world.programs["masterclass"].end_date)
    )
    visiting = world.programs["visiting"]
    for index, fellow in enumerate(["ganbold", "sarangerel", "munkherdene"]):
        holiday = program.start_date + timedelta(weeks=rng.randint(6, 24))
        senior = 0.3 if fellow == "ganbold" else 0.0
        for day in days(program.start_date, _last_day(world, "fellowship")):
            elapsed = (day - program.start_date).days
            on_holiday = holiday <= day < holiday + timedelta(days=7)
            if day.weekday() >= 5 or day in master_class_days or on_holiday:
                continue
            draw = rng.random()
            count = 0 if draw < 0.57 else 1 if draw < 0.93 else 2
            site = ["seoul-spine", "suwon"][(elapsed // 91 + index) % 2]
            for _ in range(count):
                code = _choose(rng, FELLOWSHIP_MIX)
                profile = PROFILES["spine", code]
                involvement = involvement_for(rng, elapsed / 300 + senior, profile.ceiling)
                teaching = (
                    fellow == "ganbold"
                    and site == "seoul-spine"
                    and code in TEACHABLE
                    and visiting.start_date <= day <= visiting.end_date
                )
                if teaching and rng.random() < 0.6:
                    involvement = Involvement.TAUGHT
                yield PlannedCase(
                    fellow,
                    "fellowship",
                    day,
                    site,
                    rng.choice(world.mentors("fellowship", site)),
                    ("spine", code),
                    involvement,
                )


def visiting(world: World, rng: Random) -> Iterator[PlannedCase]:
    """Nine visiting surgeons moving to the next hospital every week; a live demo on Wednesdays."""
    program = world.programs["visiting"]
    for day in days(program.start_date, _last_day(world, "visiting")):
        if day.weekday() >= 5:
            continue
        week = (day - program.start_date).days // 7
        at_site: dict[str, list[str]] = {site: [] for site in VISITING_SITES}
        for index, surgeon in enumerate(VISITING_SURGEONS):
            at_site[VISITING_SITES[(index + week) % len(VISITING_SITES)]].append(surgeon)
        for site, surgeons in at_site.items():
            mentors = world.mentors("visiting", site)
            if day.weekday() == 2:
                code = LIVE_DEMOS[(week + VISITING_SITES.index(site)) % len(LIVE_DEMOS)]
                shared = case_details(rng, PROFILES["spine", code], OBS, with_notes=0)
                for surgeon in surgeons:
                    notes = (
                        {
                            "notes": "Live demonstration with commentary; questions taken "
                            "during the key steps."
                        }
                        if rng.random() < 0.5
                        else {}
                    )
                    yield PlannedCase(
                        surgeon,
                        "visiting",
                        day,
                        site,
                        mentors[0],
                        ("spine", code),
                        OBS,
                        Setting.LIVE_DEMONSTRATION,
                        shared={**shared, **notes},
                    )
                continue
            for surgeon in surgeons:
                if rng.random() < 0.35:
                    continue
                code = _choose(rng, VISITING_MIX)
                profile = PROFILES["spine", code]
                involvement = involvement_for(rng, 0.05 + 0.06 * week, _cap(STS, profile.ceiling))
                yield PlannedCase(
                    surgeon,
                    "visiting",
                    day,
                    site,
                    rng.choice(mentors),
                    ("spine", code),
                    involvement,
                )


def hpb_exchange(world: World, rng: Random) -> Iterator[PlannedCase]:
    """Two HPB surgeons: six months at the Korean centre, then proctored at home."""
    program = world.programs["hpb"]
    for trainee in ["enkhjargal", "bilguun"]:
        for day in days(program.start_date, _last_day(world, "hpb")):
            if day.weekday() >= 5 or rng.random() > 0.27:
                continue
            elapsed = (day - program.start_date).days
            in_korea = elapsed < 183
            site = "goyang-cancer" if in_korea else "ub-cancer"
            code = _choose(rng, HPB_MIX_KOREA if in_korea else HPB_MIX_HOME)
            mentors = world.mentors("hpb", site)
            if code in ("central-liver-resection", "liver-transplantation"):
                mentors = ["han.seungwoo"]  # the proctor for the hard ones
            profile = PROFILES["hpb", code]
            involvement = involvement_for(rng, 0.15 + elapsed / 300, profile.ceiling)
            yield PlannedCase(
                trainee, "hpb", day, site, rng.choice(mentors), ("hpb", code), involvement
            )


def master_class(world: World, rng: Random) -> Iterator[PlannedCase]:
    """Six live demonstrations by the visiting professor, logged by every participant."""
    program = world.programs["masterclass"]
    participants = ["ganbold", "sarangerel", "munkherdene", "oh.taeyang", "song.yuna"]
    for offset, code, shown in MASTER_CLASS_DEMOS:
        shared = case_details(rng, PROFILES["spine", code], OBS, with_notes=0)
        shared["approach"] = ENDO
        for participant in participants:
            notes = f"Live demonstration: {shown}."
            if rng.random() < 0.5:
                notes += " " + rng.choice(MASTER_CLASS_TAKEAWAYS)
            yield PlannedCase(
                participant,
                "masterclass",
                program.start_date + timedelta(days=offset),
                "seoul-spine",
                "keller",
                ("spine", code),
                OBS,
                Setting.LIVE_DEMONSTRATION,
                shared={**shared, "notes": notes},
            )


MASTER_CLASS_TAKEAWAYS = [
    "Key point: plan the trajectory on the images before the skin mark.",
    "Key point: keep the bevel of the working sleeve towards the root.",
    "Useful tips on irrigation pressure and radiofrequency haemostasis.",
    "Want to try this approach with my mentor back home.",
]


def residency(world: World, rng: Random) -> Iterator[PlannedCase]:
    """Two second-year residents at the home hospital over the last four months: since
    their second year began (world.program_specs starts the residency a year before)."""
    program = world.programs["residency"]
    start = max(program.start_date, world.today - timedelta(days=120))
    for trainee in ["nomin", "temuujin"]:
        for day in days(start, _last_day(world, "residency")):
            weekend = day.weekday() >= 5
            if rng.random() > (0.12 if weekend else 0.32):
                continue
            code = "appendicectomy" if weekend else _choose(rng, RESIDENCY_MIX)
            profile: Profile = PROFILES["general", code]
            progress = 0.45 + (day - start).days / 365
            involvement = involvement_for(rng, progress, profile.ceiling)
            overrides = {"urgency": Urgency.EMERGENCY} if weekend else {}
            yield PlannedCase(
                trainee,
                "residency",
                day,
                "ub-general",
                rng.choice(world.mentors("residency", "ub-general")),
                ("general", code),
                involvement,
                overrides=overrides,
            )
