"""The app served over HTTP from its own database, for tests whose requests come from
outside the test (Chromium, or several HTTP clients at once).

The unit and integration tests run inside a rolled-back transaction that a server thread
cannot see; here data is committed so the server sees it, and every table is emptied
after each test.
"""

import threading
from contextlib import contextmanager

from flask import Flask
from sqlalchemy.orm import Session
from werkzeug.serving import make_server

from caselog.audit.guard import guard_lifted
from caselog.extensions import db
from tests import factories


@contextmanager
def served(app: Flask):
    """The app served by werkzeug (a thread per request) on a free loopback port;
    yields its base URL."""
    server = make_server("127.0.0.1", 0, static_files_from_memory(app), threaded=True)
    thread = threading.Thread(target=server.serve_forever, name="live-server", daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        thread.join(timeout=10)


def static_files_from_memory(app: Flask):
    """The app, but a static file is read and closed before it is sent.

    When a browser resets the connection while a file is being sent (a tab closed while
    an icon loads), werkzeug's development server can skip closing the response, and the
    open file surfaces later as a ResourceWarning (an error here) in whichever test runs
    next. Static files are small; nothing else is buffered, so pages and exports stream.
    """

    def wsgi(environ, start_response):
        body = app(environ, start_response)
        if "/static/" not in environ.get("PATH_INFO", ""):
            return body
        try:
            return [b"".join(body)]
        finally:
            if hasattr(body, "close"):
                body.close()

    return wsgi


@contextmanager
def committing_session(app: Flask):
    """The test's session on the served app's database: commit what the server must see;
    afterwards every table is emptied.

    Objects stay loaded after a commit, so reading them does not open a transaction that
    would hold SQLite's lock while the server writes. Read the database only after the
    requests are done, or end the read with `db.session.rollback()`.
    """
    with app.app_context():
        db.session().expire_on_commit = False
        try:
            yield db.session
        finally:
            db.session.rollback()
            db.session.remove()
            empty_every_table()


def empty_every_table() -> None:
    """Delete every row, children before parents, in one transaction; the audit trail's
    triggers refuse deletes, so they are lifted for the moment (and come back with it)."""
    with Session(db.engine) as session, session.begin(), guard_lifted(session):
        for table in reversed(db.metadata.sorted_tables):
            session.execute(table.delete())


class CommittingFactory(factories.Factory):
    """The usual factories, but every object is committed so the server can see it."""

    def _save(self, obj):
        self.session.add(obj)
        self.session.commit()
        return obj
