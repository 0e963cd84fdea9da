"""A record the user may not see answers exactly like one that does not exist: for every
route that names a case, a program, a trainee (or a record inside a program), and every
role, the answer for a hidden id has the status, headers and body of the answer for an id
that was never issued; only the address in it differs."""

import re
from datetime import timedelta

import pytest

from caselog import policies
from caselog.models import CaseStatus, Delegate
from caselog.signoff.signatures import fingerprint
from tests.clock import NOW
from tests.factories import PASSWORD, framework_version
from tests.integration.sameness_steps import MISSING, Browser, assert_same_answer

ROLES = [
    "anonymous",
    "owner",
    "other_trainee",
    "supervisor",
    "delegate",
    "other_mentor",
    "director",
    "admin",
]

# Routes naming a case: (method, url, form data).
CASE_ROUTES = [
    ("GET", "/cases/{case}", None),
    ("GET", "/cases/{case}/history", None),
    ("GET", "/cases/{case}/edit", None),
    ("POST", "/cases/{case}/submit", lambda s: {}),
    ("POST", "/cases/{case}/withdraw", lambda s: {}),
    ("GET", "/cases/{case}/review", None),
    ("POST", "/cases/{case}/sign", lambda s: {"fingerprint": s.seen, "password": PASSWORD}),
    ("POST", "/cases/{case}/return", lambda s: {"comment": "Add the level operated."}),
    ("GET", "/cases/{case}/bedside", None),
    (
        "POST",
        "/cases/{case}/bedside",
        lambda s: {"fingerprint": s.seen, "email": s.mentor_email, "password": PASSWORD},
    ),
    ("GET", "/cases/{case}/reassign", None),
    (
        "POST",
        "/cases/{case}/reassign",
        lambda s: {"supervisor_id": s.other_mentor_id, "reason": "On leave"},
    ),
]

# Routes naming a program, a trainee, a target or a record of a program.
PROGRAM_ROUTES = [
    ("GET", "/programs/{program}", None),
    ("GET", "/programs/{program}/names", None),
    ("GET", "/programs/{program}/enrol", None),
    ("GET", "/programs/{program}/mentors/new", None),
    ("GET", "/programs/{program}/delegates/new", None),
    ("GET", "/programs/{program}/enrolments/{enrolment}", None),
    ("POST", "/programs/{program}/enrolments/{enrolment}/end", lambda s: {"last_day": ""}),
    ("POST", "/programs/{program}/mentors/{appointment}/remove", lambda s: {}),
    ("POST", "/programs/{program}/delegates/{delegate}/remove", lambda s: {}),
    ("POST", "/programs/{program}/framework", lambda s: {"version_id": ""}),
    ("GET", "/programs/{program}/cohort", None),
    ("GET", "/programs/{program}/cohort/{trainee}/{target}", None),
    ("GET", "/programs/{program}/cohort.pdf", None),
    ("GET", "/dashboard/{program}/targets/{target}", None),
    ("GET", "/mentees/{program}/{trainee}", None),
    ("GET", "/mentees/{program}/{trainee}/targets/{target}", None),
    ("GET", "/reports/logbook/{program}/{trainee}.pdf", None),
    ("GET", "/reports/competency/{program}/{trainee}.pdf", None),
    ("GET", "/exports/cases?program={program}", None),
    ("GET", "/exports/cases.csv?program={program}", None),
    ("GET", "/exports/cases.xlsx?program={program}", None),
    ("GET", "/awaiting?program={program}", None),
    ("GET", "/awaiting?trainee={person}", None),
    ("GET", "/cases?program={program}", None),
    ("GET", "/dashboard?target={target}", None),
    ("GET", "/exports/cases?trainee={person}", None),
    ("GET", "/exports/cases.csv?trainee={person}", None),
    ("GET", "/exports/cases.xlsx?trainee={person}", None),
]


