"""The trainee's side of sign-off: withdrawing a waiting case, and amending a signed one."""

import pytest
from sqlalchemy import select

from caselog.models import AuditEvent, CaseStatus, Involvement
from tests.html import form_values
from tests.integration.case_steps import amend, sign_case, submitted_case

ROLES = ["anonymous", "owner", "other_trainee", "supervisor", "director", "admin"]


def person(world, role):
    return {
        "anonymous": None,
        "owner": world.trainee,
        "other_trainee": world.other_trainee,
        "supervisor": world.mentor,
        "director": world.director,
        "admin": world.admin,
    }[role]


def events(db_session, case, action):
    return db_session.scalars(
        select(AuditEvent).where(
            AuditEvent.entity == "case",
            AuditEvent.entity_id == case.id,
            AuditEvent.action == action,
        )
    ).all()


def edit_values(client, case, **changes) -> dict:
    """The edit page's form as the browser would send it, with some fields changed."""
    values = form_values(client.get(f"/cases/{case.id}/edit").get_data(as_text=True))
    values.pop("csrf_token", None)
    return {**values, **changes}


def page(client, url) -> str:
    return client.get(url, follow_redirects=True).get_data(as_text=True)


# --- Withdraw --------------------------------------------------------------------------------


def test_trainee_withdraws_a_waiting_case_then_resubmits_it(client, world, make, db_session):
    case = submitted_case(make, world)
    client.login(world.trainee)
    shown = page(client, f"/cases/{case.id}")
    assert f'action="/cases/{case.id}/withdraw"' in shown
    assert f'href="/cases/{case.id}/edit"' not in shown  # locked while it waits

    response = client.submit(f"/cases/{case.id}/withdraw", page=f"/cases/{case.id}")
    assert response.status_code == 302
    assert response.headers["Location"] == f"/cases/{case.id}"
    assert case.status is CaseStatus.WITHDRAWN
    shown = page(client, f"/cases/{case.id}")
    assert "Case withdrawn" in shown and "Withdrawn" in shown
    assert f'href="/cases/{case.id}/edit"' in shown
    assert f'action="/cases/{case.id}/submit"' in shown
    assert f'action="/cases/{case.id}/withdraw"' not in shown
    assert len(events(db_session, case, "withdrawn")) == 1
    # the mentor's queue no longer holds it
    mentor = make_client(client)
    mentor.login(world.mentor)
    assert case.reference not in page(mentor, "/awaiting")

    response = client.submit(f"/cases/{case.id}/submit", page=f"/cases/{case.id}")
    assert case.status is CaseStatus.SUBMITTED
    assert len(events(db_session, case, "submitted")) == 1


def make_client(client):
    return client.application.test_client()


def test_a_withdrawn_case_can_be_edited_and_is_saved_as_a_draft(client, world, make):
    case = submitted_case(make, world)
    client.login(world.trainee)
    client.submit(f"/cases/{case.id}/withdraw", page=f"/cases/{case.id}")
    response = client.post(
        f"/cases/{case.id}/edit",
        data={
            **edit_values(client, case, involvement="P", notes="Closed the wound myself."),
            "csrf_token": client.token(),
            "draft": "",
        },
    )
    assert response.status_code == 302
    assert case.status is CaseStatus.DRAFT
    assert case.involvement is Involvement.PERFORMED and case.version == 1
    assert "Changes saved" in page(client, response.headers["Location"])


def test_a_withdrawn_case_edited_and_submitted_at_once(client, world, make):
    case = submitted_case(make, world)
    client.login(world.trainee)
    client.submit(f"/cases/{case.id}/withdraw", page=f"/cases/{case.id}")
    client.post(
        f"/cases/{case.id}/edit",
        data={
            **edit_values(client, case, involvement="A"),
            "csrf_token": client.token(),
            "submit": "",
        },
    )
    assert case.status is CaseStatus.SUBMITTED and case.involvement is Involvement.ASSISTED


