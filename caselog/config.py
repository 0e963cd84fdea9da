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
    REMEMBER_COOKIE_DURATION = timedelta(days=14)  # and the longest any sign-in lasts
    PERMANENT_SESSION_LIFETIME = timedelta(hours=12)

    # The largest request body accepted (forms, sign-ins): larger ones answer 413 unread.
    # The verification page takes uploaded PDFs up to its own limit (caselog.verify).
    MAX_CONTENT_LENGTH = 2 * 1024 * 1024

    WTF_CSRF_TIME_LIMIT = None  # a form left open between two operations must still post

    # Argon2id parameters: a profile name from argon2.profiles (RFC 9106's low-memory one).
    PASSWORD_HASH_PROFILE = "RFC_9106_LOW_MEMORY"  # noqa: S105 - a name, not a password

    # Password guesses (sign-in, bedside sign-off, the signing password) are throttled per
    # (account, address) pair and per address, never per account alone, so that nobody can
    # lock another person out (caselog/auth/throttling.py). After its free failures a pair,
    # or an address, waits before its next attempt is checked: the first delay, then twice
    # as long after each further failure, up to the longest.
    LOGIN_WINDOW = timedelta(hours=1)  # how long a failure counts
    LOGIN_FREE_FAILURES_PER_PAIR = 3  # one account from one address
    LOGIN_FREE_FAILURES_PER_ADDRESS = 20  # every account from one address (a hospital's NAT)
    LOGIN_FIRST_DELAY = timedelta(seconds=30)
    LOGIN_LONGEST_DELAY = timedelta(minutes=15)
    # A backstop against guesses at one account from many addresses: past this many failures
    # of the account in the window, an address that fails for it waits the longest delay
    # after every failure. An address that has not failed for it is never slowed.
    LOGIN_ACCOUNT_CEILING = 100

    # Reverse proxies in front of Caselog that add X-Forwarded-For and X-Forwarded-Proto
    # (Werkzeug's ProxyFix). 0: none, the client's address is the connection's. Behind one
    # nginx, 1. Never more than there are: a client could then choose its own address.
    TRUSTED_PROXIES = 0

    BOOTSTRAP_SERVE_LOCAL = True  # hospitals run closed networks: never a CDN
    BABEL_DEFAULT_LOCALE = "en"
    BABEL_DEFAULT_TIMEZONE = "UTC"
    # The languages Caselog speaks: English (the source), Russian, Mongolian (Cyrillic), Korean.
    # Every one ships complete (tests/unit/test_translations.py).
    LANGUAGES = ["en", "ru", "mn", "ko"]

    CASES_PER_PAGE = 25

    # How long a mailed link to set one's password works (once).
    PASSWORD_LINK_LIFETIME = timedelta(hours=48)

    # Where the app reads the time (caselog.clock): a function giving an aware UTC datetime.
    # None: the system's clock. Tests set their own, so no test depends on today's date.
    CLOCK = None

    # Key of the signatures' HMAC. Kept outside the database (instance/config.py or
    # CASELOG_SIGNATURE_KEY), so whoever can write to the database cannot forge a signature.
    SIGNATURE_KEY = DEFAULT_SIGNATURE_KEY

    # The audit trail's checkpoints (caselog.audit.checkpoints): an append-only file outside
    # the database, each line the trail's head sealed with a key derived from SIGNATURE_KEY.
    # None: instance/audit-checkpoints.jsonl. Back it up apart from the database.
    AUDIT_CHECKPOINT_PATH = None
    # Write a checkpoint after every commit that recorded audit events (else only
    # `flask checkpoint-audit` writes them, from cron).
    AUDIT_CHECKPOINT_ON_COMMIT = True

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
