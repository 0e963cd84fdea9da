"""Admins read the audit trail, newest first, filter it, and check its chain from the page."""

import re

from sqlalchemy import text

from caselog.audit.guard import guard_lifted
from caselog.audit.services import record
from tests.clock import NOW


def rows(html: str) -> list[str]:
    """The seq of every event row on the page, in order."""
    return re.findall(r'class="audit-row" data-seq="(\d+)"', html)


def test_events_newest_first_with_who_what_and_a_compact_change(client, world, db_session):
    record(
        "enrolment",
        11,
        "created",
        actor=world.director,
        after={"cohort": None, "end_date": "2027-02-28"},
        now=NOW,
    )
    record(
        "enrolment",
        11,
        "changed",
        actor=world.director,
        before={"cohort": None},
        after={"cohort": "2026"},
        reason="Joined the spring group",
        now=NOW,
    )
    record("delegate", 3, "removed", before={"mentor_id": 9005, "delegate_id": 9006}, now=NOW)
    client.login(world.admin)
    html = client.get("/admin/audit").get_data(as_text=True)
    assert rows(html) == ["3", "2", "1"]
    newest, changed, created = html.split('class="audit-row"')[1:4]
    assert "system" in newest and "Delegation #3" in newest and "Delegate removed" in newest
    assert "<del>#9005</del>" in newest  # a person since gone, by number
    assert "director@example.test" in changed and "Enrolment #11" in changed
    assert "<del>—</del> → 2026" in changed
    assert "Joined the spring group" in changed
    assert "Feb 28, 2027" in created and "(UTC)" in created


def test_filter_by_entity_and_id(client, world, db_session):
    record("case", 7, "logged", after={"notes": ""}, now=NOW)
    record("enrolment", 7, "created", after={"cohort": "A"}, now=NOW)
    record("enrolment", 8, "created", after={"cohort": "B"}, now=NOW)
    client.login(world.admin)
    html = client.get("/admin/audit?entity=enrolment").get_data(as_text=True)
    assert rows(html) == ["3", "2"]
    assert '<option selected value="enrolment">' in html
    assert rows(client.get("/admin/audit?entity=enrolment&entity_id=7").get_data(as_text=True)) == [
        "2"
    ]
    assert rows(client.get("/admin/audit?entity_id=7").get_data(as_text=True)) == ["2", "1"]
    html = client.get("/admin/audit?entity=case&entity_id=8").get_data(as_text=True)
    assert rows(html) == [] and "No event matches these filters." in html
    html = client.get("/admin/audit?entity=nonsense").get_data(as_text=True)
    assert "These filters are not valid, so every event is shown." in html
    assert rows(html) == ["3", "2", "1"]


def test_long_changes_fold_away(client, world, make, db_session):
    case = make.case(world.trainee, world.program, world.fusion, world.mentor)
    record("case", case.id, "logged", actor=world.trainee, after=case.content(), now=NOW)
    client.login(world.admin)
    html = client.get("/admin/audit").get_data(as_text=True)
    more = len(case.content()) - 4
    assert f"{more} more fields</summary>" in html


def test_pages_of_fifty(client, world, db_session):
    for n in range(1, 61):
        record("case", n, "logged", now=NOW)
    client.login(world.admin)
    first = client.get("/admin/audit").get_data(as_text=True)
    assert rows(first)[0] == "60" and len(rows(first)) == 50
    assert "Page 1 of 2" in first
    second = client.get("/admin/audit?page=2").get_data(as_text=True)
    assert rows(second) == [str(n) for n in range(10, 0, -1)]


def test_check_the_chain_from_the_page(client, world, db_session):
    for n in range(1, 6):
        record("case", n, "logged", after={"n": n}, now=NOW)
    db_session.commit()  # as a request commits them: the trail's head is checkpointed
    client.login(world.admin)
    html = client.get("/admin/audit").get_data(as_text=True)
    assert "Check the chain" in html and 'action="/admin/audit/verify"' in html
    response = client.submit("/admin/audit/verify", page="/admin/audit")
    assert response.status_code == 302
    assert (
        "Audit trail intact: 5 events, anchored by the checkpoint of "
        f"{NOW:%Y-%m-%d %H:%M} UTC (event #5)."
    ) in client.get(response.headers["Location"]).get_data(as_text=True)

    with guard_lifted(db_session):
        db_session.execute(
            text("UPDATE audit_event SET after = :after WHERE seq = 3"), {"after": '{"n":9}'}
        )
    response = client.submit("/admin/audit/verify", page="/admin/audit")
    assert (
        "Audit trail broken at event #3: its content was changed after it was written"
        in client.get(response.headers["Location"]).get_data(as_text=True)
    )


def test_check_the_chain_names_events_cut_from_its_end(client, world, db_session):
    for n in range(1, 6):
        record("case", n, "logged", after={"n": n}, now=NOW)
    client.login(world.admin)
    response = client.submit("/admin/audit/verify", page="/admin/audit")
    html = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Audit trail chained but not anchored: 5 events, and no checkpoint in " in html

    db_session.commit()  # as a request commits them: the trail's head is checkpointed
    with guard_lifted(db_session):
        db_session.execute(text("DELETE FROM audit_event WHERE seq > 3"))
    response = client.submit("/admin/audit/verify", page="/admin/audit")
    html = client.get(response.headers["Location"]).get_data(as_text=True)
    assert (
        "Audit trail broken at event #4: the trail ends at #3 but the checkpoint of "
        f"{NOW:%Y-%m-%d %H:%M} UTC saw #5: 2 events missing"
    ) in html


def test_the_page_takes_the_same_queries_for_few_or_many_events(
    client, world, db_session, count_queries
):
    for n in range(3):
        record("case", n, "logged", after={"n": n}, actor=world.trainee, now=NOW)
    client.login(world.admin)
    client.get("/admin/audit")
    with count_queries() as few:
        client.get("/admin/audit")
    for n in range(80):
        record(
            ["case", "enrolment", "delegate"][n % 3],
            n,
            "changed",
            before={"n": n},
            after={"n": n + 1},
            actor=world.director,
            now=NOW,
        )
    with count_queries() as many:
        html = client.get("/admin/audit").get_data(as_text=True)
    assert len(rows(html)) == 50
    assert few.count == many.count
