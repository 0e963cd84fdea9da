"""The mentor's queue: what waits, filters, the banner, and batch sign-off with one password."""

import html
import json

import pytest

from caselog.cases.services import withdraw_case
from caselog.models import CaseStatus, Involvement
from caselog.signoff import signatures
from tests.clock import NOW
from tests.factories import PASSWORD
from tests.integration.signoff_steps import audit, boxes, make_delegate, waiting


@pytest.fixture
def mentor(client, world):
    client.login(world.mentor)
    return world.mentor


def test_queue_lists_what_awaits_the_mentor_and_their_delegations_oldest_first(
    client, world, make, db_session
):
    old = waiting(world, make, days=12, involvement=Involvement.PERFORMED)
    new = waiting(
        world, make, days=0, trainee=world.other_trainee, procedure=world.acdf, site=world.busan
    )
    lees = waiting(world, make, supervisor=world.other_mentor, procedure=world.microdiscectomy)
    make.case(world.trainee, world.program, world.microdiscectomy, world.mentor)  # a draft
    delegate = make_delegate(world, make, db_session, mentor=world.other_mentor)
    for_other = waiting(world, make, days=5, supervisor=world.other_mentor)

    client.login(world.mentor)
    page = client.get("/awaiting").get_data(as_text=True)
    assert "2 cases wait for you, oldest first." in page
    assert "waiting 12 days" in page and "waiting 0 days" in page
    assert page.index("Transforaminal") < page.index("Anterior cervical")
    assert "Lumbar microdiscectomy" not in page  # a draft, and another mentor's case
    assert "Oyunaa Bold" in page and "Spine fellowship (test)" in page
    assert "Busan University Hospital" in page and ">P</span>" in page
    assert boxes(page) == {
        old.id: f"{old.id}:{signatures.fingerprint(old)}",
        new.id: f"{new.id}:{signatures.fingerprint(new)}",
    }
    assert f'href="/cases/{old.id}/review"' in page
    assert str(signatures.MEANING) in html.unescape(page)
    assert page.count('type="password"') == 1 and "Approve selected" in page
    assert "cases await your sign-off" not in page  # no banner on the queue itself

    other = client.__class__(client.application)
    other.login(delegate)
    page = other.get("/awaiting").get_data(as_text=True)
    assert list(boxes(page)) == [for_other.id, lees.id]
    assert "for Dr Mentor Lee" in page


def test_queue_filters_by_program_trainee_and_waiting_time(client, world, make, mentor):
    second = make.program(sites=[world.seoul], name="Master class in endoscopy")
    make.enrol(world.other_trainee, second)
    make.appoint(world.mentor, second)
    a = waiting(world, make, days=20)
    b = waiting(world, make, days=3, trainee=world.other_trainee)
    c = waiting(world, make, days=40, trainee=world.other_trainee, program=second, site=world.seoul)

    def listed(query):
        return list(boxes(client.get(f"/awaiting?{query}").get_data(as_text=True)))

    assert listed("") == [c.id, a.id, b.id]
    assert listed(f"program={second.id}") == [c.id]
    assert listed(f"trainee={world.other_trainee.id}") == [c.id, b.id]
    assert listed("days=19") == [c.id, a.id]
    assert listed("days=20") == [c.id]
    assert listed(f"program={world.program.id}&trainee={world.trainee.id}&days=2") == [a.id]
    page = client.get("/awaiting?days=100").get_data(as_text=True)
    assert "No waiting case matches these filters." in page
    # the filters offer only what waits
    page = client.get("/awaiting").get_data(as_text=True)
    assert "Master class in endoscopy" in page and "Bat-Erdene Dorj" in page


def test_queue_queries_do_not_grow_with_the_queue(
    client, world, make, mentor, db_session, count_queries
):
    delegate_for = make.user("Dr Absent Mentor")
    make.appoint(delegate_for, world.program)
    make_delegate(world, make, db_session, name="Dr Mentor Park Delegation", mentor=delegate_for)

    def measure():
        with count_queries() as counter:
            page = client.get("/awaiting").get_data(as_text=True)
        return counter.count, len(boxes(page))

    waiting(world, make, additional_procedures=[world.acdf])  # names of additional ones load
    small, listed = measure()
    assert listed == 1
    for n in range(30):
        waiting(
            world,
            make,
            days=n,
            trainee=world.other_trainee if n % 2 else world.trainee,
            procedure=world.acdf,
            site=world.busan,
            additional_procedures=[world.fusion],
        )
    large, listed = measure()
    assert listed == 31
    assert large == small


def test_banner_on_every_other_page_with_count_and_oldest_age(
    client, world, make, mentor, count_queries
):
    case = waiting(world, make, days=9)
    waiting(world, make, days=2)
    with count_queries() as counter:
        page = client.get(f"/cases/{case.id}/review").get_data(as_text=True)
    assert "2 cases await your sign-off" in page and "(oldest: 9 days)" in page
    assert sum("min(" in s.lower() for s in counter.statements) == 1  # one query for it
    assert 'class="waiting-banner" href="/awaiting"' in page
    assert "await your sign-off" not in client.get("/awaiting").get_data(as_text=True)

    trainee = client.__class__(client.application)
    trainee.login(world.trainee)
    assert "await your sign-off" not in trainee.get("/cases").get_data(as_text=True)


