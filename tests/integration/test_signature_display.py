"""How a signature is shown: valid or not (checked at every showing), who, when, what they
declared, their assessment; superseded ones; the mentor's comment on a returned case; the list."""

from datetime import timedelta
from zoneinfo import ZoneInfo

import pytest
from flask_babel import format_date
from sqlalchemy import text

from caselog.models import Autonomy, CaseStatus, Complexity, Delegate, Signature
from caselog.signoff.services import Assessment, return_case
from tests.clock import NOW, TODAY
from tests.integration.case_steps import amend, sign_case, submitted_case

SEOUL = ZoneInfo("Asia/Seoul")  # the world's hospitals


def signed_in(app, user):
    """A fresh browser with the user signed in."""
    client = app.test_client()
    client.login(user)
    return client


def page(client, url) -> str:
    response = client.get(url)
    assert response.status_code == 200, response.status_code
    return response.get_data(as_text=True)


@pytest.fixture
def signed(world, make):
    case = submitted_case(make, world, notes="Uneventful decompression.")
    return case, sign_case(case, world.mentor)


def test_a_signed_case_shows_a_valid_signature_with_name_time_and_meaning(app, world, signed):
    case, signature = signed
    for viewer in (world.trainee, world.mentor, world.director):
        shown = page(signed_in(app, viewer), f"/cases/{case.id}")
        assert "Signature valid" in shown and "Signature invalid" not in shown
        assert "Dr Mentor Park" in shown
        assert (
            "I supervised this operation and confirm the trainee&#39;s role as recorded." in shown
        )
        assert "(KST)" in shown  # the hospital's time zone, Asia/Seoul
        assert signature.signed_at.astimezone(SEOUL).strftime("%-I:%M:%S") in shown


def test_the_trainee_sees_the_mentors_assessment(client, world, make):
    world.program.assessment_enabled = True
    case = submitted_case(make, world)
    sign_case(
        case,
        world.mentor,
        Assessment(
            autonomy=Autonomy.PASSIVE_HELP,
            performance=4,
            complexity=Complexity.HARDER,
            feedback="Safe hands; plan the trajectory before drilling.",
        ),
    )
    client.login(world.trainee)
    shown = page(client, f"/cases/{case.id}")
    assert "Autonomy (Zwisch)" in shown and "Passive help" in shown
    assert "4 of 5" in shown and "Harder third" in shown
    assert "Safe hands; plan the trajectory before drilling." in shown


def test_a_delegates_bedside_signature_says_for_whom_and_where(client, world, make, db_session):
    db_session.add(
        Delegate(
            program_id=world.program.id,
            mentor_id=world.mentor.id,
            delegate_id=world.other_mentor.id,
        )
    )
    db_session.flush()
    case = submitted_case(make, world)
    sign_case(case, world.other_mentor, bedside=True)
    client.login(world.trainee)
    shown = page(client, f"/cases/{case.id}")
    assert "Dr Mentor Lee" in shown and "on behalf of Dr Mentor Park" in shown
    assert "signed at the bedside" in shown and "Signature valid" in shown


def _expire(db_session):
    db_session.expire_all()


def test_changing_a_signed_case_in_the_database_makes_the_signature_invalid(
    client, world, signed, db_session
):
    case, _ = signed
    db_session.execute(
        text('UPDATE "case" SET notes = :n WHERE id = :id'),
        {"n": "Rewritten behind everyone's back.", "id": case.id},
    )
    _expire(db_session)
    client.login(world.trainee)
    shown = page(client, f"/cases/{case.id}")
    assert "Signature invalid" in shown and "Signature valid" not in shown
    assert "no longer vouches for what is recorded" in shown
    assert "Signature invalid" in page(
        signed_in(client.application, world.director), f"/cases/{case.id}/history"
    )


def test_changing_an_additional_procedure_in_the_database_makes_it_invalid(
    client, world, signed, db_session
):
    case, _ = signed
    db_session.execute(
        text("INSERT INTO case_additional_procedure (case_id, procedure_id) VALUES (:c, :p)"),
        {"c": case.id, "p": world.acdf.id},
    )
    _expire(db_session)
    client.login(world.trainee)
    assert "Signature invalid" in page(client, f"/cases/{case.id}")


