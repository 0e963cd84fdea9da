"""A case: one operation a trainee took part in, as logged."""

import enum
import secrets
from datetime import date, datetime
from typing import TYPE_CHECKING

from sqlalchemy import Column, ForeignKey, Integer, String, Table, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from caselog.extensions import Model, db
from caselog.models.accounts import User
from caselog.models.catalogue import Approach, Procedure
from caselog.models.organisation import Program, Site
from caselog.models.types import UTCDateTime, enum_column, utcnow

if TYPE_CHECKING:
    from caselog.models.signoff import Signature


class Involvement(enum.StrEnum):
    OBSERVED = "O"
    ASSISTED = "A"
    SUPERVISED_SCRUBBED = "S-TS"
    SUPERVISED_UNSCRUBBED = "S-TU"
    PERFORMED = "P"
    TAUGHT = "T"


class Urgency(enum.StrEnum):
    ELECTIVE = "elective"
    URGENT = "urgent"
    EMERGENCY = "emergency"


class Setting(enum.StrEnum):
    THEATRE = "theatre"
    LIVE_DEMONSTRATION = "live_demo"
    WORKSHOP = "workshop"
    VIDEO = "video"


class Sex(enum.StrEnum):
    FEMALE = "F"
    MALE = "M"
    OTHER = "X"


class Complication(enum.StrEnum):
    """None, or a Clavien-Dindo grade."""

    NONE = "none"
    I = "I"  # noqa: E741 - the grade's real name
    II = "II"
    IIIA = "IIIa"
    IIIB = "IIIb"
    IVA = "IVa"
    IVB = "IVb"
    V = "V"


class CaseStatus(enum.StrEnum):
    DRAFT = "draft"
    SUBMITTED = "submitted"
    RETURNED = "returned"
    APPROVED = "approved"
    WITHDRAWN = "withdrawn"  # taken back by the trainee before sign-off


EDITABLE = (CaseStatus.DRAFT, CaseStatus.RETURNED, CaseStatus.WITHDRAWN)


AGE_TOP_BAND = 90  # ages of 90 and over are stored as 90 and shown as "90+"

case_additional_procedures = Table(
    "case_additional_procedure",
    db.metadata,
    Column("case_id", ForeignKey("case.id", ondelete="CASCADE"), primary_key=True),
    Column("procedure_id", ForeignKey("procedure.id"), primary_key=True),
)


def _value(member: enum.StrEnum | None) -> str | None:
    return None if member is None else member.value


def new_reference() -> str:
    """A random case reference with no link to the patient, e.g. "K7QM-2XRD"."""
    alphabet = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"
    raw = "".join(secrets.choice(alphabet) for _ in range(8))
    return f"{raw[:4]}-{raw[4:]}"


class Case(Model):
    """One logged operation. Holds no patient identifier."""

    id: Mapped[int] = mapped_column(primary_key=True)
    reference: Mapped[str] = mapped_column(String(9), unique=True, default=new_reference)
    trainee_id: Mapped[int] = mapped_column(ForeignKey("user.id"), index=True)
    program_id: Mapped[int] = mapped_column(ForeignKey("program.id"), index=True)
    site_id: Mapped[int] = mapped_column(ForeignKey("site.id"))
    supervisor_id: Mapped[int] = mapped_column(ForeignKey("user.id"), index=True)
    status: Mapped[CaseStatus] = mapped_column(enum_column(CaseStatus), default=CaseStatus.DRAFT)
    version: Mapped[int] = mapped_column(default=1)

    operation_date: Mapped[date] = mapped_column(index=True)
    primary_procedure_id: Mapped[int] = mapped_column(ForeignKey("procedure.id"), index=True)
    approach: Mapped[Approach] = mapped_column(enum_column(Approach))
    urgency: Mapped[Urgency] = mapped_column(enum_column(Urgency))
    setting: Mapped[Setting] = mapped_column(enum_column(Setting))
    involvement: Mapped[Involvement] = mapped_column(enum_column(Involvement))

    patient_age: Mapped[int | None] = mapped_column(Integer)
    patient_sex: Mapped[Sex | None] = mapped_column(enum_column(Sex))
    asa_grade: Mapped[int | None] = mapped_column(Integer)

    complication: Mapped[Complication] = mapped_column(
        enum_column(Complication), default=Complication.NONE
    )
    complication_description: Mapped[str] = mapped_column(Text, default="")
    operative_minutes: Mapped[int | None]
    blood_loss_ml: Mapped[int | None]
    return_to_theatre: Mapped[bool] = mapped_column(default=False)
    notes: Mapped[str] = mapped_column(Text, default="")

    # Set by the services from the time they are given (the defaults serve rows made
    # outside them, such as test fixtures); updated_at: the last change by a service.
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    submitted_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    return_comment: Mapped[str] = mapped_column(Text, default="")  # the mentor's, when returned

    trainee: Mapped[User] = relationship(foreign_keys=[trainee_id])
    supervisor: Mapped[User] = relationship(foreign_keys=[supervisor_id])
    program: Mapped[Program] = relationship()
    site: Mapped[Site] = relationship()
    primary_procedure: Mapped[Procedure] = relationship()
    additional_procedures: Mapped[list[Procedure]] = relationship(
        secondary=case_additional_procedures, order_by=Procedure.name
    )
    signatures: Mapped[list["Signature"]] = relationship(order_by="Signature.version")

    @property
    def age_label(self) -> str:
        if self.patient_age is None:
            return ""
        return f"{AGE_TOP_BAND}+" if self.patient_age >= AGE_TOP_BAND else str(self.patient_age)

    def days_waiting(self, now: datetime) -> int:
        """Whole days, at `now`, since the case was submitted for sign-off."""
        return (now - self.submitted_at).days if self.submitted_at else 0

    @property
    def is_editable(self) -> bool:
        """Drafts, returned and withdrawn cases may change; submission and sign-off lock them."""
        return self.status in EDITABLE

    def content(self) -> dict[str, object]:
        """What the trainee recorded, as plain values by id: what a signature covers and
        what the audit trail compares. Names are left out, so renaming a site or a
        procedure leaves signatures valid."""
        return {
            "case_id": self.id,
            "reference": self.reference,
            "version": self.version,
            "trainee_id": self.trainee_id,
            "program_id": self.program_id,
            "site_id": self.site_id,
            "supervisor_id": self.supervisor_id,
            "operation_date": self.operation_date.isoformat(),
            "primary_procedure_id": self.primary_procedure_id,
            "additional_procedure_ids": sorted(p.id for p in self.additional_procedures),
            "approach": _value(self.approach),
            "urgency": _value(self.urgency),
            "setting": _value(self.setting),
            "involvement": _value(self.involvement),
            "patient_age": self.patient_age,
            "patient_sex": _value(self.patient_sex),
            "asa_grade": self.asa_grade,
            "complication": _value(self.complication),
            "complication_description": self.complication_description,
            "operative_minutes": self.operative_minutes,
            "blood_loss_ml": self.blood_loss_ml,
            "return_to_theatre": self.return_to_theatre,
            "notes": self.notes,
        }

    @property
    def signature(self) -> "Signature | None":
        """The signature of the current version, if it has one."""
        last = self.signatures[-1] if self.signatures else None
        return last if last is not None and last.version == self.version else None

    @property
    def superseded_signatures(self) -> list["Signature"]:
        """Signatures of earlier versions: kept and shown, but no longer the case's."""
        return [s for s in self.signatures if s.version < self.version]
