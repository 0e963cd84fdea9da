"""What people write, in the reader's language: a program's name and a target's label, given
in other languages by directors, shown to each reader in theirs, else as written."""

import json

from sqlalchemy import select

from caselog.models import AuditEvent, CaseStatus, FrameworkVersion
from tests.integration.dashboard_steps import small_world, spine_framework
from tests.integration.frameworks_steps import page_values

RUSSIAN = "Стажировка по хирургии позвоночника (тест)"
MONGOLIAN = "Нурууны мэс заслын тэтгэлэгт хөтөлбөр (тест)"


def name_program(client, world, **names) -> object:
    """The signed-in director gives the program's name in other languages on its page."""
    url = f"/programs/{world.program.id}/names"
    data = {f"name_translations-{code}": text for code, text in names.items()}
    return client.submit(url, data)


def test_the_director_names_the_program_in_other_languages(client, world, db_session):
    client.login(world.director)
    show = client.get(f"/programs/{world.program.id}").get_data(as_text=True)
    assert f'href="/programs/{world.program.id}/names"' in show
    form = client.get(f"/programs/{world.program.id}/names").get_data(as_text=True)
    for code, name in (("ru", "Русский"), ("mn", "Монгол"), ("ko", "한국어")):
        assert f'lang="{code}"' in form and name in form

    response = name_program(
        client,
        world,
        ru=f"  {RUSSIAN} ",
        mn=MONGOLIAN,
        en="Spine fellowship (test)",  # the same as written: nothing to keep
        ko="",
    )
    assert response.status_code == 302
    assert response.headers["Location"] == f"/programs/{world.program.id}"
    assert world.program.name_translations == {"ru": RUSSIAN, "mn": MONGOLIAN}

    event = db_session.scalar(
        select(AuditEvent).where(
            AuditEvent.entity == "program", AuditEvent.action == "names_changed"
        )
    )
    assert event.actor == "director@example.test"
    assert json.loads(event.after) == {"name_translations": {"mn": MONGOLIAN, "ru": RUSSIAN}}


def test_a_name_too_long_is_refused_on_its_field_and_nothing_changes(client, world):
    client.login(world.director)
    response = name_program(client, world, ru="Я" * 201)
    assert response.status_code == 200
    assert "At most 200 characters." in response.get_data(as_text=True)
    assert world.program.name_translations == {}


def test_other_directors_and_trainees_cannot_name_the_program(client, world, people):
    client.login(world.trainee)
    assert client.get(f"/programs/{world.program.id}/names").status_code == 403
    other = people["other_director"]
    other_client = client.application.test_client()
    other_client.login(other)
    assert other_client.get(f"/programs/{world.program.id}/names").status_code == 404


def test_each_reader_sees_the_program_in_their_language_else_as_written(app, client, make, world):
    world.program.name_translations = {"ru": RUSSIAN, "mn": MONGOLIAN}
    case = make.case(
        world.trainee, world.program, world.acdf, world.mentor, status=CaseStatus.SUBMITTED
    )
    readers = {"ru": RUSSIAN, "mn": MONGOLIAN, "ko": "Spine fellowship (test)", None: None}
    for locale, expected in readers.items():
        world.trainee.locale = locale
        make.session.flush()
        reader = app.test_client()
        reader.login(world.trainee)
        page = reader.get(f"/cases/{case.id}").get_data(as_text=True)
        shown = expected or "Spine fellowship (test)"
        assert f"<dd>{shown}</dd>" in page, locale
        others = {RUSSIAN, MONGOLIAN} - {shown}
        assert not any(name in page for name in others), locale
        listing = reader.get("/cases").get_data(as_text=True)
        assert f">{shown}</option>" in listing, locale

    world.mentor.locale = "mn"
    make.session.flush()
    mentor = app.test_client()
    mentor.login(world.mentor)
    assert MONGOLIAN in mentor.get("/awaiting").get_data(as_text=True)


def test_the_admin_program_form_takes_the_names_too(client, world):
    client.login(world.admin)
    url = f"/admin/programs/{world.program.id}/edit"
    values = page_values(client.get(url).get_data(as_text=True))
    assert values["name_translations-ru"] == [""]
    values["name_translations-ko"] = "척추 펠로우십 (테스트)"
    response = client.submit(url, values)
    assert response.status_code == 302, response.get_data(as_text=True)
    assert world.program.name_translations == {"ko": "척추 펠로우십 (테스트)"}
    again = page_values(client.get(url).get_data(as_text=True))
    assert again["name_translations-ko"] == ["척추 펠로우십 (테스트)"]


