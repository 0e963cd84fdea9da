"""A program that requires a second factor: its mentors without one are told to set it up
and cannot sign there; with one, signing a case (single, batch, bedside) asks for the code
as well as the password. Codes are computed with pyotp at the tests' fixed time."""

import html

import pytest

from caselog.models import CaseStatus
from tests.factories import PASSWORD
from tests.html import form_values
from tests.integration.second_factor_steps import at, code_at, enrol, sign_in_with_code
from tests.integration.signoff_steps import audit, boxes, waiting

NEEDS = "its program requires a second factor: set one up on your profile page"


@pytest.fixture
def requiring(world, db_session):
    """The world's program, requiring a second factor of its signers."""
    world.program.requires_second_factor = True
    db_session.flush()
    return world.program


def text(response) -> str:
    return html.unescape(response.get_data(as_text=True))


def sign_one(client, case, **data):
    """Open the review page, then approve with the password and `data`."""
    page = client.get(f"/cases/{case.id}/review").get_data(as_text=True)
    fields = {"fingerprint": form_values(page)["fingerprint"][0], "password": PASSWORD, **data}
    return client.submit(f"/cases/{case.id}/sign", fields, page=f"/cases/{case.id}/review")


def sign_batch(client, cases, **data):
    ticked = boxes(client.get("/awaiting").get_data(as_text=True))
    fields = {"cases": [ticked[case.id] for case in cases], "password": PASSWORD, **data}
    return client.submit("/awaiting/sign", fields, page="/awaiting")


def sign_at_bedside(client, case, mentor, **data):
    page = client.get(f"/cases/{case.id}/bedside").get_data(as_text=True)
    fields = {
        "fingerprint": form_values(page)["fingerprint"][0],
        "email": mentor.email,
        "password": PASSWORD,
        **data,
    }
    return client.submit(f"/cases/{case.id}/bedside", fields, page=f"/cases/{case.id}/bedside")


def enrolled(app, user):
    """A browser where `user` signed in, then set up an authenticator app; and its secret."""
    browser = app.test_client()
    browser.login(user)
    secret, _codes = enrol(browser)
    return browser, secret


# Without a second factor ---------------------------------------------------------------------


def test_a_mentor_without_one_is_told_on_signing_in_and_on_the_queue(client, world, requiring):
    response = client.submit("/login", {"email": world.mentor.email, "password": PASSWORD})
    page = text(client.get(response.headers["Location"], follow_redirects=True))
    assert "Spine fellowship (test): signing needs a code from an authenticator app." in page
    assert "data-second-factor-needed" in client.get("/awaiting").get_data(as_text=True)
    assert "data-second-factor-needed" in client.get("/profile").get_data(as_text=True)


def test_a_mentor_without_one_cannot_sign_a_case_there(client, world, make, requiring):
    case = waiting(world, make)
    client.login(world.mentor)
    review = client.get(f"/cases/{case.id}/review").get_data(as_text=True)
    assert "data-second-factor-needed" in review and "Approve and sign" not in review
    response = sign_one(client, case)
    assert NEEDS in text(response)
    assert case.status is CaseStatus.SUBMITTED and case.signatures == []


def test_a_mentor_without_one_cannot_sign_there_in_a_batch(
    client, world, make, requiring, db_session
):
    other_program = make.program(sites=[world.seoul], name="No rule")
    make.appoint(world.mentor, other_program)
    make.enrol(world.trainee, other_program)
    there, elsewhere = waiting(world, make), waiting(world, make, program=other_program)
    client.login(world.mentor)
    sign_batch(client, [there, elsewhere])
    page = text(client.get("/awaiting"))
    assert "Signed 1 case." in page and NEEDS in page
    assert there.status is CaseStatus.SUBMITTED and elsewhere.status is CaseStatus.APPROVED


def test_a_mentor_without_one_cannot_sign_there_at_the_bedside(client, world, make, requiring):
    case = waiting(world, make)
    client.login(world.trainee)
    response = sign_at_bedside(client, case, world.mentor)
    assert NEEDS in text(response)
    assert case.status is CaseStatus.SUBMITTED


# With a second factor ------------------------------------------------------------------------


def test_signing_one_case_asks_for_the_code(app, world, make, clock, requiring, db_session):
    client, secret = enrolled(app, world.mentor)
    case = waiting(world, make)
    moment = at(clock, 2)
    review = client.get(f"/cases/{case.id}/review").get_data(as_text=True)
    assert 'autocomplete="one-time-code"' in review and "Approve and sign" in review

    response = sign_one(client, case)
    assert "Enter the 6-digit code from your authenticator app." in text(response)
    response = sign_one(client, case, code="000000" if code_at(secret, moment) != "000000" else "1")
    assert "That code is not right." in text(response)
    assert case.status is CaseStatus.SUBMITTED
    [refused] = audit(db_session, "second_factor_refused")
    assert '"purpose":"signing"' in refused.after and refused.entity_id == world.mentor.id

    response = sign_one(client, case, code=code_at(secret, moment))
    assert response.status_code == 302
    assert case.status is CaseStatus.APPROVED


