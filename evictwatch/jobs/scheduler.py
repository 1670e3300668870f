"""`evictwatch scheduler`: APScheduler 3 jobs from config.yaml, calling the same code as `evictwatch run`.

Jobs have stable ids (scrape, weekly, alerts, docket) and live in the database's job store, so a
restart keeps their state; they are re-registered from the config at every start (a changed
cron line takes effect). Missed firings are coalesced into one, run if no later than the
grace period; one instance of a job at a time, and the run lock keeps any two jobs (or a
cron `evictwatch run`) from overlapping.
"""

from __future__ import annotations

import datetime as dt
import logging
import os
import signal
import threading
from collections.abc import Callable
from pathlib import Path
from zoneinfo import ZoneInfo

from apscheduler.schedulers.background import BackgroundScheduler
from apscheduler.triggers.cron import CronTrigger

from evictwatch.config import AppConfig, ConfigError, load_config
from evictwatch.jobs.cycle import run_cycle
from evictwatch.jobs.cycle_state import CONFIG_ERRORS, EXIT_CONFIG, EXIT_LOCKED
from evictwatch.jobs.rebuild import backfill_derivations
from evictwatch.jobs.scrape import safe_error
from evictwatch.listed_courts import use_listed_courts
from evictwatch.steps import JOBS, job_steps
from pipeline.landlords import load_overrides
from pipeline.store.locks import RunLockHeld, run_lock
from pipeline.store.repo import Store
from pipeline.store.schedules import schedule_store

log = logging.getLogger("evictwatch.scheduler")

_active: set[str] = set()  # jobs running now; shutdown waits for it to empty
_active_changed = threading.Condition()
_stopping = threading.Event()


def triggers(config: AppConfig) -> dict[str, CronTrigger]:
    zone = ZoneInfo(config.schedule.timezone)
    return {job: CronTrigger.from_crontab(getattr(config.schedule, job), timezone=zone) for job in JOBS}


def build_scheduler(config: AppConfig, config_path: Path, db_url: str) -> BackgroundScheduler:
    """A started but paused scheduler with the config's jobs in its store (`resume()` runs them)."""
    # The job store shares the process's one engine for the database, which the scheduler holds
    # for its whole life: every job's `Store.open` gets this same engine back.
    scheduler = BackgroundScheduler(
        jobstores={"default": schedule_store(Store.open(db_url))},
        executors={"default": {"type": "threadpool", "max_workers": 1}},
        job_defaults={"coalesce": True, "max_instances": 1, "misfire_grace_time": config.schedule.misfire_grace_s},
        timezone=ZoneInfo(config.schedule.timezone),
    )
    scheduler.start(paused=True)
    for job, trigger in triggers(config).items():
        kwargs = {"job": job, "config_path": str(config_path), "db_url": db_url}
        stored = scheduler.get_job(job)
        if stored is not None and str(stored.trigger) == str(trigger) and stored.kwargs == kwargs:
            # Unchanged: keep its stored next run time, so a firing missed while the service was
            # down still runs (coalesced, within the grace period) instead of being skipped.
            stored.modify(misfire_grace_time=config.schedule.misfire_grace_s, coalesce=True, max_instances=1)
            continue
        scheduler.add_job("evictwatch.jobs.scheduler:run_job", trigger, id=job, name=JOBS[job], replace_existing=True,
                          kwargs=kwargs)
    return scheduler


def run_job(job: str, config_path: str, db_url: str, today: dt.date | None = None) -> int | None:
    """What a scheduled job does (also callable directly): a run of the job's steps. Returns the exit code."""
    if _stopping.is_set():  # queued before SIGTERM: a stopping service starts nothing new
        log.info("job not started: the scheduler is stopping", extra={"job": job})
        return None
    with _active_changed:
        _active.add(job)
    try:
        try:
            config = load_config(Path(config_path))
        except ConfigError as exc:
            log.error("job not run: configuration error", extra={"job": job, "error": str(exc)})
            return EXIT_CONFIG
        store = Store.open(db_url)
        try:
            with run_lock(store):  # before the schema upgrade: a cron run may be starting too
                store.upgrade()
                backfill_derivations(store, overrides=load_overrides(config.overrides_path()))
                use_listed_courts(config, store)
                result = run_cycle(config, store, today=today, trigger=f"scheduler:{job}", steps=job_steps(job),
                                   lock=False)
        except RunLockHeld as exc:
            log.warning("job skipped: another run holds the lock", extra={"job": job, "detail": str(exc)})
            return EXIT_LOCKED
        return result.exit_code
    except Exception as exc:  # noqa: BLE001 - a job's failure is logged; the scheduler keeps going
        # No traceback: a database error's parameters can hold names.
        log.error("job failed", extra={"job": job, "error": type(exc).__name__, "detail": safe_error(exc)})
        return EXIT_CONFIG if isinstance(exc, CONFIG_ERRORS) else 1
    finally:
        with _active_changed:
            _active.discard(job)
            _active_changed.notify_all()


def serve(config: AppConfig, config_path: Path, db_url: str, *,
          on_started: Callable[[BackgroundScheduler], None] | None = None) -> int:
    """Runs until SIGTERM or SIGINT; then lets a running job finish for up to the grace period."""
    stop = threading.Event()
    for signum in (signal.SIGTERM, signal.SIGINT):
        signal.signal(signum, lambda *_: stop.set())
    scheduler = build_scheduler(config, config_path, db_url)
    scheduler.resume()
    for job in scheduler.get_jobs():
        log.info("job registered", extra={"job": job.id, "next": job.next_run_time.isoformat() if job.next_run_time
                                          else None, "trigger": str(job.trigger)})
    if on_started is not None:
        on_started(scheduler)
    # Python runs signal handlers in the main thread; a signal the kernel hands to one of the
    # scheduler's threads does not wake it from a lock: waking every half second, it sees it.
    while not stop.wait(0.5):
        pass
    _stopping.set()
    log.info("stopping: no new jobs; waiting for a running one", extra={"grace_s": config.schedule.shutdown_grace_s})
    scheduler.pause()
    with _active_changed:
        idle = _active_changed.wait_for(lambda: not _active, timeout=config.schedule.shutdown_grace_s)
        busy = sorted(_active)
    if not idle:
        # What the job did so far is committed; its run stays "running" and the next run closes it,
        # and a message it was handing over is held, never sent twice.
        log.warning("abandoning a running job after the grace period", extra={"jobs": busy})
        os._exit(0)
    # Not shutdown(): APScheduler 3 looks at due jobs once more on the way down and would spend a
    # missed firing on an executor that is already closed. Paused, it keeps them for the next start.
    log.info("scheduler stopped")
    return 0
