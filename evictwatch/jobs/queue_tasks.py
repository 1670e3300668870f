"""The distributed mode's tasks: a cycle is one task per court's scrape, then one for its end.

    cycle         opens the run-log row, defers `scrape_court` for each enabled court and
                  `await_cycle` (what `evictwatch run` does, spread over the workers)
    scrape_court  one court's scrape window and re-checks, on the shared politeness budget; a
                  failure is retried with a doubling wait (the other courts go on); the
                  court's procrastinate lock keeps two scrapes of it from running at once
    await_cycle   looks every `poll_s` until no scrape of the run is waiting or running (the
                  run's last scrape to succeed defers the end itself, at once)
    finish_cycle  the landlords regrouped once, then the run's other steps (lists, report,
                  alerts …): under one lock for all workers, and every e-mail through the
                  delivery log, so at most one per partner and period whatever the workers
    scheduled     the schedule's cron lines (config `schedule`) as procrastinate periodic
                  tasks: the database keeps one firing per period across all workers

Re-running any of them is safe: a scrape stores what it reads by case (a repeat changes
nothing), and the end's steps are idempotent as in `evictwatch run`.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import logging
import os
import socket
import time
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass, field
from zoneinfo import ZoneInfo

import croniter
from procrastinate import JobContext, RetryDecision
from procrastinate.retry import BaseRetryStrategy

from evictwatch.config import AppConfig, scrape_window
from evictwatch.jobs.cycle import complete_cycle
from evictwatch.jobs.cycle_state import EXIT_OK, CycleResult, local_now
from evictwatch.jobs.queue import DELIVERIES_LOCK, QUEUE, bare_app
from evictwatch.jobs.court_lists import refresh_court_lists
from evictwatch.jobs.scrape import CourtOutcome, governor_for, safe_error, scrape_courts
from evictwatch.listed_courts import use_listed_courts
from evictwatch.steps import ALL_STEPS, JOBS, job_steps
from pipeline.ingest import refresh_landlords
from pipeline.landlords import load_overrides
from pipeline.store.repo import Store
from pipeline.store.runlog import RunLog
from pipeline.store.triggers import QUEUED_TRIGGER, WORKER_TRIGGER
from scraper.base import CourtSummary

log = logging.getLogger("evictwatch.worker")


@dataclass
class Runtime:
    """What a worker process's tasks share: its configuration and store."""
    config: AppConfig
    db_url: str
    store: Store
    running: dict[int, str] = field(default_factory=dict)  # job id -> what it does (its row in `status`)
    scrapers: ThreadPoolExecutor | None = None  # a thread per court scraped at once
    # The scrapes' writes (pages, cases: a re-run repeats them) without waiting for each
    # commit's flush to disk, which holds the court's next requests past their turn.
    scrape_store: Store | None = None


_runtime: Runtime | None = None


def set_runtime(runtime: Runtime | None) -> None:
    global _runtime
    _runtime = runtime


def runtime() -> Runtime:
    if _runtime is None:
        raise RuntimeError("evictwatch's tasks run in `evictwatch worker`, which loads the configuration first")
    return _runtime


class CourtScrapeFailed(Exception):
    """One court's scrape failed (its error is in the run log); the task is retried later."""


class CourtBackoff(BaseRetryStrategy):
    """A failed court waits `retry_wait_s`, then twice that, … for `scrape_attempts` in all."""
    def get_retry_decision(self, *, exception: BaseException, job) -> RetryDecision | None:
        settings = runtime().config.distributed
        if job.attempts + 1 >= settings.scrape_attempts:
            return None
        return RetryDecision(retry_in={"seconds": settings.retry_wait_s * 2 ** job.attempts})


def make_app(db_url: str, config: AppConfig, *, pool_size: int = 4):
    """The App a worker runs: the tasks, and the schedule's periodic tasks."""
    app = bare_app(db_url, config, pool_size=pool_size)
    register_tasks(app)
    register_schedule(app, config)
    return app


def register_tasks(app) -> None:
    app.task(name="cycle", queue=QUEUE, pass_context=True)(cycle)
    app.task(name="scrape_court", queue=QUEUE, pass_context=True, retry=CourtBackoff())(scrape_court)
    app.task(name="await_cycle", queue=QUEUE, pass_context=True)(await_cycle)
    app.task(name="finish_cycle", queue=QUEUE, pass_context=True)(finish_cycle)
    app.task(name="scheduled", queue=QUEUE, pass_context=True)(scheduled)


