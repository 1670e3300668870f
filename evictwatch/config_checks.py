"""Checks the configuration's sections share: one-line text, e-mail addresses, time zones; and the
checks of the whole configuration, run once it is loaded."""

from __future__ import annotations

import ssl
import unicodedata
from pathlib import Path
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import BaseModel, ConfigDict

from evictwatch.courts import adapter
from notify.message import parse_address


class ConfigError(Exception):
    """A configuration problem a person must fix; the message names the file and key."""


class Section(BaseModel):
    model_config = ConfigDict(extra="forbid")


def plain_addresses(values: list[str]) -> list[str]:
    for value in values:
        one_line(value, "an e-mail address")
        if "@" not in value or any(c in value for c in "\r\n<>, "):
            raise ValueError(f"not a plain e-mail address: {value!r}")
    return values


def one_line(value: str, what: str) -> str:
    """Names and addresses go into e-mail headers and file names: one line of plain text."""
    bad = [c for c in value if unicodedata.category(c) in ("Cc", "Cf", "Zl", "Zp")]
    if bad:
        raise ValueError(f"{what} must be one line of plain text; it holds the control character {bad[0]!r}")
    return value


def header_address(value: str | None, what: str) -> str | None:

    if value is None:
        return None
    one_line(value, what)
    parse_address(value)  # ValueError: "invalid e-mail address: ..."
    return value


def checked_code(value: str, source: str | None) -> str:
    if source is None:  # an unknown source: that is the error reported
        return value
    return adapter(source).check_code(value)


def zone_name(value: str) -> str:

    try:
        ZoneInfo(value)
    except (ZoneInfoNotFoundError, ValueError):
        raise ValueError(f"unknown time zone {value!r} (an IANA name like America/New_York)") from None
    return value


def smtp_problems(username: str | None, security: str, ca_file: str | None) -> list[str]:
    """SMTP settings valid one by one that cannot work together, or a CA file ssl cannot load: each a
    line naming its keys.

    An smtp: section is checked even under transport: outbox: switching the transport must not
    be when its mistakes surface. notify.smtp.password_env is not read here: the secret is only
    needed by a command that sends, and a missing one stops that command (exit 2) then.
    """
    problems: list[str] = []
    if username and security == "none":
        # SmtpTransport refuses this too; found here, `notify --dry-run` and every command report it.
        problems.append("notify.smtp.username is set but notify.smtp.security is none: credentials are never sent "
                        "over an unencrypted connection; set security: starttls or tls, or remove username")
    if ca_file is not None:
        problems += _ca_file(ca_file)
    return problems


def _ca_file(value: str) -> list[str]:
    # jobs/mail.py hands the path to ssl as written: a relative one is from the working directory.
    path = Path(value).resolve()
    try:
        ssl.create_default_context(cafile=str(path))
    except FileNotFoundError:
        reason = "does not exist"
    except IsADirectoryError:
        reason = "is a folder"
    except ssl.SSLError as exc:
        reason = f"holds no PEM certificate ({exc.reason or exc})"
    except OSError as exc:
        reason = f"cannot be read ({exc.strerror or exc})"
    else:
        return []
    return [f"notify.smtp.ca_file: {path} {reason}; give a PEM certificate file (a relative path is from the "
            "working directory), or remove ca_file to trust the system CAs"]


def missing_overrides(path: Path, configured: bool) -> list[str]:
    """The landlord overrides file, when the configuration names it and it is not there (the
    default landlords.yaml may be absent: no overrides then)."""
    if not configured:
        return []
    path = path.resolve()
    if path.is_file():
        return []
    reason = "is a folder, not a file" if path.is_dir() else "does not exist"
    return [f"pipeline.landlord_overrides: {path} {reason}; create the file (empty means no overrides), correct the "
            "path (relative to the configuration file), or remove the key"]
