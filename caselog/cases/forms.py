"""The case form (shape and types only; the rules are in services) and the list filters."""

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    DateField,
    IntegerField,
    RadioField,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional

from caselog.bounds import optional_id, record_id
from caselog.cases.services import CaseInput
from caselog.i18n import choices, language_for_reader
from caselog.models import (
    Approach,
    CaseStatus,
    Complication,
    Involvement,
    Procedure,
    Setting,
    Sex,
    Urgency,
)

NOT_CHOSEN = [SelectChoice("", "—")]


def procedure_choice(procedure: Procedure, group: str, locale: str) -> SelectChoice:
    """An option in the reader's language, the English name beside it (or "[EN]" when English
    stands in), carrying what the type-to-search box matches: every name in every language."""
    name = procedure.display_name(locale)
    data = {
        "data-name": name.text,
        "data-search": procedure.search_text,
        "data-approach": procedure.default_approach or "",
    }
    text = name.text
    if name.fallback:
        text = f"{name.text} [EN]"
        data["data-fallback"] = _(
            "No name in %(language)s yet: shown in English.", language=language_for_reader(locale)
        )
    elif name.differs:
        text = f"{name.text} — {name.english}"
        data["data-english"] = name.english
    return SelectChoice(procedure.id, text, optgroup=group, render_kw=data)


class CaseForm(FlaskForm):
    """Everything a trainee records about an operation."""

    operation_date = DateField(_l("Date of operation"), validators=[DataRequired()])
    site_id = SelectField(_l("Hospital"), coerce=optional_id, validators=[InputRequired()])
    program_id = SelectField(_l("Program"), coerce=optional_id, validators=[Optional()])
    supervisor_id = SelectField(_l("Supervisor"), coerce=optional_id, validators=[InputRequired()])
    primary_procedure_id = SelectField(
        _l("Procedure"),
        coerce=optional_id,
        validators=[InputRequired()],
        render_kw={
            "data-placeholder": _l("Type a few letters: name, abbreviation or synonym"),
            "data-no-match": _l("No procedure matches"),
        },
    )
    additional_procedure_ids = SelectMultipleField(
        _l("Additional procedures"),
        coerce=record_id,
        validators=[Optional()],
        render_kw={
            "data-placeholder": _l("Add another procedure"),
            "data-no-match": _l("No procedure matches"),
            "data-remove-label": _l("Remove"),
        },
    )
    involvement = RadioField(
        _l("Your involvement"), choices=choices(Involvement), validators=[InputRequired()]
    )
    approach = SelectField(
        _l("Approach"), choices=NOT_CHOSEN + choices(Approach), validators=[Optional()]
    )
    urgency = RadioField(
        _l("Urgency"),
        choices=choices(Urgency),
        default=Urgency.ELECTIVE.value,
        validators=[InputRequired()],
    )
    setting = SelectField(
        _l("Setting"),
        choices=choices(Setting),
        default=Setting.THEATRE.value,
        validators=[InputRequired()],
    )
    patient_age = IntegerField(
        _l("Patient age"),
        description=_l("In years; 90 or over is recorded as 90+."),
        validators=[Optional(), NumberRange(min=0, max=130)],
        render_kw={"inputmode": "numeric"},
    )
    patient_sex = RadioField(_l("Patient sex"), choices=choices(Sex), validators=[Optional()])
    asa_grade = SelectField(
        _l("ASA grade"),
        choices=NOT_CHOSEN
        + [
            SelectChoice(str(n), f"ASA {roman}")
            for n, roman in enumerate(["I", "II", "III", "IV", "V", "VI"], start=1)
        ],
        validators=[Optional()],
    )
    complication = SelectField(
        _l("Complications"),
        choices=choices(Complication),
        default=Complication.NONE.value,
        validators=[InputRequired()],
    )
    complication_description = TextAreaField(
        _l("Describe the complication"), validators=[Length(max=2000)]
    )
    operative_minutes = IntegerField(
        _l("Operative time (minutes)"),
        validators=[Optional(), NumberRange(min=1, max=2880)],
        render_kw={"inputmode": "numeric"},
    )
    blood_loss_ml = IntegerField(
        _l("Blood loss (ml)"),
        validators=[Optional(), NumberRange(min=0, max=100000)],
        render_kw={"inputmode": "numeric"},
    )
    return_to_theatre = BooleanField(_l("Returned to theatre"))
    notes = TextAreaField(
        _l("Notes and reflection"),
        description=_l("No names, record numbers, dates of birth or contact details."),
        validators=[Length(max=5000)],
    )

    def to_input(self) -> CaseInput:
        """The typed values for the service."""
        return CaseInput(
            operation_date=self.operation_date.data,
            site_id=self.site_id.data,
            supervisor_id=self.supervisor_id.data,
            program_id=self.program_id.data,
            primary_procedure_id=self.primary_procedure_id.data,
            additional_procedure_ids=list(self.additional_procedure_ids.data or []),
            involvement=Involvement(self.involvement.data),
            approach=Approach(self.approach.data) if self.approach.data else None,
            urgency=Urgency(self.urgency.data),
            setting=Setting(self.setting.data),
            patient_age=self.patient_age.data,
            patient_sex=Sex(self.patient_sex.data) if self.patient_sex.data else None,
            asa_grade=int(self.asa_grade.data) if self.asa_grade.data else None,
            complication=Complication(self.complication.data),
            complication_description=self.complication_description.data or "",
            operative_minutes=self.operative_minutes.data,
            blood_loss_ml=self.blood_loss_ml.data,
            return_to_theatre=bool(self.return_to_theatre.data),
            notes=self.notes.data or "",
        )


class AmendForm(CaseForm):
    """The case form for an approved case: a new version, with the reason for the change."""

    reason = TextAreaField(
        _l("Reason for the change"),
        description=_l("Your supervisor and anyone reading the case's history will see it."),
        validators=[Length(max=2000)],
    )


class CaseFilterForm(FlaskForm):
    """Filters of the case list, read from the query string."""

    class Meta:
        csrf = False  # a GET form that changes nothing

    q = StringField(_l("Procedure or reference"), validators=[Optional(), Length(max=100)])
    status = SelectField(
        _l("Status"),
        choices=[SelectChoice("", _l("Any status")), *choices(CaseStatus)],
        validators=[Optional()],
    )
    program = SelectField(_l("Program"), coerce=optional_id, validators=[Optional()])
    date_from = DateField(_l("From"), validators=[Optional()])
    date_to = DateField(_l("To"), validators=[Optional()])