@pytest.mark.parametrize("status", [CaseStatus.DRAFT, CaseStatus.RETURNED, CaseStatus.WITHDRAWN])
def test_only_a_waiting_case_can_be_withdrawn(client, world, make, status, db_session):
    case = make.case(world.trainee, world.program, world.fusion, world.mentor, status=status)
    client.login(world.trainee)
    assert f"/cases/{case.id}/withdraw" not in page(client, f"/cases/{case.id}")
    response = client.submit(f"/cases/{case.id}/withdraw", page=f"/cases/{case.id}")
    assert response.status_code == 302
    assert "Only a case awaiting sign-off can be withdrawn" in page(
        client, response.headers["Location"]
    )
    assert case.status is status
    assert events(db_session, case, "withdrawn") == []


def test_a_signed_case_cannot_be_withdrawn(client, world, make):
    case = submitted_case(make, world)
    sign_case(case, world.mentor)
    client.login(world.trainee)
    response = client.submit(f"/cases/{case.id}/withdraw", page=f"/cases/{case.id}")
    assert "Only a case awaiting sign-off can be withdrawn" in page(
        client, response.headers["Location"]
    )
    assert case.status is CaseStatus.APPROVED


@pytest.mark.parametrize("role", [r for r in ROLES if r != "anonymous"])
def test_nobody_but_the_trainee_withdraws(app, world, make, role, db_session):
    case = submitted_case(make, world)
    client = app.test_client()
    client.login(person(world, role))
    response = client.post(f"/cases/{case.id}/withdraw", data={"csrf_token": client.token()})
    if role == "owner":
        assert case.status is CaseStatus.WITHDRAWN
        return
    expected = {"other_trainee": 404, "admin": 404, "supervisor": 302, "director": 302}[role]
    assert response.status_code == expected
    if expected == 302:
        assert "Only a case awaiting sign-off can be withdrawn" in page(
            client, response.headers["Location"]
        )
        assert f"/cases/{case.id}/withdraw" not in page(client, f"/cases/{case.id}")
    assert case.status is CaseStatus.SUBMITTED
    assert events(db_session, case, "withdrawn") == []


def test_anonymous_withdraw_is_sent_to_sign_in(client, world, make):
    case = submitted_case(make, world)
    response = client.submit(f"/cases/{case.id}/withdraw", page="/login")
    assert response.status_code == 302 and response.headers["Location"].startswith("/login")
    assert case.status is CaseStatus.SUBMITTED


# --- Amend -----------------------------------------------------------------------------------


@pytest.fixture
def signed(world, make):
    case = submitted_case(make, world, notes="Uneventful L4/5 decompression.")
    sign_case(case, world.mentor)
    return case


def test_amending_a_signed_case_makes_version_2_and_supersedes_the_signature(
    client, world, signed, db_session
):
    case = signed
    client.login(world.trainee)
    shown = page(client, f"/cases/{case.id}")
    assert "Signature valid" in shown and "Superseded" not in shown
    assert f'href="/cases/{case.id}/edit">Amend' in shown

    form = page(client, f"/cases/{case.id}/edit")
    assert "Amend case" in form
    assert "makes version 2, which needs signing again" in form
    assert "stays visible, marked as superseded" in form
    assert 'name="reason"' in form and "Reason for the change" in form

    response = client.post(
        f"/cases/{case.id}/edit",
        data={
            **edit_values(client, case, involvement="P", notes="Uneventful decompression."),
            "reason": "I performed it alone; the supervisor was unscrubbed.",
            "csrf_token": client.token(),
            "draft": "",
        },
    )
    assert response.status_code == 302
    assert (case.version, case.status) == (2, CaseStatus.DRAFT)
    assert case.involvement is Involvement.PERFORMED
    assert case.signature is None and len(case.superseded_signatures) == 1

    shown = page(client, response.headers["Location"])
    assert "New version saved. It needs signing again" in shown
    assert "Superseded" in shown and "Version 1" in shown
    assert "Signature valid" in shown  # the old signature still holds for what it signed
    assert "Dr Mentor Park" in shown and "I supervised this operation" in shown
    assert "Version 2 is not signed yet" in shown
    assert f'action="/cases/{case.id}/submit"' in shown  # the new version goes back to sign-off

    [amended] = events(db_session, case, "amended")
    assert amended.reason == "I performed it alone; the supervisor was unscrubbed."
    assert amended.actor_id == world.trainee.id


