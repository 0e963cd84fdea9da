"""Pages for signing off: the mentor's queue and batch sign-off, review, sign, return,
bedside sign-off on the trainee's device, and reassignment by a director."""

from typing import Any

from flask import Blueprint, abort, flash, g, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user, login_required
from sqlalchemy.exc import IntegrityError
from wtforms.fields.choices import SelectChoice

from caselog import access, clock, policies
from caselog.bounds import record_id
from caselog.extensions import db, reads_first
from caselog.i18n import N_
from caselog.models import Case, CaseStatus, Signature, User
from caselog.notices import flash_notice, say
from caselog.programs import queries as program_queries
from caselog.second_factor import services as second_factor
from caselog.signoff import queries, services, signatures
from caselog.signoff.forms import (
    BatchForm,
    BedsideForm,
    QueueFilterForm,
    ReassignForm,
    ReturnForm,
    SignForm,
)
from caselog.signoff.services import Seen
from caselog.unit_of_work import Attempt, attempt

bp = Blueprint("signoff", __name__)

# Said of a case that has left the signer's sight (a draft again) by the time they read it.
GONE = N_("Not signed: the case no longer awaits your sign-off.")
QUEUE_ARGS = ("program", "trainee", "days")  # the filters a queue link keeps


def _queue_filters() -> dict[str, Any]:
    """The filters the mentor had set, as query arguments."""
    return {key: request.args[key] for key in QUEUE_ARGS if request.args.get(key)}


def _queue_url() -> str:
    """The queue, with the filters the mentor had set."""
    return url_for("signoff.queue", **_queue_filters())


def _address() -> str:
    return request.remote_addr or ""


def _sign_once(
    signer: User, seen: list[Seen], assessment=None, *, bedside: bool = False
) -> services.Outcome | None:
    """Sign in a savepoint of the request. None when another signature came first at the
    same instant (undone, and the signer told); a refused rule is undone and raised."""
    try:
        with db.session.begin_nested():
            return services.sign(signer, seen, assessment, bedside=bedside, now=clock.now())
    except IntegrityError:
        flash(
            _("Nothing was signed: another signature came first. Check the case and try again."),
            "warning",
        )
        return None


# The queue and batch sign-off ----------------------------------------------------------


@bp.route("/awaiting")
@login_required
def queue():
    """Cases awaiting the mentor (or those they are a delegate for), oldest first."""
    access.require(policies.is_mentor(current_user))
    return _render_queue(BatchForm(formdata=None))


def _render_queue(batch: BatchForm):
    filter_form = QueueFilterForm(request.args)
    options = queries.queue_options(current_user)
    filter_form.program.choices = [SelectChoice("", _("All programs"))] + [
        SelectChoice(pid, name) for pid, name in options.programs
    ]
    filter_form.trainee.choices = [SelectChoice("", _("All trainees"))] + [
        SelectChoice(tid, name) for tid, name in options.trainees
    ]
    filters = queries.QueueFilters()
    if filter_form.validate():
        filters = queries.QueueFilters(
            filter_form.program.data, filter_form.trainee.data, filter_form.days.data
        )
    waiting = queries.awaiting_sign_off(current_user, filters, now=clock.now())
    rows = [(case, f"{case.id}:{signatures.fingerprint(case)}") for case in waiting]
    return render_template(
        "signoff/queue.html",
        rows=rows,
        batch=batch,
        filter_form=filter_form,
        filtered=any(request.args.get(key) for key in QUEUE_ARGS),
        total=summary.count if (summary := waiting_for_me()) else 0,  # the banner's count
        limit=queries.QUEUE_LIMIT,
        selected=set(batch.cases.data or []),
        meaning=signatures.MEANING,
        action=url_for("signoff.sign_batch", **_queue_filters()),
    )


def _parse_seen(values: list[str]) -> list[Seen]:
    """ "<case id>:<fingerprint>" from each ticked box; anything else is ignored."""
    seen: dict[int, Seen] = {}
    for value in values:
        case_id, _sep, fingerprint = value.partition(":")
        if _is_id(case_id) and fingerprint:
            seen.setdefault(int(case_id), Seen(int(case_id), fingerprint[:64]))
    return list(seen.values())


def _is_id(text: str) -> bool:
    try:
        return record_id(text) > 0
    except ValueError:
        return False


