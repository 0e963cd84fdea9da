"""The second factor at sign-in: setting up an authenticator app on the profile page, the
code as a second step, wrong codes refused and throttled, recovery codes, replay, turning
it off. Codes are computed with pyotp at the tests' fixed time."""

from datetime import timedelta

from sqlalchemy import select

from caselog.models import RecoveryCode, SecondFactor
from tests.clock import NOW
from tests.integration.second_factor_steps import (
    at,
    code_at,
    code_step,
    enrol,
    password_step,
)
from tests.integration.signoff_steps import audit


def signed_in(client) -> bool:
    return client.get("/cases").status_code == 200


def sign_out(client):
    client.submit("/logout", page="/cases")


def test_set_up_on_the_profile_then_sign_in_asks_for_the_code(client, world, clock, db_session):
    client.login(world.mentor)
    profile = client.get("/profile").get_data(as_text=True)
    assert "Signing in asks for your password only." in profile
    page = client.get("/profile/second-factor").get_data(as_text=True)
    assert "Set up an authenticator app" in page and "data-secret" not in page

    secret, _codes = enrol(client)
    [event] = audit(db_session, "second_factor_enrolled")
    assert event.entity_id == world.mentor.id and event.actor == world.mentor.email
    assert "Signing in and signing cases ask for a code" in client.get("/profile").get_data(
        as_text=True
    )
    sign_out(client)

    moment = at(clock, 2)
    response = password_step(client, world.mentor)
    assert response.status_code == 302 and response.headers["Location"] == "/login/code"
    assert not signed_in(client)  # the password alone signs nobody in
    response = code_step(client, code_at(secret, moment))
    assert response.status_code == 302 and response.headers["Location"] == "/"
    assert signed_in(client)


def test_the_next_page_is_kept_through_the_second_step(client, world, clock):
    client.login(world.mentor)
    secret, _codes = enrol(client)
    sign_out(client)
    moment = at(clock, 2)
    client.submit(
        "/login?next=/awaiting",
        {"email": world.mentor.email, "password": "correct horse battery", "next": "/awaiting"},
    )
    response = code_step(client, code_at(secret, moment))
    assert response.headers["Location"] == "/awaiting"


def test_the_secret_is_stored_encrypted_and_never_shown_after_set_up(client, world, db_session):
    client.login(world.mentor)
    secret, codes = enrol(client)
    factor = db_session.scalar(select(SecondFactor).where(SecondFactor.user_id == world.mentor.id))
    assert factor.confirmed_at is not None and secret not in factor.secret
    stored = [row.code_hash for row in db_session.scalars(select(RecoveryCode))]
    assert len(stored) == 10 and not set(codes) & set(stored)
    page = client.get("/profile/second-factor").get_data(as_text=True)
    assert secret not in page.replace(" ", "")
    assert "second-factor-qr" not in page and "Setup key:" not in page
    assert "10 recovery codes left." in page


def test_a_wrong_first_code_does_not_turn_it_on(client, world, db_session):
    client.login(world.mentor)
    client.submit("/profile/second-factor/start", page="/profile/second-factor")
    page = client.get("/profile/second-factor").get_data(as_text=True)
    assert "<svg" in page and "otpauth" not in page  # the URI is only in the QR code
    response = client.submit(
        "/profile/second-factor/confirm", {"code": "000000"}, page="/profile/second-factor"
    )
    assert "That code is not right." in response.get_data(as_text=True)
    factor = db_session.scalar(select(SecondFactor).where(SecondFactor.user_id == world.mentor.id))
    assert factor.confirmed_at is None
    sign_out(client)
    assert password_step(client, world.mentor).headers["Location"] == "/"  # no code asked


def test_a_wrong_code_is_refused_recorded_and_throttled(client, world, clock, db_session):
    client.login(world.mentor)
    secret, _codes = enrol(client)
    sign_out(client)
    moment = at(clock, 2)
    password_step(client, world.mentor)
    wrong = "000000" if code_at(secret, moment) != "000000" else "111111"
    for _ in range(5):
        response = code_step(client, wrong)
        assert response.status_code == 200
        assert "That code is not right." in response.get_data(as_text=True)
    assert not signed_in(client)
    refused = audit(db_session, "second_factor_refused")
    assert len(refused) == 5 and refused[0].reason == "wrong code"
    assert refused[0].entity_id == world.mentor.id

    response = code_step(client, code_at(secret, moment))  # right, but too many wrong ones
    assert "Too many wrong codes. Wait 15 minutes" in response.get_data(as_text=True)
    assert not signed_in(client)

    moment = at(clock, 20)
    password_step(client, world.mentor)
    code_step(client, code_at(secret, moment))
    assert signed_in(client)


