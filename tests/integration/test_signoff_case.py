"""One case: review and sign, return, bedside sign-off, reassignment; nobody signs their own."""

import html

import pytest

from caselog.errors import DomainError
from caselog.models import Autonomy, CaseStatus, Complexity, Delegate
from caselog.signoff import services, signatures
from tests.clock import NOW
from tests.factories import PASSWORD
from tests.html import form_values
from tests.integration.signoff_steps import audit, boxes, make_delegate, waiting


@pytest.fixture
def mentor(client, world):
    client.login(world.mentor)
    return world.mentor


def another_client(client, user):
    other = client.__class__(client.application)
    other.login(user)
    return other


def sign_from_review(client, case, **data):
    """Open the review page, then approve with what it holds plus `data`."""
    page = client.get(f"/cases/{case.id}/review").get_data(as_text=True)
    fields = {"fingerprint": form_values(page)["fingerprint"][0], "password": PASSWORD, **data}
    return client.submit(f"/cases/{case.id}/sign", fields, page=f"/cases/{case.id}/review")


def test_review_page_shows_everything_recorded_and_both_actions(client, world, make, mentor):
    case = waiting(
        world,
        make,
        days=4,
        notes="Wide laminotomy; dura intact.",
        additional_procedures=[world.acdf],
    )
    page = client.get(f"/cases/{case.id}/review").get_data(as_text=True)
    text = html.unescape(page)
    for words in (
        "Transforaminal lumbar interbody fusion",
        "Anterior cervical discectomy",
        "Wide laminotomy; dura intact.",
        "Bat-Erdene Dorj",
        "waiting 4 days",
        str(signatures.MEANING),
        "Approve and sign",
        "Return with comment",
    ):
        assert words in text
    assert form_values(page)["fingerprint"] == [signatures.fingerprint(case)]
    assert 'autocomplete="current-password"' in page
    assert "Autonomy (Zwisch)" not in page  # the program does not ask for an assessment


def test_sign_one_case(client, world, make, mentor, db_session):
    case = waiting(world, make)
    response = sign_from_review(client, case, autonomy="passive_help", performance="4")
    assert response.status_code == 302 and response.headers["Location"] == "/awaiting"
    assert "Signed: Transforaminal lumbar interbody fusion for Bat-Erdene Dorj." in client.get(
        "/awaiting"
    ).get_data(as_text=True)
    assert case.status is CaseStatus.APPROVED
    signature = case.signature
    assert signature.signer_name == "Dr Mentor Park" and signature.version == 1
    assert signatures.is_valid(signature, case)
    assert not signature.has_assessment  # not saved: the program does not enable it
    [event] = audit(db_session, "approved")
    assert event.entity_id == case.id and event.actor_id == world.mentor.id


def test_assessment_is_offered_and_saved_when_the_program_enables_it(
    client, world, make, mentor, db_session
):
    world.program.assessment_enabled = True
    db_session.flush()
    case = waiting(world, make)
    page = client.get(f"/cases/{case.id}/review").get_data(as_text=True)
    for words in (
        "Autonomy (Zwisch)",
        "Show and tell",
        "Active help",
        "Passive help",
        "Supervision only",
        "well below expectations",
        "well above expectations",
        "Easier third",
        "Harder third",
        "Feedback for the trainee",
    ):
        assert words in page
    sign_from_review(
        client,
        case,
        autonomy="passive_help",
        performance="4",
        complexity="harder",
        feedback="Confident hands; plan the trajectory.",
    )
    signature = case.signature
    assert signature.autonomy is Autonomy.PASSIVE_HELP and signature.performance == 4
    assert signature.complexity is Complexity.HARDER
    assert signature.feedback == "Confident hands; plan the trajectory."
    assert signatures.is_valid(signature, case)


def test_bad_input_keeps_what_was_typed_but_never_the_password(
    client, world, make, mentor, db_session
):
    world.program.assessment_enabled = True
    db_session.flush()
    case = waiting(world, make)
    response = sign_from_review(
        client, case, password="", autonomy="active_help", feedback="Good exposure."
    )
    page = response.get_data(as_text=True)
    assert response.status_code == 200 and "Enter the password to sign." in page
    values = form_values(page)
    assert values["autonomy"] == ["active_help"]
    assert values["feedback"][0].strip() == "Good exposure."

    response = sign_from_review(client, case, feedback="Call him on 010-2345-6789")
    page = response.get_data(as_text=True)
    assert "Remove what could identify the patient" in page
    assert PASSWORD not in page
    assert form_values(page)["password"] == [""]
    assert case.status is CaseStatus.SUBMITTED and case.signatures == []


def test_wrong_password_on_one_case_signs_nothing_and_is_audited(
    client, world, make, mentor, db_session
):
    case = waiting(world, make)
    response = sign_from_review(client, case, password="not mine")
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "That password is not right. Nothing was signed." in page
    assert "not mine" not in page
    assert case.status is CaseStatus.SUBMITTED and case.signatures == []
    [event] = audit(db_session, "signature_refused")
    assert event.actor_id == world.mentor.id and event.reason == "wrong password"


