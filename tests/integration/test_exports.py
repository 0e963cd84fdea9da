"""Case exports through the app: the columns and signature columns, the filters, formula
neutralising, the headers, the audit trail, and queries that grow with batches, not cases."""

import json
from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import select, update

from caselog.models import AuditEvent, Case, CaseStatus, Involvement, Sex
from tests.integration.case_steps import sign_case
from tests.integration.export_steps import (
    add_codes,
    download,
    exported,
    read_csv,
    references,
    signed_case,
    xlsx_cells,
)
from tests.integration.signoff_steps import make_delegate

DAY = date(2024, 3, 4)


@pytest.fixture
def trainee(client, world):
    client.login(world.trainee)
    return world.trainee


@pytest.fixture
def full_case(make, world, db_session):
    """A signed case with everything an export shows filled in."""
    add_codes(make, world.fusion, "CPT:22630", "OPCS-4:V38.2")
    add_codes(make, world.acdf, "CPT:22551")
    case = make.case(
        world.trainee,
        world.program,
        world.fusion,
        world.mentor,
        site=world.busan,
        status=CaseStatus.SUBMITTED,
        operation_date=DAY,
        submitted_at=datetime(2024, 3, 5, 1, 2, 3, tzinfo=UTC),
        involvement=Involvement.PERFORMED,
        patient_age=93,
        patient_sex=Sex.FEMALE,
        asa_grade=3,
        operative_minutes=185,
        blood_loss_ml=450,
        return_to_theatre=True,
        complication_description="Dural tear",
        notes='=HYPERLINK("http://evil.test","click")\nsecond line, with a comma',
        additional_procedures=[world.acdf, world.microdiscectomy],
    )
    sign_case(case, world.mentor, bedside=True)
    return case


def test_one_row_per_case_with_every_column_in_csv(client, world, trainee, full_case):
    (row,) = exported(client, "csv")
    signature = full_case.signature
    assert row == {
        "Reference": full_case.reference,
        "Trainee": "Bat-Erdene Dorj",
        "Program": "Spine fellowship (test)",
        "Hospital": "Busan University Hospital",
        "Supervisor": "Dr Mentor Park",
        "Date of operation": "2024-03-04",
        "Procedure": "Transforaminal lumbar interbody fusion",
        "Procedure (English)": "Transforaminal lumbar interbody fusion",
        "Procedure codes": "CPT:22630; OPCS-4:V38.2",
        "Additional procedures": "Anterior cervical discectomy and fusion; Lumbar microdiscectomy",
        "Additional procedures (English)": (
            "Anterior cervical discectomy and fusion; Lumbar microdiscectomy"
        ),
        "Additional procedure codes": "CPT:22551",
        "Approach": "Microscopic",
        "Urgency": "Elective",
        "Setting": "Theatre",
        "Involvement": "P",
        "Patient age": "90+",
        "Patient sex": "Female",
        "ASA grade": 3.0,
        "Complication": "None",
        "Complication description": "Dural tear",
        "Operative time (minutes)": 185.0,
        "Blood loss (ml)": 450.0,
        "Return to theatre": "Yes",
        "Status": "Approved",
        "Version": 1.0,
        "Submitted at (UTC)": "2024-03-05T01:02:03Z",
        "Signed by": "Dr Mentor Park",
        "Signer's printed name": "Dr Mentor Park",
        "Signed at (UTC)": signature.signed_at.strftime("%Y-%m-%dT%H:%M:%SZ"),
        "Meaning of the signature": signature.meaning,
        "Signature valid": "Yes",
        "Signed at the bedside": "Yes",
        "Signed on behalf of": "",
        "Notes": '\'=HYPERLINK("http://evil.test","click")\nsecond line, with a comma',
    }


def test_numbers_are_unquoted_and_text_quoted_in_csv(client, trainee, full_case):
    text = download(client, "csv").get_data().decode("utf-8-sig")
    line = text.splitlines()[1]
    assert ',185,450,"Yes","Approved",1,"2024-03-05T01:02:03Z",' in line
    assert ',"90+","Female",3,' in line