def test_a_code_is_accepted_one_step_either_side_and_never_twice(client, world, clock, db_session):
    client.login(world.mentor)
    secret, _codes = enrol(client)
    sign_out(client)

    moment = at(clock, 10)
    password_step(client, world.mentor)
    response = code_step(client, code_at(secret, moment - timedelta(seconds=60)))
    assert "That code is not right." in response.get_data(as_text=True)  # two steps old
    code_step(client, code_at(secret, moment - timedelta(seconds=30)))  # one step old: fine
    assert signed_in(client)
    sign_out(client)

    password_step(client, world.mentor)
    response = code_step(client, code_at(secret, moment - timedelta(seconds=30)))
    page = response.get_data(as_text=True)
    assert "That code has been used already." in page and not signed_in(client)
    [event] = audit(db_session, "second_factor_refused")[-1:]
    assert event.reason == "code used before"
    code_step(client, code_at(secret, moment))  # the next step's code
    assert signed_in(client)


def test_a_recovery_code_signs_in_once(client, world, clock, db_session):
    client.login(world.mentor)
    _secret, codes = enrol(client)
    sign_out(client)
    at(clock, 2)
    password_step(client, world.mentor)
    code_step(client, codes[3].upper().replace("-", " "))  # typed any which way
    assert signed_in(client)
    [event] = audit(db_session, "recovery_code_used")
    assert event.entity_id == world.mentor.id and '"left":9' in event.after
    assert '"purpose":"sign-in"' in event.after
    sign_out(client)

    password_step(client, world.mentor)
    response = code_step(client, codes[3])
    assert "That code is not right." in response.get_data(as_text=True)
    assert not signed_in(client)
    assert audit(db_session, "second_factor_refused")[-1].reason == "wrong recovery code"


def test_the_code_step_runs_out(client, world, clock):
    client.login(world.mentor)
    secret, _codes = enrol(client)
    sign_out(client)
    at(clock, 2)
    password_step(client, world.mentor)
    moment = at(clock, 8)
    response = client.call("POST", "/login/code", {"code": code_at(secret, moment)})
    assert response.status_code == 302 and response.headers["Location"] == "/login"
    assert not signed_in(client)
    assert client.get("/login/code").headers["Location"] == "/login"


def test_turning_it_off_needs_the_password_and_a_code(client, world, clock, db_session):
    client.login(world.mentor)
    secret, _codes = enrol(client)
    moment = at(clock, 2)
    response = client.submit(
        "/profile/second-factor/off",
        {"password": "not mine", "code": code_at(secret, moment)},
        page="/profile/second-factor",
    )
    assert "That password is not right." in response.get_data(as_text=True)
    assert audit(db_session, "second_factor_refused")[-1].reason == "wrong password"
    response = client.submit(
        "/profile/second-factor/off",
        {"password": "correct horse battery", "code": "123 456"},
        page="/profile/second-factor",
    )
    assert db_session.scalar(select(SecondFactor.id)) is not None
    response = client.submit(
        "/profile/second-factor/off",
        {"password": "correct horse battery", "code": code_at(secret, moment)},
        page="/profile/second-factor",
    )
    assert response.status_code == 302
    assert db_session.scalar(select(SecondFactor.id)) is None
    assert db_session.scalar(select(RecoveryCode.id)) is None
    assert len(audit(db_session, "second_factor_disabled")) == 1
    sign_out(client)
    assert password_step(client, world.mentor).headers["Location"] == "/"
    assert signed_in(client)


def test_new_recovery_codes_replace_the_old_ones(client, world, clock, db_session):
    client.login(world.mentor)
    secret, old = enrol(client)
    moment = at(clock, 2)
    response = client.submit(
        "/profile/second-factor/recovery-codes",
        {"code": code_at(secret, moment)},
        page="/profile/second-factor",
    )
    new = response.get_data(as_text=True)
    assert "shown only this once" in new and not any(code in new for code in old)
    assert len(audit(db_session, "recovery_codes_renewed")) == 1
    sign_out(client)
    password_step(client, world.mentor)
    assert "That code is not right." in code_step(client, old[0]).get_data(as_text=True)


def test_without_a_factor_signing_in_is_one_step(client, world):
    response = password_step(client, world.trainee)
    assert response.headers["Location"] == "/"
    assert signed_in(client)
    assert client.get("/login/code").status_code == 302
    assert NOW  # the app's time is the tests' fixed time


def test_an_admin_removes_a_lost_factor_from_the_command_line(app, client, world, db_session):
    client.login(world.mentor)
    enrol(client)
    result = app.test_cli_runner().invoke(
        args=["second-factor", "remove", "Mentor@example.test", "--reason", "Phone lost, ticket 42"]
    )
    assert result.exit_code == 0, result.output
    assert db_session.scalar(select(SecondFactor.id)) is None
    [event] = audit(db_session, "second_factor_removed")
    assert event.entity_id == world.mentor.id and event.reason == "Phone lost, ticket 42"
    sign_out(client)
    assert password_step(client, world.mentor).headers["Location"] == "/"
