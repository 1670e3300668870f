"""How Odyssey registers of actions word case types, hearing results and dispositions."""

from __future__ import annotations

from scraper.vocabulary import HearingResult as R
from scraper.vocabulary import JudgmentFor as J
from scraper.vocabulary import Vocabulary, rules

_JUDG = r"judg(?:e)?ments?"

VOCABULARY = Vocabulary(
    term="eviction",
    # Texas forcible detainer cases are typed "Eviction" (older registers: "Forcible Detainer").
    eviction_case_types=frozenset({"eviction", "evictions", "forcible detainer", "forcible entry and detainer"}),
    # Order matters: "default judgment" before "judgment".
    hearing_rules=rules((
        (r"^(?:reset|cont(?:inued?|inuance)?|rescheduled)\b", R.CONTINUED),
        (rf"^default(?: {_JUDG}\b|$)", R.DEFAULT_JUDGMENT),
        (rf"^(?:{_JUDG}|agreed {_JUDG}|final {_JUDG})\b", R.JUDGMENT),
        (r"^dismiss(?:ed|al)?\b|^want of prosecution\b", R.DISMISSED),
        (r"^non ?suit(?:ed)?\b", R.NON_SUIT),
        (r"^(?:appeared|held|heard|other)\b", R.OTHER),
    )),
    # The record's judgment is "Plaintiff"/"Defendant" when the register says to whom it was
    # awarded, else the disposition itself (a dismissal or non-suit is nobody's judgment).
    judgment_rules=rules((
        (r"^(?:(?:judgment )?for )?(?:the )?plaintiffs?\b", J.PLAINTIFF),
        (r"^(?:(?:judgment )?for )?(?:the )?defendants?\b", J.DEFENDANT),
        (r"^(?:dismiss(?:ed|al)?|non ?suit(?:ed)?|want of prosecution)\b", J.NONE),
        (rf"^(?:default|agreed|final) {_JUDG}$", J.OTHER),
    )),
)
