"""Logging, listing, viewing and editing cases, as a trainee would through the pages."""

from datetime import timedelta

import pytest
from sqlalchemy import select

from caselog.models import Case, CaseStatus, Complication, Involvement
from tests.clock import NOW, TODAY
from tests.html import form_values


@pytest.fixture
def trainee(client, world):
    client.login(world.trainee)
    return world.trainee


def case_data(world, **overrides):
    data = {
        "operation_date": (TODAY - timedelta(days=1)).isoformat(),
        "site_id": world.seoul.id,
        "supervisor_id": world.mentor.id,
        "primary_procedure_id": world.microdiscectomy.id,
        "involvement": "S-TS",
        "urgency": "elective",
        "setting": "theatre",
        "complication": "none",
    }
    return {**data, **overrides}


def only_case(db_session, trainee) -> Case:
    return db_session.scalars(select(Case).where(Case.trainee_id == trainee.id)).one()


def test_log_and_submit_a_case(client, world, trainee, db_session):
    response = client.submit("/cases/new", {**case_data(world), "submit": ""})
    assert response.status_code == 302
    case = only_case(db_session, trainee)
    assert response.headers["Location"] == f"/cases/{case.id}?saved=1"
    assert case.status is CaseStatus.SUBMITTED
    assert case.submitted_at is not None
    assert case.program_id == world.program.id  # from the enrolment on that date
    assert case.approach.value == "microscopic"  # the procedure's usual approach
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Lumbar microdiscectomy" in page and "Awaiting sign-off" in page
    assert case.reference in page


def test_save_a_draft_with_every_field(client, world, trainee, db_session):
    data = case_data(
        world,
        additional_procedure_ids=[world.fusion.id],
        approach="open",
        urgency="urgent",
        setting="theatre",
        patient_age="94",
        patient_sex="F",
        asa_grade="3",
        complication="IIIb",
        complication_description="Dural tear repaired in theatre",
        operative_minutes="95",
        blood_loss_ml="250",
        return_to_theatre="y",
        notes="Good decompression; work on my angle of approach.",
        draft="",
    )
    client.submit("/cases/new", data)
    case = only_case(db_session, trainee)
    assert case.status is CaseStatus.DRAFT
    assert [p.id for p in case.additional_procedures] == [world.fusion.id]
    assert case.patient_age == 90 and case.age_label == "90+"
    assert case.complication is Complication.IIIB
    assert (case.operative_minutes, case.blood_loss_ml, case.return_to_theatre) == (95, 250, True)
    page = client.get(f"/cases/{case.id}").get_data(as_text=True)
    assert "90+" in page and "Clavien-Dindo IIIb" in page and "Dural tear" in page


@pytest.mark.parametrize(
    ("notes", "named"),
    [
        ("MRN 12345678", ["a record number “MRN 12345678”"]),
        ("John Smith DOB 01/02/1960", ["a name “John Smith”", "a date of birth “DOB 01/02/1960”"]),
        ("Mr Kim, RRN 650312-1234567", ["a name “Mr Kim”", "a resident registration number"]),
        ("Больной Иванов И.И., ул. Ленина 5", ["a name “Иванов И.И.”", "an address"]),
        ("Батын Дорж, L5/S1", ["a name “Батын Дорж”"]),
        ("김민수 님, 1965년 3월 12일생", ["a name “김민수”", "a date of birth"]),
        ("ask j.smith@example.org", ["an e-mail address “j.smith@example.org”"]),
        ("family on 010-2345-6789", ["a phone number “010-2345-6789”"]),
    ],
)
def test_identifiers_in_notes_are_refused_and_nothing_is_lost(
    client, world, trainee, db_session, notes, named
):
    data = case_data(
        world,
        notes=notes,
        operative_minutes="75",
        patient_age="61",
        additional_procedure_ids=[world.acdf.id],
        submit="",
    )
    response = client.submit("/cases/new", data)
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    for words in named:
        assert words in page
    assert "Remove what could identify the patient" in page
    # everything typed is still there
    values = form_values(page)
    assert values["notes"][0].strip() == notes
    assert values["operative_minutes"] == ["75"] and values["patient_age"] == ["61"]
    assert values["additional_procedure_ids"] == [str(world.acdf.id)]
    assert values["involvement"] == ["S-TS"]
    assert values["primary_procedure_id"] == [str(world.microdiscectomy.id)]
    assert db_session.scalars(select(Case)).all() == []


def test_complication_needs_a_description(client, world, trainee):
    response = client.submit("/cases/new", case_data(world, complication="II", draft=""))
    assert "Describe the complication" in response.get_data(as_text=True)


def test_date_outside_enrolment_is_refused(client, world, trainee):
    before = world.program.start_date - timedelta(days=3)
    response = client.submit("/cases/new", case_data(world, operation_date=before.isoformat()))
    assert "You were not enrolled in a program on" in response.get_data(as_text=True)


