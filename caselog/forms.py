"""Form pieces every feature shares."""

from flask_wtf import FlaskForm

from caselog.errors import DomainError


class ActionForm(FlaskForm):
    """A button that changes something: only the CSRF token."""


def show_error(form: FlaskForm, error: DomainError) -> None:
    """Put a service's message on the field it concerns (or on the form), keeping the input."""
    target = _field(form, error.field) if error.field else None
    if target is not None:
        target.errors = [*target.errors, error.message]
    else:
        form.form_errors.append(error.message)


def _field(form: FlaskForm, path: str):
    """The field a path names: "name", or "names_ru.name" for a field of a sub-form."""
    target = form
    for name in path.split("."):
        try:
            target = target[name]
        except (KeyError, TypeError):
            return None
    return target
