"""The browser-check path for real: headless system Chromium passes the simulator's JavaScript
check, then hands its cookies and user agent to the httpx session that does the scraping."""

from __future__ import annotations

import asyncio
import datetime as dt
from pathlib import Path

import httpx
import pytest

from evictwatch.config import parse_config, scrape_window
from evictwatch.jobs.scrape import scrape_courts
from pipeline.store import db
from pipeline.store.repo import Store
from scraper.courts import get_source
from tests.conftest import SIM_TODAY

CHROMIUM = "/usr/bin/chromium"
pytestmark = pytest.mark.browser


@pytest.fixture(scope="module", autouse=True)
def needs_chromium():
    if not Path(CHROMIUM).exists():
        pytest.fail("Debian's chromium is required at /usr/bin/chromium (bash scripts/test installs it)")


def config_for(base_url: str, browser_check: bool):
    return parse_config({
        "http": {"user_agent": "evictwatch-test (ops@example.org)"},
        "scrape": {"browser_check": browser_check, "chromium_path": CHROMIUM},
        "courts": [{"id": "alexandria", "source": "va-gdc", "fips": "510", "base_url": base_url,
                    "rate_limit_per_s": 50}],
    }, "test")


@pytest.fixture(params=[403])
def checked_sim(request):
    sim = get_source("va-gdc").simulator(seed=3, today=SIM_TODAY, browser_check=True,
                                         browser_check_status=request.param)
    running = sim.start(host="127.0.0.1", port=0)
    yield sim, running
    running.stop()


def test_plain_httpx_cannot_pass_the_check(checked_sim):
    _, running = checked_sim
    with httpx.Client(follow_redirects=True) as client:
        for _ in range(3):
            response = client.get(running.base_url + "landing.do")
            assert response.status_code == 403 and "Just a moment" in response.text


@pytest.mark.parametrize("checked_sim", [403, 503, 200], indirect=True)
def test_scrape_passes_the_check_with_chromium(checked_sim, tmp_path: Path):
    sim, running = checked_sim
    config = config_for(running.base_url, browser_check=True)
    engine = db.make_engine(f"sqlite:///{tmp_path / 'b.db'}")
    db.upgrade(engine)
    store = Store(engine)
    day = dt.date(2026, 11, 24)
    window = scrape_window(config, SIM_TODAY, day, day)
    [outcome] = asyncio.run(scrape_courts(config, store, config.courts, window))
    assert outcome.ok, outcome.error
    assert outcome.summary.browser_checks == 1
    truth = {r.case_number for r in sim.docket.truth("510", day, day)}
    assert truth and {r.case_number for r in store.iter_cases()} == truth


def test_check_is_a_clear_stop_when_the_browser_is_switched_off(checked_sim, tmp_path: Path):
    _, running = checked_sim
    config = config_for(running.base_url, browser_check=False)
    engine = db.make_engine(f"sqlite:///{tmp_path / 'b.db'}")
    db.upgrade(engine)
    day = dt.date(2026, 11, 24)
    [outcome] = asyncio.run(scrape_courts(config, Store(engine), config.courts,
                                          scrape_window(config, SIM_TODAY, day, day)))
    assert not outcome.ok and "browser check" in outcome.error
