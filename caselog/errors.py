"""Errors a service raises with a message a user can read."""


class DomainError(Exception):
    """A rule was broken; the message says what to do about it."""

    def __init__(self, message: str, field: str | None = None):
        super().__init__(message)
        self.message = message
        self.field = field  # the form field the message belongs to, if any
