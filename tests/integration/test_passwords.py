"""Self-service passwords: people change their own, set it by a mailed one-time link when an
account is opened or reset (nobody is shown a password), and change one that someone else
chose before they do anything else."""

import smtplib
from datetime import timedelta

import pytest
from flask_babel import force_locale, gettext
from sqlalchemy import select

from caselog.auth.services import verify_password
from caselog.models import AuditEvent, PasswordLink, User
from tests.clock import NOW
from tests.factories import PASSWORD
from tests.integration.account_steps import link_in, mailbox

NEW_PASSWORD = "theatre lights at dawn"


@pytest.fixture
def outbox(app, monkeypatch):
    return mailbox(app, monkeypatch)


def events(db_session, action):
    return list(
        db_session.scalars(
            select(AuditEvent)
            .where(AuditEvent.entity == "user", AuditEvent.action == action)
            .order_by(AuditEvent.seq)
        )
    )


def change(client, current=PASSWORD, new=NEW_PASSWORD, confirm=None):
    return client.submit(
        "/profile/password",
        {"current_password": current, "new_password": new, "confirm": confirm or new},
    )


def set_by_link(client, path, password=NEW_PASSWORD):
    return client.submit(path, {"new_password": password, "confirm": password})


# Changing one's own password -----------------------------------------------------------


def test_change_your_own_password_from_the_profile(client, world, db_session):
    client.login(world.trainee)
    assert 'href="/profile/password"' in client.get("/profile").get_data(as_text=True)
    response = change(client)
    assert response.headers["Location"] == "/profile"
    page = client.get("/profile").get_data(as_text=True)
    assert "Your password is changed." in page
    assert verify_password(world.trainee, NEW_PASSWORD)
    assert not verify_password(world.trainee, PASSWORD)
    [event] = events(db_session, "password_changed")
    assert (event.entity_id, event.actor_id) == (world.trainee.id, world.trainee.id)
    client.submit("/logout", page="/cases")
    client.login(world.trainee, NEW_PASSWORD)


@pytest.mark.parametrize(
    ("current", "new", "confirm", "message"),
    [
        ("not my password", NEW_PASSWORD, None, "Your current password is not right."),
        (PASSWORD, "short one", None, "A password needs at least 10 characters."),
        (PASSWORD, "password1234", None, "This password is too easy to guess"),
        (PASSWORD, "qwertyuiop", None, "This password is too easy to guess"),
        (PASSWORD, "bat-erdene dorj", None, "This password is too easy to guess"),  # own name
        (PASSWORD, PASSWORD, None, "different from the current one"),
        (PASSWORD, NEW_PASSWORD, "theatre lights at dusk", "Type the same new password twice."),
    ],
)
def test_a_password_change_is_refused_with_the_reason(
    client, world, db_session, current, new, confirm, message
):
    client.login(world.trainee)
    response = change(client, current, new, confirm)
    assert response.status_code == 200
    assert message in response.get_data(as_text=True)
    assert verify_password(world.trainee, PASSWORD)
    assert events(db_session, "password_changed") == []


# A password someone else chose -------------------------------------------------------


def test_a_typed_initial_password_must_be_changed_before_anything_else(client, world):
    admin = client.application.test_client()
    admin.login(world.admin)
    response = admin.submit(
        "/admin/accounts/new",
        {"full_name": "Dr Sarnai", "email": "sarnai@example.test", "password": "Typed by admin 1"},
    )
    assert response.status_code == 302
    sarnai = User.query.filter_by(email="sarnai@example.test").one()
    assert sarnai.must_change_password
    client.login(sarnai, "Typed by admin 1")
    for url in ("/", "/cases", "/profile", "/cases/new", "/admin/"):
        response = client.get(url)
        assert response.headers["Location"] == "/profile/password", url
    page = client.get("/profile/password").get_data(as_text=True)
    assert "Your password was chosen by someone else." in page
    assert client.call("POST", "/cases/new").headers["Location"] == "/profile/password"
    change(client, "Typed by admin 1")
    assert not sarnai.must_change_password
    assert client.get("/cases").status_code == 200


