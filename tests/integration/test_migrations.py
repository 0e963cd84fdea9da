"""Upgrading an install that holds data keeps every row (SQLite rebuilds tables in batch mode)."""

import pytest
import sqlalchemy as sa
from flask_migrate import downgrade, upgrade

from caselog import create_app
from tests.conftest import TEST_CONFIG

FIRST = "a9011d765e42"

ROWS = [
    "INSERT INTO specialty (id, code, name) VALUES (1, 's', 'Spine')",
    "INSERT INTO site (id, name, city, country, time_zone) "
    "VALUES (1, 'H', 'C', 'KR', 'Asia/Seoul')",
    'INSERT INTO "user" (id, email, full_name, password_hash, is_admin, active, created_at) '
    "VALUES (1, 'a@example.test', 'A', 'x', false, true, '2026-01-01')",
    "INSERT INTO program (id, name, kind, specialty_id, start_date, end_date) "
    "VALUES (1, 'P', 'fellowship', 1, '2026-01-01', '2026-12-31')",
    "INSERT INTO program_site VALUES (1, 1)",
    "INSERT INTO program_director VALUES (1, 1)",
    "INSERT INTO procedure (id, specialty_id, code, name, synonyms, retired) "
    "VALUES (1, 1, 'p', 'P', '', false), (2, 1, 'q', 'Lumbar Fusion', 'PLF\nÉcole', false)",
    'INSERT INTO "case" (id, reference, trainee_id, program_id, site_id, supervisor_id, status, '
    "version, operation_date, primary_procedure_id, approach, urgency, setting, involvement, "
    "complication, complication_description, return_to_theatre, notes, created_at, updated_at) "
    "VALUES (1, 'AAAA-BBBB', 1, 1, 1, 1, 'submitted', 1, '2026-02-01', 1, 'open', 'elective', "
    "'theatre', 'P', 'none', '', false, '', '2026-02-01', '2026-02-01')",
    "INSERT INTO case_additional_procedure VALUES (1, 2)",
]
TABLES = ["program_site", "program_director", "case_additional_procedure", '"case"', "program"]


@pytest.fixture
def old_install(new_database_url):
    """A database at the first schema, holding a program and a case."""
    app = create_app({**TEST_CONFIG, "SQLALCHEMY_DATABASE_URI": new_database_url("migrations")})
    with app.app_context():
        upgrade(revision=FIRST)
        from caselog.extensions import db

        with db.engine.begin() as connection:
            for statement in ROWS:
                connection.execute(sa.text(statement))
        yield db.engine
        db.engine.dispose()


def _counts(engine) -> dict[str, int]:
    counts = {}
    with engine.connect() as connection:
        for table in TABLES:  # fixed names, not input
            query = sa.text(f"SELECT count(*) FROM {table}")  # noqa: S608
            counts[table] = connection.execute(query).scalar_one()
    return counts


def test_upgrading_and_downgrading_keep_every_row(old_install):
    assert _counts(old_install) == dict.fromkeys(TABLES, 1)
    upgrade()
    assert _counts(old_install) == dict.fromkeys(TABLES, 1)
    with old_install.begin() as connection:
        found = connection.execute(sa.text("SELECT search_text FROM procedure WHERE id = 2"))
        assert found.scalar_one() == "lumbar fusion\nlumbarfusion\nplf\necole"
        connection.execute(
            sa.text(
                "INSERT INTO procedure_name (procedure_id, locale, name, synonyms) "
                "VALUES (2, 'ru', 'Поясничный спондилодез', '')"
            )
        )
    downgrade(revision=FIRST)
    assert _counts(old_install) == dict.fromkeys(TABLES, 1)
