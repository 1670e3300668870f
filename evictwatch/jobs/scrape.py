"""Wires the stages for one scrape: scraper -> pipeline -> store, one run-log row per court."""

from __future__ import annotations

import asyncio
import datetime as dt
import logging
import random
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy.exc import StatementError

from evictwatch.config import AppConfig, CourtConfig, ScrapeWindow
from evictwatch.jobs.erasure import erase_with_files
from evictwatch.jobs.watch import watched_numbers
from pipeline.erasure import vanished
from pipeline.ingest import Ingest, refresh_landlords
from pipeline.ingest_writer import IngestWriter
from pipeline.landlords import LandlordOverrides, load_overrides
from pipeline.hostplan import HostPlan
from pipeline.plan import Plan, RecheckRules, plan_court
from pipeline.plan_hosts import CourtWork, HostBudget, done_keys, plan_courts_of_host
from pipeline.store.hostbudget import SharedRateLimiter
from pipeline.store.repo import Store
from scraper.base import CourtSummary, ScrapeContext, ScrapeSettings
from scraper.http import HostGovernor
from scraper.http_adapt import AdaptiveRates, HostRate
from scraper.http_clock import Clock, RealClock
from scraper.http_policy import RetryPolicy
from scraper.ratelimit import SpacingRateLimiter, host_of

log = logging.getLogger(__name__)


@dataclass
class CourtOutcome:
    court_id: str
    summary: CourtSummary
    new: int = 0
    updated: int = 0
    unchanged: int = 0
    events: int = 0
    unknown_values: int = 0
    mode: str = "full"
    due: int = 0  # cases the plan asked to look at again
    full_requests: int | None = None  # the last full scrape's requests, for comparison
    error: str | None = None
    error_kind: str | None = None  # the exception's class name (LayoutError, GateError, ...)
    run_id: int | None = None  # its row in the run log
    erased: Any = None  # pipeline.store.erasure.erase.Erased: closed cases the portal no longer has, erased (vanished)
    not_kept: int = 0  # sightings of cases the law had erased: only their anonymous figures kept, pages deleted
    rate: HostRate | None = None  # the court host's request rate as the scrape left it
    deferred: int = 0  # its hearing dates and cases the host's budget left for a later run

    @property
    def ok(self) -> bool:
        return self.error is None


def safe_error(exc: BaseException) -> str:
    """An error's text fit for logs, the run log and operator mail: a database error's driver
    message without its SQL parameters (they can hold names), anything else on one line."""

    text = str(exc.orig) if isinstance(exc, StatementError) and exc.orig is not None else str(exc)
    return text.splitlines()[0][:500] if text.strip() else type(exc).__name__


def court_today(court: CourtConfig, now: dt.datetime | None = None) -> dt.date:
    """Today where the court sits: what is past and what is upcoming is the court's local date."""
    zone = ZoneInfo(court.zone)
    return now.astimezone(zone).date() if now is not None else dt.datetime.now(zone).date()


def governor_for(config: AppConfig, store: Store) -> HostGovernor:
    """The polite client's governor for this deployment's scrapes, starting each host where it was
    left: on a rate limit of this process's own, or in the distributed mode on the host budget every
    worker shares through the store."""
    shared = store.url if config.run_mode == "distributed" else None
    return build_governor(config, learned=store.host_rates.learned(), shared_url=shared)


def build_governor(config: AppConfig, clock: Clock | None = None, rng: random.Random | None = None,
                   host_rates: dict[str, float] | None = None, learned: dict[str, float] | None = None,
                   shared_url: str | None = None) -> HostGovernor:
    """`host_rates`: requests/s per host instead of the config's (only for our own simulators);
    `learned`: where a host that allowed less than configured was left (it starts there);
    `shared_url`: a PostgreSQL database whose host budget every worker shares (distributed mode)."""
    clock = clock or RealClock()
    rates = host_rates if host_rates is not None else config.host_rates()
    margin = config.http.window_margin_ms / 1000
    retry = RetryPolicy(max_attempts=config.http.max_attempts, throttle_wait_s=config.http.throttle_wait_s)
    if shared_url is not None:

        # A lease is held from before its request's turn to its answer: it outlives the longest
        # hold a host can ask for, and a redirect's two timeouts. (A dead worker's lease blocks
        # one of the host's slots that long.)
        limiter = SharedRateLimiter(shared_url, rates, margin_s=margin,
                                    max_concurrency_per_host=config.http.max_concurrency_per_host,
                                    lease_s=retry.retry_after_max_s + 2 * config.http.timeout_s + 5.0, clock=clock)
    else:
        limiter = SpacingRateLimiter(rates, clock, margin_s=margin)
    return HostGovernor(
        rate_limiter=limiter,
        max_concurrency_per_host=config.http.max_concurrency_per_host,
        clock=clock,
        retry=retry,
        rng=rng,
        adaptive=AdaptiveRates(limiter, rates, learned),
    )


