"""Every admin route, walked as each role: only admins get in."""

import pytest

ROLES = ["anonymous", "trainee", "director", "other_director", "admin"]


def admin_routes(world):
    """(method, url, form data, status for an admin) for every admin endpoint."""
    account = world.other_trainee.id
    return {
        "admin.index": ("GET", "/admin/", None, 200),
        "admin.sites": ("GET", "/admin/sites", None, 200),
        "admin.new_site": ("GET", "/admin/sites/new", None, 200),
        "admin.edit_site": ("GET", f"/admin/sites/{world.seoul.id}/edit", None, 200),
        "admin.programs": ("GET", "/admin/programs", None, 200),
        "admin.new_program": ("GET", "/admin/programs/new", None, 200),
        "admin.edit_program": ("GET", f"/admin/programs/{world.program.id}/edit", None, 200),
        "admin.accounts": ("GET", "/admin/accounts", None, 200),
        "admin.new_account": ("GET", "/admin/accounts/new", None, 200),
        "admin.edit_account": ("GET", f"/admin/accounts/{account}", None, 200),
        "admin.deactivate_account": ("POST", f"/admin/accounts/{account}/deactivate", {}, 302),
        "admin.reactivate_account": ("POST", f"/admin/accounts/{account}/reactivate", {}, 302),
        "admin.reset_password": ("POST", f"/admin/accounts/{account}/password", {}, 302),
        "admin.audit": ("GET", "/admin/audit", None, 200),
        "admin.audit_verify": ("POST", "/admin/audit/verify", {}, 302),
    }


def test_every_admin_route_is_walked(app, world):
    endpoints = {
        rule.endpoint for rule in app.url_map.iter_rules() if rule.endpoint.startswith("admin.")
    }
    assert endpoints == set(admin_routes(world))


@pytest.mark.parametrize("role", ROLES)
def test_admin_routes_by_role(client, world, people, role):
    person = people[role]
    if person is not None:
        client.login(person)
    for endpoint, (method, url, data, admin_status) in admin_routes(world).items():
        response = client.call(method, url, data)
        if role == "anonymous":
            assert response.status_code == 302, endpoint
            assert response.headers["Location"].startswith("/login"), endpoint
        elif role == "admin":
            assert response.status_code == admin_status, endpoint
        else:
            assert response.status_code == 403, endpoint


def test_admin_landing_page_shows_counts_and_links(client, world):
    client.login(world.admin)
    html = client.get("/admin/").get_data(as_text=True)
    assert 'href="/admin/sites"' in html
    assert 'href="/admin/programs"' in html
    assert 'href="/admin/accounts"' in html
    assert 'href="/admin/audit"' in html
    assert "Procedure catalogue" in html


def test_unknown_records_answer_404_for_admins(client, world):
    client.login(world.admin)
    assert client.get("/admin/sites/999999/edit").status_code == 404
    assert client.get("/admin/programs/999999/edit").status_code == 404
    assert client.get("/admin/accounts/999999").status_code == 404