def test_an_amended_case_signed_again_shows_both_signatures(client, world, signed, make):
    case = signed
    amend(case, world.trainee, "Wrong level recorded.", submit=True, notes="L5/S1 instead.")
    sign_case(case, world.mentor)
    client.login(world.trainee)
    shown = page(client, f"/cases/{case.id}")
    assert shown.count("Signature valid") == 2
    assert shown.index("Version 2") < shown.index("Superseded")
    assert f'href="/cases/{case.id}/edit">Amend' in shown  # version 2 can be amended too


def test_amending_without_a_reason_is_refused_and_nothing_typed_is_lost(
    client, world, signed, db_session
):
    case = signed
    client.login(world.trainee)
    response = client.post(
        f"/cases/{case.id}/edit",
        data={
            **edit_values(
                client, case, involvement="P", notes="Rewritten notes.", operative_minutes="88"
            ),
            "reason": "   ",
            "csrf_token": client.token(),
            "submit": "",
        },
    )
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert 'id="reason-error"' in html and "Say why you are changing a signed case." in html
    values = form_values(html)
    assert values["involvement"] == ["P"] and values["operative_minutes"] == ["88"]
    assert values["notes"][0].strip() == "Rewritten notes."
    assert (case.version, case.status, case.notes) == (
        1,
        CaseStatus.APPROVED,
        "Uneventful L4/5 decompression.",
    )
    assert events(db_session, case, "amended") == []


def test_a_reason_that_identifies_the_patient_is_refused(client, world, signed):
    client.login(world.trainee)
    response = client.post(
        f"/cases/{signed.id}/edit",
        data={
            **edit_values(client, signed, notes="Changed."),
            "reason": "Mr Kim, MRN 12345678, asked",
            "csrf_token": client.token(),
            "draft": "",
        },
    )
    assert response.status_code == 200
    values = form_values(response.get_data(as_text=True))
    assert values["reason"][0].strip() == "Mr Kim, MRN 12345678, asked"
    assert signed.version == 1


@pytest.mark.parametrize("role", ["other_trainee", "supervisor", "director", "admin"])
def test_nobody_but_the_trainee_amends(app, world, signed, role):
    client = app.test_client()
    client.login(person(world, role))
    shown = client.get(f"/cases/{signed.id}")
    if role in ("other_trainee", "admin"):
        assert shown.status_code == 404
        assert client.get(f"/cases/{signed.id}/edit").status_code == 404
        return
    assert f"/cases/{signed.id}/edit" not in shown.get_data(as_text=True)
    response = client.post(
        f"/cases/{signed.id}/edit",
        data={"reason": "mine now", "notes": "changed", "csrf_token": client.token()},
    )
    assert response.status_code == 302
    assert "can no longer be changed" in page(client, response.headers["Location"])
    assert (signed.version, signed.status) == (1, CaseStatus.APPROVED)


# --- The case page's buttons ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("role", "shown", "hidden"),
    [
        ("owner", ["withdraw", "bedside", "history"], ["edit", "submit", "review", "reassign"]),
        ("supervisor", ["review", "history"], ["withdraw", "bedside", "edit", "reassign"]),
        ("director", ["reassign", "history"], ["withdraw", "bedside", "edit", "review"]),
    ],
)
def test_a_waiting_cases_page_offers_what_each_role_may_do(app, world, make, role, shown, hidden):
    case = submitted_case(make, world)
    client = app.test_client()
    client.login(person(world, role))
    html = page(client, f"/cases/{case.id}")
    links = {
        "withdraw": f'action="/cases/{case.id}/withdraw"',
        "bedside": f'href="/cases/{case.id}/bedside">Mentor signs now',
        "history": f'href="/cases/{case.id}/history">History',
        "edit": f'href="/cases/{case.id}/edit"',
        "submit": f'action="/cases/{case.id}/submit"',
        "review": f'href="/cases/{case.id}/review">Review and sign',
        "reassign": f'href="/cases/{case.id}/reassign">Reassign',
    }
    for name in shown:
        assert links[name] in html, name
    for name in hidden:
        assert links[name] not in html, name


def test_a_signed_cases_page_offers_only_amend_and_history(client, world, signed):
    client.login(world.trainee)
    html = page(client, f"/cases/{signed.id}")
    assert f'href="/cases/{signed.id}/edit">Amend' in html
    assert f'href="/cases/{signed.id}/history">History' in html
    for gone in ("/withdraw", "/bedside", "/review", "/reassign", "/submit"):
        assert f'/cases/{signed.id}{gone}"' not in html
