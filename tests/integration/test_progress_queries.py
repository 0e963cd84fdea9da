"""Progress through the database: which cases count, by which content, for whom, and in a
fixed number of statements. Cases live their lives through the app's own services."""

from datetime import timedelta

import pytest

from caselog.cases.services import CaseInput, log_case, submit_case, withdraw_case
from caselog.extensions import db
from caselog.models import (
    Autonomy,
    Framework,
    FrameworkVersion,
    Involvement,
    ProcedureGroup,
    Target,
)
from caselog.progress.compute import Progress, Status
from caselog.progress.queries import case_facts, program_progress
from caselog.signoff.services import Assessment, return_case
from tests.clock import NOW, TODAY
from tests.integration.case_steps import amend, sign_case

STS, A = Involvement.SUPERVISED_SCRUBBED, Involvement.ASSISTED


@pytest.fixture
def framework(world, make, db_session):
    """The program's targets: discectomies (listed), fusions (by group), either, ACDF."""
    world.program.assessment_enabled = True
    fusions = ProcedureGroup(specialty_id=world.spine.id, code="fusion-test", name="Lumbar fusion")
    world.fusion.groups.append(fusions)
    version = FrameworkVersion(
        framework=Framework(name="Spine targets (test)", specialty=world.spine), number=1
    )
    version.targets = [
        Target(
            position=0,
            label="Discectomy",
            min_count=3,
            involvements="S-TS S-TU P",
            procedures=[world.microdiscectomy],
            entrust_count=1,
            entrust_autonomy=Autonomy.PASSIVE_HELP,
        ),
        Target(
            position=1, label="Fusion", min_count=3, involvements="S-TS S-TU P", groups=[fusions]
        ),
        Target(
            position=2,
            label="Lumbar",
            min_count=5,
            involvements="S-TS S-TU P",
            procedures=[world.microdiscectomy, world.fusion],
        ),
        Target(
            position=3,
            label="ACDF",
            min_count=2,
            involvements="S-TS S-TU P",
            procedures=[world.acdf],
        ),
    ]
    db_session.add(version)
    world.program.framework_version = version
    db_session.flush()
    return version


def log(
    world,
    days_ago=10,
    procedure=None,
    extra=(),
    involvement=STS,
    submit=True,
    trainee=None,
    signed=False,
    autonomy=None,
):
    """A case logged (and by default submitted) by the trainee through the service."""
    data = CaseInput(
        operation_date=TODAY - timedelta(days=days_ago),
        site_id=world.seoul.id,
        supervisor_id=world.mentor.id,
        primary_procedure_id=(procedure or world.microdiscectomy).id,
        involvement=involvement,
        program_id=world.program.id,
        additional_procedure_ids=[p.id for p in extra],
    )
    case = log_case(trainee or world.trainee, data, submit=submit, now=NOW)
    if signed:
        sign_case(case, world.mentor, Assessment(autonomy=autonomy))
    return case


def standing(world, trainee=None) -> dict[str, Progress]:
    """The trainee's progress on each target, by label."""
    trainee = trainee or world.trainee
    result = program_progress(world.program, [trainee.id], now=NOW)
    [row] = result.trainees
    return {p.target.label: p for p in row.targets}


def test_approved_cases_count_submitted_ones_wait_and_the_rest_count_nowhere(world, framework):
    approved = log(world, 40, signed=True)
    waiting = log(world, 30)
    returned = log(world, 25)
    return_case(world.mentor, returned.id, "Add the level operated on.", now=NOW)
    withdrawn = log(world, 20)
    withdraw_case(withdrawn, world.trainee, now=NOW)
    log(world, 15, submit=False)  # a draft
    resubmitted = log(world, 12)
    withdraw_case(resubmitted, world.trainee, now=NOW)
    submit_case(resubmitted, world.trainee, now=NOW)
    corrected = log(world, 8)
    return_case(world.mentor, corrected.id, "Add the level operated on.", now=NOW)
    amend(corrected, world.trainee, "", submit=True, notes="L4/5.")
    sign_case(corrected, world.mentor)

    discectomy = standing(world)["Discectomy"]
    assert discectomy.case_ids == [approved.id, corrected.id]
    assert discectomy.pending_ids == [waiting.id, resubmitted.id]
    assert (discectomy.counted, discectomy.pending) == (2, 2)
    assert discectomy.status is not Status.MET  # 2 of 3


