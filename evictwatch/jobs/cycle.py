"""`evictwatch run`: one full cycle, under the run lock, recorded in the run log.

Scrape every enabled court (incremental after the first time), then what is due: the steps of
`evictwatch.steps`, in its order (each partner's weekly list once its send day and time have
come this week, the last full week's report, the urgent alerts, the operators' messages about
held deliveries, the health alarms …). Every step is idempotent, so a second run right after
does only re-checks and sends nothing twice.
"""

from __future__ import annotations

import datetime as dt
import logging
import os
import socket
from collections.abc import Callable, Sequence
from contextlib import nullcontext

from evictwatch.config import AppConfig
from evictwatch.jobs.cycle_state import (
    CONFIG_ERRORS,
    EXIT_CONFIG,
    EXIT_COURT_FAILED,
    EXIT_OK,
    CycleResult,
    local_now,
)
from evictwatch.jobs.cycle_steps import RUNNERS, StepContext
from evictwatch.jobs.scrape import safe_error
from evictwatch.steps import ALL_STEPS, STEPS, StepName
from notify.deliver import Outcome
from pipeline.store.faults import Fault, classify
from pipeline.store.locks import run_lock
from pipeline.store.repo import Store
from scraper.http import HostGovernor

log = logging.getLogger("evictwatch.run")


def run_cycle(config: AppConfig, store: Store, *, today: dt.date | None = None, trigger: str = "cli",
              steps: Sequence[str] = ALL_STEPS, progress: Callable[[str, int, int], None] | None = None,
              before_steps: Callable[[int], None] | None = None, governor: HostGovernor | None = None,
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
                   now: dt.datetime, *, progress: Callable[[str, int, int], None] | None = None,
                   governor: HostGovernor | None = None) -> CycleResult:
    """The steps of a started cycle (a distributed cycle's courts were scraped by their own
    tasks: `result.outcomes` holds what they found), then the run log's row closed."""
    step_errors = _steps(StepContext(config, store, result, day, now, progress, governor), steps)
    failed = [o for o in result.outcomes if not o.ok]
    config_broken = any(isinstance(exc, CONFIG_ERRORS) for _, exc in step_errors)
    result.exit_code = (EXIT_CONFIG if config_broken else EXIT_COURT_FAILED if failed or step_errors
                        else EXIT_OK)
    problems = [f"{o.court_id}: {o.error_kind}" for o in failed] + [
        f"{step}: {type(exc).__name__}: {safe_error(exc)}" for step, exc in step_errors]
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


def _steps(ctx: StepContext, steps: Sequence[str]) -> list[tuple[StepName, Exception]]:
    """Each step on its own: one that fails (a missing SMTP secret, a full disk) is recorded and
    the others still run; above all the alarms, which tell the operators, and retention."""
    errors: list[tuple[StepName, Exception]] = []
    for step in STEPS:
        if step.name not in steps and not step.always:
            continue
        try:
            RUNNERS[step.name](ctx)
        except Exception as exc:  # noqa: BLE001 - see the docstring
            errors.append((step.name, exc))
            log.error("step failed", extra={"step": step.name.value, "error": type(exc).__name__})
    return errors
