"""Who reaches the framework pages, assigning a version to a program, and the queries a
version's page issues."""

import json

import pytest
from sqlalchemy import select

from caselog.models import AuditEvent, Autonomy, ProcedureGroup
from tests.factories import framework_version

ROLES = ["anonymous", "trainee", "mentor", "director", "other_director", "admin"]


def framework_routes(world, version):
    """(method, url, form data, status when allowed) for every framework endpoint."""
    framework = version.framework_id
    return {
        "frameworks.index": ("GET", "/frameworks", None, 200),
        "frameworks.show": ("GET", f"/frameworks/{framework}", None, 200),
        "frameworks.new": ("GET", "/frameworks/new", None, 200),
        "frameworks.edit": ("GET", f"/frameworks/{framework}/edit", None, 200),
        "frameworks.assign": (
            "POST",
            f"/programs/{world.program.id}/framework",
            {"version_id": version.id},
            302,
        ),
    }


@pytest.fixture
def spine_version(make, world):
    return framework_version(
        make,
        world.spine,
        [dict(label="ACDF", min_count=20, procedures=[world.acdf])],
        name="Spine targets",
    )


def test_every_framework_route_is_walked(app, world, spine_version):
    endpoints = {
        rule.endpoint
        for rule in app.url_map.iter_rules()
        if rule.endpoint.startswith("frameworks.")
    }
    assert endpoints == set(framework_routes(world, spine_version))


@pytest.mark.parametrize("role", ROLES)
def test_framework_routes_by_role(client, world, people, spine_version, role):
    person = world.mentor if role == "mentor" else people[role]
    if person is not None:
        client.login(person)
    for endpoint, (method, url, data, allowed) in framework_routes(world, spine_version).items():
        response = client.call(method, url, data)
        status = response.status_code
        if role == "anonymous":
            assert status == 302 and response.headers["Location"].startswith("/login"), endpoint
        elif endpoint == "frameworks.assign":
            # the program is the director's: to everyone else it does not exist
            assert status == (allowed if role in ("director", "admin") else 404), endpoint
        elif role in ("trainee", "mentor"):
            assert status == 403, endpoint
        else:  # frameworks are shared: every director and admin reads and writes them
            assert status == allowed, (endpoint, status)


def test_director_assigns_a_version_and_it_is_audited(
    client, world, make, db_session, spine_version
):
    v2 = framework_version(
        make,
        world.spine,
        [dict(label="ACDF", min_count=25, procedures=[world.acdf])],
        name="Other spine targets",
        number=2,
    )
    client.login(world.director)
    page = client.get(f"/programs/{world.program.id}").get_data(as_text=True)
    assert "No framework assigned yet" in page
    assert "Spine targets v1 (latest)" in page and "Other spine targets v2 (latest)" in page

    response = client.submit(
        f"/programs/{world.program.id}/framework",
        {"version_id": spine_version.id},
        page=f"/programs/{world.program.id}",
    )
    assert response.status_code == 302
    assert response.headers["Location"] == f"/programs/{world.program.id}#framework"
    assert world.program.framework_version_id == spine_version.id
    page = client.get(f"/programs/{world.program.id}").get_data(as_text=True)
    assert "is now measured against Spine targets v1." in page
    assert f'href="/frameworks/{spine_version.framework_id}?version=1">Spine targets v1</a>' in page

    client.submit(
        f"/programs/{world.program.id}/framework",
        {"version_id": v2.id},
        page=f"/programs/{world.program.id}",
    )
    client.submit(
        f"/programs/{world.program.id}/framework",
        {"version_id": v2.id},
        page=f"/programs/{world.program.id}",
    )  # the same again: nothing to record
    events = db_session.scalars(
        select(AuditEvent).where(AuditEvent.entity == "program").order_by(AuditEvent.seq)
    ).all()
    assert [
        (e.entity_id, e.action, e.actor, json.loads(e.before), json.loads(e.after)) for e in events
    ] == [
        (
            world.program.id,
            "framework_assigned",
            "director@example.test",
            {"framework_version_id": None},
            {"framework_version_id": spine_version.id},
        ),
        (
            world.program.id,
            "framework_assigned",
            "director@example.test",
            {"framework_version_id": spine_version.id},
            {"framework_version_id": v2.id},
        ),
    ]


