"""What sign-off tells, and where: a batch naming cases out of the mentor's reach learns
nothing of them (the same answer as for ids never issued) and is audited; messages for the
next page carry no trainee, procedure, date or mentor in the readable session cookie, and
are not shown to the next person on the device."""

from datetime import timedelta

import pytest
from babel.dates import format_date

from caselog.cases.services import update_case, withdraw_case
from caselog.models import CaseStatus
from caselog.signoff.signatures import fingerprint
from tests.clock import NOW, TODAY
from tests.factories import PASSWORD
from tests.integration.case_steps import as_input
from tests.integration.sameness_steps import MISSING, TOKEN
from tests.integration.signoff_steps import audit, boxes, waiting
from tests.session_cookie import session_text

OPERATED = TODAY - timedelta(days=47)


@pytest.fixture
def out_of_reach(world, make, db_session):
    """Cases Dr Mentor Park may not sign: a draft naming them, a case naming another mentor,
    and a draft and a waiting case of a program elsewhere."""
    director = make.user("Dr Director Elsewhere", email="director.b@example.test")
    mentor = make.user("Dr Mentor Elsewhere", email="mentor.b@example.test")
    trainee = make.user("Tsetseg Ganbold", email="trainee.b@example.test")
    elsewhere = make.program(sites=[world.busan], directors=[director], name="Program elsewhere")
    make.appoint(mentor, elsewhere)
    make.enrol(trainee, elsewhere)

    def case(trainee, program, supervisor, status):
        return make.case(
            trainee,
            program,
            world.acdf,
            supervisor,
            status=status,
            operation_date=OPERATED,
            submitted_at=None if status is CaseStatus.DRAFT else NOW - timedelta(days=3),
        )

    return [
        case(world.other_trainee, world.program, world.mentor, CaseStatus.DRAFT),
        case(world.other_trainee, world.program, world.other_mentor, CaseStatus.SUBMITTED),
        case(trainee, elsewhere, mentor, CaseStatus.DRAFT),
        case(trainee, elsewhere, mentor, CaseStatus.SUBMITTED),
    ]


SECRETS = (
    "Oyunaa Bold",
    "Tsetseg Ganbold",
    "Anterior cervical discectomy",
    "ACDF",
    "Dr Mentor Lee",
    "Dr Mentor Elsewhere",
    format_date(OPERATED, "medium", locale="en"),
    OPERATED.isoformat(),
)


def assert_names_nothing(text: str) -> None:
    for secret in SECRETS:
        assert secret not in text, secret


def batch(client, start, csrf, case_ids):
    """Post a batch naming the ids (with any fingerprint: a hand-made request) from the
    session `start`; the answer, the session cookie it leaves, and the next page."""
    client.set_cookie("session", start.value)
    values = [f"{case_id}:{'0' * 64}" for case_id in case_ids]
    posted = client.post(
        "/awaiting/sign", data={"csrf_token": csrf, "cases": values, "password": PASSWORD}
    )
    cookie = session_text(client)
    page = client.get(posted.headers["Location"]).get_data(as_text=True)
    return posted, cookie, TOKEN.sub("TOKEN", page)


def test_a_batch_naming_cases_out_of_reach_learns_nothing_and_is_audited(
    client, world, make, out_of_reach, db_session
):
    mine = waiting(world, make)  # the mentor's own queue holds one case
    client.login(world.mentor)
    csrf = client.token()
    start = client.get_cookie("session")
    hidden = [case.id for case in out_of_reach]
    missing = [MISSING + n for n in range(len(hidden))]

    posted, cookie, page = batch(client, start, csrf, hidden)
    posted_missing, cookie_missing, page_missing = batch(client, start, csrf, missing)

    assert posted.status_code == posted_missing.status_code == 302
    assert posted.headers["Location"] == posted_missing.headers["Location"] == "/awaiting"
    assert cookie == cookie_missing
    assert page == page_missing
    assert "Not signed: 4 cases were not found." in page
    assert list(boxes(page)) == [mine.id]
    for text in (cookie, page):
        assert_names_nothing(text)
    for case in out_of_reach:
        assert case.signatures == [] and case.status in (CaseStatus.DRAFT, CaseStatus.SUBMITTED)
    assert mine.signatures == []

    probe, probe_missing = audit(db_session, "signature_out_of_reach")
    for event, ids in ((probe, hidden), (probe_missing, missing)):
        assert event.entity == "user" and event.entity_id == event.actor_id == world.mentor.id
        assert f'"case_ids":{ids}'.replace(" ", "") in event.after
        assert_names_nothing(f"{event.after} {event.reason}")


