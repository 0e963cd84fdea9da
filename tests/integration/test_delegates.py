"""Directors let one mentor of a program sign the cases that name another mentor of it."""

import pytest
from sqlalchemy import select

from caselog import policies
from caselog.errors import DomainError
from caselog.models import CaseStatus, Delegate, MentorAppointment
from caselog.programs import services
from tests.clock import NOW


def delegates(db_session, program):
    return [
        (d.mentor_id, d.delegate_id)
        for d in db_session.scalars(
            select(Delegate).where(Delegate.program_id == program.id).order_by(Delegate.id)
        )
    ]


def appoint(client, world, mentor, delegate):
    return client.submit(
        f"/programs/{world.program.id}/delegates/new",
        {"mentor_id": str(mentor.id), "delegate_id": str(delegate.id)},
    )


def test_a_director_appoints_lists_and_removes_a_delegate(client, world, db_session):
    client.login(world.director)
    page = client.get(f"/programs/{world.program.id}").get_data(as_text=True)
    assert "No delegates." in page
    assert f'href="/programs/{world.program.id}/delegates/new"' in page
    form = client.get(f"/programs/{world.program.id}/delegates/new").get_data(as_text=True)
    assert "Dr Mentor Lee (mentor2@example.test)" in form
    assert "Bat-Erdene Dorj" not in form  # trainees are not offered

    response = appoint(client, world, world.mentor, world.other_mentor)
    assert response.status_code == 302
    assert delegates(db_session, world.program) == [(world.mentor.id, world.other_mentor.id)]
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Dr Mentor Lee may now sign the cases that name Dr Mentor Park." in page
    row = page.split('class="delegate-row"')[1].split("</tr>")[0]
    assert "Dr Mentor Park" in row and "Dr Mentor Lee" in row

    [delegate] = db_session.scalars(select(Delegate)).all()
    response = client.submit(
        f"/programs/{world.program.id}/delegates/{delegate.id}/remove",
        page=f"/programs/{world.program.id}",
    )
    assert response.status_code == 302
    assert delegates(db_session, world.program) == []
    assert "Dr Mentor Lee no longer signs for Dr Mentor Park." in client.get(
        response.headers["Location"]
    ).get_data(as_text=True)


def test_a_delegate_may_sign_the_mentors_cases_in_that_program_only(app, world, make, db_session):
    case = make.case(
        world.trainee, world.program, world.fusion, world.mentor, status=CaseStatus.SUBMITTED
    )
    elsewhere = make.program(sites=[world.seoul], directors=[world.director], name="Elsewhere")
    make.appoint(world.mentor, elsewhere)
    make.appoint(world.other_mentor, elsewhere)
    other_case = make.case(
        world.other_trainee, elsewhere, world.fusion, world.mentor, status=CaseStatus.SUBMITTED
    )
    with app.test_request_context():
        assert not policies.may_sign_for(world.other_mentor, case)
        delegate = services.appoint_delegate(
            world.program, world.mentor.id, world.other_mentor.id, now=NOW
        )
        assert policies.can_sign(world.other_mentor, case)
        assert not policies.may_sign_for(world.other_mentor, other_case)
        services.remove_delegate(delegate, now=NOW)
        assert not policies.may_sign_for(world.other_mentor, case)


@pytest.mark.parametrize(
    "mentor, delegate, message",
    [
        ("mentor", "mentor", "A mentor cannot be their own delegate: choose another mentor."),
        ("mentor", "trainee", "Not a valid choice."),
        ("trainee", "mentor", "Not a valid choice."),
        ("mentor", "director", "Not a valid choice."),
    ],
)
def test_refused_delegates(client, world, db_session, mentor, delegate, message):
    client.login(world.director)
    response = appoint(client, world, getattr(world, mentor), getattr(world, delegate))
    assert response.status_code == 200
    assert message in response.get_data(as_text=True)
    assert delegates(db_session, world.program) == []


