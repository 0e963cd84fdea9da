"""The cryptography of the second factor, apart from any rule: TOTP codes (RFC 6238, by
pyotp), the secret sealed with a key kept outside the database, recovery codes and their
hashes, and the QR code an authenticator app scans."""

import base64
import hashlib
import hmac
import re
import secrets
from datetime import datetime

import pyotp
import segno
from cryptography.fernet import Fernet, InvalidToken
from markupsafe import Markup

ISSUER = "Caselog"
WINDOW = 1  # steps of 30 s accepted either side of now: a phone's clock may be a little off
RECOVERY_CODES = 10
_RECOVERY_ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"  # no 0/o, 1/l/i
_TOTP_CODE = re.compile(r"\d{6}")


def new_secret() -> str:
    """A fresh TOTP secret: 160 random bits in base32, as RFC 4226 recommends."""
    return pyotp.random_base32()


def seal(secret: str, key: str | bytes) -> str:
    """The secret encrypted (Fernet: AES-CBC with an HMAC) for the database."""
    return _fernet(key).encrypt(secret.encode()).decode()


def unseal(sealed: str, key: str | bytes) -> str | None:
    """The secret again; None when it was sealed with another key (or altered)."""
    try:
        return _fernet(key).decrypt(sealed.encode()).decode()
    except InvalidToken:
        return None


def _fernet(key: str | bytes) -> Fernet:
    """A key of its own for second factors, derived from the installation's SIGNATURE_KEY."""
    raw = key.encode() if isinstance(key, str) else key
    derived = hmac.new(raw, b"caselog second factor secret v1", hashlib.sha256).digest()
    return Fernet(base64.urlsafe_b64encode(derived))


def is_totp_code(code: str) -> bool:
    """Six digits (spaces taken out): a code from the app, not a recovery code."""
    return bool(_TOTP_CODE.fullmatch(code))


def normalise(code: str) -> str:
    """What a person typed, without spaces or dashes, lower case."""
    return re.sub(r"[\s\-]", "", code).lower()


def matching_step(secret: str, code: str, now: datetime) -> int | None:
    """The time step whose code this is, within ±WINDOW steps of now; None if none."""
    totp = pyotp.TOTP(secret)
    try:
        return totp.verify_and_get_timecode(code, for_time=now, valid_window=WINDOW)
    except pyotp.OTPVerificationError:
        return None


def uri(secret: str, account: str) -> str:
    """The otpauth:// URI an authenticator app reads from the QR code."""
    return pyotp.TOTP(secret).provisioning_uri(name=account, issuer_name=ISSUER)


def qr_svg(text: str, title: str) -> Markup:
    """The QR code of `text` as inline SVG, dark on white whatever the page's colours."""
    qr = segno.make(text, error="m", micro=False)
    svg = qr.svg_inline(scale=5, border=4, dark="#000", light="#fff", title=title)
    return Markup(svg)  # noqa: S704 - segno's own markup; the title is escaped by segno


def new_recovery_codes() -> list[str]:
    """Ten codes of ten characters (about 49 bits each), shown as two groups of five."""
    codes = []
    for _ in range(RECOVERY_CODES):
        raw = "".join(secrets.choice(_RECOVERY_ALPHABET) for _ in range(10))
        codes.append(f"{raw[:5]}-{raw[5:]}")
    return codes


def recovery_hash(code: str) -> str:
    """A recovery code's hash as kept: SHA-256 suffices for random codes of this length."""
    return hashlib.sha256(normalise(code).encode()).hexdigest()


def grouped(secret: str) -> str:
    """The secret in groups of four, for typing it into an app by hand."""
    return " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))
