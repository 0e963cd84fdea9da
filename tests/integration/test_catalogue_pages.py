"""The catalogue admin pages, used through the browser-like client as each role."""

import re

import pytest
from sqlalchemy import select

from caselog.catalogue.loader import STARTER_CATALOGUE, load_catalogue
from caselog.models import Approach, Procedure, ProcedureCode, ProcedureGroup, ProcedureName


@pytest.fixture
def groups(world, db_session):
    """Two groups of the world's spine specialty, and one of another specialty."""
    decompression = ProcedureGroup(
        specialty_id=world.spine.id, code="decompression", name="Spinal decompression"
    )
    fusion = ProcedureGroup(specialty_id=world.spine.id, code="fusion", name="Lumbar fusion")
    db_session.add_all([decompression, fusion])
    db_session.flush()
    return {"decompression": decompression, "fusion": fusion}


@pytest.fixture
def admin(client, world):
    client.login(world.admin)
    return world.admin


def catalogue_routes(world):
    """(method, url, status for an admin) for every catalogue endpoint."""
    pid = world.acdf.id
    return {
        "catalogue.index": ("GET", "/catalogue/", 200),
        "catalogue.new": ("GET", "/catalogue/procedures/new", 200),
        "catalogue.edit": ("GET", f"/catalogue/procedures/{pid}/edit", 200),
        "catalogue.retire": ("POST", f"/catalogue/procedures/{pid}/retire", 302),
        "catalogue.restore": ("POST", f"/catalogue/procedures/{pid}/restore", 302),
        "catalogue.delete": ("POST", f"/catalogue/procedures/{pid}/delete", 302),
    }


def test_every_catalogue_route_is_walked(app, world):
    endpoints = {
        rule.endpoint for rule in app.url_map.iter_rules() if rule.endpoint.startswith("catalogue.")
    }
    assert endpoints == set(catalogue_routes(world))


@pytest.mark.parametrize("role", ["anonymous", "trainee", "mentor", "director", "admin"])
def test_only_admins_reach_the_catalogue(client, world, db_session, role):
    person = None if role == "anonymous" else getattr(world, role)
    acdf_id = world.acdf.id
    if person is not None:
        client.login(person)
    token = client.token()
    for endpoint, (method, url, admin_status) in catalogue_routes(world).items():
        if method == "GET":
            response = client.get(url)
        else:
            response = client.post(url, data={"csrf_token": token})
        if role == "anonymous":
            assert response.status_code == 302, endpoint
            assert response.headers["Location"].startswith("/login"), endpoint
        elif role == "admin":
            assert response.status_code == admin_status, endpoint
        else:
            assert response.status_code == 403, endpoint
    still_there = db_session.scalar(select(Procedure.id).where(Procedure.id == acdf_id))
    assert (still_there is None) == (role == "admin")  # only the admin's delete went through


def test_admin_area_links_to_the_catalogue(client, admin):
    assert 'href="/catalogue/"' in client.get("/admin/").get_data(as_text=True)


def test_catalogue_lists_specialties_procedures_groups_codes_and_status(
    client, admin, world, groups, make, db_session
):
    world.microdiscectomy.groups = [groups["decompression"]]
    world.fusion.retired = True
    make.case(world.trainee, world.program, world.microdiscectomy, world.mentor)
    db_session.flush()
    html = client.get("/catalogue/").get_data(as_text=True)
    assert "Spine surgery" in html
    for name in (
        "Lumbar microdiscectomy",
        "Transforaminal lumbar interbody fusion",
        "Anterior cervical discectomy and fusion",
    ):
        assert name in html
    row = _row(html, world.microdiscectomy.code)
    assert "Spinal decompression" in row and "Active" in row and "Used by 1 case" in row
    assert "Retired" in _row(html, world.fusion.code)


def sections(html: str) -> list[str]:
    """The specialty headings shown on the catalogue page."""
    headings = re.findall(
        r'<h2 class="h4 m-0" id="specialty-\d+">(.*?)\s*<span class="text-muted', html, re.S
    )
    return [re.sub(r"<[^>]+>", "", name).strip() for name in headings]


