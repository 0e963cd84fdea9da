"""Form pieces every feature shares."""

from collections.abc import Iterator

from flask_wtf import FlaskForm
from wtforms import Field, FieldList, Form, FormField

from caselog.errors import DomainError


class ActionForm(FlaskForm):
    """A button that changes something: only the CSRF token."""


def show_error(form: Form, error: DomainError) -> None:
    """Put each of a service's messages on the field it names (or on the form), keeping
    everything typed. A field inside a sub-form is named "names_ru.name" or "names_ru-name"."""
    fields = dict(_named_fields(form))
    for name, message in error.problems:
        field = fields.get(name.replace(".", "-")) if name else None
        if field is None:
            form.form_errors.append(message)
        else:
            field.errors = [*field.errors, message]


def _named_fields(form: Form) -> Iterator[tuple[str, Field]]:
    """Every field of the form by its full name, inside lists and sub-forms too."""
    for field in form:
        yield field.name, field
        entries = list(field) if isinstance(field, FieldList) else [field]
        for entry in entries:
            if entry is not field:
                yield entry.name, entry
            if isinstance(entry, FormField):
                yield from _named_fields(entry.form)
