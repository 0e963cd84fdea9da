"""Loading what the progress computation needs, in a fixed number of queries however many
cases and trainees there are, and putting the pieces together per trainee."""

import json
from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import Row, select
from sqlalchemy.orm import selectinload

from caselog.extensions import db
from caselog.i18n import target_label
from caselog.models import (
    Autonomy,
    Case,
    CaseStatus,
    Enrolment,
    FrameworkVersion,
    Involvement,
    Program,
    Signature,
    Target,
    User,
)
from caselog.models.cases import case_additional_procedures
from caselog.models.catalogue import procedure_groups
from caselog.progress.compute import CaseFacts, Period, Progress, TargetRule, progress


@dataclass
class TraineeProgress:
    """One trainee in one program: their period, their cases' facts, each target's progress."""

    trainee: User
    cohort: str
    period: Period
    cases: list[CaseFacts]
    targets: list[Progress]


@dataclass
class ProgramProgress:
    """A program's framework version and the progress of the trainees asked for."""

    program: Program
    version: FrameworkVersion | None
    rules: list[TargetRule]
    today: date
    trainees: list[TraineeProgress]


def program_progress(
    program: Program, trainee_ids: list[int] | None = None, *, now: datetime
) -> ProgramProgress:
    """Progress of the program's trainees (all enrolled, or those listed) on its framework,
    as it stands on the program's date at `now`."""
    today = program.today(now)
    version = program.framework_version
    rules = target_rules(version) if version else []
    spans = _spans(program, trainee_ids)
    facts = case_facts(program.id, list(spans)) if spans else {}
    rows = []
    for trainee_id, (trainee, cohort, period) in spans.items():
        cases = facts.get(trainee_id, [])
        rows.append(
            TraineeProgress(trainee, cohort, period, cases, progress(rules, cases, period, today))
        )
    rows.sort(key=lambda row: row.trainee.full_name)
    return ProgramProgress(program, version, rules, today, rows)


def _spans(program: Program, trainee_ids: list[int] | None) -> dict[int, tuple[User, str, Period]]:
    """Each trainee's time in the program (from their first enrolment to their last), and
    the cohort of their latest enrolment."""
    query = (
        select(Enrolment)
        .where(Enrolment.program_id == program.id)
        .order_by(Enrolment.start_date, Enrolment.id)
        .options(selectinload(Enrolment.trainee))
    )
    if trainee_ids is not None:
        query = query.where(Enrolment.trainee_id.in_(trainee_ids))
    spans: dict[int, tuple[User, str, Period]] = {}
    for e in db.session.scalars(query):
        if e.trainee_id in spans:
            trainee, cohort, period = spans[e.trainee_id]
            cohort = e.cohort or cohort
            e_start, e_end = min(period.start, e.start_date), max(period.end, e.end_date)
        else:
            trainee, cohort, e_start, e_end = e.trainee, e.cohort or "", e.start_date, e.end_date
        spans[e.trainee_id] = (trainee, cohort, Period(program.start_date, e_start, e_end))
    return spans


def target_rules(version: FrameworkVersion) -> list[TargetRule]:
    """The version's targets with their procedures resolved (listed ones and group members)."""
    targets = db.session.scalars(
        select(Target)
        .where(Target.version_id == version.id)
        .order_by(Target.position)
        .options(selectinload(Target.procedures), selectinload(Target.groups))
    ).all()
    group_ids = {g.id for t in targets for g in t.groups}
    members: dict[int, set[int]] = defaultdict(set)
    if group_ids:
        rows = db.session.execute(
            select(procedure_groups.c.group_id, procedure_groups.c.procedure_id).where(
                procedure_groups.c.group_id.in_(group_ids)
            )
        )
        for group_id, procedure_id in rows:
            members[group_id].add(procedure_id)
    return [
        TargetRule(
            id=t.id,
            label=target_label(t),  # in the reader's language
            min_count=t.min_count,
            procedure_ids=frozenset(
                {p.id for p in t.procedures} | {pid for g in t.groups for pid in members[g.id]}
            ),
            involvements=frozenset(t.involvement_levels),
            entrust_count=t.entrust_count,
            entrust_autonomy=t.entrust_autonomy,
            program_year=t.program_year,
        )
        for t in targets
    ]


def case_facts(program_id: int, trainee_ids: list[int]) -> dict[int, list[CaseFacts]]:
    """Per trainee, the facts of each case that counts or is pending in the program.

    Three queries over the trainees' cases in any program: a case counts where its latest
    signature says it belongs, even if an amendment awaiting sign-off moves it elsewhere.
    """
    cases = db.session.execute(
        select(
            Case.id,
            Case.trainee_id,
            Case.program_id,
            Case.status,
            Case.version,
            Case.operation_date,
            Case.primary_procedure_id,
            Case.involvement,
        ).where(Case.trainee_id.in_(trainee_ids))
    ).all()
    extra: dict[int, set[int]] = defaultdict(set)
    for case_id, procedure_id in db.session.execute(
        select(case_additional_procedures.c.case_id, case_additional_procedures.c.procedure_id)
        .join(Case, Case.id == case_additional_procedures.c.case_id)
        .where(Case.trainee_id.in_(trainee_ids))
    ):
        extra[case_id].add(procedure_id)
    latest: dict[int, Row[int, int, Autonomy | None, str]] = {}
    for row in db.session.execute(
        select(Signature.case_id, Signature.version, Signature.autonomy, Signature.content)
        .join(Case, Case.id == Signature.case_id)
        .where(Case.trainee_id.in_(trainee_ids))
    ):
        if row.case_id not in latest or row.version > latest[row.case_id].version:
            latest[row.case_id] = row
    facts: dict[int, list[CaseFacts]] = defaultdict(list)
    for case in cases:
        signature = latest.get(case.id)
        if signature is not None and signature.version == case.version:
            if case.program_id == program_id:
                facts[case.trainee_id].append(
                    CaseFacts(
                        case.id,
                        case.trainee_id,
                        case.operation_date,
                        frozenset({case.primary_procedure_id} | extra[case.id]),
                        case.involvement,
                        signed=True,
                        autonomy=signature.autonomy,
                    )
                )
        elif signature is not None:  # amended since: the signed version still counts
            signed = json.loads(signature.content)
            if signed["program_id"] == program_id:
                facts[case.trainee_id].append(
                    CaseFacts(
                        case.id,
                        case.trainee_id,
                        date.fromisoformat(signed["operation_date"]),
                        frozenset(
                            {signed["primary_procedure_id"], *signed["additional_procedure_ids"]}
                        ),
                        Involvement(signed["involvement"]),
                        signed=True,
                        autonomy=signature.autonomy,
                    )
                )
        elif case.status is CaseStatus.SUBMITTED and case.program_id == program_id:
            facts[case.trainee_id].append(
                CaseFacts(
                    case.id,
                    case.trainee_id,
                    case.operation_date,
                    frozenset({case.primary_procedure_id} | extra[case.id]),
                    case.involvement,
                    signed=False,
                )
            )
    return facts