def _row(html: str, code: str) -> str:
    match = re.search(rf'data-procedure="{re.escape(code)}">(.*?)</li>', html, re.S)
    assert match, code
    return match.group(1)


def test_search_matches_name_short_name_and_synonyms(client, admin, db_session):
    load_catalogue(STARTER_CATALOGUE)
    db_session.flush()

    def found(query: str) -> str:
        return client.get("/catalogue/", query_string={"q": query}).get_data(as_text=True)

    assert "Pancreaticoduodenectomy" in found("whipple")
    assert "Lumbar microdiscectomy" not in found("whipple")
    assert "Central liver resection" in found("mesohepatectomy")
    assert "Primary total knee arthroplasty" in found("TKR")
    assert "Cholecystectomy" in found("lap chole")
    page = found("TLIF")
    assert "Transforaminal lumbar interbody fusion" in page
    assert set(sections(page)) == {"Spine surgery"}  # specialties without a match are hidden
    assert "No procedure matches" in found("zzzz")
    assert "No procedure matches" in found("%")  # wildcards are taken literally
    assert "No procedure matches" in found("_")


def test_filter_by_specialty_and_status(client, admin, world, make, db_session):
    other = make.specialty("General surgery", code="general-test")
    make.procedure("Cholecystectomy", other)
    world.fusion.retired = True
    db_session.flush()
    page = client.get("/catalogue/", query_string={"specialty": other.id}).get_data(as_text=True)
    assert "Cholecystectomy" in page and "Lumbar microdiscectomy" not in page
    page = client.get("/catalogue/", query_string={"status": "retired"}).get_data(as_text=True)
    assert "Transforaminal lumbar interbody fusion" in page
    assert "Lumbar microdiscectomy" not in page


def test_add_a_procedure_with_synonyms_groups_and_codes(client, admin, world, groups, db_session):
    response = client.submit(
        "/catalogue/procedures/new",
        {
            "specialty_id": world.spine.id,
            "name": "  Oblique lumbar   interbody fusion ",
            "short_name": "OLIF",
            "synonyms": "ATP approach\n\n oblique lateral interbody fusion \nATP approach",
            "default_approach": "open",
            "group_ids": [groups["fusion"].id],
            "codes-0-system": "LOCAL",
            "codes-0-code": "SP-17",
            "codes-0-source": "Hospital list",
            "codes-1-system": "",
            "codes-1-code": "",
            "codes-1-source": "",
        },
    )
    assert response.status_code == 302, response.get_data(as_text=True)
    procedure = db_session.scalar(select(Procedure).where(Procedure.short_name == "OLIF"))
    assert procedure.name == "Oblique lumbar interbody fusion"
    assert procedure.code == "oblique-lumbar-interbody-fusion"
    assert procedure.synonym_list == ["ATP approach", "oblique lateral interbody fusion"]
    assert procedure.default_approach is Approach.OPEN
    assert [g.code for g in procedure.groups] == ["fusion"]
    assert [(c.system, c.code, c.source) for c in procedure.codes] == [
        ("LOCAL", "SP-17", "Hospital list")
    ]
    assert not procedure.retired
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Oblique lumbar interbody fusion added to the catalogue." in page


def test_new_procedure_appears_on_the_trainees_case_form(client, admin, world):
    client.submit(
        "/catalogue/procedures/new",
        {
            "specialty_id": world.spine.id,
            "name": "Sacroiliac joint fusion",
        },
    )
    client.post("/logout", data={"csrf_token": client.token()})
    client.login(world.trainee)
    assert "Sacroiliac joint fusion" in client.get("/cases/new").get_data(as_text=True)


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (
            {"codes-0-system": "CPT", "codes-0-code": "22612", "codes-0-source": ""},
            "Say where CPT 22612 comes from",
        ),
        (
            {"codes-0-system": "", "codes-0-code": "22612", "codes-0-source": "AMA"},
            "both its system and the code",
        ),
        (
            {
                "codes-0-system": "CPT",
                "codes-0-code": "1",
                "codes-0-source": "AMA",
                "codes-1-system": "CPT",
                "codes-1-code": "1",
                "codes-1-source": "AMA",
            },
            "CPT 1 is entered twice",
        ),
        ({"name": "Lumbar microdiscectomy"}, "already has a procedure called"),
        ({"key": "Not A Key"}, "lower-case letters, digits and hyphens"),
        ({"default_approach": "keyhole"}, "Not a valid choice"),
    ],
)
def test_add_refuses_bad_input_and_keeps_what_was_typed(
    client, admin, world, db_session, data, message
):
    before = len(world.spine.procedures)
    response = client.submit(
        "/catalogue/procedures/new",
        {
            "specialty_id": world.spine.id,
            "name": "Posterolateral fusion",
            "synonyms": "PLF",
            **data,
        },
    )
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert message in html
    assert "PLF" in html  # nothing typed is lost
    db_session.expire_all()
    assert len(world.spine.procedures) == before


