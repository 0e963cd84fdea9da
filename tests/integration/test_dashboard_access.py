"""Every progress route, walked as each role: trainees reach only their own progress,
mentors only the trainees of the programs they are appointed in."""

import pytest

from tests.integration.dashboard_steps import small_world

ROLES = ["anonymous", "trainee", "outsider", "mentor", "other_mentor", "director", "admin"]


def progress_routes(world, target_id):
    """endpoint -> (url, status by role; anonymous is always sent to sign in)."""
    p, t = world.program.id, world.trainee.id
    return {
        "progress.dashboard": (
            "/dashboard",
            dict(trainee=200, outsider=200, mentor=403, other_mentor=403, director=403, admin=403),
        ),
        "progress.target": (
            f"/dashboard/{p}/targets/{target_id}",
            dict(trainee=200, outsider=404, mentor=404, other_mentor=404, director=404, admin=404),
        ),
        "progress.mentees": (
            "/mentees",
            dict(trainee=403, outsider=403, mentor=200, other_mentor=200, director=403, admin=403),
        ),
        "progress.mentee": (
            f"/mentees/{p}/{t}",
            dict(trainee=404, outsider=404, mentor=200, other_mentor=404, director=404, admin=404),
        ),
        "progress.mentee_target": (
            f"/mentees/{p}/{t}/targets/{target_id}",
            dict(trainee=404, outsider=404, mentor=200, other_mentor=404, director=404, admin=404),
        ),
    }


def test_every_progress_route_is_walked(app, world):
    endpoints = {
        rule.endpoint for rule in app.url_map.iter_rules() if rule.endpoint.startswith("progress.")
    }
    assert endpoints == set(progress_routes(world, 0))


@pytest.mark.parametrize("role", ROLES)
def test_progress_routes_by_role(client, make, world, role):
    small_world(make, world)
    outsider = make.user("Trainee Elsewhere")
    other_mentor = make.user("Dr Mentor Elsewhere")
    elsewhere = make.program(sites=[world.busan], name="Elsewhere")
    make.enrol(outsider, elsewhere)
    make.appoint(other_mentor, elsewhere)
    person = {
        "anonymous": None,
        "trainee": world.trainee,
        "outsider": outsider,
        "mentor": world.mentor,
        "other_mentor": other_mentor,
        "director": world.director,
        "admin": world.admin,
    }[role]
    if person is not None:
        client.login(person)
    target_id = world.program.framework_version.targets[0].id
    for endpoint, (url, expected) in progress_routes(world, target_id).items():
        response = client.get(url)
        if person is None:
            assert response.status_code == 302, endpoint
            assert response.headers["Location"].startswith("/login?next="), endpoint
        else:
            assert response.status_code == expected[role], (endpoint, response.status_code)
