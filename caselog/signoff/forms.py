"""Sign-off forms (shape and types only; the rules are in services)."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    HiddenField,
    IntegerField,
    PasswordField,
    RadioField,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Length, NumberRange, Optional

from caselog.bounds import optional_id, optional_number
from caselog.i18n import choices
from caselog.models import Autonomy, Complexity
from caselog.models.signoff import PERFORMANCE_LEVELS
from caselog.second_factor.forms import signing_code_field
from caselog.signoff.services import Assessment

PERFORMANCE_WORDS = {1: _l("well below expectations"), 5: _l("well above expectations")}


def _performance_choices() -> list[SelectChoice]:
    """Five levels; the ends say what they mean."""
    return [SelectChoice(level, PERFORMANCE_WORDS.get(level, "")) for level in PERFORMANCE_LEVELS]


def _password(label, autocomplete: str) -> PasswordField:
    return PasswordField(
        label,
        validators=[DataRequired(message=_l("Enter the password to sign."))],
        render_kw={"autocomplete": autocomplete},
    )


class AssessmentFields(FlaskForm):
    """The mentor's optional rating, shown when the case's program asks for it."""

    autonomy = RadioField(
        _l("Autonomy (Zwisch)"),
        choices=choices(Autonomy),
        validators=[Optional()],
        description=_l("How much of the operation the trainee led."),
    )
    performance = RadioField(
        _l("Performance"),
        choices=_performance_choices(),
        coerce=optional_number,
        validators=[Optional()],
    )
    complexity = RadioField(
        _l("Case complexity"), choices=choices(Complexity), validators=[Optional()]
    )
    feedback = TextAreaField(
        _l("Feedback for the trainee"),
        validators=[Length(max=2000)],
        render_kw={"rows": 3},
        description=_l("The trainee sees it. No names, record numbers or dates of birth."),
    )

    def assessment(self) -> Assessment:
        return Assessment(
            autonomy=Autonomy(self.autonomy.data) if self.autonomy.data else None,
            performance=self.performance.data or None,
            complexity=Complexity(self.complexity.data) if self.complexity.data else None,
            feedback=self.feedback.data or "",
        )


class SignForm(AssessmentFields):
    """Approve one case as it was shown: its fingerprint, and the signer's password again."""

    fingerprint = HiddenField(validators=[DataRequired()])
    password = _password(_l("Your password"), "current-password")
    code = signing_code_field()


class BedsideForm(AssessmentFields):
    """The mentor signs on the trainee's device with their own e-mail and password."""

    fingerprint = HiddenField(validators=[DataRequired()])
    email = StringField(
        _l("Mentor's e-mail"),
        validators=[DataRequired(), Length(max=254)],
        render_kw={
            "autocomplete": "off",
            "autocapitalize": "none",
            "spellcheck": "false",
            "inputmode": "email",
        },
    )
    password = _password(_l("Mentor's password"), "new-password")
    code = signing_code_field(
        _l("Mentor's code from their authenticator app"),
        _l("Only if the mentor uses one, or the program requires it."),
    )


class ReturnForm(FlaskForm):
    """Send the case back with what to change."""

    comment = TextAreaField(
        _l("What should the trainee change?"),
        validators=[
            DataRequired(message=_l("Say what the trainee should change.")),
            Length(max=2000),
        ],
        description=_l("The trainee sees your comment. No patient identifiers."),
        render_kw={"rows": 4},
    )


class BatchForm(FlaskForm):
    """Approve the ticked cases of the queue with one password entry."""

    cases = SelectMultipleField(validate_choice=False)
    password = _password(_l("Your password"), "current-password")
    code = signing_code_field()


class QueueFilterForm(FlaskForm):
    """Filters of the queue, read from the query string."""

    class Meta:
        csrf = False  # a GET form that changes nothing

    program = SelectField(_l("Program"), coerce=optional_id, validators=[Optional()])
    trainee = SelectField(_l("Trainee"), coerce=optional_id, validators=[Optional()])
    days = IntegerField(
        _l("Waiting more than (days)"),
        validators=[Optional(), NumberRange(min=0, max=3650)],
        render_kw={"inputmode": "numeric"},
    )


class ReassignForm(FlaskForm):
    """A director hands a waiting case to another mentor of the program."""

    supervisor_id = SelectField(
        _l("New supervisor"), coerce=optional_id, validators=[DataRequired()]
    )
    reason = TextAreaField(
        _l("Reason (optional)"), validators=[Length(max=1000)], render_kw={"rows": 2}
    )
