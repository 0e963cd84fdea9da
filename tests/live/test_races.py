"""Signing races with real concurrent requests: exactly one signature, the loser told why,
and no signature ever covering content other than what the mentor saw.

Competing requests are released together by a barrier (see `race`), never steered by
sleeps. Each test repeats its race over several rounds (a new case each time) to give the
interleavings a chance, and checks that the requests did overlap. The change race
releases the signature together with each step of the trainee's change in turn, and also
before and after the change, so that both endings (signed, refused) are always checked.
"""

from types import SimpleNamespace

from sqlalchemy import select

from caselog.canonical import canonical_json
from caselog.extensions import db
from caselog.models import Case, CaseStatus, Signature
from caselog.signoff import signatures
from tests.factories import PASSWORD
from tests.live.conftest import race

ROUNDS = 10
SIGNED = "Signed: Lumbar microdiscectomy for Bat-Erdene Dorj."


def outcome(case_id: int) -> SimpleNamespace:
    """The case and its signatures as now committed, as plain values (and no transaction
    left open: on SQLite it would hold the lock the server needs)."""
    try:
        case = db.session.execute(
            select(Case).where(Case.id == case_id).execution_options(populate_existing=True)
        ).scalar_one()
        rows = db.session.scalars(
            select(Signature).where(Signature.case_id == case_id).order_by(Signature.id)
        ).all()
        return SimpleNamespace(
            status=case.status,
            version=case.version,
            content=canonical_json(case.content()),
            signatures=[
                SimpleNamespace(
                    signer_name=s.signer_name,
                    version=s.version,
                    content=s.content,
                    valid=signatures.is_valid(s, case),
                )
                for s in rows
            ],
        )
    finally:
        db.session.rollback()


def sign_request(person, case_id: int):
    """A mentor who has the review page open: the signature request, ready to post."""
    token, fingerprint = person.review(case_id)
    data = {"csrf_token": token, "fingerprint": fingerprint, "password": PASSWORD}
    return lambda: person.post(f"/cases/{case_id}/sign", data)


def assert_one_signature_and_the_other_told_why(case_id: int, answers) -> None:
    after = outcome(case_id)
    assert len(after.signatures) == 1, "two requests signed the same case"
    signature = after.signatures[0]
    assert after.status is CaseStatus.APPROVED and signature.valid
    assert all(answer.status == 200 for answer in answers)
    won = [answer for answer in answers if SIGNED in answer.text]
    lost = [answer for answer in answers if SIGNED not in answer.text]
    assert len(won) == 1 and len(lost) == 1
    assert (
        f"already signed by {signature.signer_name}" in lost[0].text
        or "another signature came first" in lost[0].text
    ), lost[0].text


def test_mentor_and_delegate_signing_the_same_case_at_once_make_one_signature(
    team, visitor, waiting_case
):
    mentor, deputy = visitor(team.mentor), visitor(team.deputy)
    together = 0
    for _round in range(ROUNDS):
        case_id = waiting_case().id
        answers = race(sign_request(mentor, case_id), sign_request(deputy, case_id))
        assert_one_signature_and_the_other_told_why(case_id, answers)
        together += answers.together
    assert together >= ROUNDS // 2, "the requests hardly ever overlapped: no race was run"


def test_the_same_mentor_in_two_tabs_signs_once(team, visitor, waiting_case):
    tab, other_tab = visitor(team.mentor), visitor(team.mentor)  # two sessions
    together = 0
    for _round in range(ROUNDS):
        case_id = waiting_case().id
        answers = race(sign_request(tab, case_id), sign_request(other_tab, case_id))
        assert_one_signature_and_the_other_told_why(case_id, answers)
        together += answers.together
    assert together >= ROUNDS // 2, "the requests hardly ever overlapped: no race was run"


def test_a_batch_and_a_single_signature_overlapping_on_a_case_sign_it_once(
    team, visitor, waiting_case
):
    mentor, deputy = visitor(team.mentor), visitor(team.deputy)
    together = 0
    for _round in range(ROUNDS):
        shared, only_batch = waiting_case(2).id, waiting_case(3).id
        boxes = mentor.queue_boxes()
        batch = {
            "csrf_token": mentor.token("/awaiting"),
            "cases": [boxes[shared], boxes[only_batch]],
            "password": PASSWORD,
        }
        answers = race(
            lambda data=batch: mentor.post("/awaiting/sign", data), sign_request(deputy, shared)
        )
        batch_answer, single_answer = answers
        together += answers.together
        assert batch_answer.status == 200 and single_answer.status == 200
        assert len(outcome(shared).signatures) == 1
        signer = outcome(shared).signatures[0].signer_name
        if signer == "Dr Deputy Choi":
            assert SIGNED in single_answer.text
            assert (
                f"already signed by {signer}" in batch_answer.text
                or "another signature came first" in batch_answer.text
            )
        else:
            assert "Signed 2 cases." in batch_answer.text
            assert (
                f"already signed by {signer}" in single_answer.text
                or "another signature came first" in single_answer.text
            )
        # The other case of the batch is signed once, unless the whole batch lost the race.
        others = outcome(only_batch).signatures
        lost_all = "another signature came first" in batch_answer.text
        assert len(others) == (0 if lost_all else 1)
    assert together >= ROUNDS // 2, "the requests hardly ever overlapped: no race was run"


