"""A first scrape of a portal that still lists cases the court expunged weeks ago (the simulator
with `expunge_lag_days`): the report's filings per week equal the court's own count, its outcome
shares the court's, those cases leave no number in the store, the archive or the file, and
scrapes after it (the same day, and weeks later, after the run erased more) add nothing."""

from __future__ import annotations

import asyncio
import datetime as dt
import gzip
from collections import Counter
from pathlib import Path

import pytest
from sqlalchemy import text

from evictwatch.config import parse_config, scrape_window
from evictwatch.courts import stored_laws
from evictwatch.jobs.scrape import scrape_courts
from pipeline.erasure import erase_due
from pipeline.store import db, trends
from pipeline.store.repo import Store
from scraper.courts import get_source
from scraper.courts.va_gdc.sim import lifecycle
from tests.expunge_support import FOREVER, in_file
from tests.test_integration_sim import fast_governor

FIPS, COURT = "013", "arlington"  # ~30 filings a week
TODAY = dt.date(2026, 11, 2)
SINCE, UNTIL = dt.date(2026, 9, 7), TODAY + dt.timedelta(days=14)  # hearing days scraped
# Filing weeks whose every case has its first hearing (14 to 35 days after filing) in the window.
FIRST_MONDAY, WEEKS = dt.date(2026, 8, 24), 6
LATER = TODAY + dt.timedelta(days=21)  # the run has erased the dismissals of October by then
LAG_DAYS = 60  # the portal lists an expunged case two months on


def scrape(config, store, today):
    [outcome] = asyncio.run(scrape_courts(config, store, config.courts, scrape_window(config, today, SINCE, UNTIL),
                                          today=today, full=True, governor=fast_governor(config)))
    assert outcome.ok, outcome.error
    return outcome


def rows(store, sql: str) -> list[tuple]:
    with store.engine.connect() as conn:
        return [tuple(r) for r in conn.execute(text(sql))]


@pytest.fixture(scope="module")
def scraped(tmp_path_factory):
    sim = get_source("va-gdc").simulator(seed=7, today=TODAY, expunge_lag_days=LAG_DAYS)
    running = sim.start(host="127.0.0.1", port=0)
    try:
        engine = db.make_engine(f"sqlite:///{tmp_path_factory.mktemp('first-sight') / 'e.db'}")
        db.upgrade(engine)
        store = Store(engine)
        config = parse_config({
            "http": {"user_agent": "evictwatch-test (ops@example.org)", "throttle_wait_s": 0.05},
            "scrape": {"browser_check": False},
            "courts": [{"id": COURT, "source": "va-gdc", "fips": FIPS, "base_url": running.base_url}],
        }, "test")
        first = scrape(config, store, TODAY)
        snapshot = {
            "filings": trends.weekly_filings(Store(engine), FIRST_MONDAY, WEEKS, [COURT]),
            "outcomes": trends.outcomes_by_filing_week(Store(engine), FIRST_MONDAY, WEEKS, [COURT]),
            "court": sim.docket.weekly_filings(FIPS, FIRST_MONDAY, WEEKS),
            "court_outcomes": court_outcomes(sim.docket, TODAY),
            "erased_first": erased_by_law(sim.docket, TODAY),
            "cases": rows(store, "SELECT count(*) FROM cases")[0][0],
            "numbers": {n for (n,) in rows(store, "SELECT case_number FROM cases")},
            "pages": [(n, gzip.decompress(b)) for n, b in rows(store, "SELECT case_number, body_gz FROM raw_pages")],
        }
        again = scrape(config, store, TODAY)
        snapshot["again"] = (again, rows(store, "SELECT count(*) FROM cases")[0][0],
                             trends.weekly_filings(Store(engine), FIRST_MONDAY, WEEKS, [COURT]))
        sim.set_today(LATER)
        erased_later = erase_due(store, LATER, stored_laws(store)).cases
        later = scrape(config, store, LATER)
        snapshot["later"] = (erased_later, later, trends.weekly_filings(Store(engine), FIRST_MONDAY, WEEKS, [COURT]),
                             sim.docket.weekly_filings(FIPS, FIRST_MONDAY, WEEKS),
                             rows(store, "SELECT count(*) FROM cases WHERE case_number LIKE 'erased:%'")[0][0])
        yield snapshot, store
    finally:
        running.stop()


def court_outcomes(docket, today: dt.date) -> list[dict[str, int]]:
    """The court's own outcome of every case filed in each week (expunged ones included), in the
    report's labels."""
    found: list[Counter] = [Counter() for _ in range(WEEKS)]
    last = FIRST_MONDAY + dt.timedelta(days=7 * WEEKS - 1)
    for record in docket.filings(FIPS, FIRST_MONDAY, last, "Unlawful Detainer", expunged=True):
        label = trends.OUTCOMES.get(docket.status(FIPS, record.case_number) or "", "Pending")
        found[(record.filed_date - FIRST_MONDAY).days // 7][label] += 1
    return [dict(c) for c in found]


def erased_by_law(docket, today: dt.date) -> set[str]:
    """The filings of those weeks the court expunged by `today` without a petition (dismissed or
    nonsuited): the law's erasure, which evictwatch reads off the page."""
    last = FIRST_MONDAY + dt.timedelta(days=7 * WEEKS - 1)
    gone = set()
    for record in docket.filings(FIPS, FIRST_MONDAY, last, "Unlawful Detainer", expunged=True):
        on = docket.expunged_on(FIPS, record.case_number)
        _, _, ended = lifecycle.events(docket.facts(FIPS, record.case_number), FOREVER)[-1]
        if on is not None and on <= today and ended in (lifecycle.DISMISSED, lifecycle.NON_SUITED):
            gone.add(record.case_number)
    return gone


def test_filings_and_outcomes_per_week_are_the_courts_own(scraped):
    snapshot, _ = scraped
    assert len(snapshot["erased_first"]) >= 5  # the weeks hold many cases erased before the first scrape
    assert snapshot["filings"] == snapshot["court"], (snapshot["filings"], snapshot["court"])
    assert snapshot["outcomes"] == snapshot["court_outcomes"]


def test_cases_erased_before_first_seen_leave_no_number_in_the_store_archive_or_file(scraped):
    snapshot, store = scraped
    gone = snapshot["erased_first"]
    assert not gone & snapshot["numbers"]
    assert len([n for n in snapshot["numbers"] if n.startswith("erased:")]) >= len(gone)
    assert snapshot["pages"]  # the other cases' pages are archived
    assert not [n for n, body in snapshot["pages"] if n in gone or any(g.encode() in body for g in gone)]
    database = Path(store.engine.url.database)
    assert not [n for n in sorted(gone) if in_file(database, n.encode())]


def test_scrapes_after_it_add_nothing(scraped):
    snapshot, _ = scraped
    again, cases, filings = snapshot["again"]
    assert (again.new, cases, filings) == (0, snapshot["cases"], snapshot["court"])
    erased_later, later, filings, court, tokens = snapshot["later"]
    # The run erased October's dismissals; the portal lists them still: each counted once.
    assert erased_later > 0 and later.not_kept >= erased_later
    assert filings == court == snapshot["court"]
    assert tokens >= len(snapshot["erased_first"]) + erased_later

