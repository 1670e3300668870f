"""Passwords and second factors: Argon2 (argon2-cffi's defaults, RFC 9106's low-memory choice)
and TOTP (RFC 6238, as authenticator apps do it)."""

from __future__ import annotations

import datetime as dt
import hmac

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


def code_step(secret: str, code: str, now: dt.datetime) -> int | None:
    """The 30-second step whose code this is: now's, or the one either side (a phone's clock is
    rarely exact); None when it is none of them. The caller refuses a step used already."""
    totp, typed = pyotp.TOTP(secret), code.strip().replace(" ", "")
    step = totp.timecode(now)
    for candidate in (step, step - 1, step + 1):
        if typed.isdigit() and hmac.compare_digest(totp.generate_otp(candidate), typed):
            return candidate
    return None
