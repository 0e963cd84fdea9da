"""Program director pages: the programs I run, their enrolments, mentors and delegates."""

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlalchemy import select
from wtforms.fields.choices import SelectChoice

from caselog import access, clock, policies
from caselog.extensions import db
from caselog.forms import ActionForm
from caselog.frameworks.routes import program_panel
from caselog.i18n import N_
from caselog.models import Delegate, Enrolment, MentorAppointment, Program
from caselog.notices import flash_link_mailed, flash_notice
from caselog.programs import queries, services
from caselog.programs.forms import (
    AppointForm,
    DelegateForm,
    EndEnrolmentForm,
    EnrolForm,
    EnrolmentForm,
    ProgramNamesForm,
)
from caselog.unit_of_work import attempt

bp = Blueprint("programs", __name__, url_prefix="/programs")


# Program pages are for directors and admins: others sign in first, then get 403.
bp.before_request(access.blueprint_guard(policies.runs_programs))


@bp.route("/")
@login_required
def index():
    """The programs I direct (all of them for an admin), with their size."""
    summaries = queries.managed_programs(current_user, everything=policies.is_admin(current_user))
    return render_template("programs/index.html", summaries=summaries)


@bp.route("/<int:program_id>")
@login_required
def show(program_id: int):
    """A program's enrolments, mentors and delegates, with what a director can do about them."""
    program = access.program_or_404(program_id)
    return render_template(
        "programs/show.html",
        program=program,
        enrolments=queries.enrolments(program),
        appointments=queries.appointments(program),
        delegates=queries.delegates(program),
        action=ActionForm(),
        **program_panel(program),
    )


@bp.route("/<int:program_id>/names", methods=["GET", "POST"])
@login_required
def names(program_id: int):
    """The program's name in other languages: each reader sees the one in theirs."""
    program = access.program_or_404(program_id)
    form = ProgramNamesForm(obj=program)
    if form.validate_on_submit():
        with attempt(form) as done:
            services.name_in_languages(
                program, form.name_translations.translations(), actor=current_user, now=clock.now()
            )
        if done.ok:
            flash(_("The program's names are saved."), "success")
            return redirect(url_for("programs.show", program_id=program.id))
    return render_template("programs/names.html", program=program, form=form)


@bp.route("/<int:program_id>/enrol", methods=["GET", "POST"])
@login_required
def enrol(program_id: int):
    """Enrol a trainee, opening their account if they have none."""
    program = access.program_or_404(program_id)
    form = EnrolForm(
        data={"start_date": program.start_date, "end_date": program.end_date}
        if request.method == "GET"
        else None
    )
    if form.validate_on_submit():
        with attempt(form) as done:
            enrolment, mailed = services.enrol(
                program, form.person(), form.to_input(), actor=current_user, now=clock.now()
            )
        if done.ok:
            flash_notice(N_("%(name)s enrolled."), "success", name=enrolment.trainee)
            if mailed:
                flash_link_mailed(enrolment.trainee)
            return redirect(url_for("programs.show", program_id=program.id))
    return render_template("programs/enrol.html", program=program, form=form)


@bp.route("/<int:program_id>/enrolments/<int:enrolment_id>", methods=["GET", "POST"])
@login_required
def edit_enrolment(program_id: int, enrolment_id: int):
    """Change an enrolment's dates, cohort or home institution, or end it."""
    program = access.program_or_404(program_id)
    enrolment = _enrolment_or_404(program, enrolment_id)
    form = EnrolmentForm(obj=enrolment)
    if form.validate_on_submit():
        with attempt(form) as done:
            services.update_enrolment(
                enrolment, form.to_input(), actor=current_user, now=clock.now()
            )
        if done.ok:
            flash_notice(N_("Enrolment of %(name)s saved."), "success", name=enrolment.trainee)
            return redirect(url_for("programs.show", program_id=program.id))
    end_form = EndEnrolmentForm(formdata=None, data={"last_day": program.today(clock.now())})
    return render_template(
        "programs/enrolment.html",
        program=program,
        enrolment=enrolment,
        form=form,
        end_form=end_form,
    )