def test_future_date_is_refused(client, world, trainee):
    tomorrow = (TODAY + timedelta(days=2)).isoformat()
    response = client.submit("/cases/new", case_data(world, operation_date=tomorrow))
    assert "cannot be in the future" in response.get_data(as_text=True)


def test_supervisor_must_be_a_mentor_of_the_program(client, world, trainee, make):
    outsider = make.user("Dr Outsider")
    response = client.submit("/cases/new", case_data(world, supervisor_id=outsider.id))
    assert response.status_code == 200
    assert 'id="supervisor_id"' in response.get_data(as_text=True)
    assert "Not a valid choice" in response.get_data(as_text=True)


def test_site_must_belong_to_the_program(client, world, trainee, make):
    elsewhere = make.site("Elsewhere Hospital")
    other = make.program(sites=[elsewhere])
    make.enrol(world.other_trainee, other)  # the site is someone's, not this trainee's
    response = client.submit("/cases/new", case_data(world, site_id=elsewhere.id))
    assert "Not a valid choice" in response.get_data(as_text=True)


def test_retired_procedure_cannot_be_logged(client, world, trainee, db_session):
    world.acdf.retired = True
    db_session.flush()
    page = client.get("/cases/new").get_data(as_text=True)
    assert "Anterior cervical discectomy" not in page
    response = client.submit("/cases/new", case_data(world, primary_procedure_id=world.acdf.id))
    assert "Not a valid choice" in response.get_data(as_text=True)


def test_trainee_in_two_programs_on_one_day_chooses(client, world, trainee, make):
    second = make.program(sites=[world.seoul], name="Master class")
    make.enrol(world.trainee, second)
    make.appoint(world.mentor, second)
    response = client.submit("/cases/new", case_data(world))
    assert "more than one program" in response.get_data(as_text=True)
    response = client.submit("/cases/new", case_data(world, program_id=second.id))
    assert response.status_code == 302


def test_form_defaults_come_from_the_last_case(client, world, trainee, make):
    make.case(world.trainee, world.program, world.fusion, world.other_mentor, site=world.busan)
    page = client.get("/cases/new").get_data(as_text=True)
    values = form_values(page)
    assert values["site_id"] == [str(world.busan.id)]
    assert values["supervisor_id"] == [str(world.other_mentor.id)]
    assert values["operation_date"] == [TODAY.isoformat()]


def test_new_trainee_with_one_site_and_mentor_gets_them_as_defaults(client, make, world):
    site = make.site("Only Hospital")
    mentor = make.user("Dr Only")
    program = make.program(sites=[site], specialty=world.spine)
    make.appoint(mentor, program)
    newcomer = make.user("New Trainee")
    make.enrol(newcomer, program)
    client.login(newcomer)
    page = client.get("/cases/new").get_data(as_text=True)
    values = form_values(page)
    assert values["site_id"] == [str(site.id)] and values["supervisor_id"] == [str(mentor.id)]


def test_another_trainees_case_is_not_found(client, world, trainee, make):
    theirs = make.case(world.other_trainee, world.program, world.fusion, world.mentor)
    assert client.get(f"/cases/{theirs.id}").status_code == 404
    assert client.get(f"/cases/{theirs.id}/edit").status_code == 404
    response = client.submit(
        f"/cases/{theirs.id}/edit", case_data(world, notes="mine now"), page="/cases/new"
    )
    assert response.status_code == 404
    assert theirs.notes == ""
    assert client.get("/cases/999999").status_code == 404
    listing = client.get("/cases").get_data(as_text=True)
    assert theirs.reference not in listing


def test_supervisor_sees_submitted_not_drafts(client, world, make):
    draft = make.case(world.trainee, world.program, world.fusion, world.mentor)
    submitted = make.case(
        world.trainee, world.program, world.fusion, world.mentor, status=CaseStatus.SUBMITTED
    )
    client.login(world.mentor)
    assert client.get(f"/cases/{draft.id}").status_code == 404
    assert client.get(f"/cases/{submitted.id}").status_code == 200
    assert client.get(f"/cases/{submitted.id}/edit").status_code == 302  # reads, never edits


def test_director_reads_cases_of_their_program(client, world, make):
    case = make.case(world.trainee, world.program, world.fusion, world.mentor)
    client.login(world.director)
    assert client.get(f"/cases/{case.id}").status_code == 200
    client.submit(f"/cases/{case.id}/edit", case_data(world), page=f"/cases/{case.id}")
    assert case.involvement is Involvement.SUPERVISED_SCRUBBED


def test_non_trainee_cannot_log(client, world):
    client.login(world.mentor)
    assert client.get("/cases/new").status_code == 403