def register_schedule(app, config: AppConfig) -> None:
    """The schedule's jobs (scrape, weekly, alerts, docket) as periodic tasks, in its time zone."""
    zone = ZoneInfo(config.schedule.timezone)
    task = app.tasks["scheduled"]
    for job in JOBS:
        cron = getattr(config.schedule, job)
        app.periodic(cron=cron, periodic_id=job, task_kwargs={"job": job})(task)
        periodic = app.periodic_registry.periodic_tasks[(task.name, job)]
        # procrastinate reads cron lines in UTC; the schedule's are local (06:00 stays 06:00
        # across daylight saving): its iterator, made once and cached, is made in the zone.
        periodic.__dict__["croniter"] = croniter.croniter(cron, start_time=dt.datetime.now(zone))


@contextmanager
def _tracked(context: JobContext, what: str):
    """The task in this worker's `running` (its row in `status`) while it runs."""
    rt = runtime()
    rt.running[context.job.id] = what
    try:
        yield rt
    finally:
        rt.running.pop(context.job.id, None)


async def cycle(context: JobContext, today: str | None = None, steps: list[str] | None = None,
                trigger: str = QUEUED_TRIGGER) -> int:
    with _tracked(context, f"cycle {today or 'today'}") as rt:
        steps = list(steps or ALL_STEPS)
        given = dt.date.fromisoformat(today) if today else None
        day = local_now(rt.config, given).date()
        run_id = rt.store.runlog.start(day, trigger[:16], os.getpid(), socket.gethostname())
        if "scrape" in steps:
            for failed in await refresh_court_lists(rt.config, rt.store, day):
                log.error("court list not read", extra={"court": failed.court_id, "error": failed.error_kind})
        courts = [c.id for c in rt.config.courts if c.enabled] if "scrape" in steps else []
        # One statement for all the courts' tasks: deferred one by one, the last court's
        # scrape started a second after the first's on a busy machine.
        await context.app.job_manager.batch_defer_jobs_async(jobs=[
            context.app.configure_task("scrape_court", queue=QUEUE, lock=f"court:{court_id}").make_new_job(
                run_id=run_id, court_id=court_id, today=today, steps=steps) for court_id in courts])
        await context.app.configure_task("await_cycle", queue=QUEUE).defer_async(
            run_id=run_id, today=today, steps=steps, deadline=time.time() + rt.config.distributed.cycle_deadline_s)
        log.info("cycle deferred", extra={"run": run_id, "courts": len(courts), "steps": steps})
        return run_id


async def scrape_court(context: JobContext, run_id: int, court_id: str, today: str | None = None,
                       steps: list[str] | None = None) -> dict:
    with _tracked(context, f"scrape {court_id} (run {run_id})") as rt:
        config, store = rt.config, rt.store
        if court_id not in {c.id for c in config.courts}:
            use_listed_courts(config, store)  # listed by the portal since this worker started
        court = config.court(court_id)
        abandoned = store.runlog.abandon_court_attempts(run_id, court_id)
        if abandoned:
            log.warning("a stopped worker's scrape taken again", extra={"court": court_id, "run": run_id})
        given = dt.date.fromisoformat(today) if today else None
        # Each court on a thread and event loop of its own: its storing and archiving (blocking
        # database work) then never holds another court's requests past their turn.
        outcome = await _on_its_thread(rt, _scrape_one(rt, court, given, run_id))
        log.info("court scraped", extra={"court": court_id, "run": run_id, "new": outcome.new,
                                         "updated": outcome.updated, "error": outcome.error_kind})
        if not outcome.ok:
            raise CourtScrapeFailed(f"{court_id}: {outcome.error}")
        try:
            if steps is not None and not await _pending_scrapes(context, run_id, besides=context.job.id):
                # The run's last scrape: its end now, not at `await_cycle`'s next look (which
                # stays for a last scrape that failed, and for two that end at the same moment).
                await _defer_finish(context, run_id, today, steps, late=0)
        except Exception as exc:  # noqa: BLE001 - the court is scraped; `await_cycle` ends the run
            log.warning("the run's end not deferred by its last scrape", extra={"run": run_id,
                                                                                 "error": type(exc).__name__})
        return {"new": outcome.new, "updated": outcome.updated, "requests": outcome.summary.requests}


async def _on_its_thread(rt: Runtime, work):
    """`work` on a thread and event loop of its own; a cancelled task (the worker stopping past
    its grace) cancels it there too and waits for it, so no scrape goes on behind a retry."""
    inner = asyncio.new_event_loop()
    task = inner.create_task(work)

    def run():
        try:
            return inner.run_until_complete(task)
        finally:
            inner.close()

    done = asyncio.get_running_loop().run_in_executor(rt.scrapers, run)
    try:
        return await asyncio.shield(done)
    except asyncio.CancelledError:
        inner.call_soon_threadsafe(task.cancel)
        await asyncio.gather(done, return_exceptions=True)
        raise


