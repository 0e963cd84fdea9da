"""Every request is one unit of work: it commits once, after its view succeeds, and rolls
back on any exception. Services only flush; no route commits.

- `CaselogFlask` wraps the dispatch of every view in `unit_of_work()` (Indico's
  `RH.process`, in Flask terms); CLI commands use the same context manager.
- `with attempt(form) as done:` runs service calls for a form: on a `DomainError` their
  writes are undone (a savepoint) and its message goes on the form, everything typed kept.
- `kept_despite_refusal()` is the one other place that commits: a short transaction of its
  own for what must outlive a refusal (a failed sign-in, a wrong signing password, a report
  code that matched nothing), opened by the service that refuses.
- `outside_transaction()` runs slow work that needs no database (hashing a password) after
  the request's reads end, so no lock is held while it runs; the writes follow in a new
  transaction.
"""

from collections.abc import Iterator
from contextlib import contextmanager

from flask import Flask, flash, make_response
from flask.typing import ResponseReturnValue
from flask_wtf import FlaskForm

from caselog.errors import DomainError, TooManyAttempts
from caselog.extensions import db
from caselog.forms import show_error


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


class Attempt:
    """What became of a service call run under `attempt`: `ok`, or the `error` it raised."""

    def __init__(self) -> None:
        self.error: DomainError | None = None

    @property
    def ok(self) -> bool:
        return self.error is None

    def answer(self, page: ResponseReturnValue) -> ResponseReturnValue:
        """The page that shows the form again: a 429 with `Retry-After` when the attempt was
        refused for too many failures (a redirect stays a redirect)."""
        if not isinstance(self.error, TooManyAttempts):
            return page
        response = make_response(page)
        if response.status_code == 200:
            response.status_code = 429
            response.headers["Retry-After"] = str(self.error.retry_after)
        return response


@contextmanager
def attempt(form: FlaskForm | None = None, flash_as: str = "warning") -> Iterator[Attempt]:
    """Run the service calls in the block; on a DomainError, undo what they wrote (a
    savepoint), put the message on the field it names or on the form, and go on after
    the block with `ok` false, so the route shows the form again with everything typed
    kept. Without a form, the message is flashed (as `flash_as`) for the next page.

        with attempt(form) as done:
            site = services.create_site(form.to_input(), actor=current_user, now=clock.now())
        if done.ok:
            return redirect(...)
    """
    outcome = Attempt()
    savepoint = db.session.begin_nested()
    try:
        yield outcome
    except DomainError as error:
        if savepoint.is_active:  # not when a refusal already ended the transaction
            savepoint.rollback()
        outcome.error = error
        if form is not None:
            show_error(form, error)
        else:
            flash(error.message, flash_as)
    except BaseException:
        if savepoint.is_active:
            savepoint.rollback()
        raise
    else:
        if savepoint.is_active:  # not when the block ended its reads (outside_transaction)
            savepoint.commit()


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


@contextmanager
def outside_transaction() -> Iterator[None]:
    """Slow work that needs no database (hashing a password), with no transaction open.

    The request's transaction so far, which only read, ends first: on SQLite no lock is
    held while the work runs, so other requests write meanwhile. Objects loaded before are
    read afresh when next used; the next statement begins a new transaction, which on
    SQLite takes the write lock (see `reads_first` in caselog/extensions.py).
    """
    db.session.rollback()
    yield
