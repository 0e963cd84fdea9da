"""Errors a service raises with a message a user can read."""


class DomainError(Exception):
    """A rule was broken; the message says what to do about it.

    `field` names the form field the message belongs to (None: the form as a whole).
    A service that finds several things to fix at once passes them all as `problems`,
    (field, message) pairs, where a field inside a list is named as the form names it
    ("targets-2-min_count").
    """

    def __init__(
        self,
        message: str,
        field: str | None = None,
        *,
        problems: list[tuple[str | None, str]] | None = None,
    ) -> None:
        super().__init__(message)
        self.message = message
        self.field = field
        self.problems = problems or [(field, message)]


class TooManyAttempts(DomainError):
    """Refused without checking the password: too many recent failures from this address.

    `retry_after` is how many seconds to wait before the next attempt is checked (the
    page answers 429 with it as `Retry-After`).
    """

    def __init__(self, message: str, retry_after: int, field: str | None = "password") -> None:
        super().__init__(message, field)
        self.retry_after = retry_after
