"""The language switcher's form and the profile's (shape only; the rules are in services)."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import HiddenField, RadioField, SelectField
from wtforms.validators import InputRequired

from caselog.i18n import language_choices


class LanguageForm(FlaskForm):
    """The switcher on every page: a button per language, and the page to return to."""

    locale = SelectField(validators=[InputRequired()], validate_choice=False)
    next = HiddenField()


class ProfileForm(FlaskForm):
    """What a person sets for themselves: the language Caselog speaks to them."""

    locale = RadioField(_l("Language"), validators=[InputRequired()], validate_choice=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.locale.choices = language_choices()
