"""What each of the run's steps does (the table of steps is `evictwatch.steps`): each takes the
cycle's one `StepContext` and adds what it did to the cycle's result."""

from __future__ import annotations

import asyncio
import datetime as dt
import logging
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from evictwatch.config import AppConfig, scrape_window
from evictwatch.jobs.alarms import evaluate
from evictwatch.jobs.alerts import send_alerts
from evictwatch.jobs.calendar import write_calendars
from evictwatch.jobs.cycle_state import CycleResult, due_at, is_due
from evictwatch.jobs.docket import send_docket_sheets
from evictwatch.jobs.eligible import send_eligibility_lists
from evictwatch.jobs.erasure import apply_erasures, apply_retention, send_recalls
from evictwatch.jobs.lists import incomplete_courts, send_weekly_lists
from evictwatch.jobs.mail import iso_week
from evictwatch.jobs.operators import period_digest, report_held, tell_operators
from evictwatch.jobs.report import make_report, send_weekly_reports
from evictwatch.jobs.court_lists import refresh_court_lists
from evictwatch.jobs.scrape import scrape_courts
from evictwatch.jobs.watch import match_all
from evictwatch.jobs.watch_digest import send_watch_digests
from evictwatch.steps import STEPS, StepName
from notify.deliver import DeliveryResult, Outcome
from pipeline.store.ledger import DeliveryKey, DeliveryState
from pipeline.store.repo import Store
from reports.render import report_filename
from scraper.http import HostGovernor

log = logging.getLogger("evictwatch.run")


@dataclass
class StepContext:
    """One cycle as its steps see it: `day` and `now` in the schedule's zone; `governor` the
    polite client's (None: made from the configuration by the scrape)."""

    config: AppConfig
    store: Store
    result: CycleResult
    day: dt.date
    now: dt.datetime
    progress: Callable[[str, int, int], None] | None = None
    governor: HostGovernor | None = None


def _scrape(ctx: StepContext) -> None:
    config, store, result, day, now = ctx.config, ctx.store, ctx.result, ctx.day, ctx.now

    async def scrape() -> list:
        unlisted = await refresh_court_lists(config, store, day, governor=ctx.governor)
        courts = [c for c in config.courts if c.enabled]
        # Each court's "today" is its own local date (a Texas court's day ends an hour after Virginia's).
        return unlisted + await scrape_courts(config, store, courts, scrape_window(config, day),
                                              today=day if result.given_day else None, now=now,
                                              progress=ctx.progress, cycle_id=result.run_id, governor=ctx.governor)

    result.outcomes = asyncio.run(scrape())
    for o in result.outcomes:
        log.info("court scraped", extra={"court": o.court_id, "mode": o.mode, "new": o.new,
                                         "updated": o.updated, "deferred": o.deferred, "error": o.error_kind})


def _erase(ctx: StepContext) -> None:
    """Before anything is sent: the cases the law has erased by today go everywhere (those the
    scrape found gone from the court went already)."""
    config, store, result, day, now = ctx.config, ctx.store, ctx.result, ctx.day, ctx.now
    erased = apply_erasures(config, store, today=day, now=now)
    if not erased.erased.cases and any(o.erased is not None and o.erased.cases for o in result.outcomes):
        write_calendars(config, store, today=day)  # the feeds drop the vanished cases' events now

def _lists(ctx: StepContext) -> None:
    config, store, result, day, now = ctx.config, ctx.store, ctx.result, ctx.day, ctx.now
    failed = {o.court_id for o in result.outcomes if not o.ok}
    week = iso_week(day)
    for partner in config.partners:
        if "weekly_list" not in partner.receives or not is_due(partner, now):
            continue
        missing = incomplete_courts(config, partner, failed)
        sent = store.ledger.get(DeliveryKey(partner.name, "weekly_list", week))
        if missing and not (sent is not None and sent.state == DeliveryState.SENT):
            if now < due_at(partner, now) + dt.timedelta(hours=config.notify.incomplete_wait_hours):
                # A list from a failed scrape would miss cases, silently: it waits for a good run.
                log.warning("weekly list waits for a court's data", extra={"partner": partner.name,
                                                                          "courts": missing})
                continue
        results = send_weekly_lists(config, store, week=week, partner_name=partner.name, incomplete=missing,
                                    today=day)
        result.sent += _logged(results)
        if missing and any(r.outcome.state == Outcome.SENT for r in results):
            tell_operators(config, store, topic="incomplete_list", period=f"{week}-{period_digest(partner.name)}",
                           subject=f"weekly list sent incomplete: {partner.name}",
                           lines=[f"The weekly list {week} for {partner.name} went out after waiting "
                                  f"{config.notify.incomplete_wait_hours} h, with a banner: the last scrape of "
                                  f"{', '.join(missing)} failed, so cases from there may be missing.",
                                  "`evictwatch status` shows why the court failed."])


