"""How the Virginia GDC portal words case types, hearing results and judgments."""

from __future__ import annotations

from scraper.vocabulary import HearingResult as R
from scraper.vocabulary import JudgmentFor as J
from scraper.vocabulary import Vocabulary, rules

_JUDG = r"judg(?:e)?ments?"  # "Judgement" is a common misspelling
_FOR = rf"^(?:(?:{_JUDG}|jdgmt) )?(?:(?:for|to|in favor of) )?(?:the )?"

VOCABULARY = Vocabulary(
    term="unlawful detainer",
    eviction_case_types=frozenset({"unlawful detainer"}),
    # Order matters: "default judgment" before "judgment".
    hearing_rules=rules((
        (r"^cont(?:inued?|inuances?|inuation|d)?\b", R.CONTINUED),  # Continued, Continuance, Cont., Cont'd
        (rf"^default(?: {_JUDG}\b| jdgmt\b|$)", R.DEFAULT_JUDGMENT),
        (rf"^(?:{_JUDG}|jdgmt)\b", R.JUDGMENT),  # Judgment, Judgment Entered, Judgment for Plaintiff
        (r"^dismiss(?:ed|al|als)?\b", R.DISMISSED),  # Dismissed, Dismissal, Dismissed w/o prejudice
        (r"^non ?suit(?:ed|s)?\b", R.NON_SUIT),  # Non-suit, Nonsuit, Non Suit, Nonsuited
        (r"^other$", R.OTHER),
    )),
    judgment_rules=rules((
        (_FOR + r"(?:plaintiffs?|pltfs?|plfs?|plts?|pl|ptf)\b", J.PLAINTIFF),
        (_FOR + r"(?:defendants?|defts?|dfts?|dfdts?|defs?|dft)\b", J.DEFENDANT),
        (r"^other$", J.OTHER),
        (r"^(?:none|n a)$", J.NONE),
    )),
)