@bp.route("/awaiting/sign", methods=["POST"])
@login_required
@reads_first
def sign_batch():
    """Approve the ticked cases with one password entry; report each one skipped, and count
    those not found: a case the mentor may not sign is one of them, named by nothing."""
    access.require(policies.is_mentor(current_user))
    form = BatchForm()
    if not form.validate_on_submit():
        return _render_queue(form)
    seen = _parse_seen(form.cases.data or [])
    if not seen:
        form.cases.errors = [_("Tick at least one case to approve.")]
        return _render_queue(form)
    with attempt(form) as done:
        services.confirm_password(
            current_user, form.password.data, _address(), seen, now=clock.now()
        )
        second_factor.check_code(
            current_user, form.code.data, second_factor.SIGNING, now=clock.now()
        )
    if not done.ok:
        return done.answer(_render_queue(form))
    with attempt() as done:
        outcome = _sign_once(current_user, seen)
    if not done.ok or outcome is None:
        return redirect(_queue_url())
    if outcome.signed:
        flash(
            ngettext("Signed %(num)d case.", "Signed %(num)d cases.", len(outcome.signed)),
            "success",
        )
    for case, reason in outcome.skipped:
        flash_notice(
            N_("Not signed: %(procedure)s for %(trainee)s (%(date)s): %(reason)s."),
            "warning",
            case=case,
            reason=reason,
        )
    if outcome.not_found:
        flash(
            ngettext(
                "Not signed: %(num)d case was not found.",
                "Not signed: %(num)d cases were not found.",
                len(outcome.not_found),
            ),
            "warning",
        )
    return redirect(_queue_url())


# One case: review, sign, return ----------------------------------------------------------


@bp.route("/cases/<int:case_id>/review")
@login_required
def review(case_id: int):
    """Everything the trainee recorded, then approve (with the password) or return."""
    case = access.case_or_404(case_id, rule=policies.can_sign)
    form = SignForm(formdata=None, fingerprint=signatures.fingerprint(case))
    return _render_review(case, form, ReturnForm(formdata=None))


def _render_review(case: Case, sign_form: SignForm, return_form: ReturnForm):
    return render_template(
        "signoff/review.html",
        case=case,
        form=sign_form,
        return_form=return_form,
        meaning=signatures.MEANING,
    )


def _review_again(case: Case, sign_form: SignForm, return_form: ReturnForm | None = None):
    """Show the review page again with the messages, unless the case no longer waits."""
    if not policies.can_sign(current_user, case):
        flash(_("That case no longer awaits your sign-off."), "warning")
        return redirect(_queue_url())
    if return_form is None:
        return_form = ReturnForm(formdata=None)
    return _render_review(case, sign_form, return_form)


@bp.route("/cases/<int:case_id>/sign", methods=["POST"])
@login_required
@reads_first
def sign(case_id: int):
    """Sign one case exactly as it was shown, after the signer's password again."""
    case = access.case_or_404(case_id, rule=policies.within_signing_reach)
    form = SignForm()
    if not form.validate_on_submit():
        return _review_again(case, form)
    seen = [Seen(case.id, form.fingerprint.data)]
    with attempt(form) as done:
        services.confirm_password(
            current_user, form.password.data, _address(), seen, now=clock.now()
        )
        second_factor.check_code(
            current_user, form.code.data, second_factor.SIGNING, now=clock.now()
        )
    if not done.ok:
        return done.answer(_review_again(case, form))
    assessment = form.assessment() if case.program.assessment_enabled else None
    with attempt(form) as done:
        outcome = _sign_once(current_user, seen, assessment)
    if not done.ok:
        return _review_again(case, form)
    if outcome is None:
        return redirect(_queue_url())
    if outcome.not_found:  # a draft again since it was read: out of sight
        abort(404)
    if outcome.skipped:
        reason = outcome.skipped[0][1]
        if policies.can_sign(current_user, case):  # still waiting: it changed; read it again
            form.fingerprint.data = signatures.fingerprint(case)
            form.form_errors.append(say(N_("Not signed: %(reason)s."), case=case, reason=reason))
            return _render_review(case, form, ReturnForm(formdata=None))
        flash_notice(
            N_("Not signed: %(reason)s."), "warning", case=case, reason=reason, hidden=GONE
        )
        return redirect(_queue_url())
    flash_notice(N_("Signed: %(procedure)s for %(trainee)s."), "success", case=case)
    return redirect(_queue_url())


@bp.route("/cases/<int:case_id>/return", methods=["POST"])
@login_required
def return_case(case_id: int):
    """Send the case back to the trainee with the mentor's comment."""
    case = access.case_or_404(case_id, rule=policies.within_signing_reach)
    form = ReturnForm()
    if form.validate_on_submit():
        with attempt(form) as done:
            services.return_case(current_user, case.id, form.comment.data, now=clock.now())
        if done.ok:
            flash_notice(N_("Returned to %(trainee)s with your comment."), "success", case=case)
            return redirect(_queue_url())
        if done.error and done.error.field is None:  # the case no longer waits
            flash(done.error.message, "warning")
            return redirect(_queue_url())
    sign_form = SignForm(formdata=None, fingerprint=signatures.fingerprint(case))
    return _review_again(case, sign_form, form)


