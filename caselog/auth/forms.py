"""The sign-in form, and the forms that set a password (shape only; the rules are in
passwords.py)."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, EmailField, HiddenField, PasswordField
from wtforms.validators import DataRequired, EqualTo, Length


class LoginForm(FlaskForm):
    email = EmailField(
        _l("E-mail"),
        validators=[DataRequired(), Length(max=254)],
        render_kw={"autocomplete": "username", "autocapitalize": "none"},
    )
    password = PasswordField(
        _l("Password"),
        validators=[DataRequired(), Length(max=200)],
        render_kw={"autocomplete": "current-password"},
    )
    remember = BooleanField(_l("Keep me signed in on this device"))
    next = HiddenField()


class NewPasswordFields:
    """A new password, typed twice."""

    new_password = PasswordField(
        _l("New password"),
        description=_l(
            "At least 10 characters, and not easy to guess: a few unrelated words work well."
        ),
        validators=[DataRequired(), Length(max=200)],
        render_kw={"autocomplete": "new-password"},
    )
    confirm = PasswordField(
        _l("New password again"),
        validators=[
            DataRequired(),
            EqualTo("new_password", message=_l("Type the same new password twice.")),
        ],
        render_kw={"autocomplete": "new-password"},
    )


class SetPasswordForm(NewPasswordFields, FlaskForm):
    """Setting one's password through a mailed link."""


class ChangePasswordForm(NewPasswordFields, FlaskForm):
    """Changing one's own password: the current one, then the new one twice."""

    current_password = PasswordField(
        _l("Current password"),
        validators=[DataRequired(), Length(max=200)],
        render_kw={"autocomplete": "current-password"},
    )