async def _scrape_one(rt: Runtime, court, given: dt.date | None, run_id: int) -> CourtOutcome:
    config, store = rt.config, rt.scrape_store or rt.store
    now = local_now(config, given)
    governor = governor_for(config, store)
    try:
        [outcome] = await scrape_courts(config, store, [court], scrape_window(config, now.date()), today=given,
                                        now=None if given is None else now, cycle_id=run_id, governor=governor,
                                        regroup=False)
    finally:
        await governor.rate_limiter.aclose()
    return outcome


async def await_cycle(context: JobContext, run_id: int, steps: list[str], deadline: float,
                      today: str | None = None) -> str:
    rt = runtime()
    if not await asyncio.to_thread(rt.store.runlog.is_open, run_id):
        return "finished"  # its last scrape deferred the end
    pending = await _pending_scrapes(context, run_id)
    if pending and time.time() < deadline:
        await context.app.configure_task("await_cycle", queue=QUEUE,
                                         schedule_in={"seconds": rt.config.distributed.poll_s}).defer_async(
            run_id=run_id, today=today, steps=steps, deadline=deadline)
        return f"{pending} scrapes to wait for"
    await _defer_finish(context, run_id, today, steps, late=pending)
    return "finishing"


async def _defer_finish(context: JobContext, run_id: int, today: str | None, steps: list[str], late: int) -> None:
    """The run's end, once its scrapes are over (a second one deferred finds the run closed)."""
    await context.app.configure_task("finish_cycle", queue=QUEUE, lock=DELIVERIES_LOCK).defer_async(
        run_id=run_id, today=today, steps=steps, late=late)


async def finish_cycle(context: JobContext, run_id: int, steps: list[str], today: str | None = None,
                       late: int = 0) -> int | None:
    with _tracked(context, f"end of run {run_id}") as rt:
        config, store = rt.config, rt.store
        runlog = store.runlog
        if not runlog.is_open(run_id):
            return None  # a repeat (a stalled job retried after it finished)
        given = dt.date.fromisoformat(today) if today else None
        now = local_now(config, given)
        result = CycleResult(run_id, EXIT_OK, outcomes=_outcomes(config, runlog, run_id, steps),
                             given_day=given is not None)
        if late:
            log.warning("run ends without courts still being scraped", extra={"run": run_id, "courts": late})
        # Blocking work (the store, SMTP) off the worker's loop: its heartbeat and scrapes go on.
        await asyncio.to_thread(_finish, config, store, result, [s for s in steps if s != "scrape"], now,
                                "scrape" in steps)
        return result.exit_code


def _finish(config: AppConfig, store: Store, result: CycleResult, steps: list[str], now: dt.datetime,
            scraped: bool) -> None:
    if scraped:
        try:
            refresh_landlords(store, load_overrides(config.overrides_path()), config.pipeline.landlord_match_threshold)
        except Exception as exc:  # noqa: BLE001 - the cases are stored; the next run regroups them
            log.error("landlords not regrouped", extra={"error": type(exc).__name__, "detail": safe_error(exc)})
    complete_cycle(config, store, result, steps, now.date(), now)


def _outcomes(config: AppConfig, runlog: RunLog, run_id: int, steps: list[str]) -> list[CourtOutcome]:
    """Each court's outcome in the run, as its scrape tasks left it in the run log."""
    if "scrape" not in steps:
        return []
    scrapes = runlog.cycle_scrapes(run_id)
    outcomes = []
    for court in (c for c in config.courts if c.enabled):
        row = scrapes.get(court.id)
        outcome = CourtOutcome(court.id, CourtSummary(court.id), run_id=row.id if row else None)
        if row is None or row.outcome != "ok":
            outcome.error_kind = row.error_kind if row and row.error_kind else "NotScraped"
            outcome.error = row.error_text if row and row.error_text else "no scrape of the court finished in the run"
        else:
            outcome.new, outcome.updated, outcome.mode = row.new_cases, row.updated_cases, row.mode or "full"
        outcomes.append(outcome)
    return outcomes


async def _pending_scrapes(context: JobContext, run_id: int, besides: int | None = None) -> int:
    """The run's scrapes waiting or running (but the job `besides`: the one asking)."""
    rows = await context.app.connector.execute_query_all_async(
        "SELECT count(*) AS n FROM procrastinate_jobs WHERE task_name = 'scrape_court' "
        "AND status IN ('todo', 'doing') AND (args->>'run_id')::bigint = %(run_id)s AND id <> %(besides)s",
        run_id=run_id, besides=-1 if besides is None else besides)
    return rows[0]["n"]


async def scheduled(context: JobContext, timestamp: int, job: str) -> int:
    """A periodic firing of a schedule job: a cycle of its steps, as the scheduler's would be."""
    return await cycle(context, steps=list(job_steps(job)), trigger=f"{WORKER_TRIGGER}{job}")
