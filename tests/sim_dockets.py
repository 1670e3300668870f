"""The simulators' court-years made once for a whole test module, not once per simulator.

A simulator makes each court-year it serves on first use (a Virginia court-year ~0.3-0.7 s, an
Odyssey year ~1 s, and an Odyssey simulator makes four when it first shows a register), from
a random generator seeded with (seed, court, year) only: two simulators of the same seed make
the same cases. Tests that start several simulators of one seed (the demo run three times, a
farm of twenty courts and its ground truth in the test's process) take them from here instead.
The cases are frozen dataclasses; each docket gets a list of its own holding the same cases.
A farm's processes, forked while this is in force, inherit what was made before the fork.
"""

from __future__ import annotations

import contextlib
import threading
from collections.abc import Iterator

from scraper.courts.tyler_odyssey.sim import docket as odyssey_docket
from scraper.courts.va_gdc.sim import docket as va_docket


@contextlib.contextmanager
def court_years_made_once() -> Iterator[None]:
    va_builder, odyssey_builder = va_docket.CourtYearBuilder, odyssey_docket.YearBuilder
    made: dict[tuple, list] = {}
    lock = threading.Lock()  # simulators serve from threads of their own

    def once(key: tuple, make) -> list:
        with lock:
            cases = made.get(key)
        if cases is None:
            cases = make()  # outside the lock: two makers of one key make the same cases
            with lock:
                cases = made.setdefault(key, cases)
        return list(cases)

    class VirginiaCourtYear:
        def __init__(self, seed, profile, year) -> None:
            self._args = (seed, profile, year)

        def build(self):
            return once(("va-gdc", *self._args), lambda: va_builder(*self._args).build())

    class OdysseyYear:
        def __init__(self, seed, year, street_addresses=False) -> None:
            self._args = (seed, year, street_addresses)

        def build(self):
            return once(("tyler-odyssey", *self._args), lambda: odyssey_builder(*self._args).build())

    va_docket.CourtYearBuilder, odyssey_docket.YearBuilder = VirginiaCourtYear, OdysseyYear
    try:
        yield
    finally:
        va_docket.CourtYearBuilder, odyssey_docket.YearBuilder = va_builder, odyssey_builder
