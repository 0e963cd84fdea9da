"""The rules of sites, programs, accounts, enrolments and mentor appointments, with messages."""

from datetime import date, timedelta

import pytest

from caselog.admin import services as admin
from caselog.errors import DomainError
from caselog.models import ProgramKind
from caselog.programs import services as programs
from caselog.programs.services import EnrolmentInput, PersonInput
from tests.clock import NOW

BY = {"actor": None, "now": NOW}  # who and when, for the services' audit events


@pytest.fixture(autouse=True)
def request_context(app, db_session):
    with app.test_request_context():
        yield


def refused(call, *args, **kwargs) -> DomainError:
    with pytest.raises(DomainError) as caught:
        call(*args, **kwargs)
    return caught.value


def period(program, start_days=0, end_days=0) -> EnrolmentInput:
    return EnrolmentInput(
        start_date=program.start_date + timedelta(days=start_days),
        end_date=program.end_date + timedelta(days=end_days),
    )


# Sites and programs ---------------------------------------------------------------------


def test_site_rules():
    good = admin.SiteInput("Intermed", "Ulaanbaatar", "mn", "Asia/Ulaanbaatar")
    site = admin.create_site(good, **BY)
    assert site.country == "MN"
    error = refused(admin.create_site, admin.SiteInput("Intermed", "X", "MN", "Asia/Seoul"), **BY)
    assert (error.field, error.message) == ("name", "A site called Intermed already exists.")
    error = refused(admin.update_site, site, admin.SiteInput("Intermed", "X", "MNG", "UTC"), **BY)
    assert error.field == "country" and "two-letter ISO code" in error.message
    error = refused(
        admin.update_site, site, admin.SiteInput("Intermed", "X", "MN", "Mars/Base"), **BY
    )
    assert error.field == "time_zone" and "“Mars/Base” is not a time zone name" in error.message


def test_program_rules(world):
    data = admin.ProgramInput(
        name="Liver master class",
        kind=ProgramKind.MASTER_CLASS,
        specialty_id=world.spine.id,
        start_date=date(2027, 5, 10),
        end_date=date(2027, 5, 12),
        site_ids=[world.seoul.id],
        director_ids=[world.director.id],
    )
    program = admin.create_program(data, **BY)
    assert program.sites == [world.seoul]
    data.name = "Other"
    data.end_date = date(2027, 5, 9)
    assert refused(admin.create_program, data, **BY).message == (
        "The end date cannot be before the start date."
    )
    data.end_date = date(2027, 5, 10)  # a one-day program is fine
    data.site_ids = [world.seoul.id, 999999]
    assert refused(admin.create_program, data, **BY).field == "site_ids"
    data.site_ids = [world.seoul.id]
    data.name = "liver MASTER class"
    assert "already exists" in refused(admin.create_program, data, **BY).message


def test_program_sign_off_settings(world):
    data = admin.ProgramInput(
        name="Liver master class",
        kind=ProgramKind.MASTER_CLASS,
        specialty_id=world.spine.id,
        start_date=date(2027, 5, 10),
        end_date=date(2027, 5, 12),
        site_ids=[world.seoul.id],
    )
    program = admin.create_program(data, **BY)
    assert (
        program.assessment_enabled,
        program.reminder_max_waiting,
        program.reminder_max_days,
    ) == (False, 25, 30)
    for field_name, bad in [
        ("reminder_max_waiting", 0),
        ("reminder_max_waiting", None),
        ("reminder_max_waiting", True),
        ("reminder_max_waiting", 10_001),
        ("reminder_max_days", -1),
        ("reminder_max_days", 3_651),
    ]:
        setattr(data, field_name, bad)
        error = refused(admin.update_program, program, data, **BY)
        assert error.field == field_name and "whole number from 1" in error.message
        setattr(data, field_name, 1)
    data.assessment_enabled = True
    admin.update_program(program, data, **BY)
    assert (
        program.assessment_enabled,
        program.reminder_max_waiting,
        program.reminder_max_days,
    ) == (True, 1, 1)


# Accounts ------------------------------------------------------------------------------


def test_account_rules(world):
    user = admin.create_account("Dr New", " New@Example.TEST ", **BY)
    assert user.email == "new@example.test" and not user.must_change_password
    error = refused(admin.create_account, "Dr Copy", "NEW@example.test", "long enough pw", **BY)
    assert error.field == "email"
    error = refused(admin.create_account, "Dr Short", "short@example.test", "123456789", **BY)
    assert error.message == "A password needs at least 10 characters."
    assert refused(admin.create_account, "Dr X", "not-an-email", **BY).field == "email"
    typed = admin.create_account("Dr Typed", "typed@example.test", "Typed by admin 1", **BY)
    assert typed.must_change_password
    error = refused(admin.set_active, world.admin, world.admin, False, now=NOW)
    assert error.message == "You cannot deactivate your own account."
    admin.set_active(world.admin, user, False, now=NOW)
    assert not user.active


# Enrolments ----------------------------------------------------------------------------