# Links: a new account, an admin's reset ---------------------------------------------


def test_a_new_account_gets_a_link_not_a_password_on_screen(client, world, db_session, outbox):
    client.login(world.admin)
    response = client.submit(
        "/admin/accounts/new", {"full_name": "Dr Sarnai", "email": "Sarnai@Example.test "}
    )
    assert response.status_code == 302
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "A link to set a password was mailed to Dr Sarnai." in page
    sarnai = db_session.scalar(select(User).where(User.email == "sarnai@example.test"))
    assert not sarnai.must_change_password
    [message] = outbox
    assert message.to == ["sarnai@example.test"]
    assert message.subject == "Your Caselog account"
    assert "A Caselog account has been opened for you" in message.body
    assert message.body.count("http://127.0.0.1:5000/password/") == 1
    path = link_in(message)
    assert path.removeprefix("/password/") not in page  # the link is in the mail only
    [link] = db_session.scalars(select(PasswordLink).where(PasswordLink.user_id == sarnai.id))
    assert link.token_hash != path.removeprefix("/password/")  # kept as a hash
    assert link.expires_at == link.created_at + timedelta(hours=48)

    owner = client.application.test_client()
    form = owner.get(path)
    assert form.status_code == 200 and form.headers["Cache-Control"] == "no-store"
    assert "sarnai@example.test" in form.get_data(as_text=True)
    response = set_by_link(owner, path)
    assert response.headers["Location"] == "/login"
    owner.login(sarnai, NEW_PASSWORD)
    assert owner.get("/cases").status_code == 200
    [sent] = events(db_session, "password_link_sent")
    assert (sent.entity_id, sent.actor_id) == (sarnai.id, world.admin.id)
    assert '"purpose":"welcome"' in sent.after
    [used] = events(db_session, "password_set_by_link")
    assert (used.entity_id, used.actor_id) == (sarnai.id, sarnai.id)


def test_a_link_works_once(client, world, outbox):
    client.login(world.admin)
    client.submit("/admin/accounts/new", {"full_name": "Dr Once", "email": "once@example.test"})
    path = link_in(outbox[0])
    visitor = client.application.test_client()
    assert visitor.get(path).status_code == 200  # looking does not use it up
    assert set_by_link(visitor, path).status_code == 302
    again = visitor.get(path)
    assert again.status_code == 404
    assert "This link has expired or has already been used." in again.get_data(as_text=True)
    assert set_by_link(visitor, path, "another good passphrase").status_code == 404
    once = User.query.filter_by(email="once@example.test").one()
    assert verify_password(once, NEW_PASSWORD)


def test_a_link_expires_after_48_hours(client, world, clock, outbox):
    client.login(world.admin)
    client.submit("/admin/accounts/new", {"full_name": "Dr Late", "email": "late@example.test"})
    path = link_in(outbox[0])
    visitor = client.application.test_client()
    clock.move_to(NOW + timedelta(hours=47, minutes=59))
    assert visitor.get(path).status_code == 200
    clock.move_to(NOW + timedelta(hours=48, minutes=1))
    assert visitor.get(path).status_code == 404
    assert set_by_link(visitor, path).status_code == 404


def test_an_unknown_link_answers_404(client):
    assert client.get("/password/not-a-token").status_code == 404


def test_the_password_set_by_link_is_checked_too(client, world, outbox):
    client.login(world.admin)
    client.submit("/admin/accounts/new", {"full_name": "Dr Weak", "email": "weak@example.test"})
    path = link_in(outbox[0])
    response = set_by_link(client.application.test_client(), path, "iloveyou12")
    assert response.status_code == 200
    assert "This password is too easy to guess" in response.get_data(as_text=True)


