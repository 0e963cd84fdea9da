"""Framework forms: a framework with its list of targets, and the choice of a program's version.

Shapes and types only; the rules are in services. Adding, removing a target and changing
the specialty are submit buttons that re-render the form, so all of it works without
JavaScript.
"""

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    FieldList,
    Form,
    FormField,
    IntegerField,
    SelectField,
    SelectMultipleField,
    StringField,
    SubmitField,
    TextAreaField,
)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import Optional

from caselog.bounds import optional_id, optional_number, record_id
from caselog.frameworks.services import (
    LABEL_MAX,
    MAX_PROGRAM_YEAR,
    FrameworkInput,
    TargetInput,
)
from caselog.i18n import choices, local_text
from caselog.models import (
    Autonomy,
    Framework,
    FrameworkVersion,
    Involvement,
    Procedure,
    ProcedureGroup,
    Program,
    Target,
)
from caselog.translation_fields import TranslationsField

DEFAULT_LEVELS = [
    Involvement.SUPERVISED_SCRUBBED.value,
    Involvement.SUPERVISED_UNSCRUBBED.value,
    Involvement.PERFORMED.value,
]


class TargetForm(Form):
    """One target: what counts, how many, and the optional rating and window."""

    label = StringField(_l("Name"), render_kw={"autocomplete": "off"})
    label_translations = TranslationsField(max_length=LABEL_MAX)
    min_count = IntegerField(
        _l("Minimum cases"), validators=[Optional()], render_kw={"inputmode": "numeric", "min": 1}
    )
    involvements = SelectMultipleField(
        _l("Involvement levels that count"),
        choices=choices(Involvement),
        default=DEFAULT_LEVELS,
        validators=[Optional()],
    )
    group_ids = SelectMultipleField(
        _l("Procedure groups"), coerce=record_id, validators=[Optional()]
    )
    procedure_ids = SelectMultipleField(_l("Procedures"), coerce=record_id, validators=[Optional()])
    entrust_count = IntegerField(
        _l("Cases rated"), validators=[Optional()], render_kw={"inputmode": "numeric", "min": 1}
    )
    entrust_autonomy = SelectField(
        _l("Rated at least"),
        validators=[Optional()],
        choices=[SelectChoice("", _l("No rating needed"))] + choices(Autonomy),
    )
    program_year = SelectField(_l("Window"), coerce=optional_number, validators=[Optional()])
    remove = SubmitField(_l("Remove"))

    def to_input(self) -> TargetInput:
        """The typed values for the service."""
        return TargetInput(
            label=self.label.data or "",
            label_translations=self.label_translations.translations(),
            min_count=self.min_count.data,
            involvements=[Involvement(code) for code in self.involvements.data or []],
            procedure_ids=list(self.procedure_ids.data or []),
            group_ids=list(self.group_ids.data or []),
            entrust_count=self.entrust_count.data,
            entrust_autonomy=Autonomy(self.entrust_autonomy.data)
            if self.entrust_autonomy.data
            else None,
            program_year=self.program_year.data,
        )


class FrameworkForm(FlaskForm):
    """A framework's name, specialty and source, and its targets; on edit, what changed."""

    name = StringField(_l("Name"), render_kw={"autocomplete": "off"})
    specialty_id = SelectField(_l("Specialty"), coerce=optional_id, validators=[Optional()])
    source = TextAreaField(
        _l("Source"),
        render_kw={"rows": 2},
        description=_l(
            "Where the numbers come from, for example “Modelled on the ACGME "
            "neurosurgery minimums”. Say “modelled on” unless it is the official "
            "current version."
        ),
    )
    note = StringField(
        _l("What changed"),
        render_kw={"autocomplete": "off"},
        description=_l("A sentence, shown with the version."),
    )
    targets = FieldList(FormField(TargetForm), min_entries=1)
    add_target = SubmitField(_l("Add a target"))
    refresh = SubmitField(_l("Show its procedures"))
    save = SubmitField(_l("Save"))

    catalogue: tuple[list[Procedure], list[ProcedureGroup]] = ([], [])
    focus: str | None = None  # the id of the field to put the cursor in after a re-render

    def use_catalogue(self, procedures: list[Procedure], groups: list[ProcedureGroup]) -> None:
        """Offer these procedures and groups (of the framework's specialty) in every target."""
        self.catalogue = (procedures, groups)
        for row in self.targets:
            self._offer(row.form)

    def _offer(self, target: TargetForm) -> None:
        procedures, groups = self.catalogue
        target.procedure_ids.choices = [SelectChoice(p.id, local_text(p)) for p in procedures]
        target.group_ids.choices = [SelectChoice(g.id, local_text(g)) for g in groups]
        target.program_year.choices = [SelectChoice("", _("Whole program"))] + [
            SelectChoice(year, _("Program year %(n)d", n=year))
            for year in range(1, MAX_PROGRAM_YEAR + 1)
        ]

    def add_blank_target(self) -> TargetForm:
        """Append an empty target (default involvement levels) and return its form."""
        row = self.targets.append_entry()
        self._offer(row.form)
        return row.form

    def action(self) -> tuple[str, int | None]:
        """Which button was pressed: save, add, refresh, or remove (with the target's index)."""
        if self.add_target.data:
            return "add", None
        if self.refresh.data:
            return "refresh", None
        for index, row in enumerate(self.targets):
            if row.form.remove.data:
                return "remove", index
        return "save", None

    def to_input(self) -> FrameworkInput:
        """The typed values for the service."""
        return FrameworkInput(
            name=self.name.data or "",
            specialty_id=self.specialty_id.data,
            source=self.source.data or "",
            note=self.note.data or "",
            targets=[row.form.to_input() for row in self.targets],
        )

    @staticmethod
    def data_of(framework: Framework, targets: list[Target]) -> dict:
        """The form's initial values: the framework and a version's targets."""
        return {
            "name": framework.name,
            "specialty_id": framework.specialty_id,
            "source": framework.source,
            "note": "",
            "targets": [
                {
                    "label": t.label,
                    "label_translations": dict(t.label_translations or {}),
                    "min_count": t.min_count,
                    "involvements": t.involvements.split(),
                    "procedure_ids": [p.id for p in t.procedures],
                    "group_ids": [g.id for g in t.groups],
                    "entrust_count": t.entrust_count,
                    "entrust_autonomy": t.entrust_autonomy.value if t.entrust_autonomy else "",
                    "program_year": t.program_year,
                }
                for t in targets
            ],
        }


class AssignForm(FlaskForm):
    """The framework version a program's trainees are measured against."""

    version_id = SelectField(_l("Framework version"), coerce=optional_id, validators=[Optional()])


def assign_form(program: Program, versions: list[FrameworkVersion]) -> AssignForm:
    """The program page's choice of version, its current one selected."""
    form = AssignForm(formdata=None, data={"version_id": program.framework_version_id})
    offer_versions(form, versions)
    return form


def offer_versions(form: AssignForm, versions: list[FrameworkVersion]) -> None:
    """Every version on offer, under its framework's name, the latest of each marked."""
    latest: dict[int, int] = {}
    for v in versions:  # newest first within each framework
        latest.setdefault(v.framework_id, v.id)
    form.version_id.choices = [SelectChoice("", _("No framework"))] + [
        SelectChoice(
            v.id,
            _("%(name)s v%(n)d (latest)", name=v.framework.name, n=v.number)
            if latest[v.framework_id] == v.id
            else _("%(name)s v%(n)d", name=v.framework.name, n=v.number),
            optgroup=v.framework.name,
        )
        for v in versions
    ]
