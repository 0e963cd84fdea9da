"""Directors enrol trainees and appoint mentors through the program pages."""

from datetime import timedelta

import pytest
from sqlalchemy import func, select

from caselog.auth.services import verify_password
from caselog.models import Enrolment, MentorAppointment, User
from tests.integration.account_steps import link_in, mailbox


@pytest.fixture
def outbox(app, monkeypatch):
    return mailbox(app, monkeypatch)


def enrolments_of(db_session, user):
    return list(db_session.scalars(select(Enrolment).where(Enrolment.trainee_id == user.id)))


def test_program_page_lists_enrolments_and_mentors(client, world, make):
    make.enrol(
        make.user("Ganbold Tsend"),
        world.program,
        cohort="2026",
        home_institution="Ulaanbaatar State Hospital",
    )
    client.login(world.director)
    html = client.get(f"/programs/{world.program.id}").get_data(as_text=True)
    assert "Bat-Erdene Dorj" in html and "Ganbold Tsend" in html
    assert "Ulaanbaatar State Hospital" in html and "2026" in html
    assert "Dr Mentor Park" in html and "Seoul Spine Hospital" in html


def test_enrol_an_existing_account_by_email(client, world, make, db_session):
    person = make.user("Tuvshin Bat", email="tuvshin@example.test")
    client.login(world.director)
    start = world.program.start_date + timedelta(days=30)
    response = client.submit(
        f"/programs/{world.program.id}/enrol",
        {
            "email": "  TUVSHIN@example.test ",
            "start_date": start.isoformat(),
            "end_date": world.program.end_date.isoformat(),
            "home_institution": "Mongolian NUMS",
            "cohort": "2026",
        },
    )
    assert response.status_code == 302
    [enrolment] = enrolments_of(db_session, person)
    assert (enrolment.start_date, enrolment.cohort, enrolment.home_institution) == (
        start,
        "2026",
        "Mongolian NUMS",
    )
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Tuvshin Bat enrolled." in page


def test_enrol_a_new_person_opens_an_account_and_mails_a_link(client, world, db_session, outbox):
    client.login(world.director)
    response = client.submit(
        f"/programs/{world.program.id}/enrol",
        {
            "email": "new.fellow@example.test",
            "full_name": "Enkh Bayar",
            "start_date": world.program.start_date.isoformat(),
            "end_date": world.program.end_date.isoformat(),
        },
    )
    assert response.status_code == 302  # no password on screen
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Enkh Bayar enrolled." in page
    assert "A link to set a password was mailed to Enkh Bayar." in page
    user = db_session.scalar(select(User).where(User.email == "new.fellow@example.test"))
    assert user.full_name == "Enkh Bayar"
    assert len(enrolments_of(db_session, user)) == 1
    [message] = outbox
    assert message.to == ["new.fellow@example.test"]
    assert link_in(message).removeprefix("/password/") not in page


def test_enrol_unknown_email_without_name_asks_for_the_name(client, world, db_session):
    client.login(world.director)
    response = client.submit(
        f"/programs/{world.program.id}/enrol",
        {
            "email": "nobody@example.test",
            "start_date": world.program.start_date.isoformat(),
            "end_date": world.program.end_date.isoformat(),
        },
    )
    assert response.status_code == 200
    assert "No account uses nobody@example.test" in response.get_data(as_text=True)
    assert (
        db_session.scalar(
            select(func.count()).select_from(User).where(User.email == "nobody@example.test")
        )
        == 0
    )


def test_enrol_refusal_keeps_no_new_account(client, world, db_session):
    client.login(world.director)
    response = client.submit(
        f"/programs/{world.program.id}/enrol",
        {
            "email": "early@example.test",
            "full_name": "Too Early",
            "start_date": (world.program.start_date - timedelta(days=1)).isoformat(),
            "end_date": world.program.end_date.isoformat(),
        },
    )
    assert "must fall within the program" in response.get_data(as_text=True)
    assert db_session.scalar(select(User).where(User.email == "early@example.test")) is None


def test_duplicate_enrolment_is_refused_with_a_message(client, world, db_session):
    client.login(world.director)
    response = client.submit(
        f"/programs/{world.program.id}/enrol",
        {
            "email": world.trainee.email,
            "start_date": world.program.start_date.isoformat(),
            "end_date": world.program.end_date.isoformat(),
        },
    )
    assert response.status_code == 200
    assert "already enrolled in this program" in response.get_data(as_text=True)
    assert len(enrolments_of(db_session, world.trainee)) == 1


def test_change_and_end_an_enrolment(client, world, db_session):
    [enrolment] = enrolments_of(db_session, world.trainee)
    url = f"/programs/{world.program.id}/enrolments/{enrolment.id}"
    client.login(world.director)
    response = client.submit(
        url,
        {
            "start_date": world.program.start_date.isoformat(),
            "end_date": world.program.end_date.isoformat(),
            "home_institution": "Intermed Hospital",
            "cohort": "Spring",
        },
    )
    assert response.status_code == 302
    assert (enrolment.home_institution, enrolment.cohort) == ("Intermed Hospital", "Spring")

    last_day = world.program.end_date - timedelta(days=60)
    response = client.submit(f"{url}/end", {"last_day": last_day.isoformat()}, page=url)
    assert response.status_code == 302
    db_session.refresh(enrolment)
    assert enrolment.end_date == last_day


