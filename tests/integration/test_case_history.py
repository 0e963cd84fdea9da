"""A case's history page: every version with its signature, and every event in words."""

import re

import pytest

from caselog.cases import services as case_services
from caselog.models import Delegate, Involvement
from caselog.signoff.services import reassign, return_case
from caselog.signoff.signatures import fingerprint
from tests.clock import NOW
from tests.integration.case_steps import amend, as_input, sign_case


def page(client, url) -> str:
    response = client.get(url)
    assert response.status_code == 200, response.status_code
    return response.get_data(as_text=True)


def plain(html: str) -> str:
    """The page's text with tags removed and spaces squeezed, as a reader sees it."""
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


@pytest.fixture
def logged(world, make):
    """A case the trainee logged through the service, so the trail starts at "logged"."""
    draft = make.case(world.trainee, world.program, world.fusion, world.mentor)
    return case_services.log_case(
        world.trainee,
        as_input(draft, notes="Uneventful fusion.", operative_minutes=180),
        submit=True,
        now=NOW,
    )


def test_an_amended_case_shows_both_versions_who_changed_what_and_why(client, world, logged):
    case = logged
    sign_case(case, world.mentor)
    amend(
        case,
        world.trainee,
        "My supervisor was unscrubbed for the closure.",
        involvement=Involvement.SUPERVISED_UNSCRUBBED,
        operative_minutes=165,
        additional_procedure_ids=[world.acdf.id],
    )
    client.login(world.trainee)
    assert f'href="/cases/{case.id}/history"' in page(client, f"/cases/{case.id}")
    text = plain(page(client, f"/cases/{case.id}/history"))

    assert "2 versions" in text
    assert text.index("Version 2") < text.index("Version 1")
    assert "Version 2 Current · Draft" in text and "Not signed." in text
    # version 1 keeps its signature, superseded but still valid
    version_1 = text[text.index("Version 1 Logged by") :]
    assert "Superseded" in version_1 and "Signature valid" in version_1
    assert "Dr Mentor Park" in version_1

    # the trail, oldest first, by name
    steps = [
        "Bat-Erdene Dorj logged the case",
        "Bat-Erdene Dorj submitted version 1 for sign-off",
        "Dr Mentor Park signed version 1",
        "Bat-Erdene Dorj amended the signed case, making version 2",
    ]
    positions = [text.index(step) for step in steps]
    assert positions == sorted(positions)
    assert "Reason: My supervisor was unscrubbed for the closure." in text
    # the change, field by field, in words
    assert "Version 1 2" in text
    assert "Involvement Performed, supervisor scrubbed Performed, supervisor unscrubbed" in text
    assert "Operative time 180 min 165 min" in text
    assert "Additional procedures — Anterior cervical discectomy and fusion" in text
    assert "_id" not in text  # no field is shown by its column name
    # what was first recorded, with names not ids
    assert "Procedure Transforaminal lumbar interbody fusion" in text
    assert "Hospital Seoul Spine Hospital" in text and "Supervisor Dr Mentor Park" in text


def test_returns_withdrawals_and_reassignments_are_in_the_history(client, world, logged):
    case = logged
    return_case(world.mentor, case.id, "Add the blood loss, please.", now=NOW)
    case_services.update_case(
        case, world.trainee, as_input(case, blood_loss_ml=300), submit=True, now=NOW
    )
    case_services.withdraw_case(case, world.trainee, now=NOW)
    case_services.submit_case(case, world.trainee, now=NOW)
    reassign(world.director, case.id, world.other_mentor.id, "Dr Park is on leave.", now=NOW)
    client.login(world.director)
    text = plain(page(client, f"/cases/{case.id}/history"))
    steps = [
        "Dr Mentor Park returned it to the trainee",
        "Comment: Add the blood loss, please.",
        "Bat-Erdene Dorj changed the case",
        "Blood loss — 300 ml",
        "Bat-Erdene Dorj withdrew it from sign-off",
        "Dr Director Kim handed it to another mentor",
        "Reason: Dr Park is on leave.",
        "Supervisor Dr Mentor Park Dr Mentor Lee",
    ]
    positions = [text.index(step) for step in steps]
    assert positions == sorted(positions)
    assert "1 version" in text and "Not signed." in text


def test_history_is_seen_by_whoever_sees_the_case(app, world, logged):
    def status(user):
        client = app.test_client()
        client.login(user)
        return client.get(f"/cases/{logged.id}/history").status_code

    assert [
        status(u)
        for u in (
            world.trainee,
            world.mentor,
            world.director,
            world.other_trainee,
            world.other_mentor,
            world.admin,
        )
    ] == [200, 200, 200, 404, 404, 404]


def test_history_queries_do_not_grow_with_versions_and_events(
    client, world, logged, make, db_session, count_queries
):
    case = logged
    url = f"/cases/{case.id}/history"
    client.login(world.trainee)

    def measure() -> int:
        with count_queries() as counter:
            page(client, url)
        return counter.count

    mentors = [world.mentor, world.other_mentor]
    for mentor, delegate in (mentors, mentors[::-1]):  # each signs for the other
        db_session.add(
            Delegate(program_id=world.program.id, mentor_id=mentor.id, delegate_id=delegate.id)
        )
    sign_case(case, world.other_mentor)  # a delegate's, on behalf of Dr Mentor Park
    small = None
    for n in range(4):  # four more versions, signed by alternating mentors and sites
        amend(
            case,
            world.trainee,
            f"Correction {n}",
            submit=True,
            supervisor_id=mentors[n % 2].id,
            site_id=(world.busan if n % 2 else world.seoul).id,
            additional_procedure_ids=[world.acdf.id] if n % 2 else [world.microdiscectomy.id],
            operative_minutes=100 + n,
        )
        sign_case(case, mentors[(n + 1) % 2] if n < 2 else mentors[n % 2])
        if n == 0:  # measured once every kind of record is there (additional procedures too)
            small = measure()
    assert case.version == 5
    text = plain(page(client, url))
    assert "5 versions" in text and text.count("Superseded") == 4
    assert text.count("on behalf of") == 3  # version 1, 2 and 3
    assert measure() == small


def test_a_bedside_signature_and_a_refused_attempt_are_in_the_history(client, world, logged):
    client.login(world.trainee)
    bedside = f"/cases/{logged.id}/bedside"
    wrong = {"email": world.mentor.email, "password": "not my password"}
    refused = client.submit(bedside, {**wrong, "fingerprint": fingerprint(logged)})
    assert "The e-mail address or password is not right." in refused.get_data(as_text=True)
    sign_case(logged, world.mentor, bedside=True)
    text = plain(page(client, f"/cases/{logged.id}/history"))
    assert "Sign-off refused: the e-mail or password entered at the bedside was wrong" in text
    assert "Dr Mentor Park signed version 1 at the bedside" in text
    assert "not my password" not in text
