"""Every cohort route, walked as each role: the program's directors and admins get in."""

import pytest

from tests.integration.cohort_steps import small_cohort

ROLES = ["anonymous", "trainee", "mentor", "director", "other_director", "admin"]
LOGIN = "login"
EXPECTED = {
    "anonymous": LOGIN,
    "trainee": 403,
    "mentor": 403,
    "director": 200,
    "other_director": 404,
    "admin": 200,
}


def cohort_routes(world, cohort) -> dict[str, str]:
    program, target = world.program.id, cohort.targets[0].id
    return {
        "cohort.matrix": f"/programs/{program}/cohort",
        "cohort.cases": f"/programs/{program}/cohort/{world.trainee.id}/{target}",
    }


def test_every_cohort_route_is_walked(app, world, make, db_session):
    endpoints = {
        rule.endpoint for rule in app.url_map.iter_rules() if rule.endpoint.startswith("cohort.")
    }
    assert endpoints == set(cohort_routes(world, small_cohort(make, world, db_session)))


@pytest.mark.parametrize("role", ROLES)
def test_cohort_routes_by_role(client, world, make, db_session, people, role):
    cohort = small_cohort(make, world, db_session)
    person = world.mentor if role == "mentor" else people[role]
    if person is not None:
        client.login(person)
    for endpoint, url in cohort_routes(world, cohort).items():
        response = client.get(url)
        if EXPECTED[role] == LOGIN:
            assert response.status_code == 302, endpoint
            assert response.headers["Location"].startswith("/login?next="), endpoint
        else:
            assert response.status_code == EXPECTED[role], (endpoint, response.status_code)


def test_a_director_of_another_program_gets_nothing_of_this_one(
    client, world, make, db_session, people
):
    cohort = small_cohort(make, world, db_session)
    client.login(people["other_director"])
    for url in cohort_routes(world, cohort).values():
        html = client.get(url).get_data(as_text=True)
        assert "Bat-Erdene Dorj" not in html and "Lumbar decompression" not in html
