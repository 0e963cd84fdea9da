"""The one place the app reads the time: the edge (routes, templates, CLI commands) asks here
and hands the moment to the services as `now`; services never read the clock themselves.

A request reads the clock once, so every service and template in it sees the same moment.
The clock is the system's UTC time, unless the app's `CLOCK` setting names another function
(tests run the app at a time of their choosing).
"""

from datetime import datetime

from flask import current_app, g, has_app_context, has_request_context

from caselog.models.types import utcnow


def now() -> datetime:
    """The current request's time (aware UTC), or the current time outside a request."""
    if not has_request_context():
        return _read()
    if "now" not in g:
        g.now = _read()
    return g.now


def _read() -> datetime:
    clock = current_app.config.get("CLOCK") if has_app_context() else None
    moment = (clock or utcnow)()
    if moment.tzinfo is None:
        raise ValueError("the clock must give an aware (UTC) time")
    return moment
