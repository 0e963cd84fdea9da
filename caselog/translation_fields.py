"""A form field for what a person writes in several languages: the text once per language
(each field named in its language), read and filled as a {code: text} dict."""

from wtforms import Form, FormField, StringField
from wtforms.validators import Optional

from caselog.i18n import LANGUAGE_NAMES


def _translations_form(max_length: int) -> type[Form]:
    """A sub-form with a text field per language Caselog knows, named by its code."""
    fields = {
        code: StringField(
            name,
            validators=[Optional()],
            render_kw={"lang": code, "maxlength": max_length, "autocomplete": "off"},
        )
        for code, name in LANGUAGE_NAMES.items()
    }
    return type("TranslationsForm", (Form,), fields)


class TranslationsField(FormField):
    """The same name in other languages, filled from a dict (a model's `*_translations`)
    and read back with `translations()`. The service decides what is kept. Templates show
    each language's field under its own name (templates/_macros/translations.html)."""

    def __init__(
        self, label: str | None = None, validators=None, max_length: int = 200, **kwargs
    ) -> None:
        super().__init__(_translations_form(max_length), label, validators, **kwargs)

    def translations(self) -> dict[str, str]:
        """What was typed, by language code, empty fields included (as "")."""
        return {field.short_name: field.data or "" for field in self.form}
