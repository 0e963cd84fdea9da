"""What a new password must be: long enough, and not easy to guess."""

import pytest

from caselog.auth.passwords import MIN_PASSWORD_LENGTH, check_new_password
from caselog.errors import DomainError


@pytest.fixture(autouse=True)
def request_context(app):
    with app.test_request_context():
        yield


@pytest.mark.parametrize(
    "password",
    [
        "1234567890",  # among the most common passwords
        "qwertyuiop",
        "password123",
        "iloveyou12",
        "Password2024",  # a common word with a capital and a year
        "q1w2e3r4t5",  # a keyboard walk
        "abc123abc123",  # a repeat
        "aaaaaaaaaaaa",
        "mongolia2024",
    ],
)
def test_common_and_patterned_passwords_are_refused(password):
    with pytest.raises(DomainError, match="too easy to guess") as caught:
        check_new_password(password, field_name="new_password")
    assert caught.value.field == "new_password"


def test_the_persons_own_name_and_email_are_refused():
    about = ("Bat-Erdene Dorj", "bat.erdene@hospital.mn")
    for password in ("baterdene2024", "Bat-Erdene Dorj", "bat.erdene@hospital.mn"):
        with pytest.raises(DomainError, match="too easy to guess"):
            check_new_password(password, about=about)


def test_a_short_password_is_refused_whatever_it_is():
    with pytest.raises(DomainError, match=f"at least {MIN_PASSWORD_LENGTH} characters"):
        check_new_password("k7#Pq9zL!")


@pytest.mark.parametrize(
    "password",
    [
        "theatre lights at dawn",
        "Spine-fellow-26",
        "Улаанбаатар хавар",  # Mongolian, Cyrillic
        "수술실의 아침 커피 한 잔",  # Korean
        "k7#Pq9zLm2",
        "x" * 40 + " a long passphrase past what the rater reads " + "y" * 40,
    ],
)
def test_long_unusual_passwords_pass(password):
    check_new_password(password, about=("Bat-Erdene Dorj", "trainee@example.test"))
