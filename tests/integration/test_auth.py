"""Signing in and out: passwords, safe redirects, cookies, CSRF, headers (throttling:
test_throttling.py)."""

from urllib.parse import quote

import pytest
from sqlalchemy import select

from caselog.models import User
from tests.factories import PASSWORD


def sign_in(client, email, password=PASSWORD, next_=None):
    url = "/login" + (f"?next={quote(next_, safe='')}" if next_ is not None else "")
    return client.submit(url, {"email": email, "password": password, "next": next_ or ""})


def test_passwords_are_hashed_with_argon2(make):
    user = make.user()
    assert user.password_hash.startswith("$argon2id$")


def test_sign_in_and_out(client, world):
    response = sign_in(client, "  TRAINEE@example.test ")
    assert response.status_code == 302
    assert response.headers["Location"] == "/"
    assert client.get("/cases").status_code == 200
    response = client.submit("/logout", page="/cases")
    assert response.status_code == 302
    assert client.get("/cases").status_code == 302


def test_wrong_password_says_so_without_telling_which(client, world):
    wrong = sign_in(client, world.trainee.email, "nope")
    unknown = sign_in(client, "nobody@example.test", "nope")
    for response in (wrong, unknown):
        assert response.status_code == 200
        assert "The e-mail address or password is not right." in response.get_data(as_text=True)


def test_inactive_account_cannot_sign_in(client, make):
    user = make.user(active=False)
    assert sign_in(client, user.email).status_code == 200


def test_anonymous_is_sent_to_sign_in(client):
    for url in ("/", "/cases", "/cases/new", "/cases/1", "/cases/1/edit"):
        response = client.get(url)
        assert response.status_code == 302
        assert response.headers["Location"].startswith("/login?next=")


@pytest.mark.parametrize(
    "target",
    [
        "//evil.example",
        "https://evil.example/",
        "/\\evil.example",
        "\\/evil.example",
        "//evil.example/%2F..",
        "http:/evil.example",
        "\t//evil.example",
        "/\t/evil.example",
    ],
)
def test_next_outside_the_app_lands_inside(client, world, target):
    response = sign_in(client, world.trainee.email, next_=target)
    assert response.status_code == 302
    location = response.headers["Location"]
    assert location == "/", location


def test_next_inside_the_app_is_followed(client, world):
    response = sign_in(client, world.trainee.email, next_="/cases?status=draft")
    assert response.headers["Location"] == "/cases?status=draft"


def test_already_signed_in_with_evil_next_stays_inside(client, world):
    client.login(world.trainee)
    response = client.get("/login?next=//evil.example")
    assert response.headers["Location"] == "/"


def test_post_without_csrf_token_is_refused(client, world):
    response = client.post("/login", data={"email": world.trainee.email, "password": PASSWORD})
    assert response.status_code == 400
    client.login(world.trainee)
    response = client.post("/cases/new", data={"involvement": "O"})
    assert response.status_code == 400
    assert "security token" in response.get_data(as_text=True)
    response = client.post("/logout")
    assert response.status_code == 400


def test_cookies_are_secure_httponly_samesite(client, world):
    response = client.submit(
        "/login", {"email": world.trainee.email, "password": PASSWORD, "remember": "y"}
    )
    cookies = response.headers.getlist("Set-Cookie")
    assert {c.split("=")[0] for c in cookies} >= {"session", "remember_token"}
    for cookie in cookies:
        assert "Secure" in cookie and "HttpOnly" in cookie and "SameSite=Lax" in cookie


def test_security_headers(client, world):
    anonymous = client.get("/login")
    csp = anonymous.headers["Content-Security-Policy"]
    assert "script-src 'self'" in csp and "unsafe-inline" not in csp
    assert "frame-ancestors 'none'" in csp
    assert anonymous.headers["X-Content-Type-Options"] == "nosniff"
    assert anonymous.headers["X-Frame-Options"] == "DENY"
    client.login(world.trainee)
    assert client.get("/cases").headers["Cache-Control"] == "no-store"


def test_pages_have_no_inline_script(client, world):
    client.login(world.trainee)
    for url in ("/login", "/cases", "/cases/new"):
        html = client.get(url).get_data(as_text=True)
        assert "<script>" not in html and " onclick=" not in html and 'style="' not in html


@pytest.mark.parametrize("key", ["SECRET_KEY", "SIGNATURE_KEY"])
def test_default_keys_refused_outside_debug(tmp_path, monkeypatch, key):
    from caselog import create_app

    monkeypatch.setenv("CASELOG_INSTANCE_PATH", str(tmp_path))
    for name in ("SECRET_KEY", "SIGNATURE_KEY"):
        if name != key:
            monkeypatch.setenv(f"CASELOG_{name}", '"set"')
    with pytest.raises(RuntimeError, match=f"default {key}"):
        create_app()
    monkeypatch.setenv(f"CASELOG_{key}", '"from-the-environment"')
    assert create_app().config[key] == "from-the-environment"


def test_user_count_unchanged_by_failed_attempts(client, world, db_session):
    before = db_session.scalars(select(User)).all()
    sign_in(client, "new@example.test", "x")
    assert db_session.scalars(select(User)).all() == before


def test_an_install_hashes_new_passwords_with_rfc_9106_parameters(
    app, db_session, tmp_path, monkeypatch
):
    """An install with no setting of its own stores argon2id hashes with RFC 9106's
    low-memory parameters (the tests' app hashes cheaply, so it borrows the install's)."""
    from argon2 import Type, extract_parameters, profiles

    from caselog import create_app

    monkeypatch.setenv("CASELOG_INSTANCE_PATH", str(tmp_path))
    for name in ("SECRET_KEY", "SIGNATURE_KEY"):
        monkeypatch.setenv(f"CASELOG_{name}", '"set"')
    install = create_app().config["PASSWORD_HASH_PROFILE"]
    monkeypatch.setitem(app.config, "PASSWORD_HASH_PROFILE", install)

    result = app.test_cli_runner().invoke(
        args=["create-admin", "New.Admin@example.test", "New Admin"],
        input=f"{PASSWORD}\n{PASSWORD}\n",
    )
    assert result.exit_code == 0, result.output
    admin = db_session.scalar(select(User).where(User.email == "new.admin@example.test"))
    params = extract_parameters(admin.password_hash)
    assert params.type is Type.ID
    assert params.memory_cost == profiles.RFC_9106_LOW_MEMORY.memory_cost == 65536
    assert params.time_cost >= 3
