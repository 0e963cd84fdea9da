"""The second factor's cryptography: codes one step either side, the sealed secret, recovery
codes and their hashes."""

from datetime import timedelta

import pyotp

from caselog.second_factor import codes
from tests.clock import NOW


def test_a_code_matches_its_step_within_one_step_either_side():
    secret = codes.new_secret()
    step = pyotp.TOTP(secret).timecode(NOW)
    for offset in (-1, 0, 1):
        code = pyotp.TOTP(secret).at(NOW + timedelta(seconds=30 * offset))
        assert codes.matching_step(secret, code, NOW) == step + offset
    for offset in (-2, 2):
        code = pyotp.TOTP(secret).at(NOW + timedelta(seconds=30 * offset))
        assert codes.matching_step(secret, code, NOW) is None


def test_the_secret_is_sealed_and_opens_only_with_its_key():
    secret = codes.new_secret()
    sealed = codes.seal(secret, "the installation's key")
    assert secret not in sealed
    assert codes.unseal(sealed, "the installation's key") == secret
    assert codes.unseal(sealed, "another key") is None


def test_recovery_codes_are_random_and_read_however_typed():
    fresh = codes.new_recovery_codes()
    assert len(fresh) == len(set(fresh)) == 10
    code = fresh[0]
    assert codes.recovery_hash(code) == codes.recovery_hash(" " + code.upper().replace("-", " "))
    assert code not in codes.recovery_hash(code)
    assert not codes.is_totp_code(codes.normalise(code))
    assert codes.is_totp_code(codes.normalise("123 456"))


def test_the_uri_names_the_issuer_and_account():
    uri = codes.uri("JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP", "mentor@example.test")
    assert uri.startswith(
        "otpauth://totp/Caselog:mentor%40example.test?secret=JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"
    )
    assert "issuer=Caselog" in uri
    svg = codes.qr_svg(uri, "QR <code>")
    assert svg.startswith("<svg") and "QR &lt;code&gt;" in svg
