"""A framework on the test world's program, and cases signed or waiting, for progress pages."""

from datetime import timedelta

from caselog.models import (
    Autonomy,
    CaseStatus,
    Framework,
    FrameworkVersion,
    Involvement,
    Target,
)
from caselog.signoff.services import Assessment
from tests.clock import NOW, TODAY
from tests.integration.case_steps import sign_case


def framework_version(make, specialty, targets: list[dict], name: str = "Test framework"):
    """A framework of one version holding the targets, given as Target fields."""
    framework = make._save(
        Framework(name=name, specialty=specialty, source="Modelled on test figures")
    )
    version = make._save(FrameworkVersion(framework=framework, number=1))
    for position, fields in enumerate(targets):
        make._save(
            Target(version=version, position=position, **{"involvements": "S-TS S-TU P", **fields})
        )
    return version


def spine_framework(make, world):
    """Three targets on the world's spine fellowship (assessment on, so ratings are kept).

    The program runs from 180 days ago for 365 days.
    """
    version = framework_version(
        make,
        world.spine,
        [
            dict(label="Lumbar discectomy", min_count=10, procedures=[world.microdiscectomy]),
            dict(label="ACDF", min_count=4, procedures=[world.acdf]),
            dict(
                label="TLIF",
                min_count=2,
                procedures=[world.fusion],
                entrust_count=1,
                entrust_autonomy=Autonomy.PASSIVE_HELP,
            ),
        ],
        name="Spine fellowship targets",
    )
    world.program.framework_version = version
    world.program.assessment_enabled = True
    make.session.flush()
    return version


def signed(
    make,
    world,
    procedure,
    days_ago: int,
    trainee=None,
    involvement=Involvement.SUPERVISED_SCRUBBED,
    autonomy: Autonomy | None = None,
):
    """A case the mentor signed, operated `days_ago` days ago."""
    case = pending(make, world, procedure, days_ago, trainee=trainee, involvement=involvement)
    sign_case(case, world.mentor, Assessment(autonomy=autonomy) if autonomy else None)
    return case


def pending(make, world, procedure, days_ago: int, trainee=None, **fields):
    """A case submitted and waiting for its first signature."""
    return make.case(
        trainee or world.trainee,
        world.program,
        procedure,
        world.mentor,
        status=CaseStatus.SUBMITTED,
        submitted_at=NOW,
        operation_date=TODAY - timedelta(days=days_ago),
        **fields,
    )


def small_world(make, world):
    """Discectomy behind (2 of 10, 1 pending), ACDF on track (3 of 4), TLIF met (2 of 2)."""
    spine_framework(make, world)
    signed(make, world, world.microdiscectomy, 150)
    signed(make, world, world.microdiscectomy, 100)
    pending(make, world, world.microdiscectomy, 3)
    for days in (120, 60, 20):
        signed(make, world, world.acdf, days, autonomy=Autonomy.ACTIVE_HELP)
    signed(make, world, world.fusion, 90, autonomy=Autonomy.SHOW_AND_TELL)
    signed(make, world, world.fusion, 30, autonomy=Autonomy.PASSIVE_HELP)
    signed(make, world, world.acdf, 10, involvement=Involvement.OBSERVED)  # does not count
    make.case(
        world.trainee, world.program, world.acdf, world.mentor, status=CaseStatus.DRAFT
    )  # nor does a draft
