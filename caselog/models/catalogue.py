"""The procedure catalogue: specialties, procedures, their groups, external codes and names.

English is the source: each row's own `name` (and a procedure's `short_name`, `synonyms`).
Names in the other catalogue languages live in `*_name` tables keyed by (row, locale) and
load with their rows. `display_name(locale)` is the one way a name is chosen for a reader.
"""

import enum
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from sqlalchemy import Column, ForeignKey, String, Table, Text, UniqueConstraint, event
from sqlalchemy.orm import Mapped, Session, mapped_column, relationship

from caselog import folding
from caselog.extensions import Model, db
from caselog.models.types import enum_column

# Languages the catalogue carries besides English (the source), in the order forms show them.
CATALOGUE_LOCALES = ("ru", "mn", "ko")

procedure_groups = Table(
    "procedure_group_member",
    db.metadata,
    Column("procedure_id", ForeignKey("procedure.id", ondelete="CASCADE"), primary_key=True),
    Column("group_id", ForeignKey("procedure_group.id", ondelete="CASCADE"), primary_key=True),
)


class Approach(enum.StrEnum):
    OPEN = "open"
    MICROSCOPIC = "microscopic"
    ENDOSCOPIC = "endoscopic"
    LAPAROSCOPIC = "laparoscopic"
    ROBOTIC = "robotic"
    PERCUTANEOUS = "percutaneous"


@dataclass(frozen=True)
class LocalName:
    """A catalogue name as one reader sees it: in their language, else in English (fallback)."""

    text: str
    english: str
    fallback: bool = False  # the reader's language has no name yet: `text` is the English one
    short: str | None = None  # the short name in the reader's language, else the English one

    @property
    def differs(self) -> bool:
        """Whether the English name says something `text` does not (so is shown beside it)."""
        return self.text != self.english

    def __str__(self) -> str:
        return self.text


def language(locale: object) -> str:
    """The language part of a locale ("ru" of "ru_RU" or of a babel Locale); "en" for None."""
    return str(locale or "en").replace("-", "_").split("_")[0].lower()


class Translated:
    """A catalogue row with an English `name` and rows of `names` in other languages."""

    if TYPE_CHECKING:  # declared by each model; not columns of the mixin
        name: str
        names: "list[Any]"  # SpecialtyName, ProcedureGroupName or ProcedureName rows

    def translation(self, locale: object) -> Any:
        """The row of names in that language, or None."""
        wanted = language(locale)
        return next((row for row in self.names if row.locale == wanted), None)

    def display_name(self, locale: object) -> LocalName:
        """The name for a reader of that language, falling back to English visibly."""
        row = self.translation(locale)
        short = getattr(row, "short_name", None) or getattr(self, "short_name", None)
        if row is not None and row.name:
            return LocalName(row.name, self.name, short=short)
        return LocalName(self.name, self.name, fallback=language(locale) != "en", short=short)


class SpecialtyName(Model):
    """A specialty's name in one language other than English."""

    __tablename__ = "specialty_name"

    specialty_id: Mapped[int] = mapped_column(
        ForeignKey("specialty.id", ondelete="CASCADE"), primary_key=True
    )
    locale: Mapped[str] = mapped_column(String(8), primary_key=True)
    name: Mapped[str] = mapped_column(String(100))


class ProcedureGroupName(Model):
    """A procedure group's name in one language other than English."""

    __tablename__ = "procedure_group_name"

    group_id: Mapped[int] = mapped_column(
        ForeignKey("procedure_group.id", ondelete="CASCADE"), primary_key=True
    )
    locale: Mapped[str] = mapped_column(String(8), primary_key=True)
    name: Mapped[str] = mapped_column(String(200))


class ProcedureName(Model):
    """A procedure's name, short name and search synonyms in one language other than English.

    The name may be missing (synonyms alone still find the procedure); readers of that
    language then see the English name, marked as English.
    """

    __tablename__ = "procedure_name"

    procedure_id: Mapped[int] = mapped_column(
        ForeignKey("procedure.id", ondelete="CASCADE"), primary_key=True
    )
    locale: Mapped[str] = mapped_column(String(8), primary_key=True)
    name: Mapped[str | None] = mapped_column(String(200))
    short_name: Mapped[str | None] = mapped_column(String(60))
    synonyms: Mapped[str] = mapped_column(Text, default="")  # one per line, for search

    procedure: Mapped["Procedure"] = relationship(back_populates="names")

    @property
    def synonym_list(self) -> list[str]:
        return [s for s in (self.synonyms or "").splitlines() if s.strip()]


