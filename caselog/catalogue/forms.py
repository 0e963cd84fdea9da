"""Forms of the catalogue pages (shape and types only; the rules are in services)."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    FieldList,
    Form,
    FormField,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, InputRequired, Length, Optional

from caselog.bounds import optional_id, record_id
from caselog.catalogue.services import (
    CODE_MAX,
    KEY_MAX,
    NAME_MAX,
    SHORT_NAME_MAX,
    SOURCE_MAX,
    SYSTEM_MAX,
    CodeInput,
    LocalNamesInput,
    ProcedureInput,
)
from caselog.i18n import choices
from caselog.models import CATALOGUE_LOCALES, Approach, Procedure

NOT_CHOSEN = [SelectChoice("", "—")]
BLANK_CODE_ROWS = 2  # empty rows offered for new codes (no JavaScript needed)


class CodeRowForm(Form):
    """One external code: its system, the code, and where it comes from."""

    system = StringField(
        _l("System"),
        validators=[Optional(), Length(max=SYSTEM_MAX)],
        render_kw={"list": "code-systems", "autocomplete": "off"},
    )
    code = StringField(
        _l("Code"), validators=[Optional(), Length(max=CODE_MAX)], render_kw={"autocomplete": "off"}
    )
    source = StringField(_l("Source"), validators=[Optional(), Length(max=SOURCE_MAX)])


class LocalNamesForm(Form):
    """A procedure's names in one language other than English; all blank for none."""

    name = StringField(_l("Name"), validators=[Optional(), Length(max=NAME_MAX)])
    short_name = StringField(_l("Short name"), validators=[Optional(), Length(max=SHORT_NAME_MAX)])
    synonyms = TextAreaField(
        _l("Search synonyms"),
        description=_l("One per line: the names and abbreviations people type in this language."),
        validators=[Length(max=5000)],
        render_kw={"rows": 3},
    )

    def to_input(self) -> LocalNamesInput:
        return LocalNamesInput(
            name=self.name.data or "",
            short_name=self.short_name.data or "",
            synonyms=(self.synonyms.data or "").splitlines(),
        )


class ProcedureForm(FlaskForm):
    """Everything the catalogue holds about one procedure (names in other languages in
    the sub-forms `names_ru`, `names_mn`, `names_ko`, added below the class)."""

    specialty_id = SelectField(_l("Specialty"), coerce=optional_id, validators=[InputRequired()])
    name = StringField(
        _l("Name"),
        description=_l("In English, the catalogue's own language; other languages below."),
        validators=[DataRequired(), Length(max=NAME_MAX)],
    )
    short_name = StringField(
        _l("Short name"),
        description=_l("An abbreviation, such as TLIF or PD."),
        validators=[Optional(), Length(max=SHORT_NAME_MAX)],
    )
    synonyms = TextAreaField(
        _l("Search synonyms"),
        description=_l("One per line: other names and abbreviations people type to find it."),
        validators=[Length(max=5000)],
        render_kw={"rows": 5},
    )
    default_approach = SelectField(
        _l("Usual approach"),
        choices=NOT_CHOSEN + choices(Approach),
        description=_l("Filled in on the case form; the trainee can change it."),
        validators=[Optional()],
    )
    group_ids = SelectMultipleField(_l("Groups"), coerce=record_id, validators=[Optional()])
    key = StringField(
        _l("Catalogue key"),
        description=_l(
            "Lower-case letters, digits and hyphens; catalogue files refer to the "
            "procedure by it. Left blank, it is made from the name."
        ),
        validators=[Optional(), Length(max=KEY_MAX)],
        render_kw={"autocomplete": "off"},
    )
    codes = FieldList(FormField(CodeRowForm), label=_l("External codes"))

    @staticmethod
    def data_of(procedure: Procedure) -> dict:
        """The form's initial values for an existing procedure."""
        return {
            "specialty_id": procedure.specialty_id,
            "name": procedure.name,
            "short_name": procedure.short_name or "",
            "synonyms": "\n".join(procedure.synonym_list),
            "default_approach": procedure.default_approach.value
            if procedure.default_approach
            else "",
            "group_ids": [g.id for g in procedure.groups],
            "key": procedure.code,
            "codes": [
                {"system": c.system, "code": c.code, "source": c.source} for c in procedure.codes
            ],
            **{
                f"names_{row.locale}": {
                    "name": row.name or "",
                    "short_name": row.short_name or "",
                    "synonyms": "\n".join(row.synonym_list),
                }
                for row in procedure.names
                if row.locale in CATALOGUE_LOCALES
            },
        }

    def local_names(self) -> list[tuple[str, FormField]]:
        """(locale, sub-form) for each of the catalogue's other languages, in order."""
        return [(locale, self[f"names_{locale}"]) for locale in CATALOGUE_LOCALES]

    def add_blank_code_rows(self) -> None:
        """Offer empty rows for new codes below the ones already entered."""
        for _ in range(BLANK_CODE_ROWS):
            self.codes.append_entry()

    def to_input(self) -> ProcedureInput:
        """The typed values for the service."""
        return ProcedureInput(
            specialty_id=self.specialty_id.data,
            name=self.name.data or "",
            short_name=self.short_name.data or "",
            synonyms=(self.synonyms.data or "").splitlines(),
            default_approach=Approach(self.default_approach.data)
            if self.default_approach.data
            else None,
            group_ids=list(self.group_ids.data or []),
            codes=[
                CodeInput(row.system.data or "", row.code.data or "", row.source.data or "")
                for row in self.codes
            ],
            key=self.key.data or "",
            names={locale: sub.form.to_input() for locale, sub in self.local_names()},
        )


for _locale in CATALOGUE_LOCALES:  # one sub-form per language: names_ru, names_mn, names_ko
    setattr(ProcedureForm, f"names_{_locale}", FormField(LocalNamesForm))


class CatalogueSearchForm(FlaskForm):
    """The catalogue page's filters, read from the query string."""

    class Meta:
        csrf = False  # a GET form that changes nothing

    q = StringField(
        _l("Search"),
        validators=[Optional(), Length(max=100)],
        render_kw={"placeholder": _l("Name, short name or synonym"), "type": "search"},
    )
    specialty = SelectField(_l("Specialty"), coerce=optional_id, validators=[Optional()])
    status = SelectField(
        _l("Status"),
        choices=[
            SelectChoice("", _l("Active and retired")),
            SelectChoice("active", _l("Active")),
            SelectChoice("retired", _l("Retired")),
        ],
        validators=[Optional()],
    )