def test_a_batch_tells_the_mentor_about_their_own_cases_only(
    client, world, make, out_of_reach, db_session
):
    signs, withdrawn = waiting(world, make), waiting(world, make, days=2)
    withdrawn.status = CaseStatus.WITHDRAWN
    db_session.flush()
    client.login(world.mentor)
    values = [f"{c.id}:{fingerprint(c)}" for c in (signs, withdrawn, *out_of_reach)]
    response = client.submit(
        "/awaiting/sign", {"cases": values, "password": PASSWORD}, page="/awaiting"
    )
    assert_names_nothing(session_text(client))
    assert "Bat-Erdene Dorj" not in session_text(client)  # nor of the mentor's own cases
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Signed 1 case." in page
    operated = format_date(withdrawn.operation_date, "medium", locale="en")
    assert (
        f"Not signed: Transforaminal lumbar interbody fusion for Bat-Erdene Dorj ({operated}): "
        "the trainee withdrew it." in page
    )
    assert "Not signed: 4 cases were not found." in page
    assert_names_nothing(page)
    [event] = audit(db_session, "signature_out_of_reach")
    assert f'"case_ids":{[c.id for c in out_of_reach]}'.replace(" ", "") in event.after


# Messages for the next page ---------------------------------------------------------------


def posted_then_shown(client, response, *secrets: str) -> str:
    """The cookie after a post names none of the secrets; the next page shows them all."""
    cookie = session_text(client)
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    for secret in secrets:
        assert secret not in cookie, secret
    return page


def test_messages_about_a_case_travel_as_ids_and_are_said_on_the_next_page(
    client, app, world, make, db_session
):
    procedure = "Transforaminal lumbar interbody fusion"
    signed, returned, moved, bedside = (waiting(world, make, days=n) for n in (1, 2, 3, 4))
    mentor = app.test_client()
    mentor.login(world.mentor)

    response = mentor.submit(
        f"/cases/{signed.id}/sign",
        {"fingerprint": fingerprint(signed), "password": PASSWORD},
        page=f"/cases/{signed.id}/review",
    )
    page = posted_then_shown(mentor, response, procedure, "Bat-Erdene Dorj")
    assert f"Signed: {procedure} for Bat-Erdene Dorj." in page

    response = mentor.submit(
        f"/cases/{returned.id}/return",
        {"comment": "Record the level."},
        page=f"/cases/{returned.id}/review",
    )
    page = posted_then_shown(mentor, response, "Bat-Erdene Dorj")
    assert "Returned to Bat-Erdene Dorj with your comment." in page

    director = app.test_client()
    director.login(world.director)
    response = director.submit(
        f"/cases/{moved.id}/reassign",
        {"supervisor_id": str(world.other_mentor.id), "reason": "On leave"},
    )
    page = posted_then_shown(director, response, "Dr Mentor Lee")
    assert "Dr Mentor Lee is now the supervisor named on this case." in page

    client.login(world.trainee)
    response = client.submit(
        f"/cases/{bedside.id}/bedside",
        {"fingerprint": fingerprint(bedside), "email": world.mentor.email, "password": PASSWORD},
    )
    page = posted_then_shown(client, response, "Dr Mentor Park")
    assert "Signed by Dr Mentor Park." in page
    assert {c.status for c in (signed, bedside)} == {CaseStatus.APPROVED}


def test_messages_about_people_travel_as_ids(client, world, make):
    person = make.user("Tuvshin Bat", email="tuvshin@example.test")
    client.login(world.director)
    response = client.submit(
        f"/programs/{world.program.id}/enrol",
        {
            "email": person.email,
            "start_date": world.program.start_date.isoformat(),
            "end_date": world.program.end_date.isoformat(),
        },
    )
    assert "Tuvshin Bat enrolled." in posted_then_shown(client, response, "Tuvshin Bat")


def test_a_message_left_unread_is_not_shown_to_the_next_person(client, world, make):
    case = waiting(world, make)
    client.login(world.mentor)
    csrf = client.token()
    client.submit(
        f"/cases/{case.id}/sign",
        {"fingerprint": fingerprint(case), "password": PASSWORD},
        page=f"/cases/{case.id}/review",
    )  # the mentor leaves without reading the next page
    assert case.status is CaseStatus.APPROVED
    signed_out = client.post("/logout", data={"csrf_token": csrf})
    page = client.get(signed_out.headers["Location"]).get_data(as_text=True)
    assert "You are signed out." in page  # the next person on the device reads this only
    assert "Bat-Erdene Dorj" not in page and "Signed:" not in page


def test_a_case_gone_out_of_sight_before_the_next_page_is_only_said_to_be_gone(
    app, world, make, db_session
):
    """The trainee withdraws while the mentor signs, then edits it back into a draft before
    the mentor's next page is drawn: the mentor is told nothing was signed, and nothing of
    a case that is now the trainee's alone."""
    case = waiting(world, make)
    seen = fingerprint(case)
    withdraw_case(case, world.trainee, now=NOW)
    db_session.flush()
    mentor = app.test_client()
    mentor.login(world.mentor)
    response = mentor.post(
        f"/cases/{case.id}/sign",
        data={"fingerprint": seen, "password": PASSWORD, "csrf_token": mentor.token()},
    )
    assert response.status_code == 302
    update_case(case, world.trainee, as_input(case, notes="Changed."), False, now=NOW)
    db_session.flush()
    assert case.status is CaseStatus.DRAFT
    page = mentor.get(response.headers["Location"]).get_data(as_text=True)
    assert "Not signed: the case no longer awaits your sign-off." in page
    assert_names_nothing(page)
