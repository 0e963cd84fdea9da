"""Throttled password guesses cannot be turned against a user: counted per account and
address pair and per address, with growing delays, refused with 429 and Retry-After; the
same at sign-in, at the bedside and for the signing password; trusted proxies only when set.
"""

from datetime import timedelta

import pytest
from sqlalchemy import select

from caselog import create_app
from caselog.auth import throttling
from caselog.errors import TooManyAttempts
from caselog.models import CaseStatus, LoginFailure
from tests.clock import NOW
from tests.conftest import TEST_CONFIG, FormClient
from tests.factories import PASSWORD
from tests.html import form_values
from tests.integration.signoff_steps import boxes, waiting

GUESSER = "203.0.113.66"  # an address guessing at other people's passwords
HOME = "198.51.100.7"  # where the real person is
TABLET = "198.51.100.20"  # a trainee's tablet in theatre


def sign_in(client, email, password=PASSWORD, address=HOME, **kwargs):
    return client.submit(
        "/login",
        {"email": email, "password": password},
        environ_base={"REMOTE_ADDR": address},
        **kwargs,
    )


def signed_in(app, user, address=HOME):
    client = app.test_client()
    assert sign_in(client, user.email, address=address).status_code == 302
    return client


def guess(client, email, times, address=GUESSER, clock=None):
    """`times` wrong passwords sent one after another at once (the clock held at NOW)."""
    answers = []
    for n in range(times):
        if clock:
            clock.move_to(NOW)
        answers.append(sign_in(client, email, f"guess {n}", address).status_code)
    return answers


def retry_after(response) -> int:
    assert response.status_code == 429
    return int(response.headers["Retry-After"])


def failures(db_session, **where):
    query = select(LoginFailure).filter_by(**where).order_by(LoginFailure.id)
    return list(db_session.scalars(query))


# Sign-in -------------------------------------------------------------------------------------


def test_guessing_from_one_address_never_stops_the_user_at_another(app, world, clock):
    guesser = app.test_client()
    answers = guess(guesser, world.mentor.email, 30, clock=clock)
    free = app.config["LOGIN_FREE_FAILURES_PER_PAIR"]
    assert answers[:free] == [200] * free and set(answers[free:]) == {429}
    # at the guessing address even the right password is refused, without being checked
    assert sign_in(guesser, world.mentor.email, address=GUESSER).status_code == 429
    # the mentor, at their own address, signs in as ever
    assert sign_in(app.test_client(), world.mentor.email, address=HOME).status_code == 302


def test_a_refusal_is_429_with_retry_after_and_the_form_saying_when(app, world, clock):
    client = app.test_client()
    guess(client, world.trainee.email, app.config["LOGIN_FREE_FAILURES_PER_PAIR"], clock=clock)
    response = sign_in(client, world.trainee.email, address=GUESSER)
    wait = retry_after(response)
    assert 25 <= wait <= 30
    page = response.get_data(as_text=True)
    assert f"Too many failed attempts. Try again in {wait} seconds." in page
    assert 'id="password-error"' in page  # on the password field, in the form shown again
    assert form_values(page)["email"] == [world.trainee.email]
    assert form_values(page)["password"] == [""]
    # once the wait is over, the password is checked again
    clock.move_to(NOW + timedelta(seconds=30))
    assert sign_in(client, world.trainee.email, address=GUESSER).status_code == 302


def test_each_further_failure_doubles_the_wait_up_to_the_longest(app, world, clock):
    client = app.test_client()
    guess(client, world.trainee.email, app.config["LOGIN_FREE_FAILURES_PER_PAIR"], clock=clock)
    waits, last = [], None
    for n in range(7):
        last = sign_in(client, world.trainee.email, "again", GUESSER)
        waits.append(retry_after(last))
        clock.move_to(clock() + timedelta(seconds=waits[-1]))
        assert sign_in(client, world.trainee.email, f"wrong {n}", GUESSER).status_code == 200
    expected = [30, 60, 120, 240, 480, 900, 900]
    assert all(want - 5 <= got <= want for got, want in zip(waits, expected, strict=True)), waits
    assert "Try again in 15 minutes." in last.get_data(as_text=True)


def test_the_delays_double_from_the_first_to_the_longest():
    first, longest = timedelta(seconds=30), timedelta(minutes=15)
    assert [throttling.delay(n, 3, first, longest).total_seconds() for n in range(11)] == [
        0,
        0,
        0,
        30,
        60,
        120,
        240,
        480,
        900,
        900,
        900,
    ]
    assert throttling.delay(10**6, 3, first, longest) == longest


