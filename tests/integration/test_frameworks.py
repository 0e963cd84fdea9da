"""Directors write competency frameworks, change them as new versions and read every version."""

import json
import re

from sqlalchemy import func, select

from caselog.models import AuditEvent, Autonomy, Framework, FrameworkVersion, Target
from tests.factories import framework_version
from tests.integration.frameworks_steps import (
    decompression_group,
    framework_named,
    page_values,
    target,
    target_labels,
)


def audit(db_session, entity: str) -> list[AuditEvent]:
    return list(
        db_session.scalars(
            select(AuditEvent).where(AuditEvent.entity == entity).order_by(AuditEvent.seq)
        )
    )


def test_director_writes_a_framework_and_reads_its_targets(client, world, db_session):
    group = decompression_group(world, db_session)
    client.login(world.director)
    form = client.get("/frameworks/new").get_data(as_text=True)
    assert f'<option selected value="{world.spine.id}">Spine surgery</option>' in form
    assert "Lumbar microdiscectomy" in form and "Spinal decompression" in form

    response = client.submit(
        "/frameworks/new",
        {
            "name": "Spine fellowship targets",
            "specialty_id": world.spine.id,
            "source": "Modelled on ACGME neurosurgery minimums",
            **target(
                0,
                "Lumbar decompression",
                30,
                groups=[group],
                procedures=[world.fusion],
                entrust_count=5,
                entrust_autonomy="passive_help",
                program_year=2,
            ),
            **target(1, "ACDF", 20, procedures=[world.acdf], levels=("P",)),
            "save": "1",
        },
        page="/frameworks/new",
    )

    framework = framework_named(db_session, "Spine fellowship targets")
    assert response.status_code == 302
    assert response.headers["Location"] == f"/frameworks/{framework.id}"
    version = framework.latest
    assert (version.number, version.created_by_id) == (1, world.director.id)
    first, second = version.targets
    assert (first.label, first.min_count, first.involvements) == (
        "Lumbar decompression",
        30,
        "S-TS S-TU P",
    )
    assert first.groups == [group] and first.procedures == [world.fusion]
    assert (first.entrust_count, first.entrust_autonomy, first.program_year) == (
        5,
        Autonomy.PASSIVE_HELP,
        2,
    )
    assert (second.involvements, second.entrust_count, second.program_year) == ("P", None, None)

    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Modelled on ACGME neurosurgery minimums" in page
    assert "Spinal decompression" in page and "(group of 1 procedure)" in page
    assert "5 of them rated Passive help or better" in page
    assert "Program year 2" in page and "Whole program" in page
    assert "First version." in page and "Dr Director Kim" in page

    [event] = audit(db_session, "framework")
    assert (event.entity_id, event.action, event.actor) == (
        framework.id,
        "created",
        "director@example.test",
    )
    after = json.loads(event.after)
    assert after["version"] == 1 and after["name"] == "Spine fellowship targets"
    assert after["targets"][1] == "ACDF: 20 × [Anterior cervical discectomy and fusion] at P"


def test_a_change_is_a_new_version_and_the_old_one_stays_readable(client, world, make, db_session):
    v1 = framework_version(
        make,
        world.spine,
        [dict(label="ACDF", min_count=20, procedures=[world.acdf])],
        name="Spine targets",
    )
    framework = v1.framework
    client.login(world.director)
    edit = client.get(f"/frameworks/{framework.id}/edit").get_data(as_text=True)
    assert "Saving writes version 2" in edit
    values = page_values(edit)
    assert values["targets-0-label"] == ["ACDF"] and values["targets-0-min_count"] == ["20"]
    assert values["targets-0-procedure_ids"] == [str(world.acdf.id)]
    values.update({"targets-0-min_count": "25", "note": "ACDF raised to 25.", "save": "1"})

    response = client.submit(f"/frameworks/{framework.id}/edit", values)
    assert response.status_code == 302

    versions = db_session.scalars(
        select(FrameworkVersion)
        .where(FrameworkVersion.framework_id == framework.id)
        .order_by(FrameworkVersion.number)
    ).all()
    assert [(v.number, [t.min_count for t in v.targets]) for v in versions] == [
        (1, [20]),
        (2, [25]),
    ]
    assert versions[1].note == "ACDF raised to 25."
    assert db_session.scalar(select(func.count()).select_from(Target)) == 2

    latest = client.get(f"/frameworks/{framework.id}").get_data(as_text=True)
    assert "ACDF raised to 25." in latest and "<strong>25</strong>" in latest
    older = client.get(f"/frameworks/{framework.id}?version=1").get_data(as_text=True)
    assert "<strong>20</strong>" in older and "an earlier version" in older
    assert client.get(f"/frameworks/{framework.id}?version=3").status_code == 404

    [event] = audit(db_session, "framework")
    assert (event.action, event.reason) == ("version_created", "ACDF raised to 25.")
    assert json.loads(event.before)["targets"] == [
        "ACDF: 20 × [Anterior cervical discectomy and fusion] at S-TS S-TU P"
    ]
    assert json.loads(event.after)["version"] == 2


def test_a_new_version_needs_a_note_and_a_change(client, world, make, db_session):
    framework = framework_version(
        make,
        world.spine,
        [dict(label="ACDF", min_count=20, procedures=[world.acdf])],
        name="Spine targets",
    ).framework
    client.login(world.director)
    url = f"/frameworks/{framework.id}/edit"
    values = page_values(client.get(url).get_data(as_text=True))

    page = client.submit(url, {**values, "targets-0-label": "ACDF (anterior)", "save": "1"})
    html = page.get_data(as_text=True)
    assert page.status_code == 200
    assert "Say in a sentence what changed in this version." in html
    assert target_labels(html) == ["ACDF (anterior)"]  # what was typed is kept

    page = client.submit(url, {**values, "note": "No change really.", "save": "1"})
    assert "Nothing has changed since version 1" in page.get_data(as_text=True)
    assert len(framework.versions) == 1 and audit(db_session, "framework") == []


