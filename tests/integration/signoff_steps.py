"""Shared steps of the sign-off tests: waiting cases, a delegate, the queue's boxes."""

import re
from datetime import timedelta

from sqlalchemy import select

from caselog.models import AuditEvent, CaseStatus, Delegate
from tests.clock import NOW


def waiting(
    world,
    make,
    days: int = 1,
    trainee=None,
    supervisor=None,
    procedure=None,
    program=None,
    **fields,
):
    """A case submitted `days` ago, awaiting its supervisor."""
    return make.case(
        trainee or world.trainee,
        program or world.program,
        procedure or world.fusion,
        supervisor or world.mentor,
        status=CaseStatus.SUBMITTED,
        submitted_at=NOW - timedelta(days=days, minutes=5),
        **fields,
    )


def make_delegate(world, make, db_session, name="Dr Delegate Choi", mentor=None):
    """A mentor of the program whom the director lets sign for another mentor."""
    person = make.user(name, email=f"{name.split()[-1].lower()}@example.test")
    make.appoint(person, world.program)
    db_session.add(Delegate(program=world.program, mentor=mentor or world.mentor, delegate=person))
    db_session.flush()
    return person


BOX = re.compile(r'name="cases" id="case-(\d+)" value="([^"]+)"')


def boxes(page: str) -> dict[int, str]:
    """The queue's checkboxes: case id -> the value a ticked box posts."""
    return {int(case_id): value for case_id, value in BOX.findall(page)}


def audit(db_session, action: str) -> list[AuditEvent]:
    return list(
        db_session.scalars(
            select(AuditEvent).where(AuditEvent.action == action).order_by(AuditEvent.seq)
        )
    )