def test_xlsx_holds_the_same_row_with_dates_as_dates_and_numbers_as_numbers(
    client, trainee, full_case
):
    csv_row = exported(client, "csv")[0]
    (xlsx_row,) = exported(client, "xlsx")
    assert list(xlsx_row) == list(csv_row)  # the same columns in the same order
    assert xlsx_row["Date of operation"] == datetime(2024, 3, 4)
    assert xlsx_row["Submitted at (UTC)"] == datetime(2024, 3, 5, 1, 2, 3)
    assert xlsx_row["Signed at (UTC)"] == full_case.signature.signed_at.replace(tzinfo=None)
    assert [
        xlsx_row[k] for k in ("ASA grade", "Operative time (minutes)", "Blood loss (ml)", "Version")
    ] == [3, 185, 450, 1]
    assert xlsx_row["Notes"].startswith("'=HYPERLINK(")
    cells = xlsx_cells(download(client, "xlsx").get_data())
    assert not [c for c in cells if c.data_type == "f"]
    titles = {c.value: c.column for c in cells if c.row == 1}
    by_title = {c.column: c for c in cells if c.row == 2}
    operated = by_title[titles["Date of operation"]]
    assert operated.is_date and operated.number_format == "yyyy-mm-dd"
    assert by_title[titles["ASA grade"]].data_type == "n"


def test_a_delegate_signature_names_whom_it_was_signed_for(
    client, world, make, db_session, trainee
):
    delegate = make_delegate(world, make, db_session)
    signed_case(make, world, signer=delegate)
    (row,) = exported(client)
    assert (
        row["Signed by"],
        row["Signer's printed name"],
        row["Signed on behalf of"],
        row["Signed at the bedside"],
    ) == ("Dr Delegate Choi", "Dr Delegate Choi", "Dr Mentor Park", "No")


def test_a_signature_that_no_longer_matches_the_case_is_exported_as_not_valid(
    client, db_session, trainee, full_case
):
    db_session.execute(update(Case).where(Case.id == full_case.id).values(asa_grade=1))
    (row,) = exported(client)
    assert row["Signature valid"] == "No"


def test_cases_without_a_signature_leave_the_signature_columns_empty(client, world, make, trainee):
    make.case(world.trainee, world.program, world.fusion, world.mentor, patient_age=45)
    (row,) = exported(client)
    assert row["Patient age"] == 45.0 and row["Status"] == "Draft"
    assert [row[k] for k in ("Signed by", "Signed at (UTC)", "Signature valid")] == [""] * 3


def test_names_in_cyrillic_and_korean_survive_both_formats(
    client, world, make, db_session, trainee
):
    world.trainee.full_name = "Батбаяр Дорж"
    world.program.name = "척추 펠로우십"
    db_session.flush()
    make.case(world.trainee, world.program, world.fusion, world.mentor)
    for fmt in ("csv", "xlsx"):
        (row,) = exported(client, fmt)
        assert (row["Trainee"], row["Program"]) == ("Батбаяр Дорж", "척추 펠로우십")


