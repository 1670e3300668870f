"""Passwords and second factors: Argon2 (argon2-cffi's defaults, RFC 9106's low-memory choice)
and TOTP (RFC 6238, as authenticator apps do it)."""

from __future__ import annotations

import pyotp
from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

_HASHER = PasswordHasher()
MIN_LENGTH = 12
# Checked against something when there is no such user, so that an unknown address takes as long.
_DUMMY = _HASHER.hash("no such user: a password nobody has")


class WeakPassword(ValueError):
    """A password too short to keep out someone guessing."""


def hash_password(password: str) -> str:
    if len(password) < MIN_LENGTH:
        raise WeakPassword(f"a password needs at least {MIN_LENGTH} characters")
    return _HASHER.hash(password)


def password_matches(stored_hash: str | None, password: str) -> bool:
    try:
        return _HASHER.verify(stored_hash or _DUMMY, password) and stored_hash is not None
    except (VerificationError, InvalidHashError):
        return False


def new_totp_secret() -> str:
    return pyotp.random_base32()


def totp_uri(secret: str, email: str) -> str:
    """What an authenticator app is given (as text or a QR code)."""
    return pyotp.TOTP(secret).provisioning_uri(name=email, issuer_name="evictwatch")


def code_matches(secret: str, code: str) -> bool:
    """The code of now, or of the 30 seconds either side (a phone's clock is rarely exact)."""
    return pyotp.TOTP(secret).verify(code.strip().replace(" ", ""), valid_window=1)
