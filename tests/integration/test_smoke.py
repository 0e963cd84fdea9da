"""Smoke: a trainee signs in and logs a case on the form as it is offered.

The operation date is the one the form offers (today at the trainee's hospital), so the
test holds on any day: no date is written here that the calendar could overtake.
"""

from datetime import date

from sqlalchemy import select

from caselog.models import Case, CaseStatus
from tests.html import form_values


def test_login_and_log_case(client, world, db_session):
    client.login(world.trainee)
    offered = form_values(client.get("/cases/new").get_data(as_text=True))
    [day] = offered["operation_date"]
    response = client.submit(
        "/cases/new",
        {
            **offered,
            "site_id": world.seoul.id,
            "supervisor_id": world.mentor.id,
            "primary_procedure_id": world.microdiscectomy.id,
            "involvement": "S-TS",
            "submit": "1",
        },
    )
    assert response.status_code == 302, response.get_data(as_text=True)
    case = db_session.scalars(select(Case).where(Case.trainee_id == world.trainee.id)).one()
    assert case.status is CaseStatus.SUBMITTED
    assert case.operation_date == date.fromisoformat(day)
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Lumbar microdiscectomy" in page and "Awaiting sign-off" in page
