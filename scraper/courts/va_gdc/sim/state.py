"""A whole state's general district courts for the simulator: the four named courts and, around
them, synthetic ones (invented names, codes and ZIP codes) whose weekly eviction filings add up
to a state like Virginia's, about 2,500 a week; a few large dockets and many small ones.

Every court here is served whatever the options; the welcome page lists all of them only with
`--whole-state` (else the four named ones), so a portal of one court's tests stays small.
"""

from __future__ import annotations

import random
from functools import cache

from scraper.courts.va_gdc.sim.names import COURTS, CourtProfile

STATE_WEEKLY_UD = 2_500
STATE_COURT_COUNT = 130


@cache
def state_courts() -> dict[str, CourtProfile]:
    """Every simulated court of the state by code, in code order (the same on every call)."""
    rng = random.Random("va-gdc-whole-state")
    # Codes as the portal's: odd numbers for counties (001-199) and cities (510-840).
    free = [f"{n:03d}" for n in (*range(1, 200, 2), *range(510, 841, 2)) if f"{n:03d}" not in COURTS]
    codes = sorted(rng.sample(free, STATE_COURT_COUNT - len(COURTS)))
    weights = [rng.lognormvariate(0, 1.1) for _ in codes]
    left = STATE_WEEKLY_UD - sum(p.weekly_ud for p in COURTS.values())
    courts = dict(COURTS)
    for index, (code, weight) in enumerate(zip(codes, weights)):
        weekly = max(1, round(left * weight / sum(weights)))
        kind = "County" if int(code) < 500 else "City"
        place = f"SIMULATED {kind.upper()} {code}"
        zips = ((f"2{3 + index % 2}{int(code):03d}", place), (f"2{3 + index % 2}{(int(code) + 500) % 1000:03d}", place))
        rooms = ("COURTROOM 1", "COURTROOM 2") if weekly >= 40 else ("COURTROOM 1",)
        courts[code] = CourtProfile(code, f"Simulated {kind} {code} General District Court", weekly, zips, rooms)
    return dict(sorted(courts.items()))


def court_profile(code: str) -> CourtProfile | None:
    return state_courts().get(code)


def listed_courts(whole_state: bool, size: int = 0) -> dict[str, CourtProfile]:
    """The courts the welcome page lists (`size`: only the first this many of the state's)."""
    if not whole_state:
        return COURTS
    courts = state_courts()
    return dict(list(courts.items())[:size]) if size else courts