def test_a_case_changed_after_it_was_opened_is_not_signed(client, world, make, mentor, db_session):
    case = waiting(world, make, notes="Single level.")
    page = client.get(f"/cases/{case.id}/review").get_data(as_text=True)
    seen = form_values(page)["fingerprint"][0]
    case.notes = "Two levels."  # withdrawn, changed and resubmitted meanwhile
    db_session.flush()
    response = client.submit(
        f"/cases/{case.id}/sign",
        {"fingerprint": seen, "password": PASSWORD},
        page=f"/cases/{case.id}/review",
    )
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "Not signed: it changed after you opened it: read it again." in page
    assert "Two levels." in page and case.signatures == []
    fresh = form_values(page)["fingerprint"][0]
    assert fresh == signatures.fingerprint(case) != seen
    client.submit(
        f"/cases/{case.id}/sign",
        {"fingerprint": fresh, "password": PASSWORD},
        page=f"/cases/{case.id}/review",
    )
    assert case.status is CaseStatus.APPROVED
    assert '"notes":"Two levels."' in case.signature.content


def test_second_signer_is_told_who_signed_first(client, world, make, mentor, db_session):
    delegate = make_delegate(world, make, db_session)
    case = waiting(world, make)
    page = client.get(f"/cases/{case.id}/review").get_data(as_text=True)
    seen = form_values(page)["fingerprint"][0]
    other = another_client(client, delegate)
    sign_from_review(other, case)
    assert case.signature.signer_id == delegate.id
    assert case.signature.on_behalf_of_id == world.mentor.id
    response = client.submit(
        f"/cases/{case.id}/sign", {"fingerprint": seen, "password": PASSWORD}, page="/awaiting"
    )
    assert response.status_code == 302
    assert "Not signed: already signed by Dr Delegate Choi." in client.get("/awaiting").get_data(
        as_text=True
    )
    assert len(case.signatures) == 1


def test_return_needs_a_comment_and_sends_the_case_back(client, world, make, mentor, db_session):
    case = waiting(world, make)
    review = f"/cases/{case.id}/review"
    response = client.submit(f"/cases/{case.id}/return", {"comment": "  "}, page=review)
    assert response.status_code == 200
    assert "Say what the trainee should change." in response.get_data(as_text=True)
    assert case.status is CaseStatus.SUBMITTED

    response = client.submit(
        f"/cases/{case.id}/return", {"comment": "Record the level and the side."}, page=review
    )
    assert response.status_code == 302 and response.headers["Location"] == "/awaiting"
    assert "Returned to Bat-Erdene Dorj with your comment." in client.get("/awaiting").get_data(
        as_text=True
    )
    assert case.status is CaseStatus.RETURNED
    assert case.return_comment == "Record the level and the side."
    [event] = audit(db_session, "returned")
    assert event.reason == "Record the level and the side."
    assert client.get(review).status_code == 404


# Nobody signs their own case ----------------------------------------------------------------


def test_a_trainee_who_is_also_a_mentor_never_signs_their_own_case(client, world, make, db_session):
    senior = world.trainee
    make.appoint(senior, world.program)  # a senior fellow mentors juniors in the program
    db_session.add(Delegate(program=world.program, mentor=world.mentor, delegate=senior))
    db_session.flush()
    own = waiting(world, make)  # names Dr Mentor Park, whom the senior may sign for
    named_self = waiting(world, make, supervisor=senior)
    theirs = waiting(world, make, trainee=world.other_trainee)  # a junior's: the senior signs

    client.login(senior)
    page = client.get("/awaiting").get_data(as_text=True)
    assert list(boxes(page)) == [theirs.id]
    for case in (own, named_self):
        assert client.get(f"/cases/{case.id}/review").status_code == 404
        posted = client.submit(
            f"/cases/{case.id}/sign",
            {"fingerprint": signatures.fingerprint(case), "password": PASSWORD},
            page="/awaiting",
        )
        assert posted.status_code == 404
    values = [f"{c.id}:{signatures.fingerprint(c)}" for c in (own, named_self, theirs)]
    client.submit("/awaiting/sign", {"cases": values, "password": PASSWORD}, page="/awaiting")
    page = client.get("/awaiting").get_data(as_text=True)
    assert "Signed 1 case." in page  # their own two are cases they may not sign: not found
    assert "Not signed: 2 cases were not found." in page
    assert theirs.status is CaseStatus.APPROVED
    for case in (own, named_self):
        assert case.status is CaseStatus.SUBMITTED and case.signatures == []

    # nor at the bedside, with their own credentials on their own tablet
    response = client.submit(
        f"/cases/{own.id}/bedside",
        {"fingerprint": signatures.fingerprint(own), "email": senior.email, "password": PASSWORD},
    )
    assert "Not signed: you cannot sign your own case." in response.get_data(as_text=True)
    assert own.signatures == []


# Bedside sign-off -----------------------------------------------------------------------------