class Scene:
    """The world's program (A), and program B elsewhere that nobody of the world is in:
    B's director, mentor, delegate, trainee, target and cases."""

    def __init__(self, world, make, db_session):
        self.world = world
        delegate = make.user("Dr Delegate Choi", email="delegate@example.test")
        make.appoint(delegate, world.program)
        db_session.add(Delegate(program=world.program, mentor=world.mentor, delegate=delegate))
        self.people = {
            "anonymous": None,
            "owner": world.trainee,
            "other_trainee": world.other_trainee,
            "supervisor": world.mentor,
            "delegate": delegate,
            "other_mentor": world.other_mentor,
            "director": world.director,
            "admin": world.admin,
        }
        target = dict(label="TLIF", min_count=2, procedures=[world.fusion])
        world.program.framework_version = framework_version(make, world.spine, [target])
        director_b = make.user("Dr Director Elsewhere", email="director.b@example.test")
        mentor_b = make.user("Dr Mentor Elsewhere", email="mentor.b@example.test")
        signer_b = make.user("Dr Delegate Elsewhere", email="delegate.b@example.test")
        self.trainee_b = make.user("Tsetseg Ganbold", email="trainee.b@example.test")
        self.program_b = make.program(
            sites=[world.busan], directors=[director_b], name="Program elsewhere"
        )
        self.program_b.framework_version = framework_version(make, world.spine, [target])
        self.enrolment_b = make.enrol(self.trainee_b, self.program_b)
        self.appointment_b = make.appoint(mentor_b, self.program_b)
        make.appoint(signer_b, self.program_b)
        self.delegate_b = Delegate(program=self.program_b, mentor=mentor_b, delegate=signer_b)
        db_session.add(self.delegate_b)
        db_session.flush()
        self.target_a = world.program.framework_version.targets[0]
        self.target_b = self.program_b.framework_version.targets[0]

        def case(trainee, program, mentor, status):
            return make.case(
                trainee,
                program,
                world.fusion,
                mentor,
                status=status,
                submitted_at=None if status is CaseStatus.DRAFT else NOW - timedelta(days=2),
            )

        self.cases = [
            case(world.trainee, world.program, world.mentor, CaseStatus.DRAFT),
            case(world.trainee, world.program, world.mentor, CaseStatus.SUBMITTED),
            case(self.trainee_b, self.program_b, mentor_b, CaseStatus.DRAFT),
            case(self.trainee_b, self.program_b, mentor_b, CaseStatus.SUBMITTED),
        ]
        self.mentor_email = world.mentor.email
        self.other_mentor_id = world.other_mentor.id
        self.seen = ""

    def hidden_cases(self, person):
        """The scene's cases this person may not see."""
        if person is None:
            return self.cases
        return [case for case in self.cases if not policies.can_view_case(person, case)]

    def program_probes(self, person):
        """Each program route's ids: a hidden or foreign record in one slot at least.

        Returns (slots, hidden slot names). B is out of sight of everyone but an admin;
        B's trainee, target, enrolment, appointment and delegate are never A's."""
        a, b = self.world.program.id, self.program_b.id
        foreign = {
            "trainee": self.trainee_b.id,
            "target": self.target_b.id,
            "enrolment": self.enrolment_b.id,
            "appointment": self.appointment_b.id,
            "delegate": self.delegate_b.id,
        }
        probes = [({"program": a, **foreign}, set(foreign))]
        if person is None or not policies.is_admin(person):
            own = {
                "trainee": self.trainee_b.id,
                "person": self.trainee_b.id,  # B's trainee, whom only an admin may export
                "target": self.target_b.id,
                "enrolment": self.enrolment_b.id,
                "appointment": self.appointment_b.id,
                "delegate": self.delegate_b.id,
            }
            probes.append(({"program": b, **own}, {"program", *own}))
        # A's own trainee with a target that is not A's
        probes.append(
            (
                {"program": a, "trainee": self.world.trainee.id, "target": self.target_b.id},
                {"target"},
            )
        )
        return probes


@pytest.fixture
def scene(world, make, db_session):
    return Scene(world, make, db_session)


@pytest.mark.parametrize("role", ROLES)
def test_a_hidden_case_answers_like_a_missing_one(app, scene, role):
    person = scene.people[role]
    browser = Browser(app, person)
    hidden = scene.hidden_cases(person)
    assert hidden  # every role has cases it may not see
    for case in hidden:
        scene.seen = fingerprint(case)
        for method, template, data in CASE_ROUTES:
            form = data(scene) if data else None
            asked = (template.format(case=case.id), form)
            assert_same_answer(browser, method, asked, (template.format(case=MISSING), form))
        assert case.status in (CaseStatus.DRAFT, CaseStatus.SUBMITTED)
        assert case.signatures == [] and case.supervisor_id != scene.other_mentor_id


@pytest.mark.parametrize("role", ROLES)
def test_a_hidden_program_trainee_or_record_answers_like_a_missing_one(app, scene, role):
    person = scene.people[role]
    browser = Browser(app, person)
    for slots, hidden in scene.program_probes(person):
        missing = {name: MISSING if name in hidden else value for name, value in slots.items()}
        for method, template, data in PROGRAM_ROUTES:
            names = set(re.findall(r"{(\w+)}", template))
            if not names & hidden or not names <= set(slots):
                continue
            form = data(scene) if data else None
            asked, unseen = (template.format(**slots), form), (template.format(**missing), form)
            assert_same_answer(browser, method, asked, unseen)
