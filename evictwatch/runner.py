"""Wires the stages for one scrape: scraper -> pipeline -> store, one run-log row per court."""

from __future__ import annotations

import asyncio
import logging
import random
from collections.abc import Callable
from dataclasses import dataclass

from evictwatch.config import AppConfig, CourtConfig, ScrapeWindow
from pipeline.ingest import Ingest
from pipeline.store.repo import Store
from scraper.base import CourtSummary, CourtTarget, ScrapeContext, ScrapeSettings, get_source
from scraper.http import HostGovernor
from scraper.http_clock import Clock, RealClock
from scraper.http_policy import RetryPolicy
from scraper.ratelimit import SpacingRateLimiter
from scraper.records import RawPage

log = logging.getLogger(__name__)


@dataclass
class CourtOutcome:
    court_id: str
    summary: CourtSummary
    new: int = 0
    updated: int = 0
    unchanged: int = 0
    error: str | None = None

    @property
    def ok(self) -> bool:
        return self.error is None


def build_governor(config: AppConfig, clock: Clock | None = None, rng: random.Random | None = None) -> HostGovernor:
    clock = clock or RealClock()
    return HostGovernor(
        rate_limiter=SpacingRateLimiter(config.host_rates(), clock),
        max_concurrency_per_host=config.http.max_concurrency_per_host,
        clock=clock,
        retry=RetryPolicy(max_attempts=config.http.max_attempts, throttle_wait_s=config.http.throttle_wait_s),
        rng=rng,
    )


def settings_of(config: AppConfig) -> ScrapeSettings:
    return ScrapeSettings(
        user_agent=config.http.user_agent,
        timeout_s=config.http.timeout_s,
        max_layout_errors=config.scrape.max_layout_errors,
        browser_check=config.scrape.browser_check,
        chromium_path=config.scrape.chromium_path,
    )


async def scrape_courts(
    config: AppConfig,
    store: Store,
    courts: list[CourtConfig],
    window: ScrapeWindow,
    *,
    progress: Callable[[str, int, int], None] | None = None,
    governor: HostGovernor | None = None,
) -> list[CourtOutcome]:
    """Scrape the courts concurrently; their requests share each host's rate limit."""
    governor = governor or build_governor(config)
    jobs = [_scrape_court(config, store, court, window, governor, progress) for court in courts]
    return list(await asyncio.gather(*jobs))


async def _scrape_court(
    config: AppConfig,
    store: Store,
    court: CourtConfig,
    window: ScrapeWindow,
    governor: HostGovernor,
    progress: Callable[[str, int, int], None] | None,
) -> CourtOutcome:
    source = get_source(court.source)
    store.ensure_court(court.id, court.source, court.fips, court.base_url)
    run_id = store.start_run(court.id, window.since, window.until)
    ingest = Ingest(store)

    def archive(page: RawPage) -> None:
        ingest.archived(page, store.archive_page(page))

    ctx = ScrapeContext(governor=governor, settings=settings_of(config), archive=archive,
                        progress=progress or (lambda *_: None))
    target = CourtTarget(court_id=court.id, source=court.source, code=court.fips, base_url=court.base_url)
    scraper = source.scraper(target, ctx)
    outcome = CourtOutcome(court_id=court.id, summary=scraper.summary)
    try:
        async for record in scraper.cases(window.since, window.until):
            ingest.record(record)
    except Exception as exc:  # noqa: BLE001 - one court's failure must not stop the others
        outcome.error = f"{type(exc).__name__}: {exc}"
        log.error("court %s failed: %s", court.id, outcome.error)
    finally:
        await scraper.aclose()
    outcome.new, outcome.updated, outcome.unchanged = ingest.new, ingest.updated, ingest.unchanged
    summary = scraper.summary
    store.finish_run(
        run_id,
        outcome="ok" if outcome.ok else "failed",
        result_pages=summary.result_pages,
        detail_pages=summary.detail_pages,
        requests=summary.requests,
        retries=summary.retries,
        throttled=summary.throttled,
        cases_seen=summary.cases_yielded,
        new_cases=outcome.new,
        updated_cases=outcome.updated,
        unchanged_cases=outcome.unchanged,
        bad_case_numbers=summary.bad_case_numbers,
        layout_errors=len(summary.layout_errors),
        error_text=outcome.error,
    )
    return outcome
