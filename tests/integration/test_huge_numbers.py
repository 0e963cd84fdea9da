"""Numbers out of any column's range, in a URL, a query string or a form, answer a clear 404,
400 or form error on every page, never a server error (both databases)."""

import pytest
from sqlalchemy import select
from werkzeug.datastructures import ImmutableMultiDict

from caselog.models import CaseStatus, Delegate, Enrolment, MentorAppointment
from caselog.reports import pdf
from tests.clock import NOW
from tests.html import form_values
from tests.integration.cohort_steps import spine_framework

HUGE = [str(2**31), str(2**64), str(-(2**64))]  # beyond PostgreSQL INTEGER, beyond 64 bits
SKIPPED = {"static", "bootstrap.static", "verify.show", "auth.login"}


class ReadArgs(ImmutableMultiDict):
    """Query arguments that remember which names a view asked for."""

    asked: set[str] = set()

    def __contains__(self, key):
        ReadArgs.asked.add(key)
        return super().__contains__(key)

    def get(self, key, *args, **kwargs):
        ReadArgs.asked.add(key)
        return super().get(key, *args, **kwargs)

    def getlist(self, key, *args, **kwargs):
        ReadArgs.asked.add(key)
        return super().getlist(key, *args, **kwargs)

    def __getitem__(self, key):
        ReadArgs.asked.add(key)
        return super().__getitem__(key)


@pytest.fixture
def places(world, make, db_session):
    """Ids for every URL argument, from a world with a framework, a case and a delegate."""
    version = spine_framework(make, world, db_session)
    case = make.case(
        world.trainee, world.program, world.fusion, world.mentor, status=CaseStatus.SUBMITTED
    )
    delegate = Delegate(
        program=world.program, mentor=world.mentor, delegate=world.other_mentor, created_at=NOW
    )
    db_session.add(delegate)
    db_session.flush()
    return {
        "token": "not-a-link",
        "case_id": case.id,
        "program_id": world.program.id,
        "trainee_id": world.trainee.id,
        "target_id": version.targets[0].id,
        "framework_id": version.framework_id,
        "enrolment_id": db_session.scalars(select(Enrolment.id)).first(),
        "appointment_id": db_session.scalars(select(MentorAppointment.id)).first(),
        "delegate_id": delegate.id,
        "site_id": world.seoul.id,
        "user_id": world.trainee.id,
        "procedure_id": world.fusion.id,
    }


def get_routes(app, places) -> list[tuple[str, str]]:
    """(endpoint, url) of every page that answers GET, with real ids in its path."""
    routes = []
    for rule in app.url_map.iter_rules():
        if "GET" in rule.methods and rule.endpoint not in SKIPPED:
            values = {name: places[name] for name in rule.arguments}
            routes.append((rule.endpoint, rule.build(values)[1]))
    return sorted(routes)


def principals(world):
    return [world.trainee, world.mentor, world.director, world.admin]


def answer(client, method: str, url: str, **kwargs) -> int:
    """The status of a request, its body read to the end and closed (a streamed export
    keeps the request's context open until then)."""
    with client.open(url, method=method, **kwargs) as response:
        response.get_data()
        return response.status_code


@pytest.fixture(autouse=True)
def as_in_production(app, monkeypatch):
    """A server error answers 500, as in production, instead of being raised in the test."""
    monkeypatch.setitem(app.config, "PROPAGATE_EXCEPTIONS", False)


@pytest.fixture
def reading(app, monkeypatch):
    """Record the query arguments each request reads; draw report PDFs as a stub (the
    template still renders with what was asked: WeasyPrint's seconds would walk nothing)."""
    monkeypatch.setattr(app.request_class, "parameter_storage_class", ReadArgs)
    monkeypatch.setattr(pdf, "html_to_pdf", lambda html: b"%PDF-1.7 stub")
    ReadArgs.asked = set()
    return ReadArgs


def test_huge_ids_in_a_path_answer_404(app, client, world, places):
    client.login(world.admin)
    token = client.token()
    for rule in app.url_map.iter_rules():
        values = {name: places[name] for name in rule.arguments if name in places}
        method = "GET" if "GET" in rule.methods else "POST"
        for name in values:
            for huge in HUGE[:2] + ["9" * 5000]:
                url = rule.build({**values, name: 7654321})[1].replace("7654321", huge)
                status = answer(client, method, url, data={"csrf_token": token})
                assert status == 404, (rule.endpoint, url[:80], status)


def test_huge_numbers_in_every_query_argument_a_page_reads(world, places, app, reading):
    problems, walked = [], set()  # each page once, by the first who may see it
    for person in principals(world):
        client = app.test_client()
        client.login(person)
        for endpoint, url in get_routes(app, places):
            reading.asked = set()
            if endpoint in walked or answer(client, "GET", url + "?_=1") != 200:
                continue
            walked.add(endpoint)
            for name in sorted(reading.asked - {"_"}):
                for huge in HUGE:
                    status = answer(client, "GET", url, query_string={name: huge})
                    if status >= 500:
                        problems.append((person.email, endpoint, name, huge, status))
    assert problems == []
    assert walked >= {  # pages with paging, filters or ids in their query strings
        "cases.index",
        "admin.accounts",
        "admin.audit",
        "exports.cases",
        "exports.csv",
        "signoff.queue",
        "cohort.matrix",
        "reports.cohort",
        "progress.dashboard",
        "progress.mentee",
        "frameworks.new",
        "frameworks.show",
        "catalogue.index",
        "catalogue.new",
    }


def test_huge_numbers_in_every_field_of_every_form(world, places, app):
    problems, tried = [], set()
    for person in principals(world):
        client = app.test_client()
        client.login(person)
        for endpoint, url in get_routes(app, places):
            if not any("POST" in rule.methods for rule in app.url_map.iter_rules(endpoint)):
                continue
            with client.get(url) as page:
                if page.status_code != 200:
                    continue
                values = form_values(page.get_data(as_text=True))
            names = {(endpoint, name) for name in set(values) - {"csrf_token"}} - tried
            tried |= names
            for _endpoint, name in sorted(names):
                for huge in HUGE[:2]:
                    status = answer(client, "POST", url, data={**values, name: [huge]})
                    if status >= 500:
                        problems.append((person.email, endpoint, name, huge, status))
    assert problems == []
    assert {endpoint for endpoint, _name in tried} >= {
        "cases.new",
        "signoff.bedside",
        "signoff.reassign",
        "programs.enrol",
        "programs.appoint",
        "programs.appoint_delegate",
        "frameworks.new",
        "frameworks.edit",
        "admin.new_program",
        "admin.edit_program",
        "catalogue.new",
        "catalogue.edit",
    }


def test_out_of_range_numbers_are_answered_as_unknown_ones(client, world, app):
    client.login(world.trainee)
    assert client.get(f"/cases?page={2**64}").status_code == 404
    assert client.get("/cases?page=2").status_code == 200  # an empty page past the end
    html = client.get(f"/cases?program={2**64}").get_data(as_text=True)
    assert "Invalid Choice: could not coerce" in html
    response = client.submit("/cases/new", {"site_id": world.seoul.id, "supervisor_id": 2**64})
    assert response.status_code == 200  # the form again, with the field's error
    assert "Invalid Choice: could not coerce" in response.get_data(as_text=True)
    admin = app.test_client()
    admin.login(world.admin)
    html = admin.get(f"/admin/audit?entity_id={2**64}").get_data(as_text=True)
    assert "These filters are not valid, so every event is shown." in html
