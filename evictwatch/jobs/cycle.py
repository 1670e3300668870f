"""`evictwatch run`: one full cycle, under the run lock, recorded in the run log.

Scrape every enabled court (incremental after the first time), then what is due: each
partner's weekly list once its send day and time have come this week, the last full week's
report (written once; e-mailed once to the partners who receive it, on their day), the urgent
alerts, the operators' messages about held deliveries, and the health alarms. Every step is
idempotent, so a second run right after does only re-checks and sends nothing twice.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import logging
import os
import socket
from contextlib import nullcontext
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from zoneinfo import ZoneInfo

from evictwatch.config import AppConfig, PartnerConfig, scrape_window
from pipeline.store.locks import run_lock
from evictwatch.jobs.mail import iso_week
from notify.deliver import DeliveryResult, Outcome
from evictwatch.jobs.scrape import CourtOutcome, safe_error
from pipeline.store.faults import Fault, classify
from pipeline.store.repo import Store
from pipeline.store.runlog import AlarmRow

log = logging.getLogger("evictwatch.run")

ALL_STEPS = ("scrape", "erase", "lists", "report", "alerts", "watch", "recalls", "eligible", "docket", "calendar",
             "alarms", "retention")
EXIT_OK, EXIT_COURT_FAILED, EXIT_CONFIG, EXIT_LOCKED = 0, 1, 2, 3
# Errors a person fixes in the configuration or the environment: a run that meets one exits 2.
CONFIG_ERRORS = {"MissingSecretError", "OverridesError", "ConfigError"}
_DAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")


@dataclass
class CycleResult:
    run_id: int | None
    exit_code: int
    outcomes: list[CourtOutcome] = field(default_factory=list)
    sent: list[DeliveryResult] = field(default_factory=list)
    report_path: Path | None = None
    alarms: list[AlarmRow] = field(default_factory=list)
    abandoned: list[int] = field(default_factory=list)
    error: str | None = None
    given_day: bool = False  # run for a day given (--today): every court runs on it, not its own date


def local_now(config: AppConfig, today: dt.date | None) -> dt.datetime:
    """Now in the schedule's time zone; with a given day, the end of that day (all of it is due)."""
    zone = ZoneInfo(config.schedule.timezone)
    if today is None:
        return dt.datetime.now(zone)
    return dt.datetime.combine(today, dt.time(23, 59), tzinfo=zone)


def is_due(partner: PartnerConfig, now: dt.datetime) -> bool:
    """Whether this ISO week's send day and time have come for the partner (later days catch up)."""
    day = _DAYS.index(partner.send_day)
    hour, minute = (int(x) for x in partner.send_time.split(":"))
    return (now.weekday(), now.hour, now.minute) >= (day, hour, minute)


def due_at(partner: PartnerConfig, now: dt.datetime) -> dt.datetime:
    """When this ISO week's list became due: its send day and time, in `now`'s zone."""
    hour, minute = (int(x) for x in partner.send_time.split(":"))
    monday = now.date() - dt.timedelta(days=now.weekday())
    day = monday + dt.timedelta(days=_DAYS.index(partner.send_day))
    return dt.datetime.combine(day, dt.time(hour, minute), tzinfo=now.tzinfo)


def run_cycle(config: AppConfig, store: Store, *, today: dt.date | None = None, trigger: str = "cli",
              steps: Sequence[str] = ALL_STEPS, progress: Callable[[str, int, int], None] | None = None,
              before_steps: Callable[[int], None] | None = None, governor=None,
              lock: bool = True) -> CycleResult:
    """Raises RunLockHeld when another run holds the lock (nothing is done or recorded then).
    `governor`: the HTTP politeness layer (default: from the config; tests pass a faster one).
    `lock=False`: the caller already holds the run lock (it took it before upgrading the schema)."""
    now = local_now(config, today)
    day = now.date()
    runlog = store.runlog
    with run_lock(store) if lock else nullcontext():
        abandoned = runlog.abandon_unfinished()
        if abandoned:
            log.warning("closed runs left unfinished by a stopped process", extra={"runs": abandoned})
        run_id = runlog.start(day, trigger, os.getpid(), socket.gethostname())
        log.info("run started", extra={"run": run_id, "today": day.isoformat(), "steps": list(steps)})
        result = CycleResult(run_id, EXIT_OK, abandoned=abandoned, given_day=today is not None)
        if before_steps is not None:
            before_steps(run_id)
        return complete_cycle(config, store, result, steps, day, now, progress=progress, governor=governor)


