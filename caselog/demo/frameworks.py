"""The demo's competency frameworks: modelled on published figures, scaled to the demo
programs and labelled as illustrative; each written and assigned to its program by the
program's director through the frameworks service, on its date.

Every minimum below is a published figure scaled to the demo program's length and case
volume (the scaling is written in each framework's source, which the app shows). Only
hands-on roles count (S-TS, S-TU, P; T too where a fellow teaches): not O or A. Programs
that rate autonomy (the spine fellowship and the HPB exchange) add entrustment conditions;
the four-year residency counts per program year. The spine framework has two versions,
the program on the second, so an older version stays readable in the demo.
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, time, timedelta
from functools import partial

from sqlalchemy import select

from caselog.demo.world import World
from caselog.extensions import db
from caselog.frameworks.services import (
    FrameworkInput,
    TargetInput,
    assign,
    create_framework,
    save_new_version,
)
from caselog.models import Autonomy, Framework, Involvement, ProcedureGroup, Program, Specialty

HANDS_ON = "S-TS S-TU P"
PASSIVE = Autonomy.PASSIVE_HELP


@dataclass
class TargetSpec:
    """One target: procedures by (specialty, code), groups likewise, and its rules."""

    label: str
    min_count: int
    procedures: list[tuple[str, str]] = field(default_factory=list)
    groups: list[tuple[str, str]] = field(default_factory=list)
    involvements: str = HANDS_ON
    entrust: tuple[int, Autonomy] | None = None  # "N of them rated X or better"
    program_year: int | None = None


@dataclass
class VersionSpec:
    """One version: what changed, when the director wrote it (days from the program's
    start; negative: before it), and its targets."""

    note: str
    written_days: int
    targets: list[TargetSpec]


@dataclass
class FrameworkSpec:
    """A framework for one demo program, with the figures it is modelled on."""

    program: str
    name: str
    specialty: str
    source: str
    versions: list[VersionSpec]


def _spine(code: str) -> tuple[str, str]:
    return "spine", code


LUMBAR_DECOMPRESSION = [
    _spine(c)
    for c in ("microdiscectomy", "endoscopic-discectomy", "ube-decompression", "laminectomy")
]
POSTERIOR_LUMBAR_FUSION = [_spine(c) for c in ("plif", "tlif", "posterolateral-fusion")]
POSTERIOR_CERVICAL = [_spine("posterior-cervical-fusion"), _spine("cervical-laminoplasty")]


def _spine_targets(decompression: int, entrust: bool) -> list[TargetSpec]:
    return [
        TargetSpec(
            "Lumbar discectomy / laminectomy",
            decompression,
            LUMBAR_DECOMPRESSION,
            involvements="S-TS S-TU P T",
            entrust=(5, PASSIVE) if entrust else None,
        ),
        TargetSpec(
            "Posterior lumbar fusion",
            8,
            POSTERIOR_LUMBAR_FUSION,
            entrust=(3, PASSIVE) if entrust else None,
        ),
        TargetSpec("Anterior cervical discectomy and fusion", 5, [_spine("acdf")]),
        TargetSpec("Posterior cervical fusion or laminoplasty", 3, POSTERIOR_CERVICAL),
    ]


SPINE = FrameworkSpec(
    "fellowship",
    "Spine fellowship targets (demo)",
    "spine",
    "Modelled on US neurosurgery residency minimums as quoted in a training-program "
    "abstract (ACDF 20, posterior cervical fusion 30, lumbar discectomy/laminectomy 30, "
    "posterior thoracolumbar fusion 30) — illustrative, not the official current version. "
    "Scaled to one year of this fellowship's case mix, about 130 cases a fellow: lumbar "
    "decompression 30 → 20, posterior lumbar fusion 30 → 8, ACDF 20 → 5, posterior "
    "cervical 30 → 3 (rare in this fellowship; laminoplasty counted with fusion).",
    [
        VersionSpec(
            "First version, from the residency minimums.", -20, _spine_targets(25, entrust=False)
        ),
        VersionSpec(
            "Lumbar discectomy / laminectomy lowered from 25 to 20 for a one-year "
            "fellowship; entrustment added: 5 decompressions and 3 fusions rated "
            "passive help or better.",
            45,
            _spine_targets(20, entrust=True),
        ),
    ],
)

HPB = FrameworkSpec(
    "hpb",
    "HPB fellowship targets (demo)",
    "hpb",
    "Modelled on the median cases logged by graduating fellows of accredited North "
    "American HPB fellowships (19 major hepatectomies, 40 pancreaticoduodenectomies, 18 "
    "distal pancreatectomies, about 10 transplants where offered) — illustrative, not the "
    "official current version. Scaled to one year of this exchange, about a sixth of a "
    "two-year fellowship's volume: 19 → 3, 40 → 6, 18 → 3, 10 → 2 (transplants only in "
    "the six months at the Korean centre).",
    [
        VersionSpec(
            "First version.",
            -10,
            [
                TargetSpec(
                    "Major hepatectomy",
                    3,
                    groups=[("hpb", "major-hepatectomy")],
                    entrust=(2, PASSIVE),
                ),
                TargetSpec("Pancreaticoduodenectomy", 6, [("hpb", "pancreaticoduodenectomy")]),
                TargetSpec("Distal pancreatectomy", 3, [("hpb", "distal-pancreatectomy")]),
                TargetSpec("Liver transplantation", 2, [("hpb", "liver-transplantation")]),
            ],
        )
    ],
)

RESIDENCY = FrameworkSpec(
    "residency",
    "General surgery residency subset (demo)",
    "general",
    "Modelled on ACGME general surgery case minimums over a five-year residency (biliary "
    "85, hernia 85, appendix 40, large intestine 40, breast 40) — illustrative, not the "
    "official current version. Counted per program year: a fifth of each minimum for a "
    "year, halved for this hospital's volume: 85 → 9, 40 → 4. Surgeon roles only (S-TS, "
    "S-TU, P).",
    [
        VersionSpec(
            "Targets for the second and third years.",
            350,
            [
                TargetSpec("Biliary (year 2)", 9, groups=[("general", "biliary")], program_year=2),
                TargetSpec("Hernia (year 2)", 9, groups=[("general", "hernia")], program_year=2),
                TargetSpec("Appendix (year 2)", 4, [("general", "appendicectomy")], program_year=2),
                TargetSpec(
                    "Large intestine (year 2)",
                    4,
                    groups=[("general", "colorectal")],
                    program_year=2,
                ),
                TargetSpec("Breast (year 2)", 4, groups=[("general", "breast")], program_year=2),
                TargetSpec("Biliary (year 3)", 9, groups=[("general", "biliary")], program_year=3),
            ],
        )
    ],
)

FRAMEWORKS = [SPINE, HPB, RESIDENCY]

# Each target's label as the directors gave it in the programs' other languages.
LABELS: dict[str, dict[str, str]] = {
    "Lumbar discectomy / laminectomy": {
        "ru": "Поясничная дискэктомия / ламинэктомия",
        "mn": "Бүсэлхийн дискэктоми / ламинэктоми",
        "ko": "요추 추간판 절제술 / 후궁 절제술",
    },
    "Posterior lumbar fusion": {
        "ru": "Задний поясничный спондилодез",
        "mn": "Бүсэлхийн арын бэхэлгээ",
        "ko": "후방 요추 유합술",
    },
    "Anterior cervical discectomy and fusion": {
        "ru": "Передняя шейная дискэктомия и спондилодез",
        "mn": "Хүзүүний урд дискэктоми ба бэхэлгээ",
        "ko": "전방 경추 추간판 절제 및 유합술",
    },
    "Posterior cervical fusion or laminoplasty": {
        "ru": "Задний шейный спондилодез или ламинопластика",
        "mn": "Хүзүүний арын бэхэлгээ эсвэл ламинопластик",
        "ko": "후방 경추 유합술 또는 후궁 성형술",
    },
    "Major hepatectomy": {
        "ru": "Обширная резекция печени",
        "mn": "Элэгний их хэмжээний тайралт",
        "ko": "대량 간절제술",
    },
    "Pancreaticoduodenectomy": {
        "ru": "Панкреатодуоденальная резекция",
        "mn": "Нойр-арван хоёр хуруу гэдэсний тайралт",
        "ko": "췌십이지장 절제술",
    },
    "Distal pancreatectomy": {
        "ru": "Дистальная резекция поджелудочной железы",
        "mn": "Нойр булчирхайн сүүлний тайралт",
        "ko": "원위부 췌장 절제술",
    },
    "Liver transplantation": {
        "ru": "Трансплантация печени",
        "mn": "Элэг шилжүүлэн суулгах",
        "ko": "간이식",
    },
    "Biliary (year 2)": {
        "ru": "Желчные пути (2-й год)",
        "mn": "Цөс (2-р жил)",
        "ko": "담도 (2년차)",
    },
    "Hernia (year 2)": {"ru": "Грыжи (2-й год)", "mn": "Ивэрхий (2-р жил)", "ko": "탈장 (2년차)"},
    "Appendix (year 2)": {
        "ru": "Аппендэктомия (2-й год)",
        "mn": "Мухар олгой (2-р жил)",
        "ko": "충수 (2년차)",
    },
    "Large intestine (year 2)": {
        "ru": "Толстая кишка (2-й год)",
        "mn": "Бүдүүн гэдэс (2-р жил)",
        "ko": "대장 (2년차)",
    },
    "Breast (year 2)": {
        "ru": "Молочная железа (2-й год)",
        "mn": "Хөх (2-р жил)",
        "ko": "유방 (2년차)",
    },
    "Biliary (year 3)": {
        "ru": "Желчные пути (3-й год)",
        "mn": "Цөс (3-р жил)",
        "ko": "담도 (3년차)",
    },
}


def framework_steps(world: World) -> list[tuple[datetime, Callable[[datetime], object]]]:
    """What each program's director does, and when, through the frameworks service: write
    the framework, later its next version, and put the program on each version written.
    The demo (caselog.demo.lifecycle) runs them in time order with the cases, each at its
    moment."""
    specialties = {s.code: s for s in db.session.scalars(select(Specialty))}
    codes = {s.id: code for code, s in specialties.items()}
    groups = {
        (codes[g.specialty_id], g.code): g for g in db.session.scalars(select(ProcedureGroup))
    }
    steps: list[tuple[datetime, Callable[[datetime], object]]] = []
    for spec in FRAMEWORKS:
        program = world.programs[spec.program]
        for number, version_spec in enumerate(spec.versions, start=1):
            data = FrameworkInput(
                name=spec.name,
                specialty_id=specialties[spec.specialty].id,
                source=spec.source,
                note=version_spec.note,
                targets=[_target(world, groups, target) for target in version_spec.targets],
            )
            at = datetime.combine(
                program.start_date + timedelta(days=version_spec.written_days), time(0, 30), UTC
            )
            steps.append((at, partial(_write, program, spec.name, number, data)))
    return steps


def _write(program: Program, name: str, number: int, data: FrameworkInput, now: datetime) -> None:
    director = program.directors[0]
    if number == 1:
        version = create_framework(data, actor=director, now=now)
    else:
        framework = db.session.scalars(select(Framework).where(Framework.name == name)).one()
        version = save_new_version(framework, data, actor=director, now=now)
    assign(program, version.id, actor=director, now=now)


def _target(world: World, groups: dict, spec: TargetSpec) -> TargetInput:
    count, autonomy = spec.entrust or (None, None)
    return TargetInput(
        label=spec.label,
        min_count=spec.min_count,
        involvements=[Involvement(code) for code in spec.involvements.split()],
        procedure_ids=[world.procedures[key].id for key in spec.procedures],
        group_ids=[groups[key].id for key in spec.groups],
        entrust_count=count,
        entrust_autonomy=autonomy,
        program_year=spec.program_year,
        label_translations=LABELS.get(spec.label, {}),
    )