def _report(ctx: StepContext) -> None:
    config, store, result, day, now = ctx.config, ctx.store, ctx.result, ctx.day, ctx.now
    week = iso_week(day - dt.timedelta(days=7))
    made = {}
    if not (config.reports_path() / report_filename(week, ())).exists():
        report, result.report_path = make_report(config, store, week, today=day)
        made[()] = (report, result.report_path)
    for partner in config.partners:
        if "weekly_report" in partner.receives and is_due(partner, now):
            result.sent += _logged(send_weekly_reports(config, store, week=week, today=day, partner_name=partner.name,
                                                       made=made))


def _alerts(ctx: StepContext) -> None:
    config, store, result, day = ctx.config, ctx.store, ctx.result, ctx.day
    result.sent += _logged(send_alerts(config, store, today=day))


def _watch(ctx: StepContext) -> None:
    config, store, result, day, now = ctx.config, ctx.store, ctx.result, ctx.day, ctx.now
    match_all(config, store, now=now)
    result.sent += _logged(send_watch_digests(config, store, today=day))


def _recalls(ctx: StepContext) -> None:
    config, store, result, day = ctx.config, ctx.store, ctx.result, ctx.day
    result.sent += _logged(send_recalls(config, store, today=day))


def _eligible(ctx: StepContext) -> None:
    config, store, result, day = ctx.config, ctx.store, ctx.result, ctx.day
    result.sent += _logged(send_eligibility_lists(config, store, today=day))


def _docket(ctx: StepContext) -> None:
    config, store, result, day, now = ctx.config, ctx.store, ctx.result, ctx.day, ctx.now
    result.sent += _logged(send_docket_sheets(config, store, today=day, due_at=now))


def _calendar(ctx: StepContext) -> None:
    config, store, day = ctx.config, ctx.store, ctx.day
    for partner, events in write_calendars(config, store, today=day).items():
        log.info("calendar written", extra={"partner": partner, "events": events})


def _held(ctx: StepContext) -> None:
    report_held(ctx.config, ctx.store, ctx.store.ledger.unsettled())


def _alarms(ctx: StepContext) -> None:
    config, store, result, day = ctx.config, ctx.store, ctx.result, ctx.day
    # The alarms' clock is the real one: a run for a simulated day still finishes now.
    result.alarms = evaluate(config, store, today=day, now=dt.datetime.now(dt.timezone.utc))
    for alarm in result.alarms:
        log.warning("alarm", extra={"alarm": alarm.key, "state": alarm.state})


def _retention(ctx: StepContext) -> None:
    config, store, day = ctx.config, ctx.store, ctx.day
    apply_retention(config, store, today=day)


def _logged(results: list[DeliveryResult]) -> list[DeliveryResult]:
    for r in results:
        if r.outcome.state in (Outcome.SENT, Outcome.FAILED, Outcome.UNKNOWN):
            log.info("delivery", extra={"key": r.outcome.key, "state": r.outcome.state, "rows": r.rows})
    return results


RUNNERS: dict[StepName, Callable[[StepContext], Any]] = {
    StepName.SCRAPE: _scrape, StepName.ERASE: _erase, StepName.LISTS: _lists, StepName.REPORT: _report,
    StepName.ALERTS: _alerts, StepName.WATCH: _watch, StepName.RECALLS: _recalls, StepName.ELIGIBLE: _eligible,
    StepName.DOCKET: _docket, StepName.CALENDAR: _calendar, StepName.HELD: _held, StepName.ALARMS: _alarms,
    StepName.RETENTION: _retention,
}
if set(RUNNERS) != {s.name for s in STEPS}:  # pragma: no cover - a step declared without its work, or the reverse
    raise RuntimeError(f"steps without a runner or runners without a step: {set(RUNNERS) ^ {s.name for s in STEPS}}")
