"""Shared steps of the second-factor tests: set up an app through the profile page, and
compute its codes with pyotp at the tests' time (passed explicitly: the app's clock is
fixed, see tests/clock.py)."""

import re
from datetime import datetime, timedelta

import pyotp

from tests.clock import NOW
from tests.factories import PASSWORD

SECRET = re.compile(r"data-secret>([A-Z2-7 ]+)</code>")
RECOVERY = re.compile(r"<li><code>([a-z2-9]{5}-[a-z2-9]{5})</code></li>")


def code_at(secret: str, moment: datetime) -> str:
    """The code the app shows at that moment."""
    return pyotp.TOTP(secret).at(moment)


def at(clock, minutes: float) -> datetime:
    """Move the app's clock to `minutes` after NOW (at a step's start); that moment."""
    moment = NOW + timedelta(minutes=minutes)
    clock.move_to(moment)
    return moment


def enrol(client, clock=None) -> tuple[str, list[str]]:
    """Set up an authenticator app for the signed-in person, as they would on the profile
    page: start, read the key off the page, confirm with a code. (secret, recovery codes)."""
    client.submit("/profile/second-factor/start", page="/profile/second-factor")
    page = client.get("/profile/second-factor").get_data(as_text=True)
    secret = SECRET.search(page).group(1).replace(" ", "")
    response = client.submit(
        "/profile/second-factor/confirm",
        {"code": code_at(secret, NOW)},
        page="/profile/second-factor",
    )
    assert response.status_code == 200
    codes = RECOVERY.findall(response.get_data(as_text=True))
    assert len(codes) == 10
    return secret, codes


def password_step(client, user, password=PASSWORD):
    """The first step of signing in: e-mail and password."""
    return client.submit("/login", {"email": user.email, "password": password})


def code_step(client, code: str):
    """The second step of signing in: the code."""
    return client.submit("/login/code", {"code": code})


def sign_in_with_code(client, user, secret: str, moment: datetime):
    """Both steps, with the code the app shows at `moment`; the response to the code."""
    response = password_step(client, user)
    assert response.headers["Location"] == "/login/code"
    response = code_step(client, code_at(secret, moment))
    assert response.status_code == 302, response.get_data(as_text=True)[:3000]
    return response