def settings_of(config: AppConfig) -> ScrapeSettings:
    return ScrapeSettings(
        user_agent=config.http.user_agent,
        timeout_s=config.http.timeout_s,
        max_layout_errors=config.scrape.max_layout_errors,
        browser_check=config.scrape.browser_check,
        chromium_path=config.scrape.chromium_path,
        max_page_bytes=config.scrape.max_page_bytes,
        max_grid_rows=config.scrape.max_grid_rows,
    )


async def scrape_courts(
    config: AppConfig,
    store: Store,
    courts: list[CourtConfig],
    window: ScrapeWindow,
    *,
    today: dt.date | None = None,
    full: bool = False,
    progress: Callable[[str, int, int], None] | None = None,
    governor: HostGovernor | None = None,
    cycle_id: int | None = None,
    now: dt.datetime | None = None,
    regroup: bool = True,
) -> list[CourtOutcome]:
    """Scrape the courts concurrently (their requests share each host's rate limit), then
    regroup landlords over everything stored (`regroup=False`: the caller does it once, after
    several scrapes). `today`: the day for every court; None: each court's own local date at
    `now` (default: the present moment)."""
    host_rates = store.host_rates
    governor = governor or governor_for(config, store)
    overrides = load_overrides(config.overrides_path())
    todays = {court.id: today or court_today(court, now) for court in courts}
    plans = {court.id: _court_plan(config, store, court, window, todays[court.id], full) for court in courts}
    # A scrape asked for by hand (--full, --since/--until) walks all it was asked to; a run spends
    # each host's daily budget on the most urgent work of all its courts.
    host_plans = {} if full else plan_hosts(config, store, courts, plans, todays)
    works = {court_id: work for _, by_court in host_plans.values() for court_id, work in by_court.items()}
    jobs = [_scrape_court(config, store, court, plans[court.id], works.get(court.id), todays[court.id], overrides,
                          governor, progress, cycle_id)
            for court in courts]
    outcomes = list(await asyncio.gather(*jobs))
    if any(o.not_kept or (o.erased is not None and o.erased.cases) for o in outcomes):
        store.scrub()
    if governor.adaptive is not None:
        rates = {rate.host: rate for rate in governor.adaptive.rates()}
        for outcome, court in zip(outcomes, courts):
            outcome.rate = rates.get(host_of(court.base_url))
        try:
            host_rates.save(rates.values())
        except Exception as exc:  # noqa: BLE001 - the next run starts at the configured rate, that is all
            log.warning("could not keep the hosts' learned rates: %s", safe_error(exc))
    if not regroup:
        return outcomes
    try:
        refresh_landlords(store, overrides, config.pipeline.landlord_match_threshold)
    except Exception as exc:  # noqa: BLE001 - the cases are stored; the next run regroups them
        for outcome in outcomes:
            _failed(outcome, exc)
    return outcomes


def _court_plan(config: AppConfig, store: Store, court: CourtConfig, window: ScrapeWindow, today: dt.date,
                full: bool) -> Plan:
    configured = court.court
    store.ensure_court(configured)
    watched = watched_numbers(config, store, court.id, configured.adapter.is_case_number)
    return plan_court(store, court.id, window.since, window.until, today, _rules(config), full=full, watched=watched)


def plan_hosts(config: AppConfig, store: Store, courts: list[CourtConfig], plans: dict[str, Plan],
               todays: dict[str, dt.date]) -> dict[str, tuple[HostPlan, dict[str, CourtWork]]]:
    """Each host's courts planned together within its budget (pipeline.plan_hosts)."""
    rates = config.host_rates()
    hosts: dict[str, list[str]] = {}
    for court in courts:
        hosts.setdefault(host_of(court.base_url), []).append(court.id)
    planned = {}
    for host, ids in hosts.items():
        budget = HostBudget(rates[host], config.scrape.daily_budget_share, config.scrape.cold_start_share)
        on_host = [c.id for c in config.courts if host_of(c.base_url) == host]  # all of them spend its budget
        planned[host] = plan_courts_of_host(store, host, {i: plans[i] for i in ids}, {i: todays[i] for i in ids},
                                            budget, on_host)
        if planned[host][0].deferred:
            log.info("host budget: work deferred", extra={"host": host, "deferred": len(planned[host][0].deferred),
                                                          "spent": planned[host][0].spent})
    return planned