@pytest.mark.parametrize(
    ("column", "value"),
    [
        ("content", '{"notes":"forged"}'),
        ("hmac", "0" * 64),
        ("signer_name", "Prof Someone Famous"),
        ("feedback", "Excellent in every way."),
    ],
)
def test_changing_the_signature_in_the_database_makes_it_invalid(
    client, world, signed, db_session, column, value
):
    case, signature = signed
    db_session.execute(
        text(f"UPDATE signature SET {column} = :v WHERE id = :id"),  # noqa: S608
        {"v": value, "id": signature.id},
    )
    _expire(db_session)
    client.login(world.trainee)
    shown = page(client, f"/cases/{case.id}")
    assert "Signature invalid" in shown and "Signature valid" not in shown


def test_a_signature_copied_onto_another_case_is_invalid(client, world, signed, make, db_session):
    case, signature = signed
    other = make.case(
        world.trainee,
        world.program,
        world.fusion,
        world.mentor,
        status=CaseStatus.APPROVED,
        notes="Uneventful decompression.",
    )
    columns = [c.key for c in Signature.__table__.columns if c.key not in ("id", "case_id")]
    db_session.execute(
        text(  # the model's own column names, nothing typed
            f"INSERT INTO signature (case_id, {', '.join(columns)}) "  # noqa: S608
            f"SELECT :other, {', '.join(columns)} FROM signature WHERE id = :id"
        ),
        {"other": other.id, "id": signature.id},
    )
    _expire(db_session)
    client.login(world.trainee)
    assert "Signature valid" in page(client, f"/cases/{case.id}")  # the original still holds
    shown = page(client, f"/cases/{other.id}")
    assert "Signature invalid" in shown and "Signature valid" not in shown


def test_a_superseded_signature_stays_visible_and_checked(client, world, signed, db_session):
    case, old = signed
    amend(case, world.trainee, "Blood loss was wrong.", blood_loss_ml=400)
    client.login(world.trainee)
    shown = page(client, f"/cases/{case.id}")
    assert "Superseded" in shown and "Signature valid" in shown and "Version 1" in shown
    db_session.execute(
        text("UPDATE signature SET meaning = :m WHERE id = :id"),
        {"m": "I was there.", "id": old.id},
    )
    _expire(db_session)
    shown = page(client, f"/cases/{case.id}")
    assert "Superseded" in shown and "Signature invalid" in shown


def test_a_returned_case_shows_the_mentors_comment(client, world, make):
    case = submitted_case(make, world)
    return_case(world.mentor, case.id, "Involvement was A, not S-TS: I did the fusion.", now=NOW)
    client.login(world.trainee)
    shown = page(client, f"/cases/{case.id}")
    assert "Your supervisor returned this case" in shown
    assert "Involvement was A, not S-TS: I did the fusion." in shown
    assert "Involvement was A, not S-TS: I did the fusion." in page(
        client, f"/cases/{case.id}/edit"
    )
    director = signed_in(client.application, world.director)
    assert "Involvement was A, not S-TS: I did the fusion." in page(director, f"/cases/{case.id}")


def test_case_list_names_the_signer_and_shows_withdrawn(client, world, make):
    case = submitted_case(make, world, operation_date=TODAY - timedelta(days=2))
    signature = sign_case(case, world.mentor)
    make.case(world.trainee, world.program, world.acdf, world.mentor, status=CaseStatus.WITHDRAWN)
    client.login(world.trainee)
    shown = page(client, "/cases")
    with client.application.test_request_context():
        day = format_date(signature.signed_at.astimezone(SEOUL).date(), "medium")
    assert shown.count("Signed by") == 1
    assert f"Signed by Dr Mentor Park, {day}" in shown
    assert 'status-withdrawn">Withdrawn' in shown
    assert 'status-approved">Approved' in shown


def test_case_list_queries_do_not_grow_with_signed_cases(client, world, make, count_queries):
    def measure() -> int:
        with count_queries() as counter:
            assert client.get("/cases").status_code == 200
        return counter.count

    client.login(world.trainee)
    sign_case(submitted_case(make, world), world.mentor)
    small = measure()
    for n in range(12):
        case = submitted_case(
            make,
            world,
            supervisor=world.other_mentor if n % 2 else world.mentor,
            site=world.busan if n % 2 else world.seoul,
            submitted_at=NOW,
        )
        if n % 3:
            sign_case(case, case.supervisor)
    assert measure() == small