def test_download_headers(client, trainee, full_case):
    response = download(client, "csv")
    assert response.headers["Content-Type"] == "text/csv; charset=utf-8"
    disposition = response.headers["Content-Disposition"]
    assert disposition.startswith('attachment; filename="caselog-cases-')
    assert disposition.endswith('.csv"') and disposition.isascii()
    assert response.headers["Cache-Control"] == "no-store"
    assert response.get_data().startswith(b"\xef\xbb\xbf")
    response = download(client, "xlsx")
    assert response.headers["Content-Type"] == (
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    assert response.headers["Content-Disposition"].endswith('.xlsx"')
    assert response.headers["Cache-Control"] == "no-store"
    assert int(response.headers["Content-Length"]) == len(response.get_data())


@pytest.fixture
def spread(make, world, db_session):
    """Six cases of the trainee that differ in one thing each from the first."""

    def make_case(**fields):
        return make.case(
            world.trainee,
            world.program,
            fields.pop("procedure", world.fusion),
            world.mentor,
            **{
                "operation_date": DAY,
                "status": CaseStatus.SUBMITTED,
                "site": world.seoul,
                "submitted_at": datetime(2024, 3, 5, tzinfo=UTC),
                **fields,
            },
        ).reference

    other_program = make.program(
        sites=[world.seoul],
        directors=[world.director],
        specialty=world.spine,
        name="Second program",
    )
    make.enrol(world.trainee, other_program)
    return {
        "base": make_case(),
        "earlier": make_case(operation_date=DAY - timedelta(days=40)),
        "busan": make_case(site=world.busan),
        "acdf": make_case(procedure=world.acdf),
        "with_acdf": make_case(additional_procedures=[world.acdf]),
        "observed": make_case(involvement=Involvement.OBSERVED),
        "draft": make_case(status=CaseStatus.DRAFT),
        "other_program": make.case(
            world.trainee,
            other_program,
            world.fusion,
            world.mentor,
            site=world.seoul,
            operation_date=DAY,
        ).reference,
    }


@pytest.mark.parametrize(
    ("fmt", "args", "expected"),
    [
        ("csv", {}, "base earlier busan acdf with_acdf observed draft other_program"),
        ("csv", {"program": "{program}"}, "base earlier busan acdf with_acdf observed draft"),
        (
            "xlsx",
            {"date_from": "2024-03-01"},
            "base busan acdf with_acdf observed draft other_program",
        ),
        ("csv", {"date_to": "2024-03-01"}, "earlier"),
        (
            "csv",
            {"date_from": "2024-03-04", "date_to": "2024-03-04", "program": "{program}"},
            "base busan acdf with_acdf observed draft",
        ),
        ("xlsx", {"site": "{busan}"}, "busan"),
        ("csv", {"procedure": "{acdf}"}, "acdf with_acdf"),
        ("csv", {"involvement": "O"}, "observed"),
        ("xlsx", {"status": "draft"}, "draft other_program"),
        (
            "csv",
            {"status": "submitted", "procedure": "{acdf}", "site": "{seoul}"},
            "acdf with_acdf",
        ),
    ],
)
def test_filters_narrow_the_export(client, world, trainee, spread, fmt, args, expected):
    ids = {
        "program": world.program.id,
        "busan": world.busan.id,
        "seoul": world.seoul.id,
        "acdf": world.acdf.id,
    }
    query = {key: value.format(**ids) for key, value in args.items()}
    assert references(client, fmt, **query) == {spread[name] for name in expected.split()}


def test_a_director_chooses_a_trainee(client, world, make, spread):
    theirs = make.case(
        world.other_trainee,
        world.program,
        world.fusion,
        world.mentor,
        status=CaseStatus.SUBMITTED,
        operation_date=DAY,
    ).reference
    client.login(world.director)
    assert references(client, trainee=world.other_trainee.id) == {theirs}
    assert theirs in references(client) and spread["base"] in references(client)


def test_the_rows_come_in_order_of_operation(client, world, trainee, spread):
    rows = exported(client, program=world.program.id)
    dates = [row["Date of operation"] for row in rows]
    assert dates == sorted(dates) and dates[0] == "2024-01-24"


def test_each_export_is_written_to_the_audit_trail(client, world, db_session, trainee, spread):
    for fmt in ("csv", "xlsx"):
        download(client, fmt, program=world.program.id, involvement="O").get_data()
    events = list(
        db_session.scalars(
            select(AuditEvent).where(AuditEvent.entity == "export").order_by(AuditEvent.seq)
        )
    )
    assert [(e.action, e.actor, e.entity_id) for e in events] == [
        ("cases_csv", "trainee@example.test", None),
        ("cases_xlsx", "trainee@example.test", None),
    ]
    assert json.loads(events[0].after) == {
        "filters": {"involvement": "O", "program_id": world.program.id},
        "rows": 1,
    }


def test_dates_that_make_no_sense_go_back_to_the_form(client, db_session, trainee, spread):
    response = download(client, "csv", date_from="2024-03-05", date_to="2024-03-01")
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/exports/cases?")
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "The end date is before the start date." in page
    assert download(client, "xlsx", date_from="not a date").status_code == 302
    assert db_session.scalar(select(AuditEvent).where(AuditEvent.entity == "export")) is None


def test_url_for_arguments_in_the_query_string_are_not_passed_on(client, trainee, spread):
    """Keys such as _scheme or _method are url_for's own: sent back to the form with the
    filters, they made building its address fail (a 500)."""
    for extra in ({"_scheme": "ftp"}, {"_method": "POST"}, {"_external": "1"}):
        response = download(client, "csv", date_from="not a date", **extra)
        assert response.status_code == 302
        assert response.headers["Location"] == "/exports/cases?date_from=not+a+date"


def test_the_form_counts_the_matching_cases(client, world, trainee, spread):
    page = client.get("/exports/cases", query_string={"involvement": "O"}).get_data(as_text=True)
    assert 'data-matching="1"' in page and "1 case matches these filters." in page
    assert 'formaction="/exports/cases.xlsx"' in page and 'formaction="/exports/cases.csv"' in page
    assert 'name="trainee"' not in page  # a trainee exports their own cases only


def test_the_form_offers_only_what_the_user_may_export(app, client, world, make, spread):
    elsewhere = make.program(sites=[world.busan], name="Program elsewhere")
    make.enrol(world.other_trainee, elsewhere)
    make.case(
        world.other_trainee,
        elsewhere,
        world.microdiscectomy,
        world.other_mentor,
        status=CaseStatus.SUBMITTED,
    )
    client.login(world.mentor)
    page = client.get("/exports/cases").get_data(as_text=True)
    assert "Spine fellowship (test)" in page and "Second program" not in page
    assert "Program elsewhere" not in page and "Lumbar microdiscectomy" not in page
    assert "Bat-Erdene Dorj" in page and "Oyunaa Bold" not in page
    assert 'value="draft"' not in page  # a mentor never sees drafts
    client = app.test_client()
    client.login(world.director)
    page = client.get("/exports/cases").get_data(as_text=True)
    assert 'value="draft"' in page and "Second program" in page
    assert "Program elsewhere" not in page


def test_queries_grow_with_batches_not_with_cases(
    app, client, world, make, count_queries, monkeypatch
):
    """Each batch is read with a fixed number of statements, however many cases it holds."""
    add_codes(make, world.fusion, "CPT:22630")
    add_codes(make, world.acdf, "CPT:22551")
    client.login(world.director)
    logged = []

    def grow(total: int) -> None:
        for n in range(len(logged), total):  # two trainees, two mentors; a third unsigned
            mentor = [world.mentor, world.other_mentor][n % 2]
            case = make.case(
                [world.trainee, world.other_trainee][n % 2],
                world.program,
                world.fusion,
                mentor,
                status=CaseStatus.SUBMITTED,
                additional_procedures=[world.acdf],
                operation_date=DAY,
            )
            if n % 3:
                sign_case(case, mentor)
            logged.append(case)

    def statements(batch: int, fmt: str) -> int:
        monkeypatch.setitem(app.config, "EXPORT_BATCH_SIZE", batch)
        with count_queries() as counter:
            response = download(client, fmt)
            assert len(read_rows(response.get_data(), fmt)) == len(logged)
        return counter.count

    formats = ("csv", "xlsx")
    grow(6)
    one_batch = {fmt: statements(100, fmt) for fmt in formats}
    grow(18)
    assert {fmt: statements(100, fmt) for fmt in formats} == one_batch  # 6 or 18 cases
    three = {fmt: statements(6, fmt) for fmt in formats}
    per_batch = {fmt: three[fmt] - statements(9, fmt) for fmt in formats}  # 3 batches - 2
    assert all(1 <= n <= 6 for n in per_batch.values()), per_batch
    grow(24)
    assert {fmt: statements(6, fmt) - three[fmt] for fmt in formats} == per_batch


def read_rows(data: bytes, fmt: str) -> list:
    if fmt == "csv":
        return read_csv(data)[1:]
    return [c for c in xlsx_cells(data) if c.column == 1 and c.row > 1]


def test_the_case_list_and_the_cohort_view_lead_to_the_export_with_their_filters(
    client, world, make, db_session
):
    """A program the trainee has logged nothing in yet is still offered (an empty export)."""
    quiet = make.program(sites=[world.seoul], directors=[world.director], name="Quiet program")
    make.enrol(world.trainee, quiet)
    client.login(world.trainee)
    page = client.get(
        "/cases", query_string={"program": quiet.id, "status": "approved", "q": "fusion"}
    ).get_data(as_text=True)
    link = f"/exports/cases?program={quiet.id}&amp;status=approved"
    assert f'href="{link}"' in page
    response = client.get(link.replace("&amp;", "&"))
    assert response.status_code == 200
    assert f'<option selected value="{quiet.id}">Quiet program</option>' in response.get_data(
        as_text=True
    )
    assert exported(client, program=quiet.id) == []
    director = client.application.test_client()
    director.login(world.director)
    page = director.get(f"/programs/{world.program.id}/cohort").get_data(as_text=True)
    assert f'href="/exports/cases?program={world.program.id}"' in page