def test_a_target_label_in_other_languages_is_a_new_version(client, make, world, db_session):
    version = spine_framework(make, world)
    framework = version.framework
    client.login(world.director)
    edit = f"/frameworks/{framework.id}/edit"
    values = page_values(client.get(edit).get_data(as_text=True))
    assert values["targets-1-label"] == ["ACDF"]
    values.update(
        {
            "targets-1-label_translations-ru": "ПШДС",
            "targets-1-label_translations-ko": "전방 경추 디스크 절제 및 유합술 (ACDF)",
            "note": "The ACDF target named in Russian and Korean.",
            "save": "1",
        }
    )
    response = client.submit(edit, values)
    assert response.status_code == 302, response.get_data(as_text=True)
    latest = db_session.scalar(
        select(FrameworkVersion)
        .where(FrameworkVersion.framework_id == framework.id)
        .order_by(FrameworkVersion.number.desc())
        .limit(1)
    )
    assert latest.number == 2
    acdf = latest.targets[1]
    assert acdf.label == "ACDF"
    assert acdf.label_translations == {
        "ru": "ПШДС",
        "ko": "전방 경추 디스크 절제 및 유합술 (ACDF)",
    }
    assert version.targets[1].label_translations == {}  # version 1 stays as it was
    again = page_values(client.get(edit).get_data(as_text=True))
    assert again["targets-1-label_translations-ru"] == ["ПШДС"]

    event = db_session.scalars(
        select(AuditEvent).where(AuditEvent.entity == "framework").order_by(AuditEvent.seq)
    ).all()[-1]
    assert "ru: ПШДС" in json.loads(event.after)["targets"][1]


def test_each_reader_sees_the_targets_in_their_language(app, make, world, db_session):
    small_world(make, world)
    acdf = world.program.framework_version.targets[1]
    acdf.label_translations = {"ko": "경추 전방 유합술", "ru": "ПШДС"}
    db_session.flush()
    pages = {
        world.trainee: ["/dashboard"],
        world.mentor: ["/mentees", f"/mentees/{world.program.id}/{world.trainee.id}"],
        world.director: [
            f"/programs/{world.program.id}/cohort",
            f"/frameworks/{world.program.framework_version.framework_id}",
        ],
    }
    for locale, shown in (("ko", "경추 전방 유합술"), ("ru", "ПШДС"), ("mn", "ACDF")):
        for person, urls in pages.items():
            person.locale = locale
            db_session.flush()
            reader = app.test_client()
            reader.login(person)
            for url in urls:
                page = reader.get(url).get_data(as_text=True)
                assert shown in page, (locale, url)
                hidden = {"경추 전방 유합술", "ПШДС"} - {shown}
                assert not any(text in page for text in hidden), (locale, url)


def test_translated_names_cost_no_query_per_program_or_target(
    client, make, world, db_session, count_queries
):
    small_world(make, world)
    world.director.locale = "ru"
    db_session.flush()
    client.login(world.director)

    def measure() -> list[int]:
        counts = []
        for url in (
            "/frameworks",
            "/programs/",
            "/reports",
            f"/programs/{world.program.id}/cohort",
        ):
            db_session.expire_all()
            with count_queries() as counter:
                assert client.get(url).status_code == 200, url
            counts.append(counter.count)
        return counts

    version = world.program.framework_version
    for target in version.targets:
        target.label_translations = {"ru": f"{target.label} (рус.)"}
    world.program.name_translations = {"ru": "Программа"}
    db_session.flush()
    few = measure()
    for n in range(6):
        program = make.program(
            sites=[world.seoul],
            directors=[world.director],
            specialty=world.spine,
            name=f"Program {n}",
            name_translations={"ru": f"Программа {n}"},
        )
        program.framework_version = version
        make.enrol(make.user(), program)
    db_session.flush()
    many = measure()
    assert few == many
    page = client.get("/frameworks").get_data(as_text=True)
    assert "Программа 5" in page
