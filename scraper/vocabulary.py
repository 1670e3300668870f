"""The closed vocabulary the pipeline reasons with, and the rule tables adapters map onto it.

Each court system words things its own way ("Unlawful Detainer" or "Eviction"; "Continued" or
"Reset"). Its adapter owns a `Vocabulary` of rules; the pipeline only ever sees the codes
below, with the raw text kept beside them. Matching is case-, whitespace- and
punctuation-insensitive. A value that fits no rule is ``unknown``: the caller keeps the raw
text and counts it, so new wording on a portal shows up instead of being silently misfiled.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from enum import StrEnum

__all__ = ["CaseKind", "HearingResult", "JudgmentFor", "Vocabulary", "fold"]


class CaseKind(StrEnum):
    EVICTION = "eviction"
    OTHER = "other"


class HearingResult(StrEnum):
    PENDING = "pending"  # not heard yet (no result on the page)
    CONTINUED = "continued"
    DEFAULT_JUDGMENT = "default_judgment"  # the tenant did not appear
    JUDGMENT = "judgment"
    DISMISSED = "dismissed"
    NON_SUIT = "non_suit"
    OTHER = "other"
    UNKNOWN = "unknown"


class JudgmentFor(StrEnum):
    PLAINTIFF = "plaintiff"
    DEFENDANT = "defendant"
    OTHER = "other"
    NONE = "none"  # no judgment (an empty value, NONE, N/A)
    UNKNOWN = "unknown"


_PUNCT = re.compile(r"[^a-z0-9]+")


def fold(raw: str | None) -> str:
    """Lower case, every run of punctuation/whitespace folded to one space, trimmed."""
    if raw is None:
        return ""
    return _PUNCT.sub(" ", raw.lower().replace("'", "")).strip()


Rules = tuple[tuple[re.Pattern[str], StrEnum], ...]


def rules(table: Iterable[tuple[str, StrEnum]]) -> Rules:
    """Regular expressions over folded text, tried in order: the first that matches decides."""
    return tuple((re.compile(pattern), code) for pattern, code in table)


@dataclass(frozen=True)
class Vocabulary:
    """One court system's wording, mapped to the closed codes."""

    term: str  # the court's own name for an eviction case, for people ("unlawful detainer")
    eviction_case_types: frozenset[str]  # folded Case Type values that are evictions
    hearing_rules: Rules
    judgment_rules: Rules
    _cache: dict[tuple[str, str], StrEnum] = field(default_factory=dict, compare=False, repr=False)

    def case_kind(self, case_type: str | None) -> CaseKind:
        return CaseKind.EVICTION if fold(case_type) in self.eviction_case_types else CaseKind.OTHER

    def hearing_result(self, raw: str | None) -> HearingResult:
        """Empty or None: the hearing has not been heard yet."""
        if raw is None or not raw.strip():
            return HearingResult.PENDING
        return self._match("hearing", raw, self.hearing_rules, HearingResult.UNKNOWN)  # type: ignore[return-value]

    def judgment_for(self, raw: str | None) -> JudgmentFor:
        """Who a judgment is for. Empty or None: no judgment."""
        if raw is None or not raw.strip():
            return JudgmentFor.NONE
        return self._match("judgment", raw, self.judgment_rules, JudgmentFor.UNKNOWN)  # type: ignore[return-value]

    def _match(self, what: str, raw: str, table: Rules, unknown: StrEnum) -> StrEnum:
        key = (what, raw)
        try:
            return self._cache[key]
        except KeyError:
            pass
        folded = fold(raw)
        code = next((code for pattern, code in table if pattern.search(folded)), unknown)
        if len(self._cache) < 8192:
            self._cache[key] = code
        return code