def test_groups_must_belong_to_the_procedures_specialty(client, admin, world, groups, make):
    other = make.specialty("General surgery", code="general-test")
    response = client.submit(
        "/catalogue/procedures/new",
        {
            "specialty_id": other.id,
            "name": "Hernia repair",
            "group_ids": [groups["fusion"].id],
        },
    )
    assert response.status_code == 200
    assert "Choose only groups of General surgery." in response.get_data(as_text=True)


def test_edit_changes_a_procedure_and_its_codes(client, admin, world, groups, db_session):
    world.fusion.codes.append(ProcedureCode(system="CPT", code="9", source="AMA"))
    world.fusion.codes.append(ProcedureCode(system="LOCAL", code="F1", source="Hospital list"))
    db_session.flush()
    url = f"/catalogue/procedures/{world.fusion.id}/edit"
    page = client.get(url).get_data(as_text=True)
    assert 'value="Transforaminal lumbar interbody fusion"' in page
    assert 'value="F1"' in page and 'name="codes-3-system"' in page  # two blank rows offered
    response = client.submit(
        url,
        {
            "specialty_id": world.spine.id,
            "name": "Transforaminal lumbar interbody fusion (TLIF)",
            "short_name": "TLIF",
            "synonyms": "MIS-TLIF",
            "default_approach": "",
            "group_ids": [groups["fusion"].id, groups["decompression"].id],
            "key": world.fusion.code,
            # The CPT row is cleared (removed), LOCAL kept with a new source, one added.
            "codes-0-system": "",
            "codes-0-code": "",
            "codes-0-source": "",
            "codes-1-system": "LOCAL",
            "codes-1-code": "F1",
            "codes-1-source": "Seoul list",
            "codes-2-system": "SNOMED CT",
            "codes-2-code": "12345",
            "codes-2-source": "SNOMED Intl",
        },
    )
    assert response.status_code == 302, response.get_data(as_text=True)
    db_session.expire_all()
    fusion = db_session.get(Procedure, world.fusion.id)
    assert fusion.name == "Transforaminal lumbar interbody fusion (TLIF)"
    assert fusion.short_name == "TLIF" and fusion.synonym_list == ["MIS-TLIF"]
    assert fusion.default_approach is None
    assert {g.code for g in fusion.groups} == {"fusion", "decompression"}
    assert {(c.system, c.code, c.source) for c in fusion.codes} == {
        ("LOCAL", "F1", "Seoul list"),
        ("SNOMED CT", "12345", "SNOMED Intl"),
    }


def test_unknown_procedure_is_not_found(client, admin):
    assert client.get("/catalogue/procedures/999999/edit").status_code == 404


def test_retire_and_restore(client, admin, world, make, db_session):
    case = make.case(world.trainee, world.program, world.acdf, world.mentor)
    url = f"/catalogue/procedures/{world.acdf.id}/edit"
    response = client.submit(f"/catalogue/procedures/{world.acdf.id}/retire", page=url)
    assert response.status_code == 302
    db_session.expire_all()
    assert db_session.get(Procedure, world.acdf.id).retired
    assert "Restore to the case form" in client.get(url).get_data(as_text=True)

    # Gone from a new case form, still on the old case.
    client.post("/logout", data={"csrf_token": client.token()})
    client.login(world.trainee)
    assert "Anterior cervical discectomy and fusion" not in client.get("/cases/new").get_data(
        as_text=True
    )
    assert "Anterior cervical discectomy and fusion" in client.get(f"/cases/{case.id}").get_data(
        as_text=True
    )

    client.post("/logout", data={"csrf_token": client.token()})
    client.login(world.admin)
    response = client.submit(f"/catalogue/procedures/{world.acdf.id}/restore", page=url)
    assert response.status_code == 302
    db_session.expire_all()
    assert not db_session.get(Procedure, world.acdf.id).retired