class Specialty(Translated, Model):
    """A surgical specialty, such as spine surgery or HPB surgery."""

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(32), unique=True)
    name: Mapped[str] = mapped_column(String(100))

    procedures: Mapped[list["Procedure"]] = relationship(
        back_populates="specialty", order_by="Procedure.name"
    )
    names: Mapped[list[SpecialtyName]] = relationship(
        cascade="all, delete-orphan", lazy="selectin", order_by=SpecialtyName.locale
    )


class ProcedureGroup(Translated, Model):
    """A named set of procedures, such as "spinal decompression" or "major hepatectomy"."""

    __table_args__ = (UniqueConstraint("specialty_id", "code"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    specialty_id: Mapped[int] = mapped_column(ForeignKey("specialty.id"))
    code: Mapped[str] = mapped_column(String(64))
    name: Mapped[str] = mapped_column(String(200))

    names: Mapped[list[ProcedureGroupName]] = relationship(
        cascade="all, delete-orphan", lazy="selectin", order_by=ProcedureGroupName.locale
    )


class Procedure(Translated, Model):
    """An operation that can be logged. Retired, never deleted, once any case uses it."""

    __table_args__ = (UniqueConstraint("specialty_id", "code"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    specialty_id: Mapped[int] = mapped_column(ForeignKey("specialty.id"))
    code: Mapped[str] = mapped_column(String(64))  # stable key within the specialty's data
    name: Mapped[str] = mapped_column(String(200))
    short_name: Mapped[str | None] = mapped_column(String(60))
    synonyms: Mapped[str] = mapped_column(Text, default="")  # one per line, for search
    default_approach: Mapped[Approach | None] = mapped_column(enum_column(Approach))
    retired: Mapped[bool] = mapped_column(default=False)
    # Every name, short name and synonym in every language, folded (caselog.folding): what
    # search compares with. Kept up to date on every flush (see _refresh_search_text).
    search_text: Mapped[str] = mapped_column(Text, default="", server_default="")

    specialty: Mapped[Specialty] = relationship(back_populates="procedures")
    groups: Mapped[list[ProcedureGroup]] = relationship(
        secondary=procedure_groups, order_by=ProcedureGroup.name
    )
    codes: Mapped[list["ProcedureCode"]] = relationship(
        cascade="all, delete-orphan", order_by="ProcedureCode.system"
    )
    names: Mapped[list[ProcedureName]] = relationship(
        back_populates="procedure",
        cascade="all, delete-orphan",
        lazy="selectin",
        order_by=ProcedureName.locale,
    )

    @property
    def synonym_list(self) -> list[str]:
        return [s for s in (self.synonyms or "").splitlines() if s.strip()]

    def search_terms(self) -> list[str]:
        """Every name, short name and synonym the procedure can be found by, in any language."""
        terms = [self.name, self.short_name or "", *self.synonym_list]
        for row in self.names:
            terms += [row.name or "", row.short_name or "", *row.synonym_list]
        return terms


class ProcedureCode(Model):
    """A code for a procedure in an external system, with where it was taken from."""

    __table_args__ = (UniqueConstraint("procedure_id", "system", "code"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    procedure_id: Mapped[int] = mapped_column(ForeignKey("procedure.id", ondelete="CASCADE"))
    system: Mapped[str] = mapped_column(String(32))  # e.g. "CPT", "OPCS-4", "SNOMED CT"
    code: Mapped[str] = mapped_column(String(32))
    source: Mapped[str] = mapped_column(String(200))  # attribution, required


@event.listens_for(Session, "before_flush")
def _refresh_search_text(session: Session, _context: object, _instances: object) -> None:
    """Recompute the search text of every procedure whose names change in this flush.

    Done here, not in each service, so that no path (the admin pages, the loader, the demo,
    a test's factory) can leave a procedure unfindable by a name it has.
    """
    touched: set[Procedure] = set()
    for obj in (*session.new, *session.dirty, *session.deleted):
        if isinstance(obj, Procedure):
            touched.add(obj)
        elif isinstance(obj, ProcedureName) and obj.procedure is not None:
            touched.add(obj.procedure)
    for procedure in touched:
        if procedure not in session.deleted:
            text = folding.search_text(procedure.search_terms())
            if procedure.search_text != text:
                procedure.search_text = text