def test_a_code_used_to_sign_in_cannot_sign_again(app, client, world, make, clock, requiring):
    _browser, secret = enrolled(app, world.mentor)
    case = waiting(world, make)
    moment = at(clock, 2)
    sign_in_with_code(client, world.mentor, secret, moment)
    response = sign_one(client, case, code=code_at(secret, moment))
    assert "That code has been used already." in text(response)
    assert case.status is CaseStatus.SUBMITTED
    at(clock, 2.5)
    sign_one(client, case, code=code_at(secret, moment.replace(second=30)))
    assert case.status is CaseStatus.APPROVED


def test_a_batch_asks_for_the_code(app, world, make, clock, requiring):
    client, secret = enrolled(app, world.mentor)
    cases = [waiting(world, make, days=n + 1) for n in range(3)]
    moment = at(clock, 2)
    page = client.get("/awaiting").get_data(as_text=True)
    assert 'name="code"' in page and "data-second-factor-needed" not in page
    response = sign_batch(client, cases, code="12345")
    assert response.status_code == 200 and "That code is not right." in text(response)
    assert all(case.status is CaseStatus.SUBMITTED for case in cases)
    sign_batch(client, cases, code=code_at(secret, moment))
    assert all(case.status is CaseStatus.APPROVED for case in cases)


def test_the_bedside_asks_for_the_mentors_code(app, client, world, make, clock, requiring):
    _browser, secret = enrolled(app, world.mentor)
    case = waiting(world, make)
    client.login(world.trainee)
    moment = at(clock, 2)
    response = sign_at_bedside(client, case, world.mentor)
    assert "Enter the 6-digit code" in text(response)
    assert case.status is CaseStatus.SUBMITTED
    response = sign_at_bedside(client, case, world.mentor, code=code_at(secret, moment))
    assert response.status_code == 302
    assert case.status is CaseStatus.APPROVED
    assert case.signature.bedside and case.signature.signer_id == world.mentor.id


def test_a_recovery_code_signs_once(app, client, world, make, clock, requiring, db_session):
    browser = app.test_client()
    browser.login(world.mentor)
    _secret, codes = enrol(browser)
    first, second = waiting(world, make), waiting(world, make)
    at(clock, 2)
    assert sign_one(browser, first, code=codes[0]).status_code == 302
    assert first.status is CaseStatus.APPROVED
    assert "That code is not right." in text(sign_one(browser, second, code=codes[0]))
    assert second.status is CaseStatus.SUBMITTED
    assert len(audit(db_session, "recovery_code_used")) == 1


def test_signers_with_one_give_the_code_in_any_program(app, world, make, clock):
    client, secret = enrolled(app, world.mentor)  # the program does not require it
    case = waiting(world, make)
    moment = at(clock, 2)
    assert "Enter the 6-digit code" in text(sign_one(client, case))
    sign_one(client, case, code=code_at(secret, moment))
    assert case.status is CaseStatus.APPROVED


# The program's rule ----------------------------------------------------------------------------


def test_a_director_requires_it_on_the_program_page(client, world, db_session):
    client.login(world.director)
    page = client.get(f"/programs/{world.program.id}").get_data(as_text=True)
    assert "Signers need a second factor" in page
    url = f"/programs/{world.program.id}/second-factor"
    response = client.submit(url, {"required": "y"}, page=f"/programs/{world.program.id}")
    assert response.headers["Location"] == f"/programs/{world.program.id}"
    assert world.program.requires_second_factor
    [event] = audit(db_session, "second_factor_requirement_changed")
    assert event.entity == "program" and event.actor == world.director.email
    client.submit(url, {}, page=f"/programs/{world.program.id}")
    assert not world.program.requires_second_factor
    assert len(audit(db_session, "second_factor_requirement_changed")) == 2


def test_an_admin_sets_it_on_the_program_form(client, world):
    client.login(world.admin)
    url = f"/admin/programs/{world.program.id}/edit"
    fields = {
        key: values if len(values) > 1 else values[0]
        for key, values in form_values(client.get(url).get_data(as_text=True)).items()
        if key != "csrf_token"
    }
    response = client.submit(url, {**fields, "requires_second_factor": "y"})
    assert response.status_code == 302, response.get_data(as_text=True)[:3000]
    assert world.program.requires_second_factor