def test_a_framework_of_another_specialty_cannot_be_assigned(client, world, make):
    hpb = make.specialty("HPB surgery", code="hpb-test")
    whipple = make.procedure("Pancreaticoduodenectomy", hpb)
    other = framework_version(
        make, hpb, [dict(label="PD", min_count=40, procedures=[whipple])], name="HPB targets"
    )
    client.login(world.admin)
    page = client.get(f"/programs/{world.program.id}").get_data(as_text=True)
    assert "HPB targets" not in page
    response = client.submit(
        f"/programs/{world.program.id}/framework",
        {"version_id": other.id},
        page=f"/programs/{world.program.id}",
    )
    assert response.status_code == 302
    assert world.program.framework_version_id is None
    page = client.get(f"/programs/{world.program.id}").get_data(as_text=True)
    assert "Choose a framework version from the list." in page


def test_program_page_offers_the_cohort_view(client, world, app):
    client.login(world.director)
    page = client.get(f"/programs/{world.program.id}").get_data(as_text=True)
    if "cohort.matrix" in app.view_functions:
        assert f'href="/programs/{world.program.id}/cohort">Cohort progress' in page
    assert 'href="/frameworks/new?specialty=' in page


def version_with(make, world, db_session, size: int):
    """A version of `size` targets, each with its own procedures, group and rating."""
    groups = []
    for n in range(size):
        group = ProcedureGroup(
            specialty_id=world.spine.id, code=f"g{size}-{n}", name=f"Group {size}-{n}"
        )
        db_session.add(group)
        procedure = make.procedure(f"Procedure {size}-{n}", world.spine)
        procedure.groups.append(group)
        groups.append((group, procedure))
    db_session.flush()
    return framework_version(
        make,
        world.spine,
        [
            dict(
                label=f"Target {n}",
                min_count=10 + n,
                procedures=[procedure, world.acdf],
                groups=[group],
                entrust_count=2,
                entrust_autonomy=Autonomy.PASSIVE_HELP,
                program_year=1 + n % 2,
            )
            for n, (group, procedure) in enumerate(groups)
        ],
        name=f"Framework of {size}",
    )


def test_version_page_and_form_queries_do_not_grow_with_targets(
    client, world, make, db_session, count_queries
):
    small = version_with(make, world, db_session, 2)
    large = version_with(make, world, db_session, 20)
    world.program.framework_version = large
    db_session.flush()
    client.login(world.director)

    def measure(url, expected):
        with count_queries() as counter:
            html = client.get(url).get_data(as_text=True)
        assert html.count(expected[0]) == expected[1], url
        return counter.count

    for page, marker in (
        ("", ('class="cf-target-row"', None)),
        ("/edit", ('-label" type="text"', None)),
    ):
        counts = []
        for version, size in ((small, 2), (large, 20)):
            counts.append(measure(f"/frameworks/{version.framework_id}{page}", (marker[0], size)))
        assert counts[0] == counts[1], (page, counts)


def test_list_queries_do_not_grow_with_frameworks(client, world, make, db_session, count_queries):
    client.login(world.director)

    def measure(expected: int) -> int:
        with count_queries() as counter:
            html = client.get("/frameworks").get_data(as_text=True)
        assert html.count('class="card h-100 framework-card"') == expected
        return counter.count

    version_with(make, world, db_session, 2)
    small = measure(1)
    for n in range(6):
        version = version_with(make, world, db_session, 3 + n)
        program = make.program(
            sites=[world.seoul], directors=[world.director], specialty=world.spine
        )
        program.framework_version = version
    db_session.flush()
    assert measure(7) == small