def test_enrolment_must_fall_within_the_program(world):
    person = PersonInput(email="new@example.test", full_name="New Fellow")
    error = refused(
        programs.enrol, world.program, person, period(world.program, start_days=-1), now=NOW
    )
    assert error.field == "start_date"
    assert error.message.startswith("An enrolment must fall within the program's dates")
    error = refused(
        programs.enrol, world.program, person, period(world.program, end_days=1), now=NOW
    )
    assert error.field == "start_date"
    assert admin.find_account("new@example.test") is None  # refused before opening an account


def test_enrolment_ends_after_it_starts(world):
    data = EnrolmentInput(
        start_date=world.program.start_date + timedelta(days=10),
        end_date=world.program.start_date + timedelta(days=9),
    )
    error = refused(programs.enrol, world.program, PersonInput(world.mentor.email), data, now=NOW)
    assert (error.field, error.message) == (
        "end_date",
        "The end date cannot be before the start date.",
    )


def test_no_overlapping_enrolment_in_the_same_program(world, make):
    error = refused(
        programs.enrol,
        world.program,
        PersonInput(world.trainee.email),
        period(world.program, start_days=100),
        now=NOW,
    )
    assert error.message == (
        "Bat-Erdene Dorj is already enrolled in this program for part of that period."
    )


def test_consecutive_enrolments_are_allowed(world, make):
    person = make.user("Returning Fellow")
    first, _ = programs.enrol(
        world.program,
        PersonInput(person.email),
        EnrolmentInput(world.program.start_date, world.program.start_date + timedelta(days=30)),
        now=NOW,
    )
    second, _ = programs.enrol(
        world.program,
        PersonInput(person.email),
        EnrolmentInput(world.program.start_date + timedelta(days=31), world.program.end_date),
        now=NOW,
    )
    assert first.id != second.id
    error = refused(
        programs.update_enrolment,
        first,
        EnrolmentInput(world.program.start_date, world.program.start_date + timedelta(days=31)),
        now=NOW,
    )
    assert "already enrolled" in error.message


def test_a_mentor_cannot_be_enrolled_as_trainee_in_the_same_program(world):
    error = refused(
        programs.enrol,
        world.program,
        PersonInput(world.mentor.email),
        period(world.program),
        now=NOW,
    )
    assert error.message == (
        "Dr Mentor Park is a mentor in this program and cannot also be a trainee in it."
    )


def test_a_deactivated_account_cannot_be_enrolled(world, make):
    person = make.user("Gone", email="gone@example.test", active=False)
    error = refused(
        programs.enrol, world.program, PersonInput(person.email), period(world.program), now=NOW
    )
    assert "deactivated" in error.message


def test_end_an_enrolment(world, make):
    enrolment = make.enrol(make.user(), world.program)
    day = world.program.start_date + timedelta(days=40)
    programs.end_enrolment(enrolment, day, now=NOW)
    assert enrolment.end_date == day
    error = refused(programs.end_enrolment, enrolment, day + timedelta(days=1), now=NOW)
    assert error.message.startswith("This enrolment already ends on")


# Mentor appointments -------------------------------------------------------------------


def test_a_trainee_cannot_be_a_mentor_in_the_same_program(world):
    error = refused(
        programs.appoint, world.program, PersonInput(world.trainee.email), None, now=NOW
    )
    assert error.message == (
        "Bat-Erdene Dorj is a trainee in this program and cannot also be a mentor in it."
    )


def test_mentor_site_must_be_one_of_the_programs(world, make):
    elsewhere = make.site("Elsewhere")
    error = refused(
        programs.appoint, world.program, PersonInput(world.director.email), elsewhere.id, now=NOW
    )
    assert (error.field, error.message) == (
        "site_id",
        "Choose one of the program's sites, or all sites.",
    )


def test_appointing_at_all_sites_replaces_site_appointments(world):
    error = refused(
        programs.appoint, world.program, PersonInput(world.mentor.email), world.seoul.id, now=NOW
    )
    assert error.message == "Dr Mentor Park is already a mentor here."
    appointment, _ = programs.appoint(world.program, PersonInput(world.mentor.email), None, now=NOW)
    assert appointment.site is None
    assert (
        refused(
            programs.appoint,
            world.program,
            PersonInput(world.mentor.email),
            world.busan.id,
            now=NOW,
        ).message
        == "Dr Mentor Park is already a mentor here."
    )


def test_a_mentor_named_on_cases_stays(world, make):
    appointment = make.appoint(make.user("Dr Busy"), world.program)
    make.case(world.trainee, world.program, world.fusion, appointment.mentor)
    error = refused(programs.remove_appointment, appointment, now=NOW)
    # flashed for the next page, so it names nobody (the session cookie is readable)
    assert error.message.startswith("This mentor is named as supervisor on cases in this program")
    assert "Dr Busy" not in error.message
    other_program = make.program(sites=[world.seoul])
    free = make.appoint(appointment.mentor, other_program)
    programs.remove_appointment(free, now=NOW)  # cases elsewhere do not hold this appointment