def test_edit_a_draft_then_submit(client, world, trainee, make, db_session):
    case = make.case(world.trainee, world.program, world.fusion, world.mentor)
    page = client.get(f"/cases/{case.id}/edit").get_data(as_text=True)
    assert form_values(page)["primary_procedure_id"] == [str(world.fusion.id)]
    response = client.submit(f"/cases/{case.id}/edit", case_data(world, involvement="P", submit=""))
    assert response.status_code == 302
    assert case.involvement is Involvement.PERFORMED
    assert case.primary_procedure_id == world.microdiscectomy.id
    assert case.status is CaseStatus.SUBMITTED


def test_submit_a_draft_from_its_page(client, world, trainee, make):
    case = make.case(world.trainee, world.program, world.fusion, world.mentor)
    response = client.submit(f"/cases/{case.id}/submit", page=f"/cases/{case.id}")
    assert response.status_code == 302
    assert case.status is CaseStatus.SUBMITTED and case.submitted_at is not None
    again = client.submit(f"/cases/{case.id}/submit", page=f"/cases/{case.id}")
    assert again.status_code == 302
    assert "already been submitted" in client.get(again.headers["Location"]).get_data(as_text=True)


def test_nobody_else_submits_a_trainees_draft(client, world, make):
    case = make.case(world.trainee, world.program, world.fusion, world.mentor)
    client.login(world.other_trainee)
    assert client.submit(f"/cases/{case.id}/submit", page="/cases").status_code == 404
    assert case.status is CaseStatus.DRAFT


def test_submitted_case_is_locked(client, world, trainee, make):
    case = make.case(
        world.trainee, world.program, world.fusion, world.mentor, status=CaseStatus.SUBMITTED
    )
    response = client.get(f"/cases/{case.id}/edit")
    assert response.status_code == 302
    response = client.submit(
        f"/cases/{case.id}/edit", case_data(world, involvement="P"), page="/cases/new"
    )
    assert response.status_code == 302
    assert case.involvement is Involvement.SUPERVISED_SCRUBBED
    assert f'href="/cases/{case.id}/edit"' not in client.get(f"/cases/{case.id}").get_data(
        as_text=True
    )


def test_list_filters_and_pages(client, world, trainee, make, app):
    for n in range(30):
        make.case(
            world.trainee,
            world.program,
            world.microdiscectomy,
            world.mentor,
            operation_date=TODAY - timedelta(days=n + 1),
            status=CaseStatus.SUBMITTED if n % 3 == 0 else CaseStatus.DRAFT,
        )
    make.case(world.trainee, world.program, world.acdf, world.mentor)
    first = client.get("/cases").get_data(as_text=True)
    assert "31 cases" in first and "Page 1 of 2" in first
    assert "Page 2 of 2" in client.get("/cases?page=2").get_data(as_text=True)
    assert "10 cases" in client.get("/cases?status=submitted").get_data(as_text=True)
    assert "1 case" in client.get("/cases?q=ACDF").get_data(as_text=True)
    since = (TODAY - timedelta(days=5)).isoformat()
    assert "6 cases" in client.get(f"/cases?date_from={since}").get_data(as_text=True)
    assert "No case matches" in client.get("/cases?q=whipple").get_data(as_text=True)


def test_list_and_form_queries_do_not_grow_with_data(client, world, trainee, make, count_queries):
    def measure():
        counts = []
        for url in ("/cases", "/cases/new"):
            with count_queries() as counter:
                assert client.get(url).status_code == 200
            counts.append(counter.count)
        return counts

    make.case(world.trainee, world.program, world.microdiscectomy, world.mentor)
    small = measure()
    for _ in range(40):
        make.case(
            world.trainee,
            world.program,
            world.fusion,
            world.other_mentor,
            site=world.busan,
            additional_procedures=[world.acdf],
        )
    assert measure() == small


def test_mentor_start_page_lists_cases_waiting_oldest_first(client, world, make):
    old = make.case(
        world.trainee,
        world.program,
        world.fusion,
        world.mentor,
        status=CaseStatus.SUBMITTED,
        submitted_at=NOW - timedelta(days=12),
    )
    make.case(
        world.other_trainee,
        world.program,
        world.acdf,
        world.mentor,
        status=CaseStatus.SUBMITTED,
        submitted_at=NOW,
    )
    make.case(world.trainee, world.program, world.microdiscectomy, world.mentor)  # a draft
    make.case(
        world.trainee,
        world.program,
        world.microdiscectomy,
        world.other_mentor,
        status=CaseStatus.SUBMITTED,
        submitted_at=NOW,
    )
    client.login(world.mentor)
    assert client.get("/").headers["Location"] == "/awaiting"
    page = client.get("/awaiting").get_data(as_text=True)
    assert "waiting 12 days" in page and "waiting 0 days" in page
    assert page.index("Transforaminal") < page.index("Anterior cervical")
    assert "Lumbar microdiscectomy" not in page  # a draft, and another mentor's case
    assert f'href="/cases/{old.id}/review"' in page
