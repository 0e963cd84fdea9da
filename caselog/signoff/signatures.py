"""The electronic signature: a keyed hash (HMAC-SHA256) over the signed content.

The key lives outside the database (config SIGNATURE_KEY), so a signature cannot be
forged, copied to another case, or survive a change to what it covers.
"""

import hashlib
import hmac

from flask import current_app
from flask_babel import lazy_gettext as _l

from caselog.canonical import canonical_json
from caselog.models import Case, Signature

MEANING = _l("I supervised this operation and confirm the trainee's role as recorded.")


def fingerprint(case: Case) -> str:
    """A digest of the case's current content: the form carries it, so a signature only
    ever covers the content the signer had in front of them."""
    return hashlib.sha256(canonical_json(case.content()).encode()).hexdigest()


def _message(signature: Signature) -> bytes:
    return canonical_json(
        {
            "content": signature.content,
            "case_id": signature.case_id,
            "version": signature.version,
            "signer_id": signature.signer_id,
            "signer_name": signature.signer_name,
            "on_behalf_of_id": signature.on_behalf_of_id,
            "signed_at": signature.signed_at,
            "meaning": signature.meaning,
            "bedside": signature.bedside,
            "autonomy": signature.autonomy,
            "performance": signature.performance,
            "complexity": signature.complexity,
            "feedback": signature.feedback,
        }
    ).encode()


def _mac(signature: Signature) -> str:
    key = current_app.config["SIGNATURE_KEY"].encode()
    return hmac.new(key, _message(signature), hashlib.sha256).hexdigest()


def seal(signature: Signature, case: Case) -> None:
    """Copy the case's content into the signature and compute its HMAC."""
    signature.content = canonical_json(case.content())
    signature.hmac = _mac(signature)


def is_valid(signature: Signature, case: Case) -> bool:
    """The HMAC matches, and the signature of the current version still matches the case."""
    if not hmac.compare_digest(_mac(signature), signature.hmac):
        return False
    if signature.version == case.version:
        return signature.content == canonical_json(case.content())
    return True