def test_an_address_guessing_at_many_accounts_waits_for_all_of_them(app, world, clock):
    guesser = app.test_client()
    for n in range(app.config["LOGIN_FREE_FAILURES_PER_ADDRESS"]):
        clock.move_to(NOW)
        assert sign_in(guesser, f"person{n}@example.test", "guess", GUESSER).status_code == 200
    assert sign_in(guesser, world.trainee.email, address=GUESSER).status_code == 429
    assert sign_in(app.test_client(), world.trainee.email, address=HOME).status_code == 302


def test_signing_in_forgets_this_address_failures_only(app, world, db_session, clock):
    guess(app.test_client(), world.trainee.email, 2, GUESSER, clock=clock)
    guess(app.test_client(), world.trainee.email, 2, HOME, clock=clock)
    assert sign_in(app.test_client(), world.trainee.email, address=HOME).status_code == 302
    left = failures(db_session, email=world.trainee.email)
    assert [failure.address for failure in left] == [GUESSER, GUESSER]


def test_guesses_from_many_addresses_slow_each_one_but_never_a_clean_one(
    app, world, clock, monkeypatch
):
    monkeypatch.setitem(app.config, "LOGIN_ACCOUNT_CEILING", 6)
    for n in range(6):
        guess(app.test_client(), world.mentor.email, 1, f"203.0.113.{n}", clock=clock)
    # past the ceiling, an address that fails for the account once waits the longest delay
    newcomer = app.test_client()
    assert guess(newcomer, world.mentor.email, 1, "203.0.113.50", clock=clock) == [200]
    refused = sign_in(newcomer, world.mentor.email, address="203.0.113.50")
    assert 895 <= retry_after(refused) <= 900
    # an address that has not been failing is not slowed at all
    assert sign_in(app.test_client(), world.mentor.email, address=HOME).status_code == 302


def test_guesses_sent_together_are_counted_one_after_another(app, world, db_session):
    """Each attempt checks the wait again when it writes its outcome, after the slow hash:
    guesses that all passed the first check together cannot all be counted as allowed."""
    email = world.trainee.email
    with app.test_request_context():
        for _n in range(app.config["LOGIN_FREE_FAILURES_PER_PAIR"]):
            throttling.record_failure(email, GUESSER, now=NOW)
        with pytest.raises(TooManyAttempts):
            throttling.record_failure(email, GUESSER, now=NOW)
        with pytest.raises(TooManyAttempts):
            throttling.admit(email, GUESSER, now=NOW)
        throttling.admit(email, HOME, now=NOW)
    assert len(failures(db_session, email=email)) == 3


# Trusted proxies ----------------------------------------------------------------------------


@pytest.fixture
def behind_proxies(app):
    """`behind_proxies(n)`: the app as configured behind n trusted proxies (same database)."""

    def build(count: int):
        proxied = create_app(
            {
                **TEST_CONFIG,
                "SQLALCHEMY_DATABASE_URI": app.config["SQLALCHEMY_DATABASE_URI"],
                "TRUSTED_PROXIES": count,
            }
        )
        proxied.test_client_class = FormClient
        return proxied

    return build


PROXY = "10.0.0.2"  # the reverse proxy: every request arrives from it


def test_forwarded_addresses_are_ignored_without_trusted_proxies(app, world, clock, db_session):
    assert app.config["TRUSTED_PROXIES"] == 0
    client = app.test_client()
    for n in range(3):  # a guesser claiming a new address each time is still one address
        clock.move_to(NOW)
        forwarded = {"X-Forwarded-For": f"192.0.2.{n}"}
        sign_in(client, world.trainee.email, "guess", PROXY, headers=forwarded)
    forwarded = {"X-Forwarded-For": HOME}
    assert sign_in(client, world.trainee.email, headers=forwarded, address=PROXY).status_code == 429
    assert {failure.address for failure in failures(db_session)} == {PROXY}


def test_behind_a_trusted_proxy_each_client_is_its_forwarded_address(
    app, behind_proxies, world, clock, db_session
):
    proxied = behind_proxies(1)
    guesser = proxied.test_client()
    for n in range(5):
        clock.move_to(NOW)
        # the guesser claims the mentor's address; the proxy appends the one it saw
        forwarded = {"X-Forwarded-For": f"{HOME}, {GUESSER}"}
        sign_in(guesser, world.mentor.email, f"guess {n}", PROXY, headers=forwarded)
    assert {failure.address for failure in failures(db_session)} == {GUESSER}
    forwarded = {"X-Forwarded-For": GUESSER}
    refused = sign_in(guesser, world.mentor.email, address=PROXY, headers=forwarded)
    assert refused.status_code == 429
    # the mentor comes through the same proxy, from their own address
    mentor = proxied.test_client()
    forwarded = {"X-Forwarded-For": HOME}
    assert sign_in(mentor, world.mentor.email, address=PROXY, headers=forwarded).status_code == 302
    # and the scheme is the one the proxy was asked in
    forwarded = {"X-Forwarded-For": HOME, "X-Forwarded-Proto": "https"}
    page = proxied.test_client().get(
        "/login", headers=forwarded, environ_base={"REMOTE_ADDR": PROXY}
    )
    assert "Strict-Transport-Security" in page.headers
    assert (
        "Strict-Transport-Security"
        not in app.test_client().get("/login", headers=forwarded).headers
    )


