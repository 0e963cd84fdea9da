"""Sending mail: through the SMTP settings when MAIL_SERVER is set, printed in development.

Flask-Mailman does the sending; this module picks its backend from the settings and gives
the features one way to send a plain-text message.
"""

from flask import current_app
from flask_mailman import EmailMessage

from caselog.extensions import mail


def configure(config: dict) -> None:
    """SMTP when a server is configured, else the console backend (mail printed to stdout)."""
    if not config.get("MAIL_BACKEND"):
        config["MAIL_BACKEND"] = "smtp" if config.get("MAIL_SERVER") else "console"
    if not config.get("MAIL_DEFAULT_SENDER"):
        config["MAIL_DEFAULT_SENDER"] = config.get("MAIL_SENDER")


def connection():
    """One connection to the configured backend, to send several messages through."""
    return mail.get_connection()


def message(to: str, subject: str, body: str, connection=None) -> EmailMessage:
    """A plain-text message from Caselog's sender to one address."""
    return EmailMessage(
        subject=subject,
        body=body,
        to=[to],
        connection=connection,
        from_email=current_app.config["MAIL_DEFAULT_SENDER"],
    )