def complete_cycle(config: AppConfig, store: Store, result: CycleResult, steps: Sequence[str], day: dt.date,
                   now: dt.datetime, *, progress=None, governor=None) -> CycleResult:
    """The steps of a started cycle (a distributed cycle's courts were scraped by their own
    tasks: `result.outcomes` holds what they found), then the run log's row closed."""
    step_errors = _steps(config, store, result, steps, day, now, progress, governor)
    failed = [o for o in result.outcomes if not o.ok]
    config_broken = any(kind in CONFIG_ERRORS for _, kind, _ in step_errors)
    result.exit_code = (EXIT_CONFIG if config_broken else EXIT_COURT_FAILED if failed or step_errors
                        else EXIT_OK)
    problems = [f"{o.court_id}: {o.error_kind}" for o in failed] + [f"{step}: {kind}: {text}"
                                                                  for step, kind, text in step_errors]
    undelivered = [r.outcome for r in result.sent if r.outcome.state == Outcome.FAILED]
    if undelivered:  # retried by the next run, but this one did not do what was due (a full disk, a refusal)
        problems.append(f"deliveries: {len(undelivered)} not sent, retried by the next run (first: "
                        f"{undelivered[0].key}: {undelivered[0].detail})")
        if result.exit_code == EXIT_OK:
            result.exit_code = EXIT_COURT_FAILED
    result.error = "; ".join(problems) or None
    _finish(store, result, "failed" if problems else "ok")
    log.info("run finished", extra={"run": result.run_id, "courts_failed": len(failed),
                                    "steps_failed": len(step_errors), "sent": _counts(result)["sent"]})
    return result


def _finish(store: Store, result: CycleResult, outcome: str) -> None:
    """The run log's row closed. A full disk may refuse the write: the WAL folded into the file
    may leave room for it; if not, the error goes up (the command says the disk is full) and the
    next run closes this one as abandoned."""
    try:
        store.runlog.finish(result.run_id, outcome, **_counts(result), error_text=result.error)
    except Exception as exc:
        if classify(exc) is not Fault.DISK_FULL:
            raise
        log.error("the run's end could not be recorded: the disk is full", extra={"run": result.run_id})
        store.checkpoint(attempts=1)
        store.runlog.finish(result.run_id, outcome, **_counts(result), error_text=result.error)


def _counts(result: CycleResult) -> dict[str, int]:
    return {"courts_ok": sum(o.ok for o in result.outcomes),
            "courts_failed": sum(not o.ok for o in result.outcomes),
            "sent": sum(r.outcome.state == Outcome.SENT for r in result.sent)}


def _steps(config: AppConfig, store: Store, result: CycleResult, steps: Sequence[str], day: dt.date,
           now: dt.datetime, progress, governor) -> list[tuple[str, str, str]]:
    """Each step on its own: one that fails (a missing SMTP secret, a full disk) is recorded and
    the others still run; above all the alarms, which tell the operators, and retention."""
    errors: list[tuple[str, str, str]] = []
    for step, action in _STEP_ACTIONS:
        if step not in steps and step != "held":
            continue
        try:
            action(config, store, result, day, now, progress, governor)
        except Exception as exc:  # noqa: BLE001 - see the docstring
            errors.append((step, type(exc).__name__, safe_error(exc)))
            log.error("step failed", extra={"step": step, "error": type(exc).__name__})
    return errors


def _scrape(config, store, result, day, now, progress, governor) -> None:
    from evictwatch.jobs.scrape import scrape_courts

    courts = [c for c in config.courts if c.enabled]
    # Each court's "today" is its own local date (a Texas court's day ends an hour after Virginia's).
    result.outcomes = asyncio.run(scrape_courts(config, store, courts, scrape_window(config, day),
                                                today=day if result.given_day else None, now=now,
                                                progress=progress, cycle_id=result.run_id, governor=governor))
    for o in result.outcomes:
        log.info("court scraped", extra={"court": o.court_id, "mode": o.mode, "new": o.new,
                                         "updated": o.updated, "error": o.error_kind})


