"""The Odyssey adapter for real: the system Chromium through Playwright against the bundled
simulator on 127.0.0.1 - every case field by field, the cap split, the CAPTCHA stop, faults,
re-checks by number, and every request the browser made counted and taken its turn."""

from __future__ import annotations

import asyncio
import datetime as dt
from pathlib import Path

import pytest

from evictwatch.config import parse_config, scrape_window
from evictwatch.jobs.scrape import scrape_courts, settings_of
from pipeline.store import db
from pipeline.store.repo import Store
from scraper.base import Court, ScrapeContext
from scraper.courts import get_source
from scraper.courts.tyler_odyssey.scrape import OdysseyScraper
from tests.test_integration_sim import fast_governor

TODAY = dt.date(2026, 11, 27)  # a Friday
COURT = "travis-jp5"
PRECINCT = frozenset({5})  # Precinct Five: ~5 eviction filings a week, a quick walk


@pytest.fixture
def sim():
    simulator = get_source("tyler-odyssey").simulator(seed=3, today=TODAY, result_cap=20)
    running = simulator.start()
    try:
        yield simulator, running
    finally:
        running.stop()


def config_for(base_url: str, code: str = "Precinct Five"):
    return parse_config({
        "http": {"user_agent": "evictwatch-test (ops@example.org)", "throttle_wait_s": 0.05, "timeout_s": 20},
        "scrape": {"browser_check": False, "window": {"look_back_days": 7, "look_ahead_days": 14}},
        "courts": [{"id": COURT, "source": "tyler-odyssey", "code": code, "base_url": base_url}],
    }, "test")


def scrape(config, store, today=TODAY, full=True):
    return asyncio.run(scrape_courts(config, store, config.courts, scrape_window(config, today), today=today,
                                     full=full, governor=fast_governor(config)))


def store_at(tmp_path: Path) -> Store:
    engine = db.make_engine(f"sqlite:///{tmp_path / 'o.db'}")
    db.upgrade(engine)
    return Store(engine)


def scrape_with_faults(sim, tmp_path: Path, faults: str):
    from scraper.courts.tyler_odyssey.sim import FaultSpec

    simulator, running = sim
    simulator.set_faults(FaultSpec.parse(faults))
    store = store_at(tmp_path)
    [outcome] = scrape(config_for(running.base_url), store)
    return store, outcome


def truth(simulator, today=TODAY):
    return {r.case_number: r for r in simulator.docket.truth(today - dt.timedelta(days=7),
                                                             today + dt.timedelta(days=14), PRECINCT, COURT)}


def test_every_case_field_by_field_the_cap_split_and_every_request_counted(sim, tmp_path):
    simulator, running = sim
    store = store_at(tmp_path)
    [outcome] = scrape(config_for(running.base_url), store)
    assert outcome.ok, outcome.error
    expected = truth(simulator)
    stored = {r.case_number: r for r in store.iter_cases(court_id=COURT)}
    assert len(expected) >= 10 and stored == expected  # every field, as the registers read today
    # 21 days of Precinct Five's calendar hold more than the cap of 20 settings: split until each fits.
    calendar = [s for s in simulator.app.searches if "DateSettingOnAfter" in s]
    assert len(calendar) >= 3 and all(s["SearchBy"] == "5" for s in calendar)
    assert not any(box in s for s in calendar for box in ("chkDtRangeCriminal", "chkDtRangeFamily",
                                                          "chkDtRangeProbate"))  # civil only
    # What reached the court is what was counted; images, fonts, styles and analytics never went.
    assert outcome.summary.requests == simulator.stats.requests
    assert not any(path.startswith(("Images/", "CSS/")) for path in simulator.stats.by_path)
    assert simulator.stats.refused_posts == 0 and outcome.summary.other_rows > 0
    # A second run the same day: nothing new, nothing changed.
    [again] = scrape(config_for(running.base_url), store, full=False)
    assert again.ok and (again.new, again.updated) == (0, 0)
    # The raw archive rebuilds every case without the network.
    from evictwatch.jobs.rebuild import reparse_archive

    rebuilt = reparse_archive(store, today=TODAY)
    assert not rebuilt.errors and rebuilt.pages == len(expected) == rebuilt.unchanged


def test_a_captcha_stops_the_court_and_is_never_answered(sim, tmp_path):
    simulator, running = sim
    store, outcome = scrape_with_faults(sim, tmp_path, "gate=1")
    assert not outcome.ok and outcome.error_kind == "GateError" and "CAPTCHA" in outcome.error
    assert simulator.stats.captchas == 1 and "Captcha.aspx" not in simulator.stats.by_path
    assert store.table_counts()["cases"] == 0
    # The operators' gate alarm for this court, as for a Virginia verification code.
    from evictwatch.jobs.alarms import evaluate

    config = config_for(running.base_url)
    changes = evaluate(config, store, today=TODAY, now=dt.datetime(2026, 11, 27, 12, tzinfo=dt.timezone.utc))
    assert [(a.kind, a.court_id, a.state) for a in changes if a.kind == "gate"] == [("gate", COURT, "raised")]


def test_faults_lose_nothing(sim, tmp_path):
    simulator, _ = sim
    store, outcome = scrape_with_faults(sim, tmp_path, "5xx=0.1,drop=0.05,truncate=0.1")
    assert outcome.ok, outcome.error
    assert simulator.stats.faults_injected > 0 and outcome.summary.retries > 0
    assert {r.case_number: r for r in store.iter_cases()} == truth(simulator)