class Change:
    """The trainee's change of a case awaiting sign-off, one request at a time: withdraw
    it, change the notes and the role, submit it again."""

    STEPS = ("withdraw", "edit", "submit")

    def __init__(self, trainee, case_id: int, note: str):
        self.trainee, self.case_id, self.note = trainee, case_id, note
        self.token = trainee.token(f"/cases/{case_id}")

    def step(self, name: str):
        return getattr(self, name)

    def withdraw(self):
        return self.trainee.post(f"/cases/{self.case_id}/withdraw", {"csrf_token": self.token})

    def edit(self):
        values = self.trainee.form(f"/cases/{self.case_id}/edit")
        values.update(notes=[self.note], involvement=["S-TU"], draft=["1"])
        return self.trainee.post(f"/cases/{self.case_id}/edit", values)

    def submit(self):
        return self.trainee.post(f"/cases/{self.case_id}/submit", {"csrf_token": self.token})


WITHDRAWN = "Case withdrawn."
NOT_WITHDRAWN = "Only a case awaiting sign-off can be withdrawn"
SAVED = "Changes saved."
SUBMITTED = "Case submitted for sign-off."
SIGNER_TOLD_WITHDRAWN = "Not signed: the trainee withdrew it."
SIGNER_TOLD_CHANGED = "Not signed: it changed after you opened it"
# Told when the case became a draft again before the mentor's next page was drawn.
SIGNER_TOLD_GONE = "Not signed: the case no longer awaits your sign-off."
# Between the edit and the submission the case is a draft again, the trainee's alone: the
# mentor's request answers as for a case that does not exist.
SIGNER_FINDS_NOTHING = "There is nothing here, or it is not yours to see."


def test_a_change_racing_a_signature_never_gets_signed_unseen(team, visitor, waiting_case):
    """The mentor signs what they saw while the trainee withdraws, changes and resubmits the
    case. The signature is released together with each step of the change in turn (by the
    race's barrier), and also before the first and after the last, so that both endings
    are seen: whichever comes first, only what the mentor saw is ever signed, and the
    request that lost says why."""
    mentor, trainee = visitor(team.mentor), visitor(team.trainee)
    raced = overlapped = 0
    points = ["before", *Change.STEPS, "after"] * 2
    for round_, point in enumerate(points):
        case_id = waiting_case().id
        seen = outcome(case_id).content
        signs = sign_request(mentor, case_id)  # the review page as the mentor saw it
        change = Change(trainee, case_id, f"Changed after submitting (round {round_}).")
        done: dict[str, object] = {}
        signed_answer = signs() if point == "before" else None
        for step in Change.STEPS:
            if step == point:
                answers = race(change.step(step), signs)
                done[step], signed_answer = answers
                raced, overlapped = raced + 1, overlapped + answers.together
            else:
                done[step] = change.step(step)()
            if NOT_WITHDRAWN in done[step].text:
                break  # the signature came first: nothing left to change
        if signed_answer is None:
            signed_answer = signs()
        after = outcome(case_id)
        hidden = SIGNER_FINDS_NOTHING in signed_answer.text
        assert signed_answer.status == (404 if hidden else 200)
        assert all(a.status == 200 for a in done.values())

        if after.signatures:  # the signature came first: it covers what the mentor saw
            assert point in ("before", "withdraw"), "a withdrawn or changed case was signed"
            [signature] = after.signatures
            assert signature.content == seen and signature.version == 1 and signature.valid
            assert after.status is CaseStatus.APPROVED and after.content == seen
            assert SIGNED in signed_answer.text
            assert list(done) == ["withdraw"] and NOT_WITHDRAWN in done["withdraw"].text
            continue

        # The change came first, in full; the mentor is told why nothing was signed.
        assert point != "before", "a signature on a case awaiting sign-off was refused"
        assert WITHDRAWN in done["withdraw"].text
        assert SAVED in done["edit"].text and SUBMITTED in done["submit"].text
        assert after.status is CaseStatus.SUBMITTED and after.content != seen
        assert SIGNED not in signed_answer.text
        told = {
            "withdraw": [SIGNER_TOLD_WITHDRAWN, SIGNER_TOLD_GONE],
            "edit": [SIGNER_TOLD_WITHDRAWN, SIGNER_TOLD_GONE, SIGNER_FINDS_NOTHING],
            "submit": [SIGNER_FINDS_NOTHING, SIGNER_TOLD_CHANGED],  # before or after it
            "after": [SIGNER_TOLD_CHANGED],
        }[point]
        assert any(reason in signed_answer.text for reason in told), signed_answer.text
    assert overlapped >= raced // 2, "the requests hardly ever overlapped: no race was run"