def test_a_duplicate_delegate_is_refused(client, world, db_session):
    client.login(world.director)
    assert appoint(client, world, world.mentor, world.other_mentor).status_code == 302
    response = appoint(client, world, world.mentor, world.other_mentor)
    assert response.status_code == 200
    assert "Dr Mentor Lee already signs for Dr Mentor Park in this program." in response.get_data(
        as_text=True
    )
    assert appoint(client, world, world.other_mentor, world.mentor).status_code == 302
    assert len(delegates(db_session, world.program)) == 2


def test_the_service_refuses_people_who_are_not_mentors_here(app, world, make):
    outsider = make.user("Dr Outsider")
    deactivated = make.user("Dr Away", active=False)
    make.appoint(deactivated, world.program)
    with app.test_request_context():
        for mentor, delegate, field in [
            (world.mentor, outsider, "delegate_id"),
            (outsider, world.mentor, "mentor_id"),
            (world.mentor, world.trainee, "delegate_id"),
            (world.mentor, deactivated, "delegate_id"),
        ]:
            with pytest.raises(DomainError) as refused:
                services.appoint_delegate(world.program, mentor.id, delegate.id, now=NOW)
            assert refused.value.field == field
        with pytest.raises(DomainError) as refused:
            services.appoint_delegate(world.program, None, None, now=NOW)
        assert refused.value.message == "Choose a mentor of this program to sign for."


def test_removing_a_mentor_ends_their_delegations(client, world, make, db_session):
    third = make.user("Dr Mentor Choi")
    make.appoint(third, world.program)
    client.login(world.director)
    assert appoint(client, world, world.mentor, world.other_mentor).status_code == 302
    assert appoint(client, world, third, world.other_mentor).status_code == 302
    assert appoint(client, world, world.other_mentor, third).status_code == 302
    appointment = db_session.scalar(
        select(MentorAppointment).where(MentorAppointment.mentor_id == world.other_mentor.id)
    )
    response = client.submit(
        f"/programs/{world.program.id}/mentors/{appointment.id}/remove",
        page=f"/programs/{world.program.id}",
    )
    assert response.status_code == 302
    assert delegates(db_session, world.program) == []


def test_a_delegate_of_another_program_answers_404(client, world, make, db_session):
    other = make.program(sites=[world.busan], directors=[world.director], name="Second")
    a, b = make.user(), make.user()
    make.appoint(a, other)
    make.appoint(b, other)
    delegate = Delegate(program=other, mentor=a, delegate=b)
    db_session.add(delegate)
    db_session.flush()
    client.login(world.director)
    response = client.call("POST", f"/programs/{world.program.id}/delegates/{delegate.id}/remove")
    assert response.status_code == 404
    assert delegates(db_session, other) == [(a.id, b.id)]


def test_no_delegate_button_with_fewer_than_two_mentors(client, world, make):
    lonely = make.program(sites=[world.busan], directors=[world.director], name="Small")
    mentor = make.user()
    make.appoint(mentor, lonely, world.busan)
    client.login(world.director)
    page = client.get(f"/programs/{lonely.id}").get_data(as_text=True)
    assert f"/programs/{lonely.id}/delegates/new" not in page


def test_program_page_queries_do_not_grow_with_delegates(
    client, world, make, db_session, count_queries
):
    client.login(world.director)
    url = f"/programs/{world.program.id}"
    db_session.add(
        Delegate(program=world.program, mentor=world.mentor, delegate=world.other_mentor)
    )
    db_session.flush()
    client.get(url)
    with count_queries() as few:
        assert client.get(url).status_code == 200
    for _ in range(8):
        mentor, delegate = make.user(), make.user()
        make.appoint(mentor, world.program)
        make.appoint(delegate, world.program)
        db_session.add(Delegate(program=world.program, mentor=mentor, delegate=delegate))
        make.enrol(make.user(), world.program)
    db_session.flush()
    with count_queries() as many:
        html = client.get(url).get_data(as_text=True)
    assert html.count('class="delegate-row"') == 9
    assert few.count == many.count
