"""Configuration defaults; instance/config.py and CASELOG_* environment variables override them."""

from datetime import timedelta

DEFAULT_SECRET_KEY = "dev-only-not-secret"  # noqa: S105 - refused outside debug/testing
DEFAULT_SIGNATURE_KEY = "dev-only-signature-key"  # noqa: S105 - refused outside debug/testing


class Defaults:
    """Settings every install starts from."""

    SECRET_KEY = DEFAULT_SECRET_KEY
    SQLALCHEMY_DATABASE_URI = None  # filled in with instance/caselog.sqlite when left unset
    SQLALCHEMY_ENGINE_OPTIONS = {"pool_pre_ping": True}

    # Cookies: never readable by scripts, never sent cross-site, only over HTTPS.
    # A local install on plain http://127.0.0.1 still works: browsers treat loopback as secure.
    SESSION_COOKIE_SECURE = True
    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    REMEMBER_COOKIE_SECURE = True
    REMEMBER_COOKIE_HTTPONLY = True
    REMEMBER_COOKIE_SAMESITE = "Lax"
    REMEMBER_COOKIE_DURATION = timedelta(days=14)
    PERMANENT_SESSION_LIFETIME = timedelta(hours=12)

    # The largest request body accepted (forms, sign-ins): larger ones answer 413 unread.
    # The verification page takes uploaded PDFs up to its own limit (caselog.verify).
    MAX_CONTENT_LENGTH = 2 * 1024 * 1024

    WTF_CSRF_TIME_LIMIT = None  # a form left open between two operations must still post

    # Argon2id parameters: a profile name from argon2.profiles (RFC 9106's low-memory one).
    PASSWORD_HASH_PROFILE = "RFC_9106_LOW_MEMORY"  # noqa: S105 - a name, not a password

    # Failed sign-ins allowed in the window before further attempts are refused.
    LOGIN_WINDOW = timedelta(minutes=15)
    LOGIN_MAX_FAILURES_PER_ACCOUNT = 5
    LOGIN_MAX_FAILURES_PER_ADDRESS = 30

    BOOTSTRAP_SERVE_LOCAL = True  # hospitals run closed networks: never a CDN
    BABEL_DEFAULT_LOCALE = "en"
    BABEL_DEFAULT_TIMEZONE = "UTC"
    # The languages Caselog speaks: English (the source), Russian, Mongolian (Cyrillic), Korean.
    # Every one ships complete (tests/unit/test_translations.py).
    LANGUAGES = ["en", "ru", "mn", "ko"]

    CASES_PER_PAGE = 25

    # Where the app reads the time (caselog.clock): a function giving an aware UTC datetime.
    # None: the system's clock. Tests set their own, so no test depends on today's date.
    CLOCK = None

    # Key of the signatures' HMAC. Kept outside the database (instance/config.py or
    # CASELOG_SIGNATURE_KEY), so whoever can write to the database cannot forge a signature.
    SIGNATURE_KEY = DEFAULT_SIGNATURE_KEY

    # Mail for reminders. With no MAIL_SERVER, messages are printed instead of sent.
    MAIL_SERVER = None
    MAIL_PORT = 587
    MAIL_USE_TLS = True
    MAIL_USERNAME = None
    MAIL_PASSWORD = None
    MAIL_USE_SSL = False
    MAIL_TIMEOUT = 30  # seconds to wait for the SMTP server
    MAIL_BACKEND = None  # "smtp" when MAIL_SERVER is set, else "console" (printed)
    MAIL_SENDER = "Caselog <caselog@localhost>"
    BASE_URL = "http://127.0.0.1:5000"  # for links in mail, which has no request to go by
    INSTALLATION_NAME = "Caselog"  # named on the public report verification page