async def _scrape_court(
    config: AppConfig,
    store: Store,
    court: CourtConfig,
    plan: Plan,
    work: CourtWork | None,
    today: dt.date,
    overrides: LandlordOverrides,
    governor: HostGovernor,
    progress: Callable[[str, int, int], None] | None,
    cycle_id: int | None = None,
) -> CourtOutcome:

    configured = court.court
    if work is not None:
        plan = work.plan  # only the cases chosen within the host's budget
        if work.idle:  # all of its work waits for a later run: nothing asked, no run recorded
            return CourtOutcome(court_id=court.id, summary=CourtSummary(court_id=court.id), mode="deferred",
                                deferred=work.deferred)
    # The hearing dates to walk: those chosen, as ranges (all of them when nothing waits). A court
    # with only cases to open walks today's list with them.
    ranges = (work.ranges or [(today, today)]) if work is not None else [(plan.list_since, plan.list_until)]
    # An empty list is a layout change only over a whole window: a few days of a small court may list none.
    whole = work is None or (work.ranges == [(plan.list_since, plan.list_until)])
    run_id = store.start_run(court.id, ranges[0][0], ranges[-1][1], plan.mode, as_of=today, cycle_id=cycle_id)
    ingest = Ingest(store, today=today, timezone=configured.zone, vocabulary=configured.vocabulary,
                    overrides=overrides, fuzzy_threshold=config.pipeline.landlord_match_threshold, law=configured.law)
    full_requests = store.last_full_run_requests(court.id)

    writer = IngestWriter(store, ingest, name=f"ingest {court.id}")
    ctx = ScrapeContext(governor=governor, settings=settings_of(config), archive=writer.page,
                        progress=progress or (lambda *_: None))
    scraper = configured.scraper(ctx)
    outcome = CourtOutcome(court_id=court.id, summary=scraper.summary, mode=plan.mode, due=len(plan.due),
                           full_requests=full_requests, run_id=run_id,
                           deferred=work.deferred if work is not None else 0)
    seen: set[str] = set()
    if not whole and hasattr(scraper, "empty_window_expected"):
        scraper.empty_window_expected = True
    try:
        for index, (since, until) in enumerate(ranges):
            also = plan.due if index == len(ranges) - 1 else ()
            async for record in scraper.cases(since, until, wanted=plan.wants, also=also):
                seen.add(record.case_number)
                writer.record(record)
    except Exception as exc:  # noqa: BLE001 - one court's failure must not stop the others
        _failed(outcome, exc)
    finally:
        await scraper.aclose()
        try:
            await writer.close()  # what was read before a failure is kept
        except Exception as exc:  # noqa: BLE001 - a full disk, a lost database: the next run re-reads it
            _failed(outcome, exc)
    outcome.new, outcome.updated, outcome.unchanged = ingest.new, ingest.updated, ingest.unchanged
    outcome.events, outcome.unknown_values = ingest.events, sum(ingest.unknown_values.values())
    outcome.not_kept = ingest.not_kept_total
    # Every case looked up by number answers whether it is still at the court (presence checks
    # of closed cases, and the re-checks of open ones: an open case can be expunged or sealed too).
    checked = [number for number in plan.due if number in plan.known]
    if checked and outcome.ok:  # a scrape that failed answers nothing about what is still there
        try:
            gone = vanished(store, court.id, today, asked=checked, found=seen, absent=scraper.summary.not_found)
            if gone:
                # Scrubbed once, when every court is done: a rebuild of the file waits for no writer.
                outcome.erased, _ = erase_with_files(config, store, gone, "vanished", today=today, scrub_now=False)
        except Exception as exc:  # noqa: BLE001 - the cases stay; the next check asks again
            _failed(outcome, exc)
    try:
        _finish(store, run_id, outcome, scraper.summary, plan)
        if outcome.ok and work is not None:
            store.deferred.done(court.id, done_keys(work))  # done: it waits no more
    except Exception as exc:  # noqa: BLE001 - the next command taking the run lock closes the run
        _failed(outcome, exc)
    return outcome


def _failed(outcome: CourtOutcome, exc: Exception) -> None:
    if outcome.error is None:
        outcome.error, outcome.error_kind = f"{type(exc).__name__}: {safe_error(exc)}", type(exc).__name__
    log.error("court %s failed: %s", outcome.court_id, f"{type(exc).__name__}: {safe_error(exc)}")


def _finish(store: Store, run_id: int, outcome: CourtOutcome, summary, plan) -> None:
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
        error_kind=outcome.error_kind,
        rechecked=len(plan.due),
        days_walked=summary.days_walked,
        unknown_values=outcome.unknown_values + sum(summary.unknown_fields.values()),
    )


def _rules(config: AppConfig) -> RecheckRules:
    r = config.pipeline.recheck
    return RecheckRules(recent_days=r.recent_days, upcoming_days=r.upcoming_days,
                        judgment_days=r.judgment_days, writ_days=r.writ_days, appeal_days=r.appeal_days,
                        satisfaction_days=r.satisfaction_days, vanish_days=config.retention.vanish_check_days)
