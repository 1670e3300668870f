"""How often a simulated court sees the same household again.

Real serial filing is one landlord re-filing against the same tenant every month or two, a
handful of times a year at most; a tenant is never sued twice in the same week. The
simulators' dockets draw who is sued next and ask this ledger whether that household may be
sued on that day; a heavy-tailed draw left alone put one household in hundreds of cases.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Hashable

MIN_GAP_DAYS = 28   # a re-filing comes a month or more after the last one
MAX_PER_YEAR = 6    # ... and at most every other month over a year


class SuedBefore:
    """Per household: the days it was sued (asked in any order: a re-filing is drawn later)."""

    def __init__(self, *, min_gap_days: int = MIN_GAP_DAYS, max_per_year: int = MAX_PER_YEAR) -> None:
        self.min_gap = dt.timedelta(days=min_gap_days)
        self.max_per_year = max_per_year
        self._days: dict[Hashable, list[dt.date]] = {}

    def may_sue(self, household: Hashable, day: dt.date) -> bool:
        days = self._days.get(household, [])
        return len(days) < self.max_per_year and all(abs(day - d) >= self.min_gap for d in days)

    def sued(self, household: Hashable, day: dt.date) -> None:
        self._days.setdefault(household, []).append(day)

    def count(self, household: Hashable) -> int:
        return len(self._days.get(household, ()))