def test_delete_an_unused_procedure(client, admin, world, groups, db_session):
    world.acdf.groups = [groups["decompression"]]
    world.acdf.codes.append(ProcedureCode(system="CPT", code="22551", source="AMA"))
    db_session.flush()
    acdf_id = world.acdf.id
    url = f"/catalogue/procedures/{acdf_id}/edit"
    assert "Nothing uses this procedure, so it can be deleted." in client.get(url).get_data(
        as_text=True
    )
    response = client.submit(f"/catalogue/procedures/{acdf_id}/delete", page=url)
    assert response.status_code == 302
    assert db_session.scalar(select(Procedure.id).where(Procedure.id == acdf_id)) is None
    assert db_session.scalars(select(ProcedureCode)).all() == []
    assert db_session.get(ProcedureGroup, groups["decompression"].id) is not None
    assert "Anterior cervical discectomy and fusion deleted." in client.get(
        response.headers["Location"]
    ).get_data(as_text=True)


@pytest.mark.parametrize("use", ["primary", "additional"])
def test_delete_is_refused_for_a_used_procedure(client, admin, world, make, db_session, use):
    if use == "primary":
        make.case(world.trainee, world.program, world.acdf, world.mentor)
    else:
        make.case(
            world.trainee,
            world.program,
            world.microdiscectomy,
            world.mentor,
            additional_procedures=[world.acdf],
        )
    url = f"/catalogue/procedures/{world.acdf.id}/edit"
    page = client.get(url).get_data(as_text=True)
    assert "Used by 1 case." in page
    assert "It cannot be deleted because cases use it: retire it instead." in page
    assert f"/catalogue/procedures/{world.acdf.id}/delete" not in page
    assert "Retire" in page

    response = client.submit(f"/catalogue/procedures/{world.acdf.id}/delete", page=url)
    assert response.status_code == 302
    assert response.headers["Location"].endswith(url)
    db_session.expire_all()
    assert db_session.get(Procedure, world.acdf.id) is not None
    assert "1 case uses this procedure, so it cannot be deleted." in client.get(url).get_data(
        as_text=True
    )


def test_catalogue_page_queries_do_not_grow_with_data(
    client, admin, world, groups, make, count_queries, db_session
):
    def measure() -> int:
        with count_queries() as counter:
            assert client.get("/catalogue/").status_code == 200
        return counter.count

    world.microdiscectomy.groups = [groups["decompression"]]  # names of groups load too
    db_session.flush()
    baseline = measure()
    for n in range(8):
        procedure = make.procedure(f"Extra procedure {n}", world.spine)
        procedure.groups = [groups["fusion"]]
        procedure.codes.append(ProcedureCode(system="LOCAL", code=f"X{n}", source="list"))
        make.case(world.trainee, world.program, procedure, world.mentor)
    db_session.flush()
    assert measure() == baseline


def test_add_page_starts_in_the_chosen_specialty_with_its_groups_first(
    client, admin, world, groups, make, db_session
):
    other = make.specialty("General surgery", code="general-test")
    db_session.add(ProcedureGroup(specialty_id=other.id, code="hernia", name="Hernia repair"))
    db_session.flush()
    page = client.get("/catalogue/procedures/new", query_string={"specialty": world.spine.id})
    html = page.get_data(as_text=True)
    assert re.search(rf'<option selected value="{world.spine.id}">', html)
    own, _, rest = html.partition("Groups of the other specialties")
    assert "Lumbar fusion" in own and "Hernia repair" in rest