def test_an_admin_reset_mails_a_link_and_ends_the_old_password(client, world, db_session, outbox):
    world.other_trainee.locale = "ru"
    db_session.flush()
    client.login(world.admin)
    url = f"/admin/accounts/{world.other_trainee.id}"
    response = client.submit(f"{url}/password", page=url)
    assert response.status_code == 302
    page = client.get(url).get_data(as_text=True)
    assert "data-new-password" not in page
    assert f"A link to set a password was mailed to {world.other_trainee.full_name}." in page
    assert not verify_password(world.other_trainee, PASSWORD)
    [message] = outbox
    assert message.to == [world.other_trainee.email]
    with client.application.test_request_context(), force_locale("ru"):
        assert message.subject == gettext("Your Caselog password was reset")  # the owner's
    [reset] = events(db_session, "password_reset")
    assert reset.actor_id == world.admin.id
    owner = client.application.test_client()
    assert set_by_link(owner, link_in(message)).status_code == 302
    owner.login(world.other_trainee, NEW_PASSWORD)


def test_a_newer_link_replaces_the_older_one(client, world, outbox):
    client.login(world.admin)
    url = f"/admin/accounts/{world.other_trainee.id}"
    client.submit(f"{url}/password", page=url)
    client.submit(f"{url}/password", page=url)
    first, second = (link_in(message) for message in outbox)
    visitor = client.application.test_client()
    assert visitor.get(first).status_code == 404
    assert visitor.get(second).status_code == 200


def test_a_deactivated_account_cannot_use_its_link(client, world, outbox):
    client.login(world.admin)
    url = f"/admin/accounts/{world.other_trainee.id}"
    client.submit(f"{url}/password", page=url)
    client.submit(f"{url}/deactivate", page=url)
    assert client.application.test_client().get(link_in(outbox[0])).status_code == 404


def test_a_mail_that_cannot_go_keeps_nothing(client, world, db_session, monkeypatch):
    class Refusing:
        def __init__(self, *args, **kwargs):
            raise ConnectionRefusedError(111, "Connection refused")

    monkeypatch.setattr(smtplib, "SMTP", Refusing)
    monkeypatch.setattr(client.application.extensions["mailman"], "backend", "smtp")
    client.login(world.admin)
    url = f"/admin/accounts/{world.other_trainee.id}"
    page = client.submit(f"{url}/password", page=url, follow_redirects=True)
    assert "could not be sent" in page.get_data(as_text=True)
    assert verify_password(world.other_trainee, PASSWORD)  # the reset did not happen
    assert events(db_session, "password_reset") == []
    assert events(db_session, "password_link_sent") == []
    response = client.submit(
        "/admin/accounts/new", {"full_name": "Dr Nomail", "email": "nomail@example.test"}
    )
    assert "could not be sent" in response.get_data(as_text=True)
    assert db_session.scalar(select(User).where(User.email == "nomail@example.test")) is None


def test_without_a_mail_server_the_link_is_printed(client, world, capsys):
    client.login(world.admin)
    client.submit("/admin/accounts/new", {"full_name": "Dr Print", "email": "print@example.test"})
    printed = capsys.readouterr().out
    assert "To: print@example.test" in printed
    assert "/password/" in printed


def test_enrolling_a_new_person_mails_them_a_link(client, world, db_session, outbox):
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
    assert response.status_code == 302
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "A link to set a password was mailed to Enkh Bayar." in page
    [message] = outbox
    assert message.to == ["new.fellow@example.test"]
    [sent] = events(db_session, "password_link_sent")
    assert sent.actor_id == world.director.id


def test_create_admin_goes_through_the_account_rules(app, db_session):
    runner = app.test_cli_runner()
    weak = runner.invoke(
        args=["create-admin", "weak@example.test", "Weak Admin"], input="password123\n" * 2
    )
    assert weak.exit_code == 1
    assert "too easy to guess" in weak.output
    assert db_session.scalar(select(User).where(User.email == "weak@example.test")) is None
    strong = runner.invoke(
        args=["create-admin", "Strong@Example.test", "Strong Admin"], input=f"{PASSWORD}\n" * 2
    )
    assert strong.exit_code == 0, strong.output
    admin = db_session.scalar(select(User).where(User.email == "strong@example.test"))
    assert admin.is_admin and not admin.must_change_password  # they typed it themselves
    taken = runner.invoke(
        args=["create-admin", "strong@example.test", "Again"], input=f"{PASSWORD}\n" * 2
    )
    assert taken.exit_code == 1
    assert "Another account already uses strong@example.test." in taken.output
