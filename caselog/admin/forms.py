"""Admin forms: sites, programs, accounts (shape and types only; the rules are in services)."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    DateField,
    EmailField,
    IntegerField,
    PasswordField,
    SelectField,
    SelectMultipleField,
    StringField,
)
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional
from wtforms.widgets import CheckboxInput, ListWidget

from caselog.admin.services import ProgramInput, SiteInput
from caselog.bounds import MAX_ID, optional_id, record_id
from caselog.i18n import choices
from caselog.models import ProgramKind
from caselog.translation_fields import TranslationsField


class SiteForm(FlaskForm):
    """A hospital."""

    name = StringField(_l("Name"), validators=[DataRequired(), Length(max=200)])
    city = StringField(_l("City"), validators=[DataRequired(), Length(max=100)])
    country = StringField(
        _l("Country code"),
        description=_l("Two letters (ISO 3166), for example KR, MN, GB."),
        validators=[DataRequired(), Length(max=2)],
        render_kw={"autocapitalize": "characters", "maxlength": 2, "list": "countries"},
    )
    time_zone = StringField(
        _l("Time zone"),
        description=_l("An IANA name such as Asia/Seoul: case times are shown in it."),
        validators=[DataRequired(), Length(max=64)],
        render_kw={"list": "time-zones", "autocomplete": "off"},
    )

    def to_input(self) -> SiteInput:
        """The typed values for the service."""
        return SiteInput(
            name=self.name.data or "",
            city=self.city.data or "",
            country=self.country.data or "",
            time_zone=self.time_zone.data or "",
        )


class ProgramForm(FlaskForm):
    """A training program: what, when, where and who runs it."""

    name = StringField(_l("Name"), validators=[DataRequired(), Length(max=200)])
    name_translations = TranslationsField(max_length=200)
    kind = SelectField(_l("Kind"), choices=choices(ProgramKind), validators=[InputRequired()])
    specialty_id = SelectField(_l("Specialty"), coerce=optional_id, validators=[InputRequired()])
    start_date = DateField(_l("Start date"), validators=[DataRequired()])
    end_date = DateField(_l("End date"), validators=[DataRequired()])
    site_ids = SelectMultipleField(
        _l("Sites"),
        coerce=record_id,
        validators=[Optional()],
        widget=ListWidget(prefix_label=False),
        option_widget=CheckboxInput(),
    )
    director_ids = SelectMultipleField(
        _l("Directors"),
        coerce=record_id,
        validators=[Optional()],
        widget=ListWidget(prefix_label=False),
        option_widget=CheckboxInput(),
    )
    assessment_enabled = BooleanField(
        _l("Rate autonomy at sign-off"),
        description=_l(
            "Mentors may rate autonomy (Zwisch), performance and complexity, "
            "and leave feedback, when they sign a case."
        ),
    )
    requires_second_factor = BooleanField(
        _l("Signers need a second factor"),
        description=_l(
            "Mentors sign this program's cases only with a code from an authenticator app "
            "as well as their password. Mentors without one are asked to set it up."
        ),
    )
    reminder_max_waiting = IntegerField(
        _l("Remind a mentor when more cases wait than"),
        validators=[InputRequired()],
        render_kw={"min": 1, "inputmode": "numeric"},
    )
    reminder_max_days = IntegerField(
        _l("…or when a case has waited more days than"),
        validators=[InputRequired()],
        render_kw={"min": 1, "inputmode": "numeric"},
    )

    def to_input(self) -> ProgramInput:
        """The typed values for the service."""
        return ProgramInput(
            name=self.name.data or "",
            name_translations=self.name_translations.translations(),
            kind=ProgramKind(self.kind.data),
            specialty_id=self.specialty_id.data,
            start_date=self.start_date.data,
            end_date=self.end_date.data,
            site_ids=list(self.site_ids.data or []),
            director_ids=list(self.director_ids.data or []),
            assessment_enabled=bool(self.assessment_enabled.data),
            requires_second_factor=bool(self.requires_second_factor.data),
            reminder_max_waiting=self.reminder_max_waiting.data,
            reminder_max_days=self.reminder_max_days.data,
        )


class AccountForm(FlaskForm):
    """A new account."""

    full_name = StringField(_l("Full name"), validators=[DataRequired(), Length(max=200)])
    email = EmailField(_l("E-mail"), validators=[DataRequired(), Length(max=254)])
    password = PasswordField(
        _l("Initial password"),
        description=_l(
            "Leave it empty to mail the person a link to set their own. A password typed "
            "here must be changed when it is first used."
        ),
        validators=[Optional(), Length(max=200)],
        render_kw={"autocomplete": "new-password"},
    )
    is_admin = BooleanField(_l("Administrator"))


class AccountEditForm(FlaskForm):
    """An existing account's name, e-mail and admin rights."""

    full_name = StringField(_l("Full name"), validators=[DataRequired(), Length(max=200)])
    email = EmailField(_l("E-mail"), validators=[DataRequired(), Length(max=254)])
    is_admin = BooleanField(_l("Administrator"))


class AccountSearchForm(FlaskForm):
    """The account list's search box, read from the query string."""

    class Meta:
        csrf = False  # a GET form that changes nothing

    q = StringField(_l("Name or e-mail"), validators=[Optional(), Length(max=100)])


class AuditFilterForm(FlaskForm):
    """The audit trail's filters, read from the query string."""

    class Meta:
        csrf = False  # a GET form that changes nothing

    entity = SelectField(_l("About"), validators=[Optional()])
    entity_id = IntegerField(
        _l("Id"),
        validators=[Optional(), NumberRange(min=1, max=MAX_ID)],
        render_kw={"min": 1, "inputmode": "numeric"},
    )
