"""One cell of a list, made safe for a spreadsheet: neutralized, one line, linked where it opens a page."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

Getter = Callable[[Any], Any]


@dataclass(frozen=True, slots=True)
class Link:
    """A cell that opens a page: `text` is what it says, `url` (from config, never from a court
    page) where it leads; CSV and plain text carry the text, XLSX and HTML link it."""

    text: str
    url: str


# Characters a spreadsheet may take as the start of a formula (OWASP CSV injection), plus the
# full-width forms some Excel locales accept.
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r", "\n", "\uff1d", "\uff0b", "\uff0d", "\uff20")
# C0/C1 controls (TAB, CR, LF included; XLSX cannot even store most of them) and Unicode breaks.
_BREAKS = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]+")


def neutralize(text: str) -> str:
    """Prefix an apostrophe when a spreadsheet could read the cell as a formula.

    Also when the formula character follows leading blanks (" =1+1"), which some importers strip.
    """
    if text.startswith(_FORMULA_START) or text.lstrip(" ").startswith(_FORMULA_START):
        return "'" + text
    return text


def flatten(text: str) -> str:
    """One line, NFC: every run of control characters and line breaks becomes one space."""
    return _BREAKS.sub(" ", unicodedata.normalize("NFC", text))


def cell_text(text: str) -> str:
    """A text cell for CSV/XLSX: neutralized (on the raw value), then flattened."""
    return flatten(neutralize(text))