def test_a_batch_of_twenty_with_one_password_signs_all_and_skips_a_withdrawn_one(
    client, world, make, mentor, db_session
):
    cases = [
        waiting(world, make, days=30 - n, trainee=world.other_trainee if n % 3 else world.trainee)
        for n in range(21)
    ]
    page = client.get("/awaiting").get_data(as_text=True)
    ticked = boxes(page)
    assert list(ticked) == [case.id for case in cases]
    withdrawn = cases[7]
    withdraw_case(withdrawn, withdrawn.trainee, now=NOW)  # the trainee takes one back meanwhile
    db_session.flush()

    response = client.submit(
        "/awaiting/sign", {"cases": list(ticked.values()), "password": PASSWORD}, page="/awaiting"
    )
    assert response.status_code == 302 and response.headers["Location"] == "/awaiting"
    page = client.get("/awaiting").get_data(as_text=True)
    assert "Signed 20 cases." in page
    assert "Not signed: Transforaminal lumbar interbody fusion for Oyunaa Bold" in page
    assert "the trainee withdrew it" in page
    assert withdrawn.status is CaseStatus.WITHDRAWN and withdrawn.signatures == []
    for case in cases:
        if case is withdrawn:
            continue
        assert case.status is CaseStatus.APPROVED
        signature = case.signature
        assert signature.signer_id == world.mentor.id and signature.on_behalf_of_id is None
        assert signature.meaning == str(signatures.MEANING) and not signature.bedside
        assert signatures.is_valid(signature, case)
    assert len(audit(db_session, "approved")) == 20
    assert boxes(page) == {}


def test_only_the_ticked_cases_are_signed(client, world, make, mentor):
    first, second = waiting(world, make, days=3), waiting(world, make, days=2)
    ticked = boxes(client.get("/awaiting").get_data(as_text=True))
    client.submit(
        "/awaiting/sign", {"cases": [ticked[second.id]], "password": PASSWORD}, page="/awaiting"
    )
    assert second.status is CaseStatus.APPROVED and first.status is CaseStatus.SUBMITTED
    assert "Signed 1 case." in client.get("/awaiting").get_data(as_text=True)


def test_nothing_ticked_signs_nothing_and_costs_no_attempt(client, world, make, mentor, db_session):
    case = waiting(world, make)
    response = client.submit("/awaiting/sign", {"password": "wrong"}, page="/awaiting")
    assert response.status_code == 200
    assert "Tick at least one case to approve." in response.get_data(as_text=True)
    assert case.status is CaseStatus.SUBMITTED and audit(db_session, "signature_refused") == []


def test_wrong_password_signs_nothing_is_audited_then_throttled(
    client, app, world, make, mentor, db_session
):
    cases = [waiting(world, make, days=n + 1) for n in range(3)]
    ticked = list(boxes(client.get("/awaiting").get_data(as_text=True)).values())
    limit = app.config["LOGIN_FREE_FAILURES_PER_PAIR"]
    for _attempt in range(limit):
        response = client.submit(
            "/awaiting/sign", {"cases": ticked, "password": "guess"}, page="/awaiting"
        )
        page = response.get_data(as_text=True)
        assert response.status_code == 200
        assert "That password is not right. Nothing was signed." in page
        assert 'id="password-error"' in page  # on the password field
        assert sorted(boxes(page).values()) == sorted(ticked)
        assert page.count("checked") >= len(ticked)  # the ticks are kept
        assert "guess" not in page
        assert 'method="get" action="/awaiting"' in page  # the filters still work from here
    refused = audit(db_session, "signature_refused")
    assert len(refused) == limit
    assert refused[0].actor_id == world.mentor.id and refused[0].entity == "user"
    assert sorted(json.loads(refused[0].after)["case_ids"]) == sorted(c.id for c in cases)

    response = client.submit(
        "/awaiting/sign", {"cases": ticked, "password": PASSWORD}, page="/awaiting"
    )
    assert response.status_code == 429 and response.headers["Retry-After"]
    page = response.get_data(as_text=True)
    assert "Nothing was signed. Too many failed attempts. Try again in" in page
    assert sorted(boxes(page).values()) == sorted(ticked)  # the queue, ticks kept
    assert all(case.status is CaseStatus.SUBMITTED and not case.signatures for case in cases)


def test_a_case_signed_at_the_same_instant_signs_nothing(client, world, make, mentor, db_session):
    from caselog.signoff.services import Seen, sign

    case, other = waiting(world, make, days=2), waiting(world, make, days=1)
    ticked = list(boxes(client.get("/awaiting").get_data(as_text=True)).values())
    # Another request signed it and has not yet changed the status: the unique version wins.
    sign(world.mentor, [Seen(case.id, signatures.fingerprint(case))], now=NOW)
    case.status = CaseStatus.SUBMITTED
    db_session.flush()
    response = client.submit(
        "/awaiting/sign", {"cases": ticked, "password": PASSWORD}, page="/awaiting"
    )
    assert response.status_code == 302
    page = client.get("/awaiting").get_data(as_text=True)
    assert "Nothing was signed: another signature came first." in page
    assert other.status is CaseStatus.SUBMITTED and other.signatures == []
    assert len(case.signatures) == 1
