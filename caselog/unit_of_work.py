"""Every request is one unit of work: it commits once, after its view succeeds, and rolls
back on any exception. Services only flush; no route commits.

- `CaselogFlask` wraps the dispatch of every view in `unit_of_work()` (Indico's
  `RH.process`, in Flask terms); CLI commands use the same context manager.
- `attempt(form, action)` runs one service call for a form: on a `DomainError` the call's
  writes are undone (a savepoint) and its message goes on the form, everything typed kept.
- `kept_despite_refusal()` is the one other place that commits: a short transaction of its
  own for what must outlive a refusal (a failed sign-in, a wrong signing password, a report
  code that matched nothing), opened by the service that refuses.
"""

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import TypeVar

from flask import Flask
from flask.typing import ResponseReturnValue
from flask_wtf import FlaskForm

from caselog.errors import DomainError
from caselog.extensions import db
from caselog.forms import show_error

T = TypeVar("T")


@contextmanager
def unit_of_work() -> Iterator[None]:
    """Commit what the block did if it ends normally; roll back if anything is raised."""
    try:
        yield
        db.session.commit()
    except BaseException:
        db.session.rollback()
        raise


class CaselogFlask(Flask):
    """Flask, with every view dispatched as one unit of work.

    The commit happens before the response is sent, so a redirect never reaches the
    browser ahead of the data it points to, and a failed commit is a failed request.
    """

    def dispatch_request(self) -> ResponseReturnValue:
        with unit_of_work():
            return super().dispatch_request()


def attempt(form: FlaskForm, action: Callable[[], T]) -> T | None:
    """Run a service call for a form. On a DomainError, undo what the call wrote, put the
    message on the field it names (or on the form) and answer None, so the route shows
    the form again with everything typed kept."""
    try:
        with db.session.begin_nested():
            return action()
    except DomainError as error:
        show_error(form, error)
        return None


@contextmanager
def kept_despite_refusal() -> Iterator[None]:
    """A short transaction of its own for the record of a refused attempt, so that the
    refusal (raised next) cannot roll it back.

    Whatever the request had done so far is rolled back first: a refusal is decided before
    the request writes anything, and a request must not commit half of its work.
    """
    db.session.rollback()
    with unit_of_work():
        yield
