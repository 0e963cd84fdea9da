"""The Flask extensions, created once and bound to the app in create_app."""

import sqlite3
from typing import TYPE_CHECKING

from flask import current_app, g, has_request_context, request
from flask_babel import Babel
from flask_bootstrap import Bootstrap5
from flask_login import LoginManager
from flask_mailman import Mail
from flask_migrate import Migrate
from flask_sqlalchemy import SQLAlchemy
from flask_wtf.csrf import CSRFProtect
from sqlalchemy import Engine, MetaData, event
from sqlalchemy.orm import DeclarativeBase


class Base(DeclarativeBase):
    """Declarative base with named constraints, so Alembic can alter them on SQLite too."""

    metadata = MetaData(
        naming_convention={
            "ix": "ix_%(column_0_label)s",
            "uq": "uq_%(table_name)s_%(column_0_name)s",
            "ck": "ck_%(table_name)s_%(constraint_name)s",
            "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
            "pk": "pk_%(table_name)s",
        }
    )


db = SQLAlchemy(model_class=Base)

# The models subclass `Model`. At run time it is `db.Model`, the class Flask-SQLAlchemy
# builds from Base (adding table names and the session binding); type checkers cannot use
# an attribute of an instance as a base class, so they see Base, which declares the same
# mapping.
if TYPE_CHECKING:
    Model = Base
else:
    Model = db.Model

migrate = Migrate()
login_manager = LoginManager()
csrf = CSRFProtect()
babel = Babel()
bootstrap = Bootstrap5()
mail = Mail()


@event.listens_for(Engine, "connect")
def _sqlite_on_connect(dbapi_connection, _record):
    """SQLite: enforce foreign keys, wait for locks, and let SQLAlchemy run transactions.

    Python's sqlite3 otherwise opens transactions on its own, which breaks savepoints.
    """
    if isinstance(dbapi_connection, sqlite3.Connection):
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA busy_timeout=10000")
        cursor.close()


@event.listens_for(Engine, "begin")
def _sqlite_on_begin(connection):
    """SQLite: a request that may write takes the write lock when its transaction begins.

    Two writers that both read first and then try to write would otherwise deadlock and
    one would fail with "database is locked"; taken up front, the second one waits.
    """
    if connection.dialect.name == "sqlite":
        connection.exec_driver_sql("BEGIN" if _only_reads() else "BEGIN IMMEDIATE")


def _only_reads() -> bool:
    """A GET request reads, unless its view is marked with `writes_on_get`; the first
    transaction of a POST to a view marked with `reads_first` reads too."""
    if not has_request_context():
        return False
    view = current_app.view_functions.get(request.endpoint or "")
    if request.method in ("GET", "HEAD", "OPTIONS"):
        return not getattr(view, "writes_on_get", False)
    if getattr(view, "reads_first", False) and not g.get("_sqlite_reads_done"):
        g._sqlite_reads_done = True  # later transactions of the request take the lock
        return True
    return False


def writes_on_get(view):
    """Mark a GET view that writes (a download recorded in the audit trail), so that on
    SQLite its transaction takes the write lock up front like a POST's."""
    view.writes_on_get = True
    return view


def reads_first(view):
    """Mark a view that checks a password: on SQLite its first transaction begins without
    the write lock, reads, and ends before the slow hash (`outside_transaction`); every
    transaction after it (the failure or success written) takes the lock up front."""
    view.reads_first = True
    return view
