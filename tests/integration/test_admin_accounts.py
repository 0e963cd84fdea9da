"""Admins open, change, switch off and reset accounts; the list shows roles and pages."""

import pytest
from sqlalchemy import select

from caselog.auth.services import verify_password
from caselog.models import User
from tests.factories import PASSWORD
from tests.integration.account_steps import link_in, mailbox


@pytest.fixture
def outbox(app, monkeypatch):
    return mailbox(app, monkeypatch)


def test_open_an_account_mails_its_owner_a_link(client, world, db_session, outbox):
    client.login(world.admin)
    response = client.submit(
        "/admin/accounts/new",
        {"full_name": "Dr Sarnai", "email": "Sarnai@Example.test ", "password": ""},
    )
    assert response.status_code == 302
    user = db_session.scalar(select(User).where(User.email == "sarnai@example.test"))
    assert user.full_name == "Dr Sarnai" and not user.is_admin
    assert response.headers["Location"] == f"/admin/accounts/{user.id}"
    [message] = outbox
    assert message.to == ["sarnai@example.test"] and link_in(message)


def test_open_an_admin_account_with_a_chosen_password(client, world, db_session):
    client.login(world.admin)
    response = client.submit(
        "/admin/accounts/new",
        {
            "full_name": "Second Admin",
            "email": "admin2@example.test",
            "password": "ten chars!",
            "is_admin": "y",
        },
    )
    assert response.status_code == 302
    user = db_session.scalar(select(User).where(User.email == "admin2@example.test"))
    assert user.is_admin and verify_password(user, "ten chars!")
    assert user.must_change_password


def test_short_password_and_taken_email_are_refused(client, world, db_session):
    client.login(world.admin)
    html = client.submit(
        "/admin/accounts/new",
        {"full_name": "Shorty", "email": "short@example.test", "password": "nine char"},
    ).get_data(as_text=True)
    assert "A password needs at least 10 characters." in html
    html = client.submit(
        "/admin/accounts/new", {"full_name": "Copy", "email": world.mentor.email.upper()}
    ).get_data(as_text=True)
    assert "Another account already uses mentor@example.test." in html
    assert db_session.scalar(select(User).where(User.email == "short@example.test")) is None


def test_edit_an_account(client, world):
    client.login(world.admin)
    url = f"/admin/accounts/{world.mentor.id}"
    response = client.submit(
        url, {"full_name": "Dr Park Ji-hoon", "email": "park@example.test", "is_admin": "y"}
    )
    assert response.status_code == 302
    assert (world.mentor.full_name, world.mentor.email, world.mentor.is_admin) == (
        "Dr Park Ji-hoon",
        "park@example.test",
        True,
    )


def test_an_admin_cannot_drop_their_own_admin_rights(client, world):
    client.login(world.admin)
    url = f"/admin/accounts/{world.admin.id}"
    html = client.submit(url, {"full_name": "Admin", "email": world.admin.email}).get_data(
        as_text=True
    )
    assert "You cannot remove your own admin rights" in html
    assert world.admin.is_admin


def test_deactivate_and_reactivate(client, world):
    client.login(world.admin)
    url = f"/admin/accounts/{world.trainee.id}"
    response = client.submit(f"{url}/deactivate", page=url, follow_redirects=True)
    assert "Bat-Erdene Dorj can no longer sign in." in response.get_data(as_text=True)
    assert not world.trainee.active
    client.submit("/logout", page=url)
    response = client.submit("/login", {"email": world.trainee.email, "password": PASSWORD})
    assert response.status_code == 200  # refused: the form again, with its message
    client.login(world.admin)
    response = client.submit(f"{url}/reactivate", page=url, follow_redirects=True)
    assert "Bat-Erdene Dorj can sign in again." in response.get_data(as_text=True)
    assert world.trainee.active


def test_an_admin_cannot_deactivate_themselves(client, world):
    client.login(world.admin)
    url = f"/admin/accounts/{world.admin.id}"
    page = client.get(url).get_data(as_text=True)
    assert "Deactivate the account" not in page
    response = client.submit(f"{url}/deactivate", page=url, follow_redirects=True)
    assert "You cannot deactivate your own account." in response.get_data(as_text=True)
    assert world.admin.active


def test_reset_a_password(client, world, outbox):
    client.login(world.admin)
    url = f"/admin/accounts/{world.other_trainee.id}"
    response = client.submit(f"{url}/password", page=url)
    assert response.headers["Location"] == url
    assert not verify_password(world.other_trainee, PASSWORD)
    [message] = outbox
    assert message.to == [world.other_trainee.email] and link_in(message)


def test_account_list_shows_roles(client, world, make):
    other = make.program(sites=[world.busan], directors=[world.mentor], name="Master class X")
    make.enrol(world.mentor, other)  # a senior fellow: mentor in one, trainee... and director
    client.login(world.admin)
    html = client.get("/admin/accounts?q=park").get_data(as_text=True)
    row = html.split("Dr Mentor Park")[1].split("</tr>")[0]
    assert "Trainee:</span> Master class X" in row
    assert "Mentor:</span> Spine fellowship (test)" in row
    assert "Director:</span> Master class X" in row
    assert "Bat-Erdene" not in html  # filtered by the search


def test_account_list_search_by_email_and_paging(client, world, make):
    for n in range(30):
        make.user(f"Resident {n:02d}", email=f"resident{n:02d}@hospital.test")
    client.login(world.admin)
    html = client.get("/admin/accounts?q=hospital.test").get_data(as_text=True)
    assert "30 accounts" in html
    assert "Page 1 of 2" in html
    assert html.count('class="account-row') == 25
    html = client.get("/admin/accounts?q=hospital.test&page=2").get_data(as_text=True)
    assert html.count('class="account-row') == 5
    assert "Resident 29" in html


def test_account_list_queries_do_not_grow_with_accounts(
    client, world, make, count_queries, db_session
):
    client.login(world.admin)

    def measure() -> int:
        db_session.expire_all()
        with count_queries() as counter:
            assert client.get("/admin/accounts").status_code == 200
        return counter.count

    few = measure()  # the world's 6 accounts
    for n in range(15):
        person = make.user()
        program = world.program if n % 2 else make.program(sites=[world.seoul])
        make.enrol(person, program) if n % 3 else make.appoint(person, program)
    assert measure() == few
