"""Where and in what training happens: sites, programs, enrolments, mentor appointments."""

import enum
from datetime import date, datetime

from sqlalchemy import Column, ForeignKey, Select, String, Table, select
from sqlalchemy.orm import Mapped, mapped_column, relationship

from caselog.extensions import Model, db
from caselog.models.accounts import User
from caselog.models.types import JSONValue, enum_column, local_date

program_sites = Table(
    "program_site",
    db.metadata,
    Column("program_id", ForeignKey("program.id", ondelete="CASCADE"), primary_key=True),
    Column("site_id", ForeignKey("site.id"), primary_key=True),
)

program_directors = Table(
    "program_director",
    db.metadata,
    Column("program_id", ForeignKey("program.id", ondelete="CASCADE"), primary_key=True),
    Column("user_id", ForeignKey("user.id"), primary_key=True),
)


class ProgramKind(enum.StrEnum):
    RESIDENCY = "residency"
    FELLOWSHIP = "fellowship"
    VISITING = "visiting"
    MASTER_CLASS = "master_class"


class Site(Model):
    """A hospital."""

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200), unique=True)
    city: Mapped[str] = mapped_column(String(100))
    country: Mapped[str] = mapped_column(String(2))  # ISO 3166 alpha-2
    time_zone: Mapped[str] = mapped_column(String(64))  # IANA name, e.g. Asia/Seoul


class Program(Model):
    """A training program with dates, a specialty, its sites and its directors."""

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200), unique=True)
    # The name in other languages, by code ({"ru": "..."}), as the director entered it;
    # shown through caselog.i18n.program_name, which falls back to `name`.
    name_translations: Mapped[dict[str, str]] = mapped_column(
        JSONValue, default=dict, server_default="{}"
    )
    kind: Mapped[ProgramKind] = mapped_column(enum_column(ProgramKind))
    specialty_id: Mapped[int] = mapped_column(ForeignKey("specialty.id"))
    start_date: Mapped[date]
    end_date: Mapped[date]
    assessment_enabled: Mapped[bool] = mapped_column(default=False)  # rate autonomy at sign-off
    # Everyone who signs in the program must have a second factor, and give its code to sign.
    requires_second_factor: Mapped[bool] = mapped_column(default=False)
    # A mentor is reminded when more cases wait than this, or any has waited longer.
    reminder_max_waiting: Mapped[int] = mapped_column(default=25)
    reminder_max_days: Mapped[int] = mapped_column(default=30)
    # The competency framework version the program's trainees are measured against.
    framework_version_id: Mapped[int | None] = mapped_column(ForeignKey("framework_version.id"))

    specialty = relationship("Specialty")
    sites: Mapped[list[Site]] = relationship(secondary=program_sites, order_by=Site.name)
    directors: Mapped[list[User]] = relationship(
        secondary=program_directors, order_by=User.full_name
    )
    framework_version = relationship("FrameworkVersion")

    @property
    def time_zone(self) -> str:
        """The zone the program's dates are read in: its first site's (UTC without sites).
        The one answer to the question, for progress, reports and forms alike."""
        return self.sites[0].time_zone if self.sites else "UTC"

    def today(self, now: datetime) -> date:
        """The program's date at the moment `now` (in its time zone)."""
        return local_date(now, self.time_zone)


class Enrolment(Model):
    """A trainee in a program for a period."""

    id: Mapped[int] = mapped_column(primary_key=True)
    trainee_id: Mapped[int] = mapped_column(ForeignKey("user.id"), index=True)
    program_id: Mapped[int] = mapped_column(ForeignKey("program.id"), index=True)
    start_date: Mapped[date]
    end_date: Mapped[date]
    home_institution: Mapped[str | None] = mapped_column(String(200))
    cohort: Mapped[str | None] = mapped_column(String(50))

    trainee: Mapped[User] = relationship()
    program: Mapped[Program] = relationship()

    def covers(self, day: date) -> bool:
        """Whether the enrolment is in force on the given day."""
        return self.start_date <= day <= self.end_date


class MentorAppointment(Model):
    """A supervisor attached to a program, optionally at one site only."""

    id: Mapped[int] = mapped_column(primary_key=True)
    mentor_id: Mapped[int] = mapped_column(ForeignKey("user.id"), index=True)
    program_id: Mapped[int] = mapped_column(ForeignKey("program.id"), index=True)
    site_id: Mapped[int | None] = mapped_column(ForeignKey("site.id"))

    mentor: Mapped[User] = relationship()
    program: Mapped[Program] = relationship()
    site: Mapped[Site | None] = relationship()


def directed_program_ids(user_id: int) -> Select[int]:
    """A subquery of the ids of programs the user directs."""
    return select(program_directors.c.program_id).where(program_directors.c.user_id == user_id)
