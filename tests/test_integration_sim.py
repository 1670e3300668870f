"""End to end over real HTTP on 127.0.0.1: the bundled simulator -> scraper -> pipeline -> store.

The database must equal the simulator's own ground truth, case by case and field by field.
"""

from __future__ import annotations

import asyncio
import datetime as dt

import pytest

from evictwatch.config import parse_config, scrape_window
from evictwatch.jobs.scrape import build_governor, scrape_courts
from pipeline.store.repo import Store
from scraper.courts import get_source
from tests.conftest import SIM_TODAY

SINCE, UNTIL = dt.date(2026, 11, 16), dt.date(2026, 12, 4)  # three weeks of hearing days


def sim_config(base_url: str, **http):
    return parse_config({
        "http": {"user_agent": "evictwatch-test (ops@example.org)", "max_concurrency_per_host": 4,
                 "throttle_wait_s": 0.2, **http},
        "scrape": {"browser_check": False},
        "courts": [{"id": "alexandria", "source": "va-gdc", "fips": "510", "base_url": base_url,
                    "rate_limit_per_s": 50}],
    }, "test")


@pytest.fixture
def simulator():
    sim = get_source("va-gdc").simulator(seed=11, today=SIM_TODAY)
    running = sim.start(host="127.0.0.1", port=0)
    yield sim, running
    running.stop()


def fast_governor(config):
    """The config caps rates at what a court tolerates; our own local simulator takes more."""
    from scraper.http_policy import RetryPolicy
    from scraper.ratelimit import SpacingRateLimiter

    governor = build_governor(config)
    governor.rate_limiter = SpacingRateLimiter({"127.0.0.1": 400.0}, governor.clock)
    governor.retry = RetryPolicy(max_attempts=config.http.max_attempts, backoff_base_s=0.02, throttle_wait_s=0.05)
    return governor


def scrape(config, store, since=SINCE, until=UNTIL, today=SIM_TODAY, full=True):
    window = scrape_window(config, today, since, until)
    return asyncio.run(scrape_courts(config, store, config.courts, window, today=today, full=full,
                                     governor=fast_governor(config)))


def db_cases(store: Store) -> dict:
    return {r.case_number: r for r in store.iter_cases()}


def truth_cases(sim, since=SINCE, until=UNTIL) -> dict:
    return {r.case_number: r.model_copy(update={"court": "alexandria"}) for r in sim.docket.truth("510", since, until)}


def assert_same_cases(stored: dict, truth: dict) -> None:
    assert sorted(stored) == sorted(truth)
    for number, expected in truth.items():
        got = stored[number]
        for field in type(expected).model_fields:
            if field == "unknown_fields":
                continue
            assert getattr(got, field) == getattr(expected, field), f"{number}.{field}"


def test_scrape_matches_ground_truth_and_rerun_writes_nothing(simulator, store, caplog):
    import logging

    caplog.set_level(logging.DEBUG)
    sim, running = simulator
    config = sim_config(running.base_url)
    [outcome] = scrape(config, store)
    assert outcome.ok, outcome.error
    truth = truth_cases(sim)
    assert len(truth) > 100  # ~65 filings a week, each with at least one hearing in three weeks
    assert outcome.new == len(truth)
    assert_same_cases(db_cases(store), truth)
    assert outcome.summary.other_rows > 0  # debt cases share the docket and were left out

    # Tenant data is personal data: logs carry case numbers, never names or addresses.
    logged = "\n".join(r.getMessage() for r in caplog.records)
    assert len(caplog.records) > 100, "the scrape should have logged its requests"
    for case in truth.values():
        for party in case.defendants:
            assert party.name not in logged
            assert party.address not in logged

    counts = store.table_counts()
    [again] = scrape(config, store)
    assert again.ok and (again.new, again.updated) == (0, 0) and again.unchanged == len(truth)
    after = store.table_counts()
    assert after.pop("scrape_runs") == counts.pop("scrape_runs") + 1
    assert after == counts


