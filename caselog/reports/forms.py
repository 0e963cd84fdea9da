"""The reports page's options, read from its query string and the PDF links': the logbook's
filters and the language the reports are drawn in."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import DateField, SelectField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import Optional, ValidationError

from caselog.i18n import current_language, language_choices
from caselog.reports.documents import SCOPE_LABELS, LogbookFilters, Scope


class LogbookFilterForm(FlaskForm):
    """Which cases a logbook lists: operation dates and where they stand in sign-off."""

    class Meta:
        csrf = False  # a GET form that changes nothing

    date_from = DateField(_l("Operated from"), validators=[Optional()])
    date_to = DateField(_l("Operated to"), validators=[Optional()])
    status = SelectField(
        _l("Cases"),
        choices=[SelectChoice(s.value, SCOPE_LABELS[s]) for s in Scope],
        default=Scope.SIGNED_AND_PENDING.value,
        validators=[Optional()],
    )

    def validate_date_to(self, field) -> None:
        """The period ends on or after its start."""
        if field.data and self.date_from.data and field.data < self.date_from.data:
            raise ValidationError(_l("The end date is before the start date."))

    def filters(self) -> LogbookFilters:
        """The filters asked for (call after validate)."""
        return LogbookFilters(
            self.date_from.data,
            self.date_to.data,
            Scope(self.status.data or Scope.SIGNED_AND_PENDING),
        )


class ReportsForm(LogbookFilterForm):
    """The reports page's options: the logbook's filters, and the language of every PDF
    (the reader's own unless they choose another)."""

    lang = SelectField(
        _l("Language of the reports"),
        default=current_language,
        validators=[Optional()],
        validate_choice=False,
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.lang.choices = language_choices()
        if self.lang.data not in {choice.value for choice in self.lang.choices}:
            self.lang.data = current_language()