def test_a_changed_register_is_a_layout_error_never_empty_data(sim, tmp_path):
    store, outcome = scrape_with_faults(sim, tmp_path, "layout=party-title")
    assert not outcome.ok and outcome.error_kind == "LayoutError" and "Party Information" in outcome.error
    assert store.table_counts()["cases"] == 0
    assert store.table_counts()["raw_pages"] > 0  # kept for the operator and a later reparse


def test_a_renamed_search_control_is_a_layout_error_at_once(sim, tmp_path):
    store, outcome = scrape_with_faults(sim, tmp_path, "layout=search-form")
    assert not outcome.ok and outcome.error_kind == "LayoutError" and "#DateRange" in outcome.error


def test_lookups_by_number_and_registers_read_in_the_browser_agree(sim):
    simulator, running = sim
    config = config_for(running.base_url)
    pages = []
    target = Court(COURT, get_source("tyler-odyssey"), "Precinct Five", running.base_url)
    wanted = sorted(truth(simulator))[:3]

    async def run(over_http: bool):
        ctx = ScrapeContext(governor=fast_governor(config), settings=settings_of(config), archive=pages.append)
        scraper = OdysseyScraper(target, ctx, details_over_http=over_http)
        try:
            found = [await scraper.case(n) for n in wanted]
            missing = await scraper.case("J5-CV-26-999999")
        finally:
            await scraper.aclose()
        return found, missing, scraper

    over_http, none_http, http_scraper = asyncio.run(run(True))
    in_browser, none_browser, browser_scraper = asyncio.run(run(False))
    expected = [simulator.docket.record(n, COURT) for n in wanted]
    assert over_http == in_browser == expected and none_http is none_browser is None
    assert http_scraper.fallbacks == 0 and browser_scraper.browser.blocked > 0
    assert {p.kind for p in pages} >= {"case_detail", "results", "no_results"}


def test_a_register_that_shows_another_case_is_read_again_in_the_browser(sim):
    simulator, running = sim
    config = config_for(running.base_url)
    target = Court(COURT, get_source("tyler-odyssey"), "Precinct Five", running.base_url)
    first, number = sorted(truth(simulator))[:2]
    other = simulator.docket.facts(first)

    async def run():
        import httpx

        from scraper.courts.tyler_odyssey.sim.detail import detail_page

        ctx = ScrapeContext(governor=fast_governor(config), settings=settings_of(config), archive=lambda page: None)
        scraper = OdysseyScraper(target, ctx)
        try:
            await scraper.case(first)  # the session is made, and the httpx client with its cookies

            async def another_case(url, **kwargs):  # as a portal that shows "the case held in the session"
                return httpx.Response(200, text=detail_page(other, TODAY, "none"))

            scraper.http.get = another_case
            return await scraper.case(number), scraper.fallbacks
        finally:
            await scraper.aclose()

    record, fallbacks = asyncio.run(run())
    assert record == simulator.docket.record(number, COURT) and fallbacks == 1


def test_an_expired_session_is_renewed_and_the_case_listed_again(sim):
    simulator, running = sim
    config = config_for(running.base_url)
    target = Court(COURT, get_source("tyler-odyssey"), "Precinct Five", running.base_url)
    first, number = sorted(truth(simulator))[:2]

    async def run():
        ctx = ScrapeContext(governor=fast_governor(config), settings=settings_of(config), archive=lambda page: None)
        scraper = OdysseyScraper(target, ctx)
        try:
            await scraper.case(first)
            simulator.app._sessions.clear()  # the portal forgets every session (as after idling)
            return await scraper.case(number), scraper.summary.session_renewals
        finally:
            await scraper.aclose()

    record, renewals = asyncio.run(run())
    assert record == simulator.docket.record(number, COURT) and renewals >= 1


def test_parse_prints_a_saved_register_in_the_export_schema():
    import json

    from typer.testing import CliRunner

    from evictwatch.commands.app import app

    page = Path(__file__).parent / "golden" / "tyler-odyssey" / "hand-detail-appeal-several-hearings.html"
    result = CliRunner().invoke(app, ["parse", "tyler-odyssey", str(page)])
    assert result.exit_code == 0, result.output
    case = json.loads(result.stdout)
    assert case["case_number"] == "J3-CV-25-004417" and case["court"] is None
    assert [h["time"] for h in case["hearings"]] == ["09:00", "13:30"]
    assert case["hearings"][1]["judicial_officer"] == "Ramos, Teresa"
    assert case["judgment"]["judgment"] == "Plaintiff" and case["judgment"]["principal"] == "3215.00"
    assert case["defendants"][1] == {"name": "Sample, Jordan", "address": None, "attorney": None}
    assert case["appeal"] == {"appeal_date": "2025-04-04", "appealed_by": None}


def test_a_location_the_portal_does_not_offer_is_a_layout_error_naming_the_key(sim, tmp_path):
    _, running = sim
    store = store_at(tmp_path)
    [outcome] = scrape(config_for(running.base_url, code="Precinct Nine"), store)
    assert not outcome.ok and outcome.error_kind == "LayoutError"
    assert "Precinct Nine" in outcome.error and "courts[].code" in outcome.error
    with store.engine.connect() as conn:
        kinds = {kind for (kind,) in conn.exec_driver_sql("SELECT kind FROM raw_pages")}
    assert {"failure_page", "failure_screenshot"} <= kinds  # what the browser showed, for the operator
