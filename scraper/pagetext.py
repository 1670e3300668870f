"""Text as every court page parser reads it: one line, no control or bidi characters."""

from __future__ import annotations

# C0 and C1 controls (tab, CR and LF are whitespace and fold to a space) and the bidirectional
# controls, which make a name read differently from what it is: none belongs in court data.
_CONTROLS = dict.fromkeys(
    [c for c in range(0x20) if c not in (0x09, 0x0A, 0x0D)] + list(range(0x7F, 0xA0))
    + [0x200E, 0x200F, 0x061C, *range(0x202A, 0x202F), *range(0x2066, 0x206A)])


def norm(text: str | None) -> str:
    """Cell text as one line: controls removed, runs of whitespace folded to one space."""
    return " ".join((text or "").replace("\xa0", " ").translate(_CONTROLS).split())


def key(text: str | None) -> str:
    """Label/title/header text reduced for matching: lower case, no trailing colon."""
    return norm(text).rstrip(":").strip().lower()
