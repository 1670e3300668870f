"""`evictwatch worker`: one process of the distributed mode, on any machine that reaches the
deployment's PostgreSQL. It runs the queue's tasks (`evictwatch.jobs.queue_tasks`), fires the
schedule's periodic tasks (the database keeps one firing per period whatever the workers),
and every heartbeat says it is alive and gives another worker's stalled tasks back to the
queue: a worker killed mid-task (kill -9, a lost machine) stops sending heartbeats, and after
`distributed.stall_timeout_s` its tasks are taken again by a live worker.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import logging
import os
import socket
import uuid
from concurrent.futures import ThreadPoolExecutor

from evictwatch.config import AppConfig
from evictwatch.heap import settle_heap
from evictwatch.jobs.court_days import closed_days_of
from evictwatch.jobs.queue import QUEUE, require_postgres
from evictwatch.jobs.queue_tasks import Runtime, make_app, set_runtime
from evictwatch.listed_courts import use_listed_courts
from pipeline.store.repo import Store
from pipeline.store.workers import WorkerRegistry
from scraper.http_wire import default_ssl_context

log = logging.getLogger("evictwatch.worker")
FORGET_SILENT_AFTER = dt.timedelta(days=1)


async def serve_worker(config: AppConfig, db_url: str, *, concurrency: int | None = None) -> None:
    """Runs until SIGTERM or SIGINT; then lets running tasks finish for `schedule.shutdown_grace_s`."""
    require_postgres(db_url, "evictwatch worker")
    settings = config.distributed
    concurrency = concurrency or settings.concurrency
    store = Store.open(db_url)
    use_listed_courts(config, store)
    scrape_store = Store.open(db_url, wait_for_flush=False)
    runtime = Runtime(config, db_url, store,
                      scrapers=ThreadPoolExecutor(max_workers=concurrency, thread_name_prefix="scrape"),
                      scrape_store=scrape_store)
    set_runtime(runtime)
    app = make_app(db_url, config, pool_size=concurrency + 2)
    name = f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:6]}"
    registry = store.workers
    _warm_up(config)
    started = dt.datetime.now(dt.timezone.utc)
    async with app.open_async():
        keeper = asyncio.create_task(_keep(app, runtime, registry, name, concurrency, started))
        log.info("worker started", extra={"worker": name, "concurrency": concurrency})
        try:
            await app.run_worker_async(
                name=name, queues=[QUEUE], concurrency=concurrency, update_heartbeat_interval=settings.heartbeat_s,
                stalled_worker_timeout=settings.stall_timeout_s, fetch_job_polling_interval=settings.poll_s,
                shutdown_graceful_timeout=config.schedule.shutdown_grace_s)
        finally:
            keeper.cancel()
            await asyncio.gather(keeper, return_exceptions=True)
            registry.gone(name)
            runtime.scrapers.shutdown(wait=False, cancel_futures=True)
            set_runtime(None)
            store.close()
            scrape_store.close()
            log.info("worker stopped", extra={"worker": name})


def _warm_up(config: AppConfig) -> None:
    """Load what the tasks use before taking any (the modules of every step are imported with
    this one): work done the first time inside a task holds the worker's loop, and with it the
    heartbeat (on a busy machine, long enough to look dead)."""
    closed_days_of(config, dt.date.today())  # the holidays library's tables, loaded on first use
    default_ssl_context()  # the certificate authorities, read once
    settle_heap()


async def _keep(app, runtime: Runtime, registry: WorkerRegistry, name: str, concurrency: int,
                started: dt.datetime) -> None:
    settings = runtime.config.distributed
    while True:
        try:
            await asyncio.to_thread(registry.seen, name, hostname=socket.gethostname(), pid=os.getpid(),
                                    concurrency=concurrency, started_at=started,
                                    running=sorted(runtime.running.values()))
            await retry_stalled(app, settings.stall_timeout_s)
            await asyncio.to_thread(registry.forget_silent, FORGET_SILENT_AFTER)
        except asyncio.CancelledError:
            raise
        except Exception as exc:  # noqa: BLE001 - the database away for a moment: say so, try again
            log.warning("worker keeping failed", extra={"error": type(exc).__name__})
        await asyncio.sleep(settings.heartbeat_s)


# Each stalled job locked while it is given back, and skipped by a worker doing the same at once:
# a job given back twice could be reset under the worker that had just taken it.
_RETRY_STALLED = """
WITH stalled AS (
    SELECT job.id, job.task_name FROM procrastinate_jobs AS job
    LEFT JOIN procrastinate_workers AS w ON w.id = job.worker_id
    WHERE job.status = 'doing'
      AND (job.worker_id IS NULL OR w.last_heartbeat < now() - make_interval(secs => %(stall)s))
    FOR UPDATE OF job SKIP LOCKED
)
SELECT id, task_name, procrastinate_retry_job_v2(id, now(), NULL, NULL, NULL) FROM stalled
"""


async def retry_stalled(app, stall_timeout_s: float) -> list[int]:
    """Give the tasks of workers silent for `stall_timeout_s` back to the queue; their ids."""
    rows = await app.connector.execute_query_all_async(_RETRY_STALLED, stall=float(stall_timeout_s))
    for row in rows:
        log.warning("a stopped worker's task back in the queue", extra={"job": row["id"], "task": row["task_name"]})
    return [row["id"] for row in rows]
