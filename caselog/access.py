"""Load what a view acts on, or answer as if it did not exist: the views' side of
`policies`, whose rules decide. A record the user may not see answers 404, exactly like
one that does not exist; pages whose existence is no secret (admin, directors) answer 403.
"""

from collections.abc import Callable

from flask import abort
from flask_login import current_user
from werkzeug.wrappers import Response

from caselog import policies
from caselog.extensions import db, login_manager
from caselog.models import Case, Program, User

CaseRule = Callable[[User, Case], bool]
ProgramRule = Callable[[User, Program], bool]


def case_or_404(case_id: int, rule: CaseRule = policies.can_view_case) -> Case:
    """Load a case the current user may act on under `rule`, else answer 404."""
    case = db.session.get(Case, case_id)
    if case is None or not rule(current_user, case):
        abort(404)
    return case


def program_or_404(program_id: int, rule: ProgramRule = policies.can_manage_program) -> Program:
    """Load a program the current user may act on under `rule`, else answer 404."""
    program = db.session.get(Program, program_id)
    if program is None or not rule(current_user, program):
        abort(404)
    return program


def require(allowed: bool) -> None:
    """Answer 403 unless allowed."""
    if not allowed:
        abort(403)


def blueprint_guard(
    rule: Callable[[User], bool] | None = None,
) -> Callable[[], Response | None]:
    """A before_request hook for a whole blueprint: visitors sign in first; then, if a
    rule is given, whoever it refuses gets 403."""

    def guard() -> Response | None:
        if not current_user.is_authenticated:
            return login_manager.unauthorized()
        if rule is not None:
            require(rule(current_user))
        return None

    return guard
