"""The export's filters, read from the query string (shape and types only)."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import DateField, SelectField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import Optional, ValidationError

from caselog.bounds import optional_id
from caselog.exports.queries import ExportFilters, ExportOptions
from caselog.folding import sort_key
from caselog.i18n import label, local_text, program_name
from caselog.models import CaseStatus, Involvement


class ExportForm(FlaskForm):
    """Which cases to export. Choices are filled from what the user may export."""

    class Meta:
        csrf = False  # a GET form: the download itself is only read (and audited)

    program = SelectField(_l("Program"), coerce=optional_id, validators=[Optional()])
    date_from = DateField(_l("Operated from"), validators=[Optional()])
    date_to = DateField(_l("Operated until"), validators=[Optional()])
    site = SelectField(_l("Hospital"), coerce=optional_id, validators=[Optional()])
    procedure = SelectField(
        _l("Procedure"),
        coerce=optional_id,
        validators=[Optional()],
        description=_l("As the main procedure or an additional one."),
    )
    involvement = SelectField(_l("Involvement"), validators=[Optional()])
    status = SelectField(_l("Status"), validators=[Optional()])
    trainee = SelectField(_l("Trainee"), coerce=optional_id, validators=[Optional()])

    CHOICE_FIELDS = ("program", "site", "procedure", "involvement", "status", "trainee")

    def fill(self, options: ExportOptions) -> None:
        """Offer only what the user may export; without others to choose, no trainee field."""
        self.program.choices = [SelectChoice("", _l("All programs"))] + [
            SelectChoice(p.id, program_name(p)) for p in options.programs
        ]
        self.site.choices = [SelectChoice("", _l("All hospitals"))] + [
            SelectChoice(s.id, s.name) for s in options.sites
        ]
        self.procedure.choices = [SelectChoice("", _l("All procedures"))] + [
            SelectChoice(p.id, name)
            for p, name in sorted(
                ((p, local_text(p)) for p in options.procedures), key=lambda pair: sort_key(pair[1])
            )
        ]
        self.involvement.choices = [SelectChoice("", _l("Any involvement"))] + [
            SelectChoice(i.value, f"{i.value} · {label(i)}") for i in Involvement
        ]
        self.status.choices = [SelectChoice("", _l("Any status"))] + [
            SelectChoice(s.value, label(s)) for s in options.statuses
        ]
        if options.choose_trainee:
            self.trainee.choices = [SelectChoice("", _l("All trainees"))] + [
                SelectChoice(u.id, u.full_name) for u in options.trainees
            ]
        else:
            del self.trainee

    def validate_date_to(self, field) -> None:
        if field.data and self.date_from.data and field.data < self.date_from.data:
            raise ValidationError(_l("The end date is before the start date."))

    def refused_choice(self) -> bool:
        """A program, hospital, procedure or trainee the user may not export was asked for."""
        return any(name in self and self[name].errors for name in self.CHOICE_FIELDS)

    def filters(self) -> ExportFilters:
        """The validated filters as plain values."""
        return ExportFilters(
            program_id=self.program.data,
            date_from=self.date_from.data,
            date_to=self.date_to.data,
            site_id=self.site.data,
            procedure_id=self.procedure.data,
            involvement=Involvement(self.involvement.data) if self.involvement.data else None,
            status=CaseStatus(self.status.data) if self.status.data else None,
            trainee_id=self.trainee.data if "trainee" in self else None,
        )
