"""Second-factor forms (shape only; the rules are in services)."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, PasswordField, StringField
from wtforms.validators import DataRequired, Length, Optional

CODE_MAX = 32  # a 6-digit code or a recovery code, with whatever spaces were typed


def code_field(
    label=None,
    description=None,
    required: bool = True,
    field_id: str | None = None,
    autofocus: bool = False,
) -> StringField:
    """Where a code from the authenticator app (or a recovery code) is typed."""
    return StringField(
        label or _l("Code from your authenticator app"),
        validators=[DataRequired() if required else Optional(), Length(max=CODE_MAX)],
        description=description,
        id=field_id,
        render_kw={
            "autocomplete": "one-time-code",
            "autocapitalize": "none",
            "spellcheck": "false",
            **({"autofocus": True} if autofocus else {}),
        },
    )


def signing_code_field(label=None, description=None) -> StringField:
    """The code asked for at signing, of signers who have a second factor."""
    return code_field(label, description, required=False)


class SignInCodeForm(FlaskForm):
    """The second step of signing in."""

    code = code_field(
        description=_l("Or one of your recovery codes, if you lost your phone."), autofocus=True
    )


class ConfirmForm(FlaskForm):
    """The first code from the app, which puts the factor in force."""

    code = code_field(_l("The 6-digit code your app shows now"))


class RenewCodesForm(FlaskForm):
    """New recovery codes, after a code from the app."""

    code = code_field(field_id="renew-code")  # the turn-off form on the same page has a "code"


class TurnOffForm(FlaskForm):
    """Turning the factor off asks for the password and a code."""

    password = PasswordField(
        _l("Your password"),
        validators=[DataRequired(), Length(max=200)],
        render_kw={"autocomplete": "current-password"},
    )
    code = code_field(description=_l("Or one of your recovery codes."))


class RequireForm(FlaskForm):
    """A program's rule: everyone who signs in it has a second factor."""

    required = BooleanField(
        _l("Signers need a second factor"),
        description=_l(
            "Mentors sign this program's cases only with a code from an authenticator app "
            "as well as their password. Mentors without one are asked to set it up."
        ),
    )
