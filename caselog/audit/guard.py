"""Lifting the audit table's append-only triggers, for the two callers that must.

Only `seed-demo` (which replaces a demo database wholesale) and the tests (which prove
that `verify-audit` catches what the triggers would have stopped) use this. The triggers
come back before the transaction ends; on both databases the DDL is transactional.
"""

from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy import text
from sqlalchemy.orm import Session


@contextmanager
def guard_lifted(session: Session) -> Iterator[None]:
    """Within the block, audit events may be changed and deleted."""
    dialect = session.get_bind().dialect.name
    if dialect == "postgresql":
        session.execute(text("ALTER TABLE audit_event DISABLE TRIGGER USER"))
        yield
        session.execute(text("ALTER TABLE audit_event ENABLE TRIGGER USER"))
        return
    triggers = session.execute(
        text(
            "SELECT name, sql FROM sqlite_master"
            " WHERE type = 'trigger' AND tbl_name = 'audit_event'"
        )
    ).all()
    for name, _sql in triggers:
        session.execute(text(f'DROP TRIGGER "{name}"'))
    yield
    for _name, sql in triggers:
        session.execute(text(sql))
