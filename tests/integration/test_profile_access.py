"""The profile pages and the language switcher, walked as each role: the switcher is for
everyone (visitors included), the profile, password and sign-out pages for whoever is
signed in."""

import pytest

ROLES = ["anonymous", "trainee", "mentor", "director", "other_director", "admin"]

PROFILE_ROUTES = {
    "profile.choose_language": ("POST", "/language", {"locale": "ko", "next": "/verify"}),
    "profile.show": ("GET", "/profile", None),
    "profile.password": ("GET", "/profile/password", None),
    "profile.sign_out_everywhere": ("POST", "/profile/sign-out-everywhere", {}),
}


def test_every_profile_route_is_walked(app):
    endpoints = {
        rule.endpoint for rule in app.url_map.iter_rules() if rule.endpoint.startswith("profile.")
    }
    assert endpoints == set(PROFILE_ROUTES)


@pytest.mark.parametrize("role", ROLES)
def test_profile_routes_by_role(client, world, people, role):
    person = world.mentor if role == "mentor" else people[role]
    if person is not None:
        client.login(person)
    method, url, data = PROFILE_ROUTES["profile.choose_language"]
    response = client.call(method, url, data)
    assert response.status_code == 302
    assert response.headers["Location"] == "/verify"
    response = client.get("/profile")
    if person is None:
        assert response.status_code == 302
        assert response.headers["Location"].startswith("/login?next=")
    else:
        assert response.status_code == 200
        assert person.full_name in response.get_data(as_text=True)
    response = client.get("/profile/password")
    assert response.status_code == (302 if person is None else 200)
    method, url, data = PROFILE_ROUTES["profile.sign_out_everywhere"]
    response = client.call(method, url, data)
    assert response.status_code == 302
    if person is None:
        assert response.headers["Location"].startswith("/login?next=")
    else:
        assert response.headers["Location"] == "/login"
        assert client.get("/profile").status_code == 302  # signed out


def test_a_post_without_its_token_changes_nothing(client, world):
    client.login(world.trainee)
    response = client.post("/language", data={"locale": "ru", "next": "/cases"})
    assert response.status_code == 400
    assert world.trainee.locale is None