# Bedside sign-off on the trainee's device -----------------------------------------------


@bp.route("/cases/<int:case_id>/bedside", methods=["GET", "POST"])
@login_required
@reads_first
def bedside(case_id: int):
    """The mentor signs on the trainee's tablet with their own e-mail and password.

    The trainee stays signed in; the mentor's e-mail and password are used for this one
    request and never written back to the page, the session or a cookie.
    """
    case = access.case_or_404(case_id, rule=policies.owns_case)
    if not policies.can_offer_bedside(current_user, case):
        flash(_("Only a case awaiting sign-off can be signed."), "warning")
        return redirect(url_for("cases.show", case_id=case.id))
    identified = Attempt()
    if request.method == "GET":
        form = BedsideForm(formdata=None, fingerprint=signatures.fingerprint(case))
    else:
        form = BedsideForm()
        signed_by = _sign_at_bedside(case, form, identified) if form.validate_on_submit() else None
        if signed_by is not None:
            flash_notice(N_("Signed by %(signer)s."), "success", case=case)
            return redirect(url_for("cases.show", case_id=case.id))
        if case.status is not CaseStatus.SUBMITTED:
            return redirect(url_for("cases.show", case_id=case.id))
    form.email.data = ""  # nothing of the mentor's is written back to the device
    form.code.data = ""
    page = render_template("signoff/bedside.html", case=case, form=form, meaning=signatures.MEANING)
    return identified.answer(page)


def _sign_at_bedside(case: Case, form: BedsideForm, identified: Attempt) -> str | None:
    """Identify the mentor and sign; the signer's name, or None with the reason on the form
    (a refusal to identify them is kept in `identified`, for the page's status)."""
    seen = [Seen(case.id, form.fingerprint.data)]
    with attempt(form) as done:
        mentor = services.identify_bedside_signer(
            form.email.data, form.password.data, _address(), case.id, now=clock.now()
        )
        second_factor.check_code(mentor, form.code.data, second_factor.SIGNING, now=clock.now())
    identified.error = done.error
    if not done.ok:
        return None
    assessment = form.assessment() if case.program.assessment_enabled else None
    with attempt(form) as done:
        outcome = _sign_once(mentor, seen, assessment, bedside=True)
    if not done.ok or outcome is None:
        return None
    if outcome.signed:
        return mentor.full_name
    reason = outcome.skipped[0][1]
    if case.status is CaseStatus.SUBMITTED:
        form.fingerprint.data = signatures.fingerprint(case)
        form.form_errors.append(say(N_("Not signed: %(reason)s."), case=case, reason=reason))
    else:
        flash_notice(N_("Not signed: %(reason)s."), "warning", case=case, reason=reason)
    return None


# Reassignment by a program director ------------------------------------------------------


@bp.route("/cases/<int:case_id>/reassign", methods=["GET", "POST"])
@login_required
def reassign(case_id: int):
    """A director hands a stuck case to another mentor of its program."""
    case = access.case_or_404(case_id, rule=policies.can_reassign)
    form = ReassignForm()
    form.supervisor_id.choices = [SelectChoice("", "—")] + [
        SelectChoice(mentor.id, mentor.full_name)
        for mentor in program_queries.mentors(case.program)
        if mentor.active and mentor.id not in (case.trainee_id, case.supervisor_id)
    ]
    if form.validate_on_submit():
        with attempt(form) as done:
            case = services.reassign(
                current_user,
                case.id,
                form.supervisor_id.data,
                form.reason.data or "",
                now=clock.now(),
            )
        if done.ok:
            flash_notice(
                N_("%(name)s is now the supervisor named on this case."),
                "success",
                case=case,
                name=case.supervisor,
            )
            return redirect(url_for("cases.show", case_id=case.id))
    return render_template("signoff/reassign.html", case=case, form=form)


@bp.app_template_global()
def signature_is_valid(signature: Signature, case: Case) -> bool:
    """Checked every time a signature is shown: does its HMAC still hold for this case?"""
    return signatures.is_valid(signature, case)


# The banner on every page ----------------------------------------------------------------


@bp.app_template_global()
def waiting_for_me() -> queries.Waiting | None:
    """How many cases await the signed-in mentor: one query, only for mentors."""
    if not policies.is_mentor(current_user):
        return None
    if "_waiting_for_me" not in g:
        g._waiting_for_me = queries.waiting_summary(current_user, now=clock.now())
    return g._waiting_for_me