def bedside_post(client, case, **data):
    page = client.get(f"/cases/{case.id}/bedside").get_data(as_text=True)
    fields = {"fingerprint": form_values(page)["fingerprint"][0], **data}
    return client.submit(f"/cases/{case.id}/bedside", fields, page=f"/cases/{case.id}/bedside")


def test_bedside_sign_off_keeps_the_trainee_signed_in_and_nothing_of_the_mentor(
    client, app, world, make, db_session
):
    world.program.assessment_enabled = True
    db_session.flush()
    case = waiting(world, make)
    client.login(world.trainee)
    page = client.get(f"/cases/{case.id}/bedside").get_data(as_text=True)
    assert str(signatures.MEANING) in html.unescape(page)
    assert "Transforaminal lumbar interbody fusion" in page and "Autonomy (Zwisch)" in page
    assert 'autocomplete="off"' in page and 'autocomplete="new-password"' in page

    response = bedside_post(
        client,
        case,
        email="  Mentor@Example.test ",
        password=PASSWORD,
        autonomy="supervision_only",
        feedback="Ready to do these alone.",
    )
    assert response.status_code == 302
    assert response.headers["Location"] == f"/cases/{case.id}"
    assert world.mentor.email not in str(response.headers)
    shown = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Signed by Dr Mentor Park." in shown
    assert world.mentor.email not in shown.lower() and PASSWORD not in shown
    assert "Bat-Erdene Dorj" in shown  # still the trainee's session
    assert client.get("/cases/new").status_code == 200  # a trainee's page, still open to them
    cookie = client.get_cookie("session")
    session = app.session_interface.get_signing_serializer(app).loads(cookie.value)
    assert str(session["_user_id"]).partition(":")[0] == str(world.trainee.id)
    assert world.mentor.email not in str(session).lower()

    signature = case.signature
    assert signature.signer_id == world.mentor.id and signature.bedside
    assert signature.autonomy is Autonomy.SUPERVISION_ONLY
    assert signature.feedback == "Ready to do these alone."
    assert signatures.is_valid(signature, case)


def test_bedside_wrong_password_signs_nothing_echoes_nothing_and_is_audited(
    client, world, make, db_session
):
    case = waiting(world, make)
    client.login(world.trainee)
    response = bedside_post(client, case, email=world.mentor.email, password="wrong one")
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "The e-mail address or password is not right." in page
    assert world.mentor.email not in page and "wrong one" not in page
    assert form_values(page)["email"] == [""]
    assert case.status is CaseStatus.SUBMITTED and case.signatures == []
    [event] = audit(db_session, "signature_refused")
    assert event.entity == "case" and event.entity_id == case.id
    assert client.get("/cases").status_code == 200  # the trainee is still signed in


def test_bedside_refuses_a_mentor_the_case_does_not_name(client, world, make):
    case = waiting(world, make)
    client.login(world.trainee)
    response = bedside_post(client, case, email=world.other_mentor.email, password=PASSWORD)
    assert "Not signed: it names another supervisor." in response.get_data(as_text=True)
    assert case.signatures == []


# Reassignment ---------------------------------------------------------------------------------


def test_director_reassigns_a_stuck_case_to_another_mentor(client, world, make, db_session):
    case = waiting(world, make, days=40)
    outsider = make.user("Dr Not Appointed")
    client.login(world.director)
    page = client.get(f"/cases/{case.id}/reassign").get_data(as_text=True)
    assert "Dr Mentor Park" in page  # named now
    assert f'<option value="{world.other_mentor.id}">Dr Mentor Lee</option>' in page
    assert f'<option value="{world.mentor.id}"' not in page
    assert "Bat-Erdene Dorj</option>" not in page
    refused = client.submit(f"/cases/{case.id}/reassign", {"supervisor_id": outsider.id})
    assert refused.status_code == 200 and "Not a valid choice" in refused.get_data(as_text=True)

    response = client.submit(
        f"/cases/{case.id}/reassign", {"supervisor_id": world.other_mentor.id, "reason": "On leave"}
    )
    assert response.status_code == 302 and response.headers["Location"] == f"/cases/{case.id}"
    assert case.supervisor_id == world.other_mentor.id and case.status is CaseStatus.SUBMITTED
    [event] = audit(db_session, "reassigned")
    assert event.reason == "On leave" and event.actor_id == world.director.id

    lee = another_client(client, world.other_mentor)
    assert list(boxes(lee.get("/awaiting").get_data(as_text=True))) == [case.id]
    park = another_client(client, world.mentor)
    assert boxes(park.get("/awaiting").get_data(as_text=True)) == {}


def test_a_case_gone_when_it_is_locked_is_refused_not_a_crash(app, world):
    """Returning and reassigning load the case afresh, under a lock; one that no longer
    exists is refused like one that no longer waits (it went on as None: a 500)."""
    with app.test_request_context():
        with pytest.raises(DomainError, match="Only a case awaiting your sign-off can be"):
            services.return_case(world.mentor, 999_999, "Record the level.", now=NOW)
        with pytest.raises(DomainError, match="Only a case awaiting sign-off can be reassigned"):
            services.reassign(world.director, 999_999, world.other_mentor.id, "", now=NOW)
