"""Program forms: enrol a trainee, change an enrolment, appoint a mentor or a delegate."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import DateField, EmailField, PasswordField, SelectField, StringField
from wtforms.validators import DataRequired, InputRequired, Length, Optional

from caselog.bounds import optional_id
from caselog.programs.services import NAME_MAX, EnrolmentInput, PersonInput
from caselog.translation_fields import TranslationsField


class PersonFields:
    """Who: the e-mail of an existing account, or a name (and password) to open one."""

    email = EmailField(
        _l("E-mail"),
        validators=[DataRequired(), Length(max=254)],
        description=_l("If the person already has an account, the e-mail is enough."),
    )
    full_name = StringField(
        _l("Full name (new account only)"), validators=[Optional(), Length(max=200)]
    )
    password = PasswordField(
        _l("Initial password (new account only)"),
        description=_l(
            "Leave it empty to mail the person a link to set their own. A password typed "
            "here must be changed when it is first used."
        ),
        validators=[Optional(), Length(max=200)],
        render_kw={"autocomplete": "new-password"},
    )

    def person(self) -> PersonInput:
        """Who, for the service."""
        return PersonInput(
            email=self.email.data or "",
            full_name=self.full_name.data or "",
            password=self.password.data or "",
        )


class EnrolmentForm(FlaskForm):
    """An enrolment's period, home institution and cohort."""

    start_date = DateField(_l("Start date"), validators=[DataRequired()])
    end_date = DateField(_l("End date"), validators=[DataRequired()])
    home_institution = StringField(_l("Home institution"), validators=[Optional(), Length(max=200)])
    cohort = StringField(
        _l("Cohort"),
        validators=[Optional(), Length(max=50)],
        description=_l("For example 2026 or Spring group."),
    )

    def to_input(self) -> EnrolmentInput:
        """The typed values for the service."""
        return EnrolmentInput(
            start_date=self.start_date.data,
            end_date=self.end_date.data,
            home_institution=self.home_institution.data or "",
            cohort=self.cohort.data or "",
        )


class EnrolForm(PersonFields, EnrolmentForm):
    """Enrol a trainee: who, and for when."""


class EndEnrolmentForm(FlaskForm):
    """End an enrolment on a given day."""

    last_day = DateField(_l("Last day"), validators=[DataRequired()])


class AppointForm(PersonFields, FlaskForm):
    """Appoint a mentor: who, and at which site."""

    site_id = SelectField(_l("Site"), coerce=optional_id, validators=[Optional()])


class DelegateForm(FlaskForm):
    """Appoint a delegate: which mentor signs for which other mentor."""

    mentor_id = SelectField(
        _l("Cases that name"),
        coerce=optional_id,
        validators=[InputRequired()],
        description=_l("The mentor whose waiting cases the delegate may sign."),
    )
    delegate_id = SelectField(
        _l("May also be signed by"),
        coerce=optional_id,
        validators=[InputRequired()],
        description=_l("Another mentor of this program."),
    )


class ProgramNamesForm(FlaskForm):
    """The program's name in other languages."""

    name_translations = TranslationsField(max_length=NAME_MAX)
