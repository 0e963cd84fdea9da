"""Reminders: mentors whose queue is longer or older than their program allows get one mail."""

import smtplib
from datetime import timedelta

import pytest
from sqlalchemy import select

from caselog import create_app
from caselog.models import AuditEvent, CaseStatus, Delegate
from caselog.signoff import reminders
from tests.clock import NOW


def waiting(make, world, n, days=1, supervisor=None, program=None, trainee=None):
    """n submitted cases naming the supervisor, each submitted `days` ago."""
    submitted_at = NOW - timedelta(days=days)
    return [
        make.case(
            trainee or world.trainee,
            program or world.program,
            world.fusion,
            supervisor or world.mentor,
            status=CaseStatus.SUBMITTED,
            submitted_at=submitted_at,
        )
        for _ in range(n)
    ]


def due_emails(now=NOW):
    return [queue.mentor.email for queue in reminders.due(now=now)]


def reminded_events(db_session):
    return list(
        db_session.scalars(
            select(AuditEvent)
            .where(AuditEvent.entity == "user", AuditEvent.action == "reminded")
            .order_by(AuditEvent.seq)
        )
    )


def run(app, *args):
    """Run a command as a scheduler would, in the test's transaction (its app context)."""
    return app.test_cli_runner().invoke(args=list(args))


@pytest.fixture
def smtp(app, monkeypatch):
    """An SMTP server stand-in: the mail backend as configured with MAIL_SERVER."""
    sent, sessions = [], []

    class FakeSMTP:
        refuse = False

        def __init__(self, host, port, **kwargs):
            if FakeSMTP.refuse:
                raise ConnectionRefusedError(111, "Connection refused")
            sessions.append({"host": host, "port": port, "tls": False, "login": None})

        def starttls(self, context=None):
            sessions[-1]["tls"] = True

        def login(self, user, password):
            sessions[-1]["login"] = (user, password)

        def sendmail(self, sender, recipients, message, mail_options=()):
            sent.append({"from": sender, "to": recipients, "message": message.decode()})

        def quit(self):
            pass

    monkeypatch.setattr(smtplib, "SMTP", FakeSMTP)
    state = app.extensions["mailman"]
    for name, value in {
        "backend": "smtp",
        "server": "smtp.hospital.test",
        "port": 2525,
        "username": "caselog",
        "password": "mail-secret",
        "use_tls": True,
    }.items():
        monkeypatch.setattr(state, name, value)
    FakeSMTP.sent, FakeSMTP.sessions = sent, sessions
    return FakeSMTP


def test_twenty_five_waiting_is_no_reminder_twenty_six_is(world, make):
    waiting(make, world, 25)
    assert due_emails() == []
    waiting(make, world, 1)
    assert due_emails() == ["mentor@example.test"]
    [queue] = reminders.due(now=NOW)
    assert (queue.waiting, queue.oldest_days) == (26, 1)


def test_thirty_days_is_no_reminder_thirty_one_is(world, make):
    [case] = waiting(make, world, 1, days=30)
    now = case.submitted_at + timedelta(days=30, hours=23)
    assert due_emails(now) == []
    assert due_emails(now + timedelta(hours=1)) == ["mentor@example.test"]
    waiting(make, world, 1, days=31, supervisor=world.other_mentor)
    assert due_emails() == ["mentor2@example.test"]


def test_each_programs_own_thresholds_count(world, make):
    strict = make.program(
        sites=[world.seoul],
        directors=[world.director],
        name="Master class",
        reminder_max_waiting=3,
        reminder_max_days=7,
    )
    make.appoint(world.other_mentor, strict)
    visitor = make.user("Visiting fellow")
    make.enrol(visitor, strict)
    waiting(make, world, 4, supervisor=world.other_mentor, program=strict, trainee=visitor)
    waiting(make, world, 4, supervisor=world.mentor)  # well within the fellowship's 25
    assert due_emails() == ["mentor2@example.test"]
    [queue] = reminders.due(now=NOW)
    assert [(q.program.name, q.waiting, q.due) for q in queue.programs] == [
        ("Master class", 4, True)
    ]

    strict.reminder_max_waiting = 10
    waiting(make, world, 1, days=8, supervisor=world.mentor, program=strict, trainee=visitor)
    make.appoint(world.mentor, strict)
    assert due_emails() == ["mentor@example.test"]  # 8 days, in a program that allows 7
    [queue] = reminders.due(now=NOW)
    assert {(q.program.name, q.due) for q in queue.programs} == {
        ("Master class", True),
        ("Spine fellowship (test)", False),
    }
    assert (queue.waiting, queue.oldest_days) == (5, 8)


def test_delegates_count_the_cases_they_may_sign(world, make, db_session):
    waiting(make, world, 26)
    db_session.add(
        Delegate(program=world.program, mentor=world.mentor, delegate=world.other_mentor)
    )
    db_session.flush()
    assert due_emails() == ["mentor2@example.test", "mentor@example.test"]  # by name


def test_only_submitted_cases_and_active_mentors(world, make):
    for status in (
        CaseStatus.DRAFT,
        CaseStatus.RETURNED,
        CaseStatus.APPROVED,
        CaseStatus.WITHDRAWN,
    ):
        make.case(
            world.trainee,
            world.program,
            world.fusion,
            world.mentor,
            status=status,
            submitted_at=NOW - timedelta(days=60),
        )
    assert due_emails() == []
    waiting(make, world, 1, days=60)
    world.mentor.active = False
    assert due_emails() == []


