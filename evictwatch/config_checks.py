"""Checks the configuration's sections share: one-line text, e-mail addresses, time zones."""

from __future__ import annotations

import unicodedata

from pydantic import BaseModel, ConfigDict


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
    from notify.message import parse_address

    if value is None:
        return None
    one_line(value, what)
    parse_address(value)  # ValueError: "invalid e-mail address: ..."
    return value


def checked_code(value: str, source: str | None) -> str:
    from scraper.courts import get_source

    if source is None:  # an unknown source: that is the error reported
        return value
    return get_source(source).check_code(value)


def zone_name(value: str) -> str:
    from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

    try:
        ZoneInfo(value)
    except (ZoneInfoNotFoundError, ValueError):
        raise ValueError(f"unknown time zone {value!r} (an IANA name like America/New_York)") from None
    return value
