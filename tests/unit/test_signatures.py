"""The signature's HMAC: it covers the content and every field of the signature, and the key."""

import pytest

from caselog.canonical import canonical_json
from caselog.models import CaseStatus, Signature
from caselog.signoff import signatures
from caselog.signoff.services import Seen, sign
from tests.clock import NOW


@pytest.fixture
def signed(world, make):
    case = make.case(
        world.trainee,
        world.program,
        world.fusion,
        world.mentor,
        status=CaseStatus.SUBMITTED,
        notes="Uneventful.",
    )
    outcome = sign(world.mentor, [Seen(case.id, signatures.fingerprint(case))], now=NOW)
    assert not outcome.skipped
    return case, outcome.signed[0]


def test_a_fresh_signature_is_valid_and_keeps_what_was_signed(signed):
    case, signature = signed
    assert case.status is CaseStatus.APPROVED
    assert signatures.is_valid(signature, case)
    assert signature.content == canonical_json(case.content())
    assert signature.signer_name == "Dr Mentor Park"
    assert signature.meaning == str(signatures.MEANING)
    assert signature.version == case.version == 1


@pytest.mark.parametrize(
    "field, value",
    [
        ("signer_name", "Dr Someone Else"),
        ("meaning", "I watched."),
        ("version", 2),
        ("feedback", "added later"),
        ("bedside", True),
    ],
)
def test_changing_any_field_of_the_signature_breaks_it(signed, field, value):
    case, signature = signed
    setattr(signature, field, value)
    assert not signatures.is_valid(signature, case)


def test_changing_the_signed_case_breaks_it(signed):
    case, signature = signed
    case.notes = "Rewritten after sign-off."
    assert not signatures.is_valid(signature, case)


def test_a_signature_copied_onto_another_case_is_invalid(signed, world, make):
    case, signature = signed
    other = make.case(
        world.trainee,
        world.program,
        world.fusion,
        world.mentor,
        status=CaseStatus.APPROVED,
        notes="Uneventful.",
    )
    copy = Signature(
        **{
            column.key: getattr(signature, column.key)
            for column in Signature.__table__.columns
            if column.key != "id"
        }
    )
    copy.case_id = other.id
    assert not signatures.is_valid(copy, other)


def test_another_installations_key_does_not_verify(signed, app):
    case, signature = signed
    original = app.config["SIGNATURE_KEY"]
    app.config["SIGNATURE_KEY"] = "another-installation"
    try:
        assert not signatures.is_valid(signature, case)
    finally:
        app.config["SIGNATURE_KEY"] = original


def test_the_fingerprint_follows_the_content(world, make):
    case = make.case(world.trainee, world.program, world.fusion, world.mentor)
    before = signatures.fingerprint(case)
    case.notes = "changed"
    assert signatures.fingerprint(case) != before
