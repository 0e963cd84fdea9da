"""A report issued by another Caselog installation does not verify on this one."""

import io

import pytest

from caselog.extensions import db
from tests import factories
from tests.conftest import make_app
from tests.integration.verify_steps import issue_logbook

UNKNOWN = "No report with this code was issued by this installation"
EXACT = "This file is exactly the report issued on"
DIFFERS = "This file is NOT the issued report"


@pytest.fixture(scope="module")
def foreign_report(new_database_url):
    """A logbook issued, for a trainee of the same name, by an installation on its own database."""
    other = make_app(
        new_database_url("caselog_other_installation"),
        BASE_URL="https://caselog.other.example",
        INSTALLATION_NAME="Other",
    )
    with other.app_context():
        make = factories.Factory(db.session)
        trainee = make.user("Bat-Erdene Dorj", email="trainee@example.test")
        director = make.user("Dr Director Kim", email="director@example.test")
        report, pdf = issue_logbook(trainee, director)
        db.session.commit()
        code, sha256 = report.code, report.sha256
        db.session.remove()
        db.engine.dispose()
    return code, sha256, pdf


def test_another_installations_code_is_unknown_here(client, foreign_report):
    code, _sha256, pdf = foreign_report
    response = client.get(f"/verify/{code}")
    assert response.status_code == 404 and UNKNOWN in response.get_data(as_text=True)
    token = client.token()
    response = client.post(
        f"/verify/{code}",
        content_type="multipart/form-data",
        data={"csrf_token": token, "document": (io.BytesIO(pdf), "r.pdf")},
    )
    assert response.status_code == 404 and EXACT not in response.get_data(as_text=True)


def test_another_installations_pdf_is_not_a_report_of_this_one(client, world, foreign_report):
    _code, sha256, pdf = foreign_report
    report, _own_pdf = issue_logbook(world.trainee, world.director)  # same title and names
    assert report.sha256 != sha256
    response = client.submit(
        f"/verify/{report.code}",
        {"document": (io.BytesIO(pdf), "logbook.pdf")},
        content_type="multipart/form-data",
    )
    page = response.get_data(as_text=True)
    assert DIFFERS in page and EXACT not in page
