"""Competency frameworks: versioned sets of targets a program's trainees work toward."""

import enum
from datetime import datetime

from sqlalchemy import Column, ForeignKey, String, Table, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from caselog.extensions import Model, db
from caselog.models.accounts import User
from caselog.models.cases import Involvement
from caselog.models.catalogue import Procedure, ProcedureGroup, Specialty
from caselog.models.signoff import Autonomy
from caselog.models.types import JSONValue, UTCDateTime, enum_column, utcnow


class Status(enum.StrEnum):
    """Where a trainee stands against a target (decided in caselog/progress/compute.py)."""

    MET = "met"
    ON_TRACK = "on_track"
    BEHIND = "behind"
    NOT_STARTED = "not_started"  # the target's window lies ahead


target_procedures = Table(
    "target_procedure",
    db.metadata,
    Column("target_id", ForeignKey("target.id", ondelete="CASCADE"), primary_key=True),
    Column("procedure_id", ForeignKey("procedure.id"), primary_key=True),
)

target_groups = Table(
    "target_group",
    db.metadata,
    Column("target_id", ForeignKey("target.id", ondelete="CASCADE"), primary_key=True),
    Column("group_id", ForeignKey("procedure_group.id"), primary_key=True),
)


class Framework(Model):
    """A named competency framework; its content lives in numbered, unchanging versions."""

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200), unique=True)
    specialty_id: Mapped[int] = mapped_column(ForeignKey("specialty.id"))
    # Where the numbers come from, e.g. "Modelled on ACGME neurosurgery minimums".
    source: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    specialty: Mapped[Specialty] = relationship()
    versions: Mapped[list["FrameworkVersion"]] = relationship(
        back_populates="framework", order_by="FrameworkVersion.number"
    )

    @property
    def latest(self) -> "FrameworkVersion | None":
        return self.versions[-1] if self.versions else None


class FrameworkVersion(Model):
    """One version of a framework. Never changed once written: an edit makes a new one."""

    __table_args__ = (UniqueConstraint("framework_id", "number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    framework_id: Mapped[int] = mapped_column(ForeignKey("framework.id"), index=True)
    number: Mapped[int]
    note: Mapped[str] = mapped_column(Text, default="")  # what changed, in a sentence
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))

    framework: Mapped[Framework] = relationship(back_populates="versions")
    created_by: Mapped[User | None] = relationship()
    targets: Mapped[list["Target"]] = relationship(
        back_populates="version", order_by="Target.position", cascade="all, delete-orphan"
    )

    @property
    def label(self) -> str:
        return f"{self.framework.name} v{self.number}"


class Target(Model):
    """A minimum number of cases of some procedures at some involvement levels.

    Optionally: an entrustment condition (`entrust_count` of the counted cases rated at
    `entrust_autonomy` or better) and a window (`program_year`: only cases in that year
    of the program count, and pace is judged against that year's end).
    """

    id: Mapped[int] = mapped_column(primary_key=True)
    version_id: Mapped[int] = mapped_column(ForeignKey("framework_version.id"), index=True)
    position: Mapped[int] = mapped_column(default=0)
    label: Mapped[str] = mapped_column(String(200))
    # The label in other languages, by code; shown through caselog.i18n.target_label.
    label_translations: Mapped[dict[str, str]] = mapped_column(
        JSONValue, default=dict, server_default="{}"
    )
    min_count: Mapped[int]
    involvements: Mapped[str] = mapped_column(String(64))  # codes, e.g. "S-TS S-TU P"
    entrust_count: Mapped[int | None]
    entrust_autonomy: Mapped[Autonomy | None] = mapped_column(enum_column(Autonomy))
    program_year: Mapped[int | None]

    version: Mapped[FrameworkVersion] = relationship(back_populates="targets")
    procedures: Mapped[list[Procedure]] = relationship(
        secondary=target_procedures, order_by=Procedure.name
    )
    groups: Mapped[list[ProcedureGroup]] = relationship(
        secondary=target_groups, order_by=ProcedureGroup.name
    )

    @property
    def involvement_levels(self) -> list[Involvement]:
        return [Involvement(code) for code in self.involvements.split()]