def test_ending_before_the_start_is_refused(client, world, db_session):
    [enrolment] = enrolments_of(db_session, world.trainee)
    url = f"/programs/{world.program.id}/enrolments/{enrolment.id}"
    client.login(world.director)
    before = world.program.start_date - timedelta(days=1)
    response = client.submit(f"{url}/end", {"last_day": before.isoformat()}, page=url)
    assert response.status_code == 200
    assert "cannot end before it starts" in response.get_data(as_text=True)


def test_appoint_a_mentor_at_one_site(client, world, make, db_session):
    surgeon = make.user("Dr Choi", email="choi@example.test")
    client.login(world.director)
    response = client.submit(
        f"/programs/{world.program.id}/mentors/new",
        {"email": surgeon.email, "site_id": str(world.busan.id)},
    )
    assert response.status_code == 302
    appointment = db_session.scalar(
        select(MentorAppointment).where(MentorAppointment.mentor_id == surgeon.id)
    )
    assert appointment.site_id == world.busan.id


def test_appoint_a_new_mentor_at_all_sites(client, world, db_session):
    client.login(world.director)
    response = client.submit(
        f"/programs/{world.program.id}/mentors/new",
        {
            "email": "jung@example.test",
            "full_name": "Dr Jung",
            "password": "a long password",
            "site_id": "",
        },
    )
    assert response.status_code == 302  # a chosen password is not shown back
    user = db_session.scalar(select(User).where(User.email == "jung@example.test"))
    assert verify_password(user, "a long password")
    assert user.must_change_password  # the director chose it: Dr Jung changes it first
    appointment = db_session.scalar(
        select(MentorAppointment).where(MentorAppointment.mentor_id == user.id)
    )
    assert appointment.site_id is None
    html = client.get(f"/programs/{world.program.id}").get_data(as_text=True)
    assert "All sites" in html


def test_a_site_outside_the_program_is_not_offered_nor_accepted(client, world, make, db_session):
    elsewhere = make.site("Tokyo Hospital", time_zone="Asia/Tokyo", city="Tokyo", country="JP")
    client.login(world.director)
    url = f"/programs/{world.program.id}/mentors/new"
    assert "Tokyo Hospital" not in client.get(url).get_data(as_text=True)
    response = client.submit(url, {"email": world.director.email, "site_id": str(elsewhere.id)})
    assert response.status_code == 200
    assert (
        db_session.scalar(
            select(MentorAppointment).where(MentorAppointment.mentor_id == world.director.id)
        )
        is None
    )


def test_a_trainee_cannot_be_appointed_mentor_in_the_same_program(client, world):
    client.login(world.director)
    response = client.submit(
        f"/programs/{world.program.id}/mentors/new", {"email": world.trainee.email, "site_id": ""}
    )
    assert response.status_code == 200
    assert "is a trainee in this program" in response.get_data(as_text=True)


def test_remove_an_appointment(client, world, db_session):
    appointment = db_session.scalar(
        select(MentorAppointment).where(MentorAppointment.mentor_id == world.mentor.id)
    )
    appointment_id = appointment.id
    client.login(world.director)
    page = f"/programs/{world.program.id}"
    response = client.submit(f"{page}/mentors/{appointment_id}/remove", page=page)
    assert response.status_code == 302
    removed = select(MentorAppointment.id).where(MentorAppointment.id == appointment_id)
    assert db_session.scalar(removed) is None
    assert "Dr Mentor Park is no longer a mentor here." in client.get(page).get_data(as_text=True)


def test_removing_a_mentor_named_on_cases_is_refused(client, world, make, db_session):
    make.case(world.trainee, world.program, world.microdiscectomy, world.mentor)
    appointment = db_session.scalar(
        select(MentorAppointment).where(MentorAppointment.mentor_id == world.mentor.id)
    )
    client.login(world.director)
    page = f"/programs/{world.program.id}"
    response = client.submit(
        f"{page}/mentors/{appointment.id}/remove", page=page, follow_redirects=True
    )
    assert "is named as supervisor on cases in this program" in response.get_data(as_text=True)
    assert db_session.get(MentorAppointment, appointment.id) is not None


def test_new_trainee_sets_a_password_by_link_and_signs_in(client, world, outbox):
    client.login(world.director)
    client.submit(
        f"/programs/{world.program.id}/enrol",
        {
            "email": "signs.in@example.test",
            "full_name": "Signs In",
            "start_date": world.program.start_date.isoformat(),
            "end_date": world.program.end_date.isoformat(),
        },
    )
    trainee = client.application.test_client()
    path = link_in(outbox[0])
    trainee.submit(path, {"new_password": "scalpel and suture", "confirm": "scalpel and suture"})
    response = trainee.submit(
        "/login", {"email": "signs.in@example.test", "password": "scalpel and suture"}
    )
    assert response.status_code == 302
    assert trainee.get("/cases").status_code == 200


def test_director_pages_query_count_does_not_grow_with_enrolments(
    client, world, make, count_queries, db_session
):
    client.login(world.director)
    page = f"/programs/{world.program.id}"

    def measure():
        counts = []
        for url in ("/programs/", page):
            db_session.expire_all()  # each request starts from an empty identity map
            with count_queries() as counter:
                assert client.get(url).status_code == 200
            counts.append(counter.count)
        return counts

    for _ in range(3):  # the world already has 2: 5 in all
        make.enrol(make.user(), world.program)
    with_five = measure()
    for n in range(45):  # 50 in all
        make.enrol(make.user(), world.program, cohort=f"C{n % 3}")
    with_fifty = measure()
    assert with_five == with_fifty
    assert client.get(page).get_data(as_text=True).count('class="enrolment-row"') == 50
