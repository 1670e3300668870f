"""The simulated court follows Va. Code § 8.01-130.01: it stops showing an expunged case.

An unlawful detainer filed on or after 1 July 2024 is expunged by the court 30 days after its
dismissal, or six calendar months after a nonsuit, when no order of possession was entered.
A judgment for the defendant, and older dismissed or nonsuited cases, are expunged only on the
tenant's petition: here one in `PETITION_ONE_IN` of them, chosen by the seed, some weeks to
months after its end. From that day the case is gone: no detail page, not in any hearing list,
its number answering "no results" like one never used (with `SimConfig.expunge_lag_days`, a
portal slow to drop it, that many days later). (Written from the statute for the
simulator, apart from the adapter's own reading of it: the tests compare the two.)
"""

from __future__ import annotations

import calendar
import datetime as dt
import hashlib

from scraper.courts.va_gdc.sim import lifecycle
from scraper.courts.va_gdc.sim.model import CaseFacts

AUTOMATIC_FROM = dt.date(2024, 7, 1)
PETITION_ONE_IN = 8
_FOREVER = dt.date(9999, 1, 1)


def _six_months_after(day: dt.date) -> dt.date:
    month = day.month + 6
    year = day.year + (month - 1) // 12
    month = (month - 1) % 12 + 1
    return dt.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def expunged_on(case: CaseFacts, seed: int) -> dt.date | None:
    """The day the court expunges this case (None: never)."""
    if case.case_type != "Unlawful Detainer":
        return None
    seen = lifecycle.events(case, _FOREVER)
    if not seen:
        return None
    ended_on, _, outcome = seen[-1]
    possession = bool(case.judgment and case.judgment.possession)
    if outcome in (lifecycle.DISMISSED, lifecycle.NON_SUITED) and not possession and case.filed >= AUTOMATIC_FROM:
        return (ended_on + dt.timedelta(days=30) if outcome == lifecycle.DISMISSED
                else _six_months_after(ended_on))
    petitionable = outcome == lifecycle.JUDGMENT_DEFENDANT or (
        outcome in (lifecycle.DISMISSED, lifecycle.NON_SUITED) and not possession)
    if petitionable:
        draw = int.from_bytes(hashlib.sha256(f"{seed}:{case.case_number}:petition".encode()).digest()[:4], "big")
        if draw % PETITION_ONE_IN == 0:
            return ended_on + dt.timedelta(days=45 + draw % 200)
    return None
