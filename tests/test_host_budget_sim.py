"""Three courts on one simulated portal host sharing a budget deliberately too small (issue 33):
for their cold start, every court's new-filing walks come first, the past hearing dates are
deferred evenly across the courts and kept in the store, and a later run finishes them with
nothing lost against the simulator's truth; on a later day, the re-checks a budget defers wait
with their reasons and are opened after the courts' last good run has moved on."""

from __future__ import annotations

import asyncio
import datetime as dt
import math
from collections import Counter


from evictwatch.commands.status import status_report
from evictwatch.config import parse_config, scrape_window
from evictwatch.jobs.scrape import scrape_courts
from pipeline.hostplan import Worth
from pipeline.store.recheck import walk_cost
from scraper.courts import get_source
from scraper.courts.va_gdc.scrape import GdcScraper
from tests.test_integration_sim import fast_governor

TODAY = dt.date(2026, 11, 4)
COURTS = {"arlington": "013", "county-047": "047", "county-129": "129"}
BACK, AHEAD = 21, 14
RATE = 50.0


def config_for(base_url: str, budget: int):
    share = budget / (RATE * 86_400)  # a day's budget of `budget` requests on this host
    return parse_config({
        "http": {"user_agent": "evictwatch-test (ops@example.org)", "max_concurrency_per_host": 4},
        "scrape": {"browser_check": False, "window": {"look_back_days": BACK, "look_ahead_days": AHEAD},
                   "daily_budget_share": share, "cold_start_share": share},
        "courts": [{"id": court, "source": "va-gdc", "code": code, "base_url": base_url, "rate_limit_per_s": RATE}
                   for court, code in COURTS.items()],
    }, "test")


def run(config, store, today: dt.date = TODAY):
    window = scrape_window(config, today)
    return asyncio.run(scrape_courts(config, store, config.courts, window, today=today,
                                     governor=fast_governor(config)))


def stored(store) -> dict[str, set[str]]:
    cases: dict[str, set[str]] = {court: set() for court in COURTS}
    for case in store.iter_cases():
        cases[case.court].add(case.case_number)
    return cases


def test_a_budget_too_small_walks_every_courts_new_filings_and_defers_past_dates_evenly(store):
    sim = get_source("va-gdc").simulator(seed=5, today=TODAY)
    running = sim.start(host="127.0.0.1", port=0)
    try:
        # 36 hearing dates a court, 4 requests each expected before a court has a run to go by:
        # 432 for the three; 240 cover the 45 dates from today on and 15 past ones.
        tight = config_for(running.base_url, budget=240)
        first = run(tight, store)
        assert all(o.ok for o in first), [o.error for o in first]
        waiting = store.deferred.of(COURTS)
        assert {d.worth for d in waiting} == {Worth.BACKFILL}
        per_court = Counter(d.court_id for d in waiting)
        assert set(per_court) == set(COURTS) and max(per_court.values()) - min(per_court.values()) <= 1
        assert sum(o.deferred for o in first) == len(waiting) == 3 * (BACK + AHEAD + 1) - 60
        told = status_report(tight, store, today=TODAY + dt.timedelta(days=1))["deferred"]
        assert told == [{"host": "127.0.0.1", "items": len(waiting), "courts": 3, "oldest_due": TODAY.isoformat(),
                         "oldest_waiting_days": 1}]
        # The deferred dates are the earliest: each court walked from its nearest past dates back.
        for court in COURTS:
            deferred_days = {dt.date.fromisoformat(d.key) for d in waiting if d.court_id == court}
            assert max(deferred_days) < TODAY - dt.timedelta(days=4) and min(deferred_days) == TODAY - dt.timedelta(BACK)
        # Every case with a hearing from today on is stored in every court: new filings first.
        have = stored(store)
        for court, code in COURTS.items():
            ahead = {c.case_number for c in sim.docket.truth(code, TODAY, TODAY + dt.timedelta(days=AHEAD))}
            assert ahead and ahead <= have[court], court

        # A later run with room to spare finishes the deferred dates; nothing was lost.
        roomy = config_for(running.base_url, budget=20_000)
        second = run(roomy, store)
        assert all(o.ok for o in second) and store.deferred.of(COURTS) == []
        have = stored(store)
        for court, code in COURTS.items():
            truth = {c.case_number for c in sim.docket.truth(code, TODAY - dt.timedelta(days=BACK),
                                                              TODAY + dt.timedelta(days=AHEAD))}
            assert truth <= have[court], court
    finally:
        running.stop()


def test_re_checks_a_budget_defers_are_opened_on_a_later_day_though_the_last_good_run_moved_on(store, monkeypatch):
    sim = get_source("va-gdc").simulator(seed=5, today=TODAY)
    running = sim.start(host="127.0.0.1", port=0)
    try:
        roomy = config_for(running.base_url, budget=20_000)
        assert all(o.ok for o in run(roomy, store))
        # The next day's budget covers every court's walk for new filings and not one case more.
        day = TODAY + dt.timedelta(days=1)
        sim.set_today(day)
        dates = (day + dt.timedelta(days=AHEAD) - (TODAY - dt.timedelta(days=1))).days + 1
        walks = sum(dates * max(1, math.ceil(walk_cost(store, court, "incremental"))) for court in COURTS)
        second = run(config_for(running.base_url, budget=walks), store, today=day)
        assert all(o.ok and o.mode == "incremental" for o in second)
        waiting = store.deferred.of(COURTS)
        assert waiting and {d.kind for d in waiting} == {"case"} and all(d.reason for d in waiting)
        assert {d.court_id for d in waiting} == set(COURTS)  # every court's re-checks wait, none dropped
        # Two days on, its last good run is yesterday's: the waiting cases are opened all the same.
        later = day + dt.timedelta(days=1)
        sim.set_today(later)
        opened: set[tuple[str, str]] = set()
        detail = GdcScraper._detail

        async def recorded(scraper, number, url, by_number=False):
            opened.add((scraper.court.id, number))
            return await detail(scraper, number, url, by_number)

        monkeypatch.setattr(GdcScraper, "_detail", recorded)
        assert all(o.ok for o in run(roomy, store, today=later))
        assert {(d.court_id, d.key) for d in waiting} <= opened
        assert store.deferred.of(COURTS) == []
    finally:
        running.stop()