@bp.route("/<int:program_id>/enrolments/<int:enrolment_id>/end", methods=["POST"])
@login_required
def end_enrolment(program_id: int, enrolment_id: int):
    """End an enrolment early."""
    program = access.program_or_404(program_id)
    enrolment = _enrolment_or_404(program, enrolment_id)
    end_form = EndEnrolmentForm()
    if end_form.validate_on_submit():
        with attempt(end_form) as done:
            services.end_enrolment(
                enrolment, end_form.last_day.data, actor=current_user, now=clock.now()
            )
        if done.ok:
            flash_notice(N_("Enrolment of %(name)s ended."), "success", name=enrolment.trainee)
            return redirect(url_for("programs.show", program_id=program.id))
    return render_template(
        "programs/enrolment.html",
        program=program,
        enrolment=enrolment,
        form=EnrolmentForm(formdata=None, obj=enrolment),
        end_form=end_form,
    )


@bp.route("/<int:program_id>/mentors/new", methods=["GET", "POST"])
@login_required
def appoint(program_id: int):
    """Appoint a mentor, opening their account if they have none."""
    program = access.program_or_404(program_id)
    form = AppointForm()
    form.site_id.choices = [SelectChoice("", _("All sites"))] + [
        SelectChoice(site.id, f"{site.name}, {site.city}") for site in program.sites
    ]
    if form.validate_on_submit():
        with attempt(form) as done:
            appointment, mailed = services.appoint(
                program, form.person(), form.site_id.data, actor=current_user, now=clock.now()
            )
        if done.ok:
            flash_notice(N_("%(name)s appointed as mentor."), "success", name=appointment.mentor)
            if mailed:
                flash_link_mailed(appointment.mentor)
            return redirect(url_for("programs.show", program_id=program.id))
    return render_template("programs/appoint.html", program=program, form=form)


@bp.route("/<int:program_id>/mentors/<int:appointment_id>/remove", methods=["POST"])
@login_required
def remove_appointment(program_id: int, appointment_id: int):
    """Remove a mentor appointment, unless cases name that mentor in this program."""
    program = access.program_or_404(program_id)
    appointment = db.session.scalar(
        select(MentorAppointment).where(
            MentorAppointment.id == appointment_id, MentorAppointment.program_id == program.id
        )
    )
    if appointment is None:
        abort(404)
    if ActionForm().validate_on_submit():
        mentor = appointment.mentor
        with attempt(flash_as="danger") as done:
            services.remove_appointment(appointment, actor=current_user, now=clock.now())
        if done.ok:
            flash_notice(N_("%(name)s is no longer a mentor here."), "success", name=mentor)
    return redirect(url_for("programs.show", program_id=program.id))


@bp.route("/<int:program_id>/delegates/new", methods=["GET", "POST"])
@login_required
def appoint_delegate(program_id: int):
    """Let a mentor of the program sign the cases that name another mentor of it."""
    program = access.program_or_404(program_id)
    form = DelegateForm()
    mentors = [SelectChoice("", "—")] + [
        SelectChoice(m.id, f"{m.full_name} ({m.email})") for m in queries.mentors(program)
    ]
    form.mentor_id.choices = form.delegate_id.choices = mentors
    if form.validate_on_submit():
        with attempt(form) as done:
            delegate = services.appoint_delegate(
                program,
                form.mentor_id.data,
                form.delegate_id.data,
                actor=current_user,
                now=clock.now(),
            )
        if done.ok:
            flash_notice(
                N_("%(delegate)s may now sign the cases that name %(mentor)s."),
                "success",
                delegate=delegate.delegate,
                mentor=delegate.mentor,
            )
            return redirect(url_for("programs.show", program_id=program.id))
    return render_template("programs/delegate.html", program=program, form=form)


@bp.route("/<int:program_id>/delegates/<int:delegate_id>/remove", methods=["POST"])
@login_required
def remove_delegate(program_id: int, delegate_id: int):
    """End a delegation."""
    program = access.program_or_404(program_id)
    delegate = db.session.scalar(
        select(Delegate).where(Delegate.id == delegate_id, Delegate.program_id == program.id)
    )
    if delegate is None:
        abort(404)
    if ActionForm().validate_on_submit():
        signer, mentor = delegate.delegate, delegate.mentor
        services.remove_delegate(delegate, actor=current_user, now=clock.now())
        flash_notice(
            N_("%(delegate)s no longer signs for %(mentor)s."),
            "success",
            delegate=signer,
            mentor=mentor,
        )
    return redirect(url_for("programs.show", program_id=program.id))


def _enrolment_or_404(program: Program, enrolment_id: int) -> Enrolment:
    """An enrolment of this program, else 404 (ids of other programs are not guessable)."""
    enrolment = db.session.scalar(
        select(Enrolment).where(Enrolment.id == enrolment_id, Enrolment.program_id == program.id)
    )
    if enrolment is None:
        abort(404)
    return enrolment