def test_an_amended_case_counts_once_by_its_signed_version_until_the_amendment_is_signed(
    world, framework
):
    case = log(world, 30, signed=True, autonomy=Autonomy.PASSIVE_HELP)
    amend(
        case,
        world.trainee,
        "It was a fusion, not a discectomy.",
        submit=True,
        primary_procedure_id=world.fusion.id,
        involvement=A,
        operation_date=TODAY - timedelta(days=29),
    )

    by_label = standing(world)
    discectomy, fusion, lumbar = by_label["Discectomy"], by_label["Fusion"], by_label["Lumbar"]
    assert (discectomy.case_ids, discectomy.pending_ids) == ([case.id], [])
    assert discectomy.entrusted == 1  # the rating of the signed version
    assert (fusion.counted, fusion.pending) == (0, 0)
    assert (lumbar.counted, lumbar.pending) == (1, 0)
    [facts] = case_facts(world.program.id, [world.trainee.id])[world.trainee.id]
    assert facts.operation_date == TODAY - timedelta(days=30)  # the signed date, too

    # v2 says assisted: once signed, it counts nowhere (assisting does not count).
    sign_case(case, world.mentor, Assessment(autonomy=Autonomy.ACTIVE_HELP))
    by_label = standing(world)
    assert [by_label[t].counted for t in ("Discectomy", "Fusion", "Lumbar")] == [0, 0, 0]

    # v3 says scrubbed-supervised; returned, so v2 (signed) still decides; then signed.
    amend(case, world.trainee, "I did the fusion myself, supervised.", submit=True, involvement=STS)
    return_case(world.mentor, case.id, "Say which levels.", now=NOW)
    assert standing(world)["Fusion"].counted == 0
    amend(case, world.trainee, "", submit=True, notes="L4/5 and L5/S1.")
    assert standing(world)["Fusion"].pending == 0  # waiting again, but signed before
    sign_case(case, world.mentor, Assessment(autonomy=Autonomy.SUPERVISION_ONLY))
    by_label = standing(world)
    assert by_label["Fusion"].case_ids == [case.id] and by_label["Lumbar"].counted == 1
    assert by_label["Discectomy"].counted == 0


def test_additional_procedures_count_toward_every_target_they_match_once(world, framework):
    both = log(world, 20, extra=[world.fusion], signed=True)
    waiting = log(world, 10, procedure=world.fusion, extra=[world.acdf])
    # Signed with an additional ACDF; the amendment removing it awaits sign-off.
    amended = log(world, 15, procedure=world.fusion, extra=[world.acdf], signed=True)
    amend(amended, world.trainee, "No ACDF that day.", submit=True, additional_procedure_ids=[])

    by_label = standing(world)
    assert by_label["Discectomy"].case_ids == [both.id]
    assert by_label["Fusion"].case_ids == [both.id, amended.id]
    assert by_label["Lumbar"].case_ids == [both.id, amended.id]  # each once
    assert by_label["Fusion"].pending_ids == by_label["ACDF"].pending_ids == [waiting.id]
    assert by_label["ACDF"].case_ids == [amended.id]


def test_two_enrolments_in_the_program_are_one_period(world, framework, make):
    program = world.program
    returning = make.user("Enkh Returning")
    make.enrol(
        returning,
        program,
        start_date=program.start_date + timedelta(days=120),
        end_date=program.end_date,
        cohort="Second stint",
    )
    make.enrol(
        returning,
        program,
        start_date=program.start_date,
        end_date=program.start_date + timedelta(days=60),
        cohort="First stint",
    )
    days_in = (TODAY - program.start_date).days
    first = log(world, days_in - 10, trainee=returning, signed=True)
    second = log(world, 5, trainee=returning, signed=True)

    result = program_progress(program, [returning.id], now=NOW)
    [row] = result.trainees
    assert (row.period.start, row.period.end) == (program.start_date, program.end_date)
    assert row.cohort == "Second stint"  # the latest enrolment's, whatever order rows come in
    assert row.targets[0].case_ids == [first.id, second.id]
    assert row.targets[0].window_start == program.start_date