def test_bad_input_is_explained_field_by_field_and_kept(client, world, make, db_session):
    framework_version(
        make, world.spine, [dict(label="X", min_count=1, procedures=[world.acdf])], name="Taken"
    )
    client.login(world.director)
    page = client.submit(
        "/frameworks/new",
        {
            "name": "taken",
            "specialty_id": world.spine.id,
            "source": "My notes",
            **target(0, "Fusion", 0, procedures=[world.fusion], entrust_count=3),
            **target(
                1,
                "",
                5,
                levels=(),
                entrust_count=9,
                entrust_autonomy="supervision_only",
                program_year=3,
            ),
            **target(2, "Fusion", "lots", procedures=[world.acdf]),
            "save": "1",
        },
        page="/frameworks/new",
    )
    html = page.get_data(as_text=True)
    assert page.status_code == 200
    assert "Not a valid integer value." in html  # the form's type check comes first
    assert framework_named(db_session, "taken") is None

    values = page_values(html)
    assert values["targets-2-min_count"] == ["lots"] and values["name"] == ["taken"]
    values.update({"targets-2-min_count": "4", "save": "1"})
    html = client.submit("/frameworks/new", values).get_data(as_text=True)
    for message in [
        "Another framework is already called taken.",
        "The minimum is a whole number of cases, at least 1.",
        "Choose the rating they must reach.",
        "Name the target, for example Lumbar decompression.",
        "Choose the involvement levels that count.",
        "Choose the procedures that count, or a group.",
        "At most the minimum (5): only counted cases are rated.",
        "Two targets are called Fusion: give each its own name.",
    ]:
        assert message in html, message
    assert 'href="#targets-1-procedure_ids">Target 2, Procedures</a>' in html  # the summary
    values = page_values(html)
    assert values["targets-0-procedure_ids"] == [str(world.fusion.id)]
    assert values["targets-1-program_year"] == ["3"]
    assert values["targets-1-entrust_autonomy"] == ["supervision_only"]
    assert "targets-1-involvements" not in values  # unticked stays unticked
    assert db_session.scalar(select(func.count()).select_from(Framework)) == 1


def test_targets_are_added_and_removed_without_javascript(client, world, db_session):
    client.login(world.director)
    page = client.get("/frameworks/new").get_data(as_text=True)
    values = page_values(page)
    assert values["targets-0-involvements"] == ["S-TS", "S-TU", "P"]  # the usual levels
    values.update(
        {
            "name": "Draft",
            "targets-0-label": "ACDF",
            "targets-0-min_count": "20",
            "targets-0-procedure_ids": [str(world.acdf.id)],
            "add_target": "1",
        }
    )

    html = client.submit("/frameworks/new", values).get_data(as_text=True)
    assert target_labels(html) == ["ACDF", ""]
    assert re.search(r'<input[^>]* autofocus [^>]*id="targets-1-label"', html)  # cursor there
    values = page_values(html)
    assert values["targets-1-involvements"] == ["S-TS", "S-TU", "P"]
    assert values["targets-0-procedure_ids"] == [str(world.acdf.id)]
    assert "is-invalid" not in html  # adding is not saving: no complaints yet

    values.update({"targets-1-label": "TLIF", "targets-1-min_count": "15", "add_target": "1"})
    values = page_values(client.submit("/frameworks/new", values).get_data(as_text=True))
    values.update({"targets-2-label": "Third"})
    values["targets-0-remove"] = "1"
    html = client.submit("/frameworks/new", values).get_data(as_text=True)
    assert target_labels(html) == ["TLIF", "Third"]  # renumbered from 0
    assert db_session.scalar(select(func.count()).select_from(Framework)) == 0

    values = page_values(html)
    values.update(
        {
            "targets-0-procedure_ids": [str(world.fusion.id)],
            "targets-1-min_count": "3",
            "targets-1-procedure_ids": [str(world.acdf.id)],
            "save": "1",
        }
    )
    assert client.submit("/frameworks/new", values).status_code == 302
    saved = framework_named(db_session, "Draft").latest
    assert [(t.label, t.min_count) for t in saved.targets] == [("TLIF", 15), ("Third", 3)]


def test_choosing_another_specialty_offers_its_procedures(client, world, make):
    hpb = make.specialty("HPB surgery", code="hpb-test")
    whipple = make.procedure("Pancreaticoduodenectomy", hpb)
    client.login(world.director)
    values = page_values(client.get("/frameworks/new").get_data(as_text=True))
    values.update({"specialty_id": str(hpb.id), "refresh": "1", "name": "HPB"})
    html = client.submit("/frameworks/new", values).get_data(as_text=True)
    assert f'value="{whipple.id}"' in html and "Pancreaticoduodenectomy" in html
    assert "Lumbar microdiscectomy" not in html
    assert 'value="HPB"' in html


def test_list_names_source_latest_version_and_programs(client, world, make, db_session):
    version = framework_version(
        make,
        world.spine,
        [dict(label="ACDF", min_count=20, procedures=[world.acdf])],
        name="Spine targets",
    )
    world.program.framework_version = version
    db_session.flush()
    client.login(world.director)
    html = client.get("/frameworks").get_data(as_text=True)
    assert "Spine targets" in html and "Modelled on test figures" in html
    assert "1 target" in html and "Spine fellowship (test)</a>" in html and "(v1)" in html
