"""A court that allows less than configured gets a slower scrape, never a failed one.

The limiter halves a host's rate at each throttle answer and raises it 2% per plain answer,
never above the configured rate; the rate a run ends at is kept, and the next run starts there.
"""

from __future__ import annotations

import asyncio
import datetime as dt

import pytest

from evictwatch.commands.status import status_report
from evictwatch.config import parse_config, scrape_window
from evictwatch.jobs.scrape import build_governor, scrape_courts
from pipeline.store.hostrates import HostRates
from scraper.courts import get_source
from scraper.http_adapt import DECREASE, FLOOR_PER_S, INCREASE, AdaptiveRates
from scraper.http_clock import FakeClock
from scraper.ratelimit import SpacingRateLimiter
from tests.conftest import SIM_TODAY
from tests.test_integration_sim import assert_same_cases, db_cases

HOST = "127.0.0.1"


def test_throttles_halve_the_rate_and_answers_raise_it_back_never_past_the_configured_one():
    limiter = SpacingRateLimiter({HOST: 20.0}, FakeClock())
    rates = AdaptiveRates(limiter, {HOST: 20.0})
    assert rates.throttled(HOST) == 20.0 * DECREASE == limiter.rate_for(HOST)
    assert rates.throttled(HOST) == pytest.approx(20.0 * DECREASE ** 2)
    assert rates.answered(HOST) == pytest.approx(20.0 * DECREASE ** 2 * INCREASE)
    for _ in range(500):
        rates.answered(HOST)
    assert limiter.rate_for(HOST) == 20.0  # back to the ceiling, never above
    for _ in range(100):
        rates.throttled(HOST)
    assert limiter.rate_for(HOST) == FLOOR_PER_S
    [rate] = rates.rates()
    assert (rate.configured_per_s, rate.lowest_per_s, rate.throttled) == (20.0, FLOOR_PER_S, 102)


def test_a_learned_rate_is_where_the_next_run_starts_within_the_configured_one():
    limiter = SpacingRateLimiter({HOST: 20.0, "other.example": 5.0}, FakeClock())
    AdaptiveRates(limiter, {HOST: 20.0, "other.example": 5.0}, {HOST: 3.5, "other.example": 9.0, "gone.example": 1})
    assert limiter.rate_for(HOST) == 3.5
    assert limiter.rate_for("other.example") == 5.0  # the configuration was lowered since: it wins


def config_for(base_url: str):
    return parse_config({
        "http": {"user_agent": "evictwatch-test (ops@example.org)", "max_concurrency_per_host": 4,
                 "throttle_wait_s": 0.3},
        "scrape": {"browser_check": False},
        "courts": [{"id": "alexandria", "source": "va-gdc", "fips": "510", "base_url": base_url,
                    "rate_limit_per_s": 20}],
    }, "test")


@pytest.fixture
def strict_portal():
    """The portal allows 4 requests a second per session; the court is configured for 20."""
    sim = get_source("va-gdc").simulator(seed=11, today=SIM_TODAY, rate_limit_per_s=4.0)
    running = sim.start(host="127.0.0.1", port=0)
    yield sim, running
    running.stop()


@pytest.mark.timeout(180)
def test_a_portal_allowing_less_than_configured_gets_a_complete_slower_scrape(strict_portal, store):
    sim, running = strict_portal
    config = config_for(running.base_url)
    since = until = dt.date(2026, 11, 17)
    window = scrape_window(config, SIM_TODAY, since, until)
    [outcome] = asyncio.run(scrape_courts(config, store, config.courts, window, today=SIM_TODAY, full=True))
    assert outcome.ok, outcome.error
    truth = {r.case_number: r.model_copy(update={"court": "alexandria"}) for r in sim.docket.truth("510", since, until)}
    assert len(truth) > 10
    assert_same_cases(db_cases(store), truth)  # complete and exact, however often it was throttled
    assert sim.stats.rate_limited > 0 and outcome.summary.throttled > 0
    rate = outcome.rate
    assert rate is not None and rate.below_configured
    assert FLOOR_PER_S <= rate.lowest_per_s <= rate.current_per_s < 20.0
    assert rate.lowest_per_s < 4.0  # it went below what the portal allows
    print(f"settled at {rate.current_per_s:.2f}/s (lowest {rate.lowest_per_s:.2f}) after {rate.throttled} throttles")

    [kept] = HostRates(store.engine).below_configured()
    assert (kept.host, kept.configured_per_s, kept.learned_per_s) == (HOST, 20.0, pytest.approx(rate.current_per_s))
    again = build_governor(config, learned=HostRates(store.engine).learned())
    assert again.rate_limiter.rate_for(HOST) == pytest.approx(rate.current_per_s)  # the next run starts there
    [slow] = status_report(config, store, today=SIM_TODAY)["slow_hosts"]
    assert slow["host"] == HOST and slow["configured_per_s"] == 20.0 and slow["throttled"] == rate.throttled