def _erase(config, store, result, day, now, progress, governor) -> None:
    """Before anything is sent: the cases the law has erased by today go everywhere (those the
    scrape found gone from the court went already)."""
    from evictwatch.jobs.calendar import write_calendars
    from evictwatch.jobs.erasure import apply_erasures

    erased = apply_erasures(config, store, today=day, now=now)
    if not erased.erased.cases and any(o.erased is not None and o.erased.cases for o in result.outcomes):
        write_calendars(config, store, today=day)  # the feeds drop the vanished cases' events now

def _lists(config, store, result, day, now, progress, governor) -> None:
    from evictwatch.jobs.lists import incomplete_courts, send_weekly_lists
    from evictwatch.jobs.operators import period_digest, tell_operators
    from pipeline.store.ledger import DeliveryKey, DeliveryState

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


def _report(config, store, result, day, now, progress, governor) -> None:
    from evictwatch.jobs.report import make_report, send_weekly_reports
    from reports.render import report_filename

    week = iso_week(day - dt.timedelta(days=7))
    made = {}
    if not (config.reports_path() / report_filename(week, ())).exists():
        report, result.report_path = make_report(config, store, week, today=day)
        made[()] = (report, result.report_path)
    for partner in config.partners:
        if "weekly_report" in partner.receives and is_due(partner, now):
            result.sent += _logged(send_weekly_reports(config, store, week=week, today=day, partner_name=partner.name,
                                                       made=made))


def _alerts(config, store, result, day, now, progress, governor) -> None:
    from evictwatch.jobs.alerts import send_alerts

    result.sent += _logged(send_alerts(config, store, today=day))


def _watch(config, store, result, day, now, progress, governor) -> None:
    from evictwatch.jobs.watch import match_all
    from evictwatch.jobs.watch_digest import send_watch_digests

    match_all(config, store, now=now)
    result.sent += _logged(send_watch_digests(config, store, today=day))


def _recalls(config, store, result, day, now, progress, governor) -> None:
    from evictwatch.jobs.erasure import send_recalls

    result.sent += _logged(send_recalls(config, store, today=day))


def _eligible(config, store, result, day, now, progress, governor) -> None:
    from evictwatch.jobs.eligible import send_eligibility_lists

    result.sent += _logged(send_eligibility_lists(config, store, today=day))


def _docket(config, store, result, day, now, progress, governor) -> None:
    from evictwatch.jobs.docket import send_docket_sheets

    result.sent += _logged(send_docket_sheets(config, store, today=day, due_at=now))


def _calendar(config, store, result, day, now, progress, governor) -> None:
    from evictwatch.jobs.calendar import write_calendars

    for partner, events in write_calendars(config, store, today=day).items():
        log.info("calendar written", extra={"partner": partner, "events": events})


def _held(config, store, result, day, now, progress, governor) -> None:
    from evictwatch.jobs.operators import report_held

    report_held(config, store, store.ledger.unsettled())


def _alarms(config, store, result, day, now, progress, governor) -> None:
    from evictwatch.jobs.alarms import evaluate

    # The alarms' clock is the real one: a run for a simulated day still finishes now.
    result.alarms = evaluate(config, store, today=day, now=dt.datetime.now(dt.timezone.utc))
    for alarm in result.alarms:
        log.warning("alarm", extra={"alarm": alarm.key, "state": alarm.state})


def _retention(config, store, result, day, now, progress, governor) -> None:
    from evictwatch.jobs.retention import apply_retention

    apply_retention(config, store, today=day)


def _logged(results: list[DeliveryResult]) -> list[DeliveryResult]:
    for r in results:
        if r.outcome.state in (Outcome.SENT, Outcome.FAILED, Outcome.UNKNOWN):
            log.info("delivery", extra={"key": r.outcome.key, "state": r.outcome.state, "rows": r.rows})
    return results


_STEP_ACTIONS = [("scrape", _scrape), ("erase", _erase), ("lists", _lists), ("report", _report), ("alerts", _alerts), ("watch", _watch),
                 ("recalls", _recalls), ("eligible", _eligible), ("docket", _docket),
                 ("calendar", _calendar),
                 ("held", _held), ("alarms", _alarms), ("retention", _retention)]
