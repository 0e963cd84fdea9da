"""The verification forms: a typed code, and a copy of a report to compare."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from wtforms import StringField
from wtforms.validators import DataRequired, Length


class CodeForm(FlaskForm):
    """The code printed on a report, typed however it comes (case, spaces, dashes)."""

    code = StringField(
        _l("Verification code"),
        validators=[DataRequired(), Length(max=64)],
        description=_l("Printed on every page of the report, for example K7QM-2XRD-4P."),
        render_kw={
            "autocomplete": "off",
            "autocapitalize": "characters",
            "spellcheck": "false",
            "placeholder": "XXXX-XXXX-XX",
        },
    )


class CopyForm(FlaskForm):
    """A PDF someone received, to compare byte for byte with the issued report."""

    document = FileField(
        _l("The PDF you received"),
        validators=[FileRequired(_l("Choose the PDF file."))],
        description=_l("It is compared here and not kept."),
        render_kw={"accept": "application/pdf,.pdf"},
    )
