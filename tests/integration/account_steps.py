"""Shared steps of the account tests: cookies captured and replayed, mail caught, links read."""

import re

from caselog.auth import links
from tests.factories import PASSWORD

COOKIES = ("session", "remember_token")


def sign_in_remembered(client, user, password: str = PASSWORD) -> dict[str, str]:
    """Sign in with "keep me signed in" and return the two cookies, as a thief would copy them."""
    response = client.submit("/login", {"email": user.email, "password": password, "remember": "y"})
    assert response.status_code == 302, "sign-in failed"
    return {name: client.get_cookie(name).value for name in COOKIES}


def replay(app, name: str, value: str):
    """A request from another browser carrying only this one copied cookie."""
    thief = app.test_client()
    thief.set_cookie(name, value)
    return thief.get("/cases")


def assert_accepted(app, cookies: dict[str, str]) -> None:
    for name, value in cookies.items():
        assert replay(app, name, value).status_code == 200, name


def assert_refused(app, cookies: dict[str, str]) -> None:
    """Each copied cookie, alone, is sent to sign in like a visitor's."""
    for name, value in cookies.items():
        response = replay(app, name, value)
        assert response.status_code == 302, name
        assert response.headers["Location"].startswith("/login?next="), name


def mailbox(app, monkeypatch) -> list:
    """Mail kept in a list instead of printed (Flask-Mailman's in-memory backend)."""
    state = app.extensions["mailman"]
    monkeypatch.setattr(state, "backend", "locmem")
    monkeypatch.setattr(state, "outbox", [], raising=False)
    return state.outbox


def link_in(message) -> str:
    """The path of the password link a mail carries."""
    match = re.search(re.escape(links.PATH) + r"[A-Za-z0-9_-]+", message.body)
    assert match, message.body
    return match.group(0)