def test_queues_take_a_fixed_number_of_queries(world, make, count_queries):
    waiting(make, world, 2, days=40)
    with count_queries() as small:
        assert len(reminders.queues(now=NOW)) == 1
    waiting(make, world, 30, supervisor=world.other_mentor)
    for _ in range(5):
        mentor = make.user()
        make.appoint(mentor, world.program)
        waiting(make, world, 3, days=35, supervisor=mentor)
    with count_queries() as large:
        assert len(reminders.queues(now=NOW)) == 7
    assert small.count == large.count == 1


@pytest.mark.parametrize(
    "settings, backend",
    [
        ({}, "console"),
        ({"MAIL_SERVER": "smtp.hospital.test"}, "smtp"),
        ({"MAIL_SERVER": "smtp.hospital.test", "MAIL_BACKEND": "file"}, "file"),
    ],
)
def test_mail_is_printed_unless_a_server_is_set(settings, backend):
    app = create_app({"TESTING": True, "SQLALCHEMY_DATABASE_URI": "sqlite://", **settings})
    assert app.extensions["mailman"].backend == backend
    assert app.config["MAIL_DEFAULT_SENDER"] == "Caselog <caselog@localhost>"


def test_send_reminders_prints_mail_in_development(app, world, make, db_session):
    assert app.extensions["mailman"].backend == "console"  # no MAIL_SERVER in the tests
    waiting(make, world, 26, days=3)
    waiting(make, world, 2, days=45, supervisor=world.other_mentor)
    result = run(app, "send-reminders")
    assert result.exit_code == 0, result.output
    assert result.output.count("Subject: ") == 2
    assert "To: mentor@example.test" in result.output
    assert "Subject: 26 cases wait for your sign-off in Caselog" in result.output
    assert "Dear Dr Mentor Lee," in result.output
    assert (
        "2 cases wait for your sign-off in Caselog. The oldest has waited 45 days." in result.output
    )
    assert "http://127.0.0.1:5000/awaiting" in result.output
    assert result.output.rstrip().endswith("Reminded 2 mentors.")
    events = reminded_events(db_session)
    assert [(e.entity_id, e.actor, e.after) for e in events] == [
        (
            world.other_mentor.id,
            "system",
            f'{{"oldest_days":45,"programs":[{world.program.id}],"waiting":2}}',
        ),
        (
            world.mentor.id,
            "system",
            f'{{"oldest_days":3,"programs":[{world.program.id}],"waiting":26}}',
        ),
    ]
    assert run(app, "verify-audit").exit_code == 0


def test_send_reminders_with_nobody_due_sends_nothing(app, world, make, db_session, smtp):
    waiting(make, world, 3)
    result = run(app, "send-reminders")
    assert (result.exit_code, result.output) == (0, "Reminded 0 mentors.\n")
    assert smtp.sessions == [] and reminded_events(db_session) == []


def test_send_reminders_goes_through_smtp_when_configured(app, world, make, db_session, smtp):
    waiting(make, world, 1, days=31)
    waiting(make, world, 1, days=32, supervisor=world.other_mentor)
    result = run(app, "send-reminders")
    assert result.exit_code == 0, result.output
    assert result.output == "Reminded 2 mentors.\n"  # nothing printed but the summary
    assert smtp.sessions == [
        {
            "host": "smtp.hospital.test",
            "port": 2525,
            "tls": True,
            "login": ("caselog", "mail-secret"),
        }
    ]  # one connection for all
    assert [m["to"] for m in smtp.sent] == [["mentor2@example.test"], ["mentor@example.test"]]
    assert smtp.sent[0]["from"] == "Caselog <caselog@localhost>"
    assert "Subject: 1 case waits for your sign-off in Caselog" in smtp.sent[0]["message"]
    assert "The oldest has waited 32 days." in smtp.sent[0]["message"]
    assert len(reminded_events(db_session)) == 2


def test_an_unreachable_mail_server_reminds_nobody_and_fails(app, world, make, db_session, smtp):
    waiting(make, world, 1, days=31)
    smtp.refuse = True
    result = run(app, "send-reminders")
    assert result.exit_code == 1
    assert "Could not reach the mail server" in result.output
    assert "Reminded 0 mentors." in result.output
    assert reminded_events(db_session) == []


def test_a_mentors_language_is_used_when_set(app, world, make, monkeypatch):
    chosen = []
    real = reminders.force_locale

    def spy(locale):
        chosen.append(locale)
        return real(locale)

    monkeypatch.setattr(reminders, "force_locale", spy)
    monkeypatch.setitem(app.config, "LANGUAGES", ["en", "ko"])
    world.mentor.locale = "ko"
    waiting(make, world, 1, days=40)
    waiting(make, world, 1, days=40, supervisor=world.other_mentor)
    assert run(app, "send-reminders").exit_code == 0
    assert chosen == ["en", "ko"]  # Dr Mentor Lee has no language set: the default
    world.other_mentor.locale = "xx"  # a language Caselog does not ship: the default
    assert run(app, "send-reminders").exit_code == 0
    assert chosen[2:] == ["en", "ko"]
