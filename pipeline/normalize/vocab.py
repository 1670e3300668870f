"""Closed vocabularies for the free-text result columns of a case page.

Both functions map whatever the court shows onto a small fixed set of codes. Matching is
case-, whitespace- and punctuation-insensitive. A value that fits no code comes back as
``"unknown"``: the caller keeps the raw text beside the code and counts it, so new wording
on the portal shows up instead of being silently misfiled.
"""

from __future__ import annotations

import re
from functools import lru_cache

__all__ = ["HEARING_RESULTS", "JUDGMENT_FOR", "hearing_result", "judgment_for"]

HEARING_RESULTS = (
    "pending", "continued", "default_judgment", "judgment", "dismissed", "non_suit", "other", "unknown",
)
JUDGMENT_FOR = ("plaintiff", "defendant", "other", "none", "unknown")

_PUNCT = re.compile(r"[^a-z0-9]+")


def _key(raw: str | None) -> str:
    """Lower case, every run of punctuation/whitespace folded to one space, trimmed."""
    if raw is None:
        return ""
    return _PUNCT.sub(" ", raw.lower().replace("'", "")).strip()


_JUDG = r"judg(?:e)?ments?"  # "Judgement" is a common misspelling
# Order matters: "default judgment" before "judgment".
_HEARING_RULES: tuple[tuple[re.Pattern[str], str], ...] = tuple(
    (re.compile(pattern), code)
    for pattern, code in (
        (r"^cont(?:inued?|inuances?|inuation|d)?\b", "continued"),  # Continued, Continuance, Cont., Cont'd
        (rf"^default(?: {_JUDG}\b| jdgmt\b|$)", "default_judgment"),
        (rf"^(?:{_JUDG}|jdgmt)\b", "judgment"),  # Judgment, Judgment Entered, Judgment for Plaintiff
        (r"^dismiss(?:ed|al|als)?\b", "dismissed"),  # Dismissed, Dismissal, Dismissed w/o prejudice
        (r"^non ?suit(?:ed|s)?\b", "non_suit"),  # Non-suit, Nonsuit, Non Suit, Nonsuited
        (r"^other$", "other"),
    )
)


@lru_cache(maxsize=4096)
def hearing_result(raw: str | None) -> str:
    """Code for a hearing's Result cell (see ``HEARING_RESULTS``).

    Empty or ``None`` means the hearing has not been heard yet: ``"pending"``.
    """
    if raw is None or not raw.strip():
        return "pending"
    key = _key(raw)
    for pattern, code in _HEARING_RULES:
        if pattern.search(key):
            return code
    return "unknown"


_FOR = rf"^(?:(?:{_JUDG}|jdgmt) )?(?:(?:for|to|in favor of) )?(?:the )?"
_JUDGMENT_RULES: tuple[tuple[re.Pattern[str], str], ...] = tuple(
    (re.compile(pattern), code)
    for pattern, code in (
        (_FOR + r"(?:plaintiffs?|pltfs?|plfs?|plts?|pl|ptf)\b", "plaintiff"),
        (_FOR + r"(?:defendants?|defts?|dfts?|dfdts?|defs?|dft)\b", "defendant"),
        (r"^other$", "other"),
        (r"^(?:none|n a)$", "none"),
    )
)


@lru_cache(maxsize=4096)
def judgment_for(raw: str | None) -> str:
    """Code for who a judgment is for (see ``JUDGMENT_FOR``).

    Empty, ``None`` or the literal text ``NONE`` / ``N/A`` mean no judgment: ``"none"``.
    """
    if raw is None or not raw.strip():
        return "none"
    key = _key(raw)
    for pattern, code in _JUDGMENT_RULES:
        if pattern.search(key):
            return code
    return "unknown"
