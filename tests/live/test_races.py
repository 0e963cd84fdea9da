"""Signing races with real concurrent requests: exactly one signature, the loser told why,
and no signature ever covering content other than what the mentor saw.

Each test repeats its race over several rounds (a new case each time) to give the
interleavings a chance; the edit race also shifts the signature's moment from round to
round so that it lands before, during and after the trainee's changes.
"""

import hashlib
import time
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


def test_a_change_racing_a_signature_never_gets_signed_unseen(team, visitor, waiting_case):
    mentor, trainee = visitor(team.mentor), visitor(team.trainee)
    endings = []
    for round_ in range(ROUNDS):
        case_id = waiting_case().id
        seen = outcome(case_id).content
        mentor_token, fingerprint = mentor.review(case_id)
        assert fingerprint == hashlib.sha256(seen.encode()).hexdigest()  # what the mentor saw
        sign_data = {"csrf_token": mentor_token, "fingerprint": fingerprint, "password": PASSWORD}
        token = trainee.token(f"/cases/{case_id}")
        delay = round_ * 0.015  # the signature lands earlier or later in the change

        def change(case_id=case_id, token=token, round_=round_):
            """Withdraw, change the notes and the role, submit again: as the trainee would."""
            trainee.post(f"/cases/{case_id}/withdraw", {"csrf_token": token})
            values = trainee.form(f"/cases/{case_id}/edit")
            values.update(
                notes=[f"Changed after submitting (round {round_})."],
                involvement=["S-TU"],
                draft=["1"],
            )
            trainee.post(f"/cases/{case_id}/edit", values)
            return trainee.post(f"/cases/{case_id}/submit", {"csrf_token": token})

        def signs(case_id=case_id, data=sign_data, delay=delay):
            time.sleep(delay)
            return mentor.post(f"/cases/{case_id}/sign", data)

        _changed, answer = race(change, signs)
        after = outcome(case_id)
        assert answer.status == 200
        assert len(after.signatures) <= 1
        if after.signatures:  # the signature came first: it covers what the mentor saw
            signature = after.signatures[0]
            assert signature.content == seen and signature.version == 1
            assert after.status is CaseStatus.APPROVED and after.content == seen
            assert signature.valid and SIGNED in answer.text
            endings.append("signed")
        else:  # the change came first: nothing signed, and the mentor is told why
            assert after.status is not CaseStatus.APPROVED
            assert "Not signed:" in answer.text
            assert "withdrew" in answer.text or "changed after you opened it" in answer.text
            endings.append("refused")
    assert len(endings) == ROUNDS
