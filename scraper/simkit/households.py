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
    """Per household: how many filings so far and the last one's day."""

    def __init__(self, *, min_gap_days: int = MIN_GAP_DAYS, max_per_year: int = MAX_PER_YEAR) -> None:
        self.min_gap = dt.timedelta(days=min_gap_days)
        self.max_per_year = max_per_year
        self._last: dict[Hashable, dt.date] = {}
        self._count: dict[Hashable, int] = {}

    def may_sue(self, household: Hashable, day: dt.date) -> bool:
        last = self._last.get(household)
        if last is None:
            return True
        return self._count[household] < self.max_per_year and abs(day - last) >= self.min_gap

    def sued(self, household: Hashable, day: dt.date) -> None:
        self._count[household] = self._count.get(household, 0) + 1
        last = self._last.get(household)
        self._last[household] = day if last is None else max(last, day)

    def count(self, household: Hashable) -> int:
        return self._count.get(household, 0)
