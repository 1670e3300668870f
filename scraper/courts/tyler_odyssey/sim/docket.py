"""The simulated county's JP dockets: years generated on demand and cached, seen as of `today`.

`truth` and `record` return exactly what the portal's registers of actions show on the
simulator's current day, so a scrape can be compared with them field by field; `landlord_id`
and `household_id` are the ground truth no page shows.
"""

from __future__ import annotations

import datetime as dt
import fnmatch
import threading
from collections import defaultdict

from scraper.courts.tyler_odyssey.sim.generate import YearBuilder
from scraper.courts.tyler_odyssey.sim.model import ATTORNEYS, EVICTION, PRECINCTS, CaseFacts, SettingFacts
from scraper.records import CaseRecord


class Docket:
    def __init__(self, seed: int, today: dt.date, party_layout: str = ATTORNEYS,
                 street_addresses: bool = False) -> None:
        self.seed = seed
        self.street_addresses = street_addresses  # the county publishes tenants' streets
        self.party_layout = party_layout  # how the registers show parties (sim.model.PARTY_LAYOUTS)
        self._today = today
        self._lock = threading.Lock()
        self._years: dict[int, list[CaseFacts]] = {}
        self._by_number: dict[str, CaseFacts] = {}
        self._by_id: dict[int, CaseFacts] = {}
        self._by_day: dict[dt.date, list[tuple[CaseFacts, SettingFacts]]] = defaultdict(list)

    @property
    def today(self) -> dt.date:
        return self._today

    def set_today(self, today: dt.date) -> None:
        self._today = today

    def year(self, year: int) -> list[CaseFacts]:
        with self._lock:
            if year not in self._years:
                cases = self._years[year] = YearBuilder(self.seed, year, self.street_addresses).build()
                for case in cases:
                    self._by_number[case.case_number] = case
                    self._by_id[case.case_id] = case
                    for setting in case.settings:
                        self._by_day[setting.date].append((case, setting))
            return self._years[year]

    def _years_for(self, since: dt.date, until: dt.date) -> None:
        # Hearings are set up to ~3 months after filing: a window's settings come from its
        # own years and the one before.
        for year in range(since.year - 1, min(until.year, self._today.year) + 1):
            self.year(year)

    def _visible(self, case: CaseFacts) -> bool:
        return case.filed <= self._today

    def by_id(self, case_id: int) -> CaseFacts | None:
        for year in range(self._today.year - 3, self._today.year + 1):
            self.year(year)
        case = self._by_id.get(case_id)
        return case if case is not None and self._visible(case) else None

    def matching(self, pattern: str, filed_since: dt.date | None, filed_until: dt.date | None,
                 precincts: frozenset[int]) -> list[CaseFacts]:
        """Case search: a number or a prefix with `*`, optionally filed in a date range."""
        pattern = pattern.strip().upper()
        years = range(self._today.year - 3, self._today.year + 1)
        if len(pattern) >= 8 and pattern[6:8].isdigit():
            years = range(2000 + int(pattern[6:8]), 2001 + int(pattern[6:8]))
        found = []
        for year in years:
            if year > self._today.year:
                continue
            for case in self.year(year):
                if (case.precinct in precincts and self._visible(case)
                        and fnmatch.fnmatchcase(case.case_number, pattern or "*")
                        and (filed_since is None or case.filed >= filed_since)
                        and (filed_until is None or case.filed <= filed_until)):
                    found.append(case)
        return sorted(found, key=lambda c: (c.filed, c.case_number))

    def calendar(self, since: dt.date, until: dt.date, precincts: frozenset[int]) -> list[tuple[CaseFacts, SettingFacts]]:
        """Every setting in [since, until] on the calendar today, by date, time and number."""
        self._years_for(since, until)
        rows = []
        day = since
        while day <= until:
            for case, setting in self._by_day.get(day, ()):
                if case.precinct in precincts and self._visible(case) and setting.set_on <= self._today:
                    rows.append((case, setting))
            day += dt.timedelta(days=1)
        return sorted(rows, key=lambda cs: (cs[1].date, cs[1].time, cs[0].case_number))

    # --- ground truth ----------------------------------------------------------------

    def truth(self, since: dt.date, until: dt.date, precincts: frozenset[int] = frozenset(range(1, 6)),
              court_id: str | None = None) -> list[CaseRecord]:
        """Every eviction case with a setting in [since, until], as its register reads today."""
        seen: dict[str, CaseRecord] = {}
        for case, _ in self.calendar(since, until, precincts):
            if case.case_type == EVICTION and case.case_number not in seen:
                record = case.as_of(self._today, court_id, self.party_layout)
                if record is not None:
                    seen[case.case_number] = record
        return sorted(seen.values(), key=lambda r: r.case_number)

    def facts(self, case_number: str) -> CaseFacts | None:
        number = case_number.strip().upper()
        if len(number) == 15 and number[6:8].isdigit():
            self.year(2000 + int(number[6:8]))
        case = self._by_number.get(number)
        return case if case is not None and self._visible(case) else None

    def record(self, case_number: str, court_id: str | None = None) -> CaseRecord | None:
        case = self.facts(case_number)
        return case.as_of(self._today, court_id, self.party_layout) if case else None

    def landlord_id(self, case_number: str) -> str | None:
        case = self.facts(case_number)
        return case.landlord_id if case else None

    def status(self, case_number: str) -> str | None:
        case = self.facts(case_number)
        return case.status_as_of(self._today) if case else None

    def household_id(self, case_number: str) -> str | None:
        case = self.facts(case_number)
        return case.household_id if case else None


def precincts_of(location: str) -> frozenset[int]:
    """The precincts a location label covers: one precinct, or all of them."""
    if location in PRECINCTS:
        return frozenset({PRECINCTS.index(location) + 1})
    return frozenset(range(1, 6))
