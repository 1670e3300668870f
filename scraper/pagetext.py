"""Text as every court page parser reads it: one line, no control or bidi characters."""

from __future__ import annotations

# C0 and C1 controls (tab, CR and LF are whitespace and fold to a space) and the bidirectional
# controls, which make a name read differently from what it is: none belongs in court data.
_CONTROLS = dict.fromkeys(
    [c for c in range(0x20) if c not in (0x09, 0x0A, 0x0D)] + list(range(0x7F, 0xA0))
    + [0x200E, 0x200F, 0x061C, *range(0x202A, 0x202F), *range(0x2066, 0x206A)])


def norm(text: str | None) -> str:
    """Cell text as one line: runs of whitespace (with the controls Python counts as whitespace:
    VT, FF, FS to US, NEL) folded to one space, the other controls and bidi marks removed."""
    if not text:
        return ""
    line = " ".join(text.split())  # str.split takes no-break spaces too
    if line.isprintable():  # no control or bidi character (the common case, tested in C)
        return line
    return " ".join(line.translate(_CONTROLS).split())


def key(text: str | None) -> str:
    """Label/title/header text reduced for matching: lower case, no trailing colon."""
    return norm(text).rstrip(":").strip().lower()
