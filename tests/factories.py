"""Factories that build test data with sensible defaults; every argument can be overridden."""

import itertools
from datetime import date, timedelta

from argon2 import PasswordHasher, profiles

from caselog.models import (
    Approach,
    Case,
    CaseStatus,
    Enrolment,
    Involvement,
    MentorAppointment,
    Procedure,
    Program,
    ProgramKind,
    Setting,
    Site,
    Specialty,
    Urgency,
    User,
)
from tests.clock import TODAY

PASSWORD = "correct horse battery"
PASSWORD_HASH_PROFILE = "CHEAPEST"  # the tests' app uses it too, so sign-ins stay fast
_HASH = PasswordHasher.from_parameters(getattr(profiles, PASSWORD_HASH_PROFILE)).hash(PASSWORD)
_serial = itertools.count(1)


class Factory:
    def __init__(self, session):
        self.session = session

    def _save(self, obj):
        self.session.add(obj)
        self.session.flush()
        return obj

    def user(self, name: str | None = None, email: str | None = None, **fields) -> User:
        n = next(_serial)
        return self._save(
            User(
                full_name=name or f"Person {n}",
                email=email or f"person{n}@example.test",
                password_hash=fields.pop("password_hash", _HASH),
                **fields,
            )
        )

    def site(self, name: str | None = None, time_zone: str = "Asia/Seoul", **fields) -> Site:
        n = next(_serial)
        return self._save(
            Site(
                name=name or f"Hospital {n}",
                city=fields.pop("city", "Seoul"),
                country=fields.pop("country", "KR"),
                time_zone=time_zone,
                **fields,
            )
        )

    def specialty(self, name: str = "Spine surgery", code: str | None = None) -> Specialty:
        return self._save(Specialty(name=name, code=code or f"spec{next(_serial)}"))

    def procedure(
        self,
        name: str,
        specialty: Specialty | None = None,
        synonyms=(),
        approach: Approach | None = None,
        **fields,
    ) -> Procedure:
        specialty = specialty or self.specialty()
        return self._save(
            Procedure(
                specialty=specialty,
                code=fields.pop("code", f"proc{next(_serial)}"),
                name=name,
                synonyms="\n".join(synonyms),
                default_approach=approach,
                **fields,
            )
        )

    def program(
        self,
        sites=(),
        directors=(),
        specialty: Specialty | None = None,
        start: date | None = None,
        end: date | None = None,
        **fields,
    ) -> Program:
        start = start or TODAY - timedelta(days=180)
        return self._save(
            Program(
                name=fields.pop("name", f"Program {next(_serial)}"),
                kind=fields.pop("kind", ProgramKind.FELLOWSHIP),
                specialty=specialty or self.specialty(),
                start_date=start,
                end_date=end or start + timedelta(days=365),
                sites=list(sites),
                directors=list(directors),
                **fields,
            )
        )

    def enrol(self, trainee: User, program: Program, **fields) -> Enrolment:
        return self._save(
            Enrolment(
                trainee=trainee,
                program=program,
                start_date=fields.pop("start_date", program.start_date),
                end_date=fields.pop("end_date", program.end_date),
                **fields,
            )
        )

    def appoint(self, mentor: User, program: Program, site: Site | None = None):
        return self._save(MentorAppointment(mentor=mentor, program=program, site=site))

    def case(
        self,
        trainee: User,
        program: Program,
        procedure: Procedure,
        supervisor: User,
        site: Site | None = None,
        **fields,
    ) -> Case:
        return self._save(
            Case(
                trainee=trainee,
                program=program,
                site=site or program.sites[0],
                supervisor=supervisor,
                primary_procedure=procedure,
                operation_date=fields.pop("operation_date", TODAY - timedelta(days=1)),
                approach=fields.pop("approach", Approach.MICROSCOPIC),
                urgency=fields.pop("urgency", Urgency.ELECTIVE),
                setting=fields.pop("setting", Setting.THEATRE),
                involvement=fields.pop("involvement", Involvement.SUPERVISED_SCRUBBED),
                status=fields.pop("status", CaseStatus.DRAFT),
                **fields,
            )
        )

    def world(self) -> "World":
        return World(self)


class World:
    """A spine fellowship at two Korean hospitals with its people and a few procedures."""

    def __init__(self, make: Factory):
        self.spine = make.specialty("Spine surgery", code="spine-test")
        self.microdiscectomy = make.procedure(
            "Lumbar microdiscectomy",
            self.spine,
            synonyms=["microdiscectomy", "MLD"],
            approach=Approach.MICROSCOPIC,
        )
        self.fusion = make.procedure(
            "Transforaminal lumbar interbody fusion",
            self.spine,
            synonyms=["TLIF"],
            approach=Approach.OPEN,
        )
        self.acdf = make.procedure(
            "Anterior cervical discectomy and fusion",
            self.spine,
            synonyms=["ACDF"],
            approach=Approach.OPEN,
        )
        self.seoul = make.site("Seoul Spine Hospital", city="Seoul")
        self.busan = make.site("Busan University Hospital", city="Busan")
        self.director = make.user("Dr Director Kim", email="director@example.test")
        self.mentor = make.user("Dr Mentor Park", email="mentor@example.test")
        self.other_mentor = make.user("Dr Mentor Lee", email="mentor2@example.test")
        self.trainee = make.user("Bat-Erdene Dorj", email="trainee@example.test")
        self.other_trainee = make.user("Oyunaa Bold", email="trainee2@example.test")
        self.admin = make.user("Admin", email="admin@example.test", is_admin=True)
        self.program = make.program(
            sites=[self.seoul, self.busan],
            directors=[self.director],
            specialty=self.spine,
            name="Spine fellowship (test)",
        )
        make.appoint(self.mentor, self.program, self.seoul)
        make.appoint(self.other_mentor, self.program, self.busan)
        make.enrol(self.trainee, self.program)
        make.enrol(self.other_trainee, self.program)


def framework_version(
    make: Factory,
    specialty: Specialty,
    targets: list[dict],
    name: str | None = None,
    number: int = 1,
):
    """A framework with one version holding the targets given as Target fields, e.g.
    dict(label="ACDF", min_count=20, procedures=[acdf], involvements="S-TS P")."""
    from caselog.models import Framework, FrameworkVersion, Target

    framework = make._save(
        Framework(
            name=name or f"Framework {next(_serial)}",
            specialty=specialty,
            source="Modelled on test figures",
        )
    )
    version = make._save(FrameworkVersion(framework=framework, number=number))
    for position, fields in enumerate(targets):
        fields = {"involvements": "S-TS S-TU P", **fields}
        make._save(Target(version=version, position=position, **fields))
    return version