def test_only_the_listed_trainees_are_loaded(world, framework, make):
    mine = log(world, 10, signed=True)
    theirs = log(world, 10, trainee=world.other_trainee, signed=True)
    elsewhere = make.program(sites=[world.seoul], specialty=world.spine, name="Elsewhere")
    stranger = make.user("Not in this program")
    make.enrol(stranger, elsewhere)

    result = program_progress(world.program, [world.trainee.id, stranger.id], now=NOW)
    assert [row.trainee for row in result.trainees] == [world.trainee]
    assert [c.case_id for c in result.trainees[0].cases] == [mine.id]
    assert list(case_facts(world.program.id, [world.trainee.id])) == [world.trainee.id]
    assert program_progress(world.program, [], now=NOW).trainees == []

    everyone = program_progress(world.program, now=NOW)
    assert {row.trainee.id: [c.case_id for c in row.cases] for row in everyone.trainees} == {
        world.trainee.id: [mine.id],
        world.other_trainee.id: [theirs.id],
    }
    assert everyone.version == framework and [r.label for r in everyone.rules] == [
        "Discectomy",
        "Fusion",
        "Lumbar",
        "ACDF",
    ]


def test_a_program_without_a_framework_has_no_targets(world, make):
    log(world, 10, signed=True)
    result = program_progress(world.program, now=NOW)
    assert result.version is None and result.rules == []
    assert [row.targets for row in result.trainees] == [[], []]


def test_program_progress_issues_as_many_statements_for_many_cases_as_for_few(
    world, framework, make, count_queries
):
    log(world, 10, signed=True)

    def measure() -> int:
        db.session.expire_all()
        with count_queries() as counter:
            result = program_progress(world.program, now=NOW)
            for row in result.trainees:
                _ = row.trainee.full_name, [p.counted for p in row.targets]
        return counter.count

    small = measure()
    for n in range(4):
        trainee = make.user(f"Trainee {n}")
        make.enrol(trainee, world.program, cohort=f"Cohort {n % 2}")
        for days_ago in range(3, 40, 6):
            case = log(
                world,
                days_ago,
                trainee=trainee,
                extra=[world.acdf],
                procedure=world.fusion if days_ago % 2 else world.microdiscectomy,
                signed=days_ago > 10,
                autonomy=Autonomy.SUPERVISION_ONLY,
            )
        amend(case, trainee, "Wrong level.", submit=True, notes="L3/4.")
    large = measure()
    assert small == large, (small, large)
    assert sum(len(row.cases) for row in program_progress(world.program, now=NOW).trainees) == 29


def test_a_case_amended_into_another_program_counts_where_it_was_signed(world, framework, make):
    master_class = make.program(
        sites=[world.seoul], specialty=world.spine, name="Master class (test)"
    )
    make.enrol(world.trainee, master_class)
    make.appoint(world.mentor, master_class)
    data = CaseInput(
        operation_date=TODAY - timedelta(days=5),
        site_id=world.seoul.id,
        supervisor_id=world.mentor.id,
        primary_procedure_id=world.microdiscectomy.id,
        involvement=STS,
        program_id=master_class.id,
    )
    case = log_case(world.trainee, data, submit=True, now=NOW)
    sign_case(case, world.mentor)
    amend(
        case,
        world.trainee,
        "Logged under the wrong program.",
        submit=True,
        program_id=world.program.id,
    )

    # Signed for the master class: it counts there until the amendment is signed.
    assert standing(world)["Discectomy"].counted == 0
    signed_there = case_facts(master_class.id, [world.trainee.id])[world.trainee.id]
    assert [c.case_id for c in signed_there] == [case.id]