def test_cases_move_on_when_the_court_clock_advances(simulator, store):
    sim, running = simulator
    config = sim_config(running.base_url)
    until = SINCE + dt.timedelta(days=6)  # one week of hearing dates: the same rules, a third of the cases
    scrape(config, store, SINCE, until)
    sim.set_today(SIM_TODAY + dt.timedelta(days=21))
    [later] = scrape(config, store, SINCE, until, today=sim.today)
    assert later.ok and later.updated > 0
    # What a run does next: the cases the law has expunged by now (the court shows them no more) go.
    from evictwatch.courts import stored_laws
    from pipeline.erasure import erase_due

    assert erase_due(store, sim.today, stored_laws(store)).cases > 0
    assert_same_cases(db_cases(store), truth_cases(sim, SINCE, until))


def test_scrape_survives_faults(store):
    sim = get_source("va-gdc").simulator(seed=5, today=SIM_TODAY, faults="5xx=0.06,drop=0.04,truncate=0.08",
                                         rate_limit_per_s=40, session_max_requests=60)
    running = sim.start(host="127.0.0.1", port=0)
    try:
        config = sim_config(running.base_url, max_attempts=8)
        since, until = dt.date(2026, 11, 23), dt.date(2026, 11, 27)
        [outcome] = scrape(config, store, since, until)
        assert outcome.ok, outcome.error
        assert outcome.summary.retries > 0 and outcome.summary.session_renewals > 0
        assert_same_cases(db_cases(store), truth_cases(sim, since, until))
    finally:
        running.stop()


def test_layout_change_fails_the_court_and_stores_nothing_from_it(simulator, store):
    from scraper.courts.va_gdc.sim import FaultSpec

    sim, running = simulator
    sim.set_faults(FaultSpec.parse("layout=hearing-title"))
    config = sim_config(running.base_url)
    [outcome] = scrape(config, store)
    assert not outcome.ok and "LayoutError" in outcome.error and "Hearing Information" in outcome.error
    assert store.table_counts()["cases"] == 0
    assert store.table_counts()["raw_pages"] > 0  # kept, so a fixed parser can reparse them


def test_verification_code_fails_the_court_with_an_operator_message(store):
    sim = get_source("va-gdc").simulator(seed=11, today=SIM_TODAY, verification_code=True)
    running = sim.start(host="127.0.0.1", port=0)
    try:
        [outcome] = scrape(sim_config(running.base_url), store)
    finally:
        running.stop()
    assert not outcome.ok and "verification code" in outcome.error and "stopped" in outcome.error


def test_reparse_rebuilds_every_case_from_the_archive_without_network(simulator, store):
    from sqlalchemy import text

    from evictwatch.jobs.rebuild import reparse_archive

    sim, running = simulator
    config = sim_config(running.base_url)
    since, until = dt.date(2026, 11, 23), dt.date(2026, 11, 25)
    scrape(config, store, since, until)
    running.stop()  # no network from here on
    with store.engine.begin() as conn:
        for table in ("parties", "hearings", "judgments", "cases"):
            conn.execute(text(f"DELETE FROM {table}"))
    result = reparse_archive(store)
    truth = truth_cases(sim, since, until)
    assert result.errors == [] and result.new == result.pages == len(truth)
    assert_same_cases(db_cases(store), truth)


def test_courts_sharing_a_host_each_count_their_own_requests(simulator, store):
    sim, running = simulator
    config = parse_config({
        "http": {"user_agent": "evictwatch-test (ops@example.org)"},
        "scrape": {"browser_check": False},
        "courts": [{"id": court_id, "source": "va-gdc", "fips": fips, "base_url": running.base_url}
                   for court_id, fips in (("alexandria", "510"), ("arlington", "013"))],
    }, "test")
    since = until = dt.date(2026, 11, 24)
    before = sim.stats.requests
    outcomes = asyncio.run(scrape_courts(config, store, config.courts, scrape_window(config, SIM_TODAY, since, until),
                                         today=SIM_TODAY, full=True, governor=fast_governor(config)))
    assert all(o.ok for o in outcomes)
    assert sum(o.summary.requests for o in outcomes) == sim.stats.requests - before
    assert all(o.summary.requests > 0 for o in outcomes)
    for outcome, fips in zip(outcomes, ("510", "013")):
        stored = {r.case_number: r for r in store.iter_cases(court_id=outcome.court_id)}
        truth = {r.case_number: r.model_copy(update={"court": outcome.court_id})
                 for r in sim.docket.truth(fips, since, until)}
        assert_same_cases(stored, truth)