def edit_data(procedure, **names) -> dict:
    """The edit form as it stands for the procedure, with names in other languages changed."""
    data = {
        "specialty_id": procedure.specialty_id,
        "name": procedure.name,
        "short_name": procedure.short_name or "",
        "synonyms": procedure.synonyms,
        "default_approach": procedure.default_approach or "",
        "key": procedure.code,
    }
    for key, value in names.items():  # ko_name="..." -> names_ko-name
        locale, field = key.split("_", 1)
        data[f"names_{locale}-{field}"] = value
    return data


def test_admin_gives_a_procedure_its_names_in_each_language(client, admin, world, db_session):
    url = f"/catalogue/procedures/{world.fusion.id}/edit"
    page = client.get(url).get_data(as_text=True)
    for language in ("Russian", "Mongolian", "Korean"):
        assert f">{language}" in page
    assert 'name="names_ko-synonyms"' in page
    response = client.submit(
        url,
        edit_data(
            world.fusion,
            ru_name=" Трансфораминальный  поясничный межтеловой спондилодез ",
            ru_short_name="ТЛИФ",
            ru_synonyms="МИ-ТЛИФ\n\nтрансфораминальный спондилодез\nМИ-ТЛИФ",
            ko_name="경추간공 요추 척추체간 유합술",
            ko_synonyms="경추간공 유합술",
            mn_synonyms="трансфораминаль бэхэлгээ",
        ),
    )
    assert response.status_code == 302, response.get_data(as_text=True)
    db_session.expire_all()
    fusion = db_session.get(Procedure, world.fusion.id)
    ru = fusion.translation("ru")
    assert (ru.name, ru.short_name) == (
        "Трансфораминальный поясничный межтеловой спондилодез",
        "ТЛИФ",
    )
    assert ru.synonym_list == ["МИ-ТЛИФ", "трансфораминальный спондилодез"]
    assert fusion.display_name("ko").text == "경추간공 요추 척추체간 유합술"
    assert fusion.display_name("mn").fallback  # synonyms only: no Mongolian name yet
    assert fusion.translation("mn").synonym_list == ["трансфораминаль бэхэлгээ"]

    found = client.get("/catalogue/", query_string={"q": "ми-тлиф"}).get_data(as_text=True)
    assert _row(found, world.fusion.code)
    row = _row(client.get("/catalogue/").get_data(as_text=True), world.fusion.code)
    assert "No name yet in: Mongolian" in row and "경추간공 유합술" in row
    edit_page = client.get(url).get_data(as_text=True)
    assert 'value="ТЛИФ"' in edit_page  # the repeated synonym was dropped:
    assert "МИ-ТЛИФ\nтрансфораминальный спондилодез</textarea>" in edit_page

    # Clearing a language's fields removes its names; the others stay.
    response = client.submit(
        url,
        edit_data(
            fusion,
            ko_name="경추간공 요추 척추체간 유합술",
            ko_synonyms="경추간공 유합술",
            mn_synonyms="трансфораминаль бэхэлгээ",
        ),
    )
    assert response.status_code == 302
    db_session.expire_all()
    fusion = db_session.get(Procedure, world.fusion.id)
    assert [row.locale for row in fusion.names] == ["ko", "mn"]
    assert (
        not client.get("/catalogue/", query_string={"q": "тлиф"})
        .get_data(as_text=True)
        .count(f'data-procedure="{world.fusion.code}"')
    )


def test_a_name_another_procedure_has_in_that_language_is_refused_and_kept(
    client, admin, world, db_session
):
    world.microdiscectomy.names.append(ProcedureName(locale="ko", name="미세 추간판 절제술"))
    db_session.flush()
    response = client.submit(
        f"/catalogue/procedures/{world.fusion.id}/edit",
        edit_data(world.fusion, ko_name="미세  추간판 절제술", ru_name="Спондилодез"),
    )
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    error = re.search(r'id="names_ko-name-error"[^>]*>([^<]+)<', html)
    assert error and "already has a procedure called “미세 추간판 절제술” in Korean" in error.group(
        1
    )
    assert 'value="Спондилодез"' in html  # nothing typed is lost
    db_session.expire_all()
    assert db_session.get(Procedure, world.fusion.id).names == []