# Bedside sign-off and the signing password ---------------------------------------------------


def bedside_post(client, case, address=TABLET, **data):
    url = f"/cases/{case.id}/bedside"
    fields = {"fingerprint": form_values(client.get(url).get_data(as_text=True))["fingerprint"][0]}
    return client.submit(url, {**fields, **data}, environ_base={"REMOTE_ADDR": address})


def review_post(client, case, password=PASSWORD, address=HOME):
    page = client.get(f"/cases/{case.id}/review").get_data(as_text=True)
    fields = {"fingerprint": form_values(page)["fingerprint"][0], "password": password}
    return client.submit(
        f"/cases/{case.id}/sign",
        fields,
        page=f"/cases/{case.id}/review",
        environ_base={"REMOTE_ADDR": address},
    )


def batch_post(client, password=PASSWORD, address=HOME):
    ticked = list(boxes(client.get("/awaiting").get_data(as_text=True)).values())
    data = {"cases": ticked, "password": password}
    return client.submit(
        "/awaiting/sign", data, page="/awaiting", environ_base={"REMOTE_ADDR": address}
    )


def test_guessing_at_a_mentor_on_a_tablet_leaves_them_signing_everywhere_else(
    app, world, make, clock
):
    case, other = waiting(world, make, days=2), waiting(world, make, days=1)
    tablet = signed_in(app, world.trainee, TABLET)
    answers = []
    for n in range(6):
        clock.move_to(NOW)
        answers.append(bedside_post(tablet, case, email=world.mentor.email, password=f"guess {n}"))
    free = app.config["LOGIN_FREE_FAILURES_PER_PAIR"]
    assert [answer.status_code for answer in answers] == [200] * free + [429] * (6 - free)
    page = answers[-1].get_data(as_text=True)
    assert "Nothing was signed. Too many failed attempts. Try again in" in page
    assert answers[-1].headers["Retry-After"] and form_values(page)["email"] == [""]
    assert case.status is CaseStatus.SUBMITTED

    # at another tablet the mentor signs at the bedside; from their own device, by review
    other_tablet = signed_in(app, world.trainee, "198.51.100.21")
    signed = bedside_post(
        other_tablet, case, "198.51.100.21", email=world.mentor.email, password=PASSWORD
    )
    assert signed.status_code == 302 and case.status is CaseStatus.APPROVED
    mentor = signed_in(app, world.mentor, HOME)
    assert review_post(mentor, other).status_code == 302
    assert other.status is CaseStatus.APPROVED


def test_guessing_at_a_mentor_elsewhere_leaves_their_signing_password_working(
    app, world, make, clock
):
    single, first, second = (waiting(world, make, days=n) for n in (3, 2, 1))
    mentor = signed_in(app, world.mentor, HOME)
    guess(app.test_client(), world.mentor.email, 20, GUESSER, clock=clock)
    assert review_post(mentor, single).status_code == 302
    assert batch_post(mentor).status_code == 302
    assert all(case.status is CaseStatus.APPROVED for case in (single, first, second))


def test_wrong_signing_passwords_wait_like_sign_in_with_429(app, world, make, clock):
    case = waiting(world, make)
    mentor = signed_in(app, world.mentor, HOME)
    free = app.config["LOGIN_FREE_FAILURES_PER_PAIR"]
    for _n in range(free):
        clock.move_to(NOW)
        assert review_post(mentor, case, "not mine").status_code == 200
    refused = review_post(mentor, case)
    assert 25 <= retry_after(refused) <= 30
    page = refused.get_data(as_text=True)
    assert "Nothing was signed. Too many failed attempts. Try again in" in page
    assert 'name="fingerprint"' in page  # the review page, to sign once the wait is over
    assert batch_post(mentor).status_code == 429  # the batch too, from this address
    assert case.status is CaseStatus.SUBMITTED

    clock.move_to(NOW + timedelta(seconds=31))
    assert review_post(mentor, case).status_code == 302
    assert case.status is CaseStatus.APPROVED
