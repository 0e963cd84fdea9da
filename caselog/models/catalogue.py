"""The procedure catalogue: specialties, procedures, their groups and external codes."""

import enum

from sqlalchemy import Column, ForeignKey, String, Table, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from caselog.extensions import Model, db
from caselog.models.types import enum_column

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


class Specialty(Model):
    """A surgical specialty, such as spine surgery or HPB surgery."""

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(32), unique=True)
    name: Mapped[str] = mapped_column(String(100))

    procedures: Mapped[list["Procedure"]] = relationship(
        back_populates="specialty", order_by="Procedure.name"
    )


class ProcedureGroup(Model):
    """A named set of procedures, such as "spinal decompression" or "major hepatectomy"."""

    __table_args__ = (UniqueConstraint("specialty_id", "code"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    specialty_id: Mapped[int] = mapped_column(ForeignKey("specialty.id"))
    code: Mapped[str] = mapped_column(String(64))
    name: Mapped[str] = mapped_column(String(200))


class Procedure(Model):
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

    specialty: Mapped[Specialty] = relationship(back_populates="procedures")
    groups: Mapped[list[ProcedureGroup]] = relationship(
        secondary=procedure_groups, order_by=ProcedureGroup.name
    )
    codes: Mapped[list["ProcedureCode"]] = relationship(
        cascade="all, delete-orphan", order_by="ProcedureCode.system"
    )

    @property
    def synonym_list(self) -> list[str]:
        return [s for s in self.synonyms.splitlines() if s.strip()]


class ProcedureCode(Model):
    """A code for a procedure in an external system, with where it was taken from."""

    __table_args__ = (UniqueConstraint("procedure_id", "system", "code"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    procedure_id: Mapped[int] = mapped_column(ForeignKey("procedure.id", ondelete="CASCADE"))
    system: Mapped[str] = mapped_column(String(32))  # e.g. "CPT", "OPCS-4", "SNOMED CT"
    code: Mapped[str] = mapped_column(String(32))
    source: Mapped[str] = mapped_column(String(200))  # attribution, required
