"""Administration leaves a trace: accounts, admin rights, password resets, hospitals,
programs (their directors) and the procedure catalogue each write an audit event with
what was before and after, naming who did it; the audit page says it in words."""

import json
import re

from sqlalchemy import select

from caselog.audit.services import verify_chain
from caselog.models import AuditEvent, Procedure, Program, Site, User


def trail(db_session, entity: str, entity_id: int | None = None) -> list[tuple]:
    """(action, actor, before, after, reason) of each event about the entity, oldest first."""
    query = select(AuditEvent).where(AuditEvent.entity == entity).order_by(AuditEvent.seq)
    if entity_id is not None:
        query = query.where(AuditEvent.entity_id == entity_id)
    return [
        (
            e.action,
            e.actor,
            json.loads(e.before) if e.before else None,
            json.loads(e.after) if e.after else None,
            e.reason,
        )
        for e in db_session.scalars(query)
    ]


def audit_rows(client) -> list[str]:
    """Each row of the audit page's first page, as its text without tags, newest first."""
    html = client.get("/admin/audit").get_data(as_text=True)
    rows = html.split('class="audit-row"')[1:]
    texts = [re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", row.split("</tr>")[0])) for row in rows]
    return [text.replace(" :", ":") for text in texts]


def test_every_change_to_an_account_is_audited_without_its_password(client, world, db_session):
    client.login(world.admin)
    response = client.submit(
        "/admin/accounts/new", {"full_name": "Dr Sarnai", "email": "sarnai@example.test"}
    )
    assert response.status_code == 302  # its owner is mailed a link: no password on screen
    user = db_session.scalar(select(User).where(User.email == "sarnai@example.test"))
    url = f"/admin/accounts/{user.id}"
    client.submit(url, {"full_name": "Dr Sarnai B.", "email": user.email, "is_admin": "y"})
    client.submit(f"{url}/deactivate", page=url)
    client.submit(f"{url}/reactivate", page=url)
    client.submit(f"{url}/password", page=url)
    admin = world.admin.email
    events = trail(db_session, "user", user.id)
    assert [(action, actor) for action, actor, *_ in events] == [
        ("created", admin),
        ("password_link_sent", admin),
        ("changed", admin),
        ("deactivated", admin),
        ("reactivated", admin),
        ("password_reset", admin),
        ("password_link_sent", admin),
    ]
    assert events[0][3] == {
        "full_name": "Dr Sarnai",
        "email": "sarnai@example.test",
        "is_admin": False,
        "active": True,
        "password": "link",
    }
    assert events[2][2:4] == (
        {"full_name": "Dr Sarnai", "is_admin": False},
        {"full_name": "Dr Sarnai B.", "is_admin": True},
    )
    assert events[3][2:4] == ({"active": True}, {"active": False})
    everything = " ".join(
        f"{e.before} {e.after} {e.reason}" for e in db_session.scalars(select(AuditEvent))
    )
    assert user.password_hash not in everything
    assert verify_chain().intact


def test_nothing_changed_writes_nothing(client, world, db_session):
    client.login(world.admin)
    url = f"/admin/accounts/{world.mentor.id}"
    client.submit(url, {"full_name": world.mentor.full_name, "email": world.mentor.email})
    client.submit(f"/admin/sites/{world.seoul.id}/edit", page=f"/admin/sites/{world.seoul.id}/edit")
    client.submit(f"{url}/reactivate", page=url)  # already active
    assert db_session.scalars(select(AuditEvent)).all() == []


def test_a_refused_change_writes_nothing(client, world, db_session):
    client.login(world.admin)
    url = f"/admin/accounts/{world.admin.id}"
    client.submit(url, {"full_name": "Admin", "email": world.admin.email})  # own admin rights
    client.submit(f"{url}/deactivate", page=url)  # own account
    assert db_session.scalars(select(AuditEvent)).all() == []


def test_sites_and_programs_with_their_directors_are_audited(client, world, db_session):
    client.login(world.admin)
    client.submit(
        "/admin/sites/new",
        {
            "name": "Intermed",
            "city": "Ulaanbaatar",
            "country": "mn",
            "time_zone": "Asia/Ulaanbaatar",
        },
    )
    site = db_session.scalar(select(Site).where(Site.name == "Intermed"))
    edit = f"/admin/sites/{site.id}/edit"
    client.submit(
        edit, {"name": "Intermed", "city": "UB", "country": "MN", "time_zone": "Asia/Ulaanbaatar"}
    )
    assert trail(db_session, "site", site.id) == [
        (
            "created",
            world.admin.email,
            None,
            {
                "name": "Intermed",
                "city": "Ulaanbaatar",
                "country": "MN",
                "time_zone": "Asia/Ulaanbaatar",
            },
            "",
        ),
        ("changed", world.admin.email, {"city": "Ulaanbaatar"}, {"city": "UB"}, ""),
    ]

    fields = {
        "name": "HPB visiting program",
        "kind": "visiting",
        "specialty_id": str(world.spine.id),
        "start_date": "2027-03-01",
        "end_date": "2027-03-28",
        "site_ids": [str(world.seoul.id)],
        "director_ids": [str(world.director.id)],
        "reminder_max_waiting": "25",
        "reminder_max_days": "30",
    }
    client.submit("/admin/programs/new", fields)
    program = db_session.scalar(select(Program).where(Program.name == "HPB visiting program"))
    client.submit(
        f"/admin/programs/{program.id}/edit",
        {**fields, "director_ids": [str(world.director.id), str(world.mentor.id)]},
    )
    [created, changed] = trail(db_session, "program", program.id)
    assert created[0] == "created" and created[3]["director_ids"] == [world.director.id]
    assert created[3]["site_ids"] == [world.seoul.id] and created[3]["kind"] == "visiting"
    assert changed[:4] == (
        "changed",
        world.admin.email,
        {"director_ids": [world.director.id]},
        {"director_ids": sorted([world.director.id, world.mentor.id])},
    )

    rows = audit_rows(client)
    assert "Program changed" in rows[0] and "Program: HPB visiting program" in rows[0]
    assert "Directors: Dr Director Kim → Dr Director Kim, Dr Mentor Park" in rows[0]
    assert "Program added" in rows[1] and "Kind: Visiting program" in rows[1]
    assert "Hospital changed" in rows[2] and "Hospital: Intermed" in rows[2] and "City" in rows[2]
    assert "Hospital added" in rows[3] and "Time zone: Asia/Ulaanbaatar" in rows[3]
    assert rows[3].index("Name: Intermed") < rows[3].index("City: Ulaanbaatar")  # as on the form


def test_the_catalogue_is_audited_from_adding_to_deleting(client, world, db_session):
    client.login(world.admin)
    response = client.submit(
        "/catalogue/procedures/new",
        {"specialty_id": world.spine.id, "name": "Oblique lumbar interbody fusion"},
    )
    assert response.status_code == 302
    procedure_id = db_session.scalar(select(Procedure.id).where(Procedure.name.like("Oblique%")))
    edit = f"/catalogue/procedures/{procedure_id}/edit"
    response = client.submit(
        edit,
        {
            "specialty_id": world.spine.id,
            "name": "Oblique lumbar interbody fusion",
            "short_name": "OLIF",
            "names_ru-name": "Косой поясничный межтеловой спондилодез",
        },
    )
    assert response.status_code == 302, response.get_data(as_text=True)
    client.submit(f"/catalogue/procedures/{procedure_id}/retire", page=edit)
    client.submit(f"/catalogue/procedures/{procedure_id}/restore", page=edit)
    client.submit(f"/catalogue/procedures/{procedure_id}/delete", page=edit)
    events = trail(db_session, "procedure", procedure_id)
    assert [e[0] for e in events] == ["added", "changed", "retired", "restored", "deleted"]
    assert {e[1] for e in events} == {world.admin.email}
    added, changed, retired, restored, deleted = events
    assert added[3]["name"] == "Oblique lumbar interbody fusion" and added[3]["retired"] is False
    assert changed[2] == {"short_name": None, "names_ru": None}
    assert changed[3] == {
        "short_name": "OLIF",
        "names_ru": {
            "name": "Косой поясничный межтеловой спондилодез",
            "short_name": None,
            "synonyms": [],
        },
    }
    assert (retired[2], retired[3]) == ({"retired": False}, {"retired": True})
    assert (restored[2], restored[3]) == ({"retired": True}, {"retired": False})
    assert deleted[2]["short_name"] == "OLIF" and deleted[3] is None

    rows = audit_rows(client)
    assert "Procedure deleted from the catalogue" in rows[0] and "Procedure #" in rows[0]
    assert "Procedure restored to the case form" in rows[1]
    assert "Procedure: Oblique lumbar interbody fusion" not in rows[1]  # deleted: by number
    assert "Procedure retired" in rows[2]
    assert "Names in Russian" in rows[3] and "Косой поясничный" in rows[3]
    assert "Specialty: Spine surgery" in rows[4]


def test_an_account_opened_by_enrolling_someone_new_is_audited(client, world, db_session):
    client.login(world.director)
    program = world.program
    client.submit(
        f"/programs/{program.id}/enrol",
        {
            "email": "new.fellow@example.test",
            "full_name": "New Fellow",
            "start_date": program.start_date.isoformat(),
            "end_date": program.end_date.isoformat(),
        },
    )
    user = db_session.scalar(select(User).where(User.email == "new.fellow@example.test"))
    (action, actor, _before, after, _reason), *mailed = trail(db_session, "user", user.id)
    assert (action, actor, after["full_name"], after["password"]) == (
        "created",
        world.director.email,
        "New Fellow",
        "link",
    )
    assert [event[0] for event in mailed] == ["password_link_sent"]
    assert [e[0] for e in trail(db_session, "enrolment")] == ["created"]


def test_create_admin_goes_through_the_account_service(app, db_session):
    runner = app.test_cli_runner()
    result = runner.invoke(
        args=["create-admin", "root@example.test", "Root Admin"], input="short\nshort\n"
    )
    assert result.exit_code == 1
    assert "A password needs at least 10 characters." in result.output
    assert "Traceback" not in result.output
    assert db_session.scalar(select(User).where(User.email == "root@example.test")) is None

    result = runner.invoke(
        args=["create-admin", " Root@Example.test ", "  Root Admin "],
        input="long enough pw\nlong enough pw\n",
    )
    assert result.exit_code == 0, result.output
    assert "Administrator root@example.test created." in result.output
    admin = db_session.scalar(select(User).where(User.email == "root@example.test"))
    assert admin.is_admin and admin.active and admin.full_name == "Root Admin"
    [event] = db_session.scalars(select(AuditEvent).where(AuditEvent.entity_id == admin.id))
    assert (event.entity, event.action, event.actor_id, event.actor) == (
        "user",
        "created",
        None,
        "system",
    )
    assert "flask create-admin" in event.reason and json.loads(event.after)["is_admin"] is True

    result = runner.invoke(
        args=["create-admin", "ROOT@example.test", "Again"],
        input="long enough pw\nlong enough pw\n",
    )
    assert result.exit_code == 1
    assert "Another account already uses root@example.test." in result.output


def test_loading_the_catalogue_from_a_file_is_audited(app, db_session):
    result = app.test_cli_runner().invoke(args=["load-catalogue"])
    assert result.exit_code == 0, result.output
    [(action, actor, before, after, _reason)] = trail(db_session, "catalogue")
    assert (action, actor, before) == ("loaded", "system", None)
    assert after["file"] == "starter_catalogue.toml" and len(after["sha256"]) == 64
    assert after["new"] == after["procedures"] > 0 and after["updated"] == 0


def test_the_audit_page_names_accounts_and_filters_by_kind_in_words(client, world, db_session):
    client.login(world.admin)
    url = f"/admin/accounts/{world.mentor.id}"
    client.submit(f"{url}/password", page=url)
    client.submit(
        url, {"full_name": world.mentor.full_name, "email": world.mentor.email, "is_admin": "y"}
    )
    rows = audit_rows(client)
    assert "Account changed" in rows[0] and "Account: Dr Mentor Park" in rows[0]
    assert "Administrator: No → Yes" in rows[0]
    assert "Link to set a password mailed" in rows[1]  # the reset's link, newest first
    assert "Password reset by an admin" in rows[2] and world.admin.email in rows[2]
    html = client.get("/admin/audit").get_data(as_text=True)
    assert '<option value="user">Account</option>' in html
    only = client.get(f"/admin/audit?entity=user&entity_id={world.mentor.id}")
    assert only.get_data(as_text=True).count('class="audit-row"') == 3
