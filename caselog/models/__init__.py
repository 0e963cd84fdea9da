"""All models, importable from one place (and registered with the metadata for Alembic)."""

from caselog.models.accounts import LinkPurpose, LoginFailure, PasswordLink, SignIn, User
from caselog.models.audit import AuditEvent
from caselog.models.cases import (
    Case,
    CaseStatus,
    Complication,
    Involvement,
    Setting,
    Sex,
    Urgency,
)
from caselog.models.catalogue import (
    CATALOGUE_LOCALES,
    Approach,
    LocalName,
    Procedure,
    ProcedureCode,
    ProcedureGroup,
    ProcedureGroupName,
    ProcedureName,
    Specialty,
    SpecialtyName,
)
from caselog.models.frameworks import Framework, FrameworkVersion, Status, Target
from caselog.models.organisation import Enrolment, MentorAppointment, Program, ProgramKind, Site
from caselog.models.reports import IssuedReport, ReportKind
from caselog.models.second_factor import RecoveryCode, SecondFactor
from caselog.models.signoff import Autonomy, Complexity, Delegate, Signature
from caselog.models.verification import VerificationMiss

__all__ = [
    "CATALOGUE_LOCALES",
    "Approach",
    "AuditEvent",
    "Autonomy",
    "Case",
    "CaseStatus",
    "Complication",
    "Complexity",
    "Delegate",
    "Framework",
    "FrameworkVersion",
    "Enrolment",
    "Involvement",
    "IssuedReport",
    "LinkPurpose",
    "LocalName",
    "LoginFailure",
    "MentorAppointment",
    "PasswordLink",
    "Procedure",
    "ProcedureCode",
    "ProcedureGroup",
    "ProcedureGroupName",
    "ProcedureName",
    "Program",
    "ProgramKind",
    "RecoveryCode",
    "ReportKind",
    "SecondFactor",
    "Setting",
    "Sex",
    "SignIn",
    "Signature",
    "Site",
    "Specialty",
    "SpecialtyName",
    "Status",
    "Target",
    "Urgency",
    "User",
    "VerificationMiss",
]
