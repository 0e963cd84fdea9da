"""Sign-in, sign-out and the password-link page, walked as each role: the sign-in page and a
link are for anyone holding them, signing out for whoever is signed in."""

import pytest

from caselog.auth import links
from caselog.models import LinkPurpose
from tests.clock import NOW
from tests.integration.account_steps import link_in, mailbox

ROLES = ["anonymous", "trainee", "mentor", "director", "other_director", "admin"]

AUTH_ROUTES = {"auth.login", "auth.logout", "auth.set_password"}


def test_every_auth_route_is_walked(app):
    endpoints = {
        rule.endpoint for rule in app.url_map.iter_rules() if rule.endpoint.startswith("auth.")
    }
    assert endpoints == AUTH_ROUTES


@pytest.fixture
def link_path(app, world, monkeypatch):
    """A fresh link for the other trainee's account, as its mail would carry it."""
    outbox = mailbox(app, monkeypatch)
    with app.test_request_context():
        links.send(world.other_trainee, LinkPurpose.RESET, now=NOW)
    return link_in(outbox[0])


@pytest.mark.parametrize("role", ROLES)
def test_auth_routes_by_role(client, world, people, link_path, role):
    person = world.mentor if role == "mentor" else people[role]
    if person is not None:
        client.login(person)
    response = client.get("/login")
    assert response.status_code == (200 if person is None else 302)
    assert client.get(link_path).status_code == 200  # whoever holds the link
    assert client.get("/password/unknown-token").status_code == 404
    response = client.call("POST", "/logout")
    assert response.status_code == 302
    if person is None:
        assert response.headers["Location"].startswith("/login?next=")
    else:
        assert response.headers["Location"] == "/login"
        assert client.get("/cases").status_code == 302
