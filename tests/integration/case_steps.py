"""Steps of a case's life, run through the services, for tests of the pages that show them."""

from caselog.cases import services as case_services
from caselog.cases.services import CaseInput
from caselog.models import Case, CaseStatus, Signature
from caselog.signoff.services import Assessment, Seen, sign
from caselog.signoff.signatures import fingerprint
from tests.clock import NOW


def submitted_case(make, world, **fields) -> Case:
    """A case of the world's trainee, naming world.mentor, awaiting sign-off."""
    fields.setdefault("submitted_at", NOW)
    return make.case(
        world.trainee,
        world.program,
        fields.pop("procedure", world.fusion),
        fields.pop("supervisor", world.mentor),
        status=CaseStatus.SUBMITTED,
        **fields,
    )


def sign_case(
    case: Case, signer, assessment: Assessment | None = None, bedside: bool = False
) -> Signature:
    """The signer signs the case exactly as it is now (as the sign-off page would)."""
    outcome = sign(signer, [Seen(case.id, fingerprint(case))], assessment, bedside=bedside, now=NOW)
    assert not outcome.skipped, outcome.skipped
    return outcome.signed[0]


def as_input(case: Case, **changes) -> CaseInput:
    """What the case form would send for the case as it is, with some values changed."""
    values = dict(
        operation_date=case.operation_date,
        site_id=case.site_id,
        supervisor_id=case.supervisor_id,
        primary_procedure_id=case.primary_procedure_id,
        involvement=case.involvement,
        approach=case.approach,
        urgency=case.urgency,
        setting=case.setting,
        program_id=case.program_id,
        additional_procedure_ids=[p.id for p in case.additional_procedures],
        patient_age=case.patient_age,
        patient_sex=case.patient_sex,
        asa_grade=case.asa_grade,
        complication=case.complication,
        complication_description=case.complication_description,
        operative_minutes=case.operative_minutes,
        blood_loss_ml=case.blood_loss_ml,
        return_to_theatre=case.return_to_theatre,
        notes=case.notes,
    )
    return CaseInput(**{**values, **changes})


def amend(case: Case, trainee, reason: str, submit: bool = False, **changes) -> Case:
    return case_services.update_case(
        case, trainee, as_input(case, **changes), submit, reason=reason, now=NOW
    )
