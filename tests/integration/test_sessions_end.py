"""Sessions that end: a session or remember cookie copied before an account's sign-in ends
is refused afterwards, however it ended; a change of admin rights shows on the next request."""

from datetime import timedelta

import pytest
from sqlalchemy import select

from caselog.models import AuditEvent, SignIn
from tests.clock import NOW
from tests.factories import PASSWORD
from tests.integration.account_steps import (
    assert_accepted,
    assert_refused,
    mailbox,
    sign_in_remembered,
)

NEW_PASSWORD = "theatre lights at dawn"


def sign_out(app, world, victim):
    victim.submit("/logout", page="/cases")


def change_own_password(app, world, victim):
    response = victim.submit(
        "/profile/password",
        {"current_password": PASSWORD, "new_password": NEW_PASSWORD, "confirm": NEW_PASSWORD},
    )
    assert response.headers["Location"] == "/profile"


def admin_resets_the_password(app, world, victim):
    admin = app.test_client()
    admin.login(world.admin)
    url = f"/admin/accounts/{world.trainee.id}"
    assert admin.submit(f"{url}/password", page=url).status_code == 302


def admin_deactivates_then_reactivates(app, world, victim):
    admin = app.test_client()
    admin.login(world.admin)
    url = f"/admin/accounts/{world.trainee.id}"
    admin.submit(f"{url}/deactivate", page=url)
    admin.submit(f"{url}/reactivate", page=url)  # back on: the old sign-ins stay ended
    assert world.trainee.active


def sign_out_everywhere(app, world, victim):
    response = victim.submit("/profile/sign-out-everywhere", page="/profile")
    assert response.headers["Location"] == "/login"


WAYS = [
    sign_out,
    change_own_password,
    admin_resets_the_password,
    admin_deactivates_then_reactivates,
    sign_out_everywhere,
]
ENDS_EVERY_SIGN_IN = WAYS[1:]


@pytest.fixture(autouse=True)
def outbox(app, monkeypatch):
    return mailbox(app, monkeypatch)


@pytest.mark.parametrize("way", WAYS, ids=lambda way: way.__name__)
def test_copied_cookies_are_refused_once_the_sign_in_ends(app, client, world, way):
    copied = sign_in_remembered(client, world.trainee)
    assert_accepted(app, copied)
    way(app, world, client)
    assert_refused(app, copied)


@pytest.mark.parametrize("way", ENDS_EVERY_SIGN_IN, ids=lambda way: way.__name__)
def test_every_other_device_is_signed_out_too(app, client, world, way):
    tablet = app.test_client()
    on_the_tablet = sign_in_remembered(tablet, world.trainee)
    sign_in_remembered(client, world.trainee)
    way(app, world, client)
    assert_refused(app, on_the_tablet)
    assert tablet.get("/cases").status_code == 302


def test_signing_out_of_one_browser_leaves_the_others_signed_in(app, client, world):
    tablet = app.test_client()
    on_the_tablet = sign_in_remembered(tablet, world.trainee)
    sign_in_remembered(client, world.trainee)
    sign_out(app, world, client)
    assert client.get("/cases").status_code == 302
    assert tablet.get("/cases").status_code == 200
    assert_accepted(app, on_the_tablet)


def test_changing_ones_password_keeps_this_browser_signed_in(app, client, world):
    sign_in_remembered(client, world.trainee)
    change_own_password(app, world, client)
    assert client.get("/cases").status_code == 200
    fresh = {name: client.get_cookie(name).value for name in ("session", "remember_token")}
    assert_accepted(app, fresh)  # the new cookies work, the copied ones (above) do not


def test_signing_out_everywhere_is_audited(client, world, db_session):
    client.login(world.trainee)
    client.application.test_client().login(world.trainee)  # and on a tablet
    sign_out_everywhere(None, world, client)
    event = db_session.scalar(
        select(AuditEvent).where(
            AuditEvent.entity == "user", AuditEvent.action == "signed_out_everywhere"
        )
    )
    assert (event.entity_id, event.actor_id, event.after) == (
        world.trainee.id,
        world.trainee.id,
        '{"sign_ins_ended":2}',
    )
    remaining = db_session.scalars(select(SignIn).where(SignIn.user_id == world.trainee.id))
    assert remaining.all() == []


def test_a_sign_in_lasts_at_most_as_long_as_the_remember_cookie(app, client, world, clock):
    copied = sign_in_remembered(client, world.trainee)
    clock.move_to(NOW + app.config["REMEMBER_COOKIE_DURATION"] - timedelta(minutes=1))
    assert client.get("/cases").status_code == 200
    clock.move_to(NOW + app.config["REMEMBER_COOKIE_DURATION"] + timedelta(minutes=1))
    assert client.get("/cases").status_code == 302
    assert_refused(app, copied)


def test_a_cookie_that_names_the_account_alone_is_refused(app, client, world):
    """Cookies from before sign-ins were kept name the account only: they sign in nobody."""
    with app.test_request_context():
        from flask_login.utils import encode_cookie

        old_style = encode_cookie(str(world.trainee.id))
    browser = app.test_client()
    browser.set_cookie("remember_token", old_style)
    assert browser.get("/cases").status_code == 302


def test_admin_rights_taken_away_are_gone_on_the_next_request(app, client, world, make):
    second = make.user("Second Admin", is_admin=True)
    client.login(second)
    assert client.get("/admin/").status_code == 200
    admin = app.test_client()
    admin.login(world.admin)
    url = f"/admin/accounts/{second.id}"
    admin.submit(url, {"full_name": second.full_name, "email": second.email})
    assert not second.is_admin
    assert client.get("/admin/").status_code == 403
    admin.submit(url, {"full_name": second.full_name, "email": second.email, "is_admin": "y"})
    assert client.get("/admin/").status_code == 200
