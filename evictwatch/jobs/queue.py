"""The distributed mode's queue: procrastinate on the deployment's PostgreSQL.

A worker runs the tasks of `evictwatch.jobs.queue_tasks`; `evictwatch enqueue` defers them by
name; `status` reads the queue's tables.
procrastinate's tables live in the same database and schema as the store's, applied by
`evictwatch db upgrade`.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from sqlalchemy import Engine, text
from sqlalchemy.engine import make_url

from evictwatch.config import AppConfig, ConfigError
from pipeline.store.hostbudget import libpq_conninfo
from pipeline.store.triggers import QUEUED_TRIGGER

QUEUE = "evictwatch"
# Jobs holding this procrastinate lock run one at a time across all workers: a cycle's end
# (lists, alerts, report, docket sheets …) is never done by two workers at once.
DELIVERIES_LOCK = "evictwatch-deliveries"


class DistributedError(ConfigError):
    """The distributed mode cannot run on this database or configuration."""


def require_postgres(url: str, what: str) -> None:
    if make_url(url).get_backend_name() != "postgresql":
        raise DistributedError(
            f"{what} needs PostgreSQL, shared by every worker: set database.url (or --db) to "
            f"postgresql+psycopg://…; the database given is {make_url(url).get_backend_name()}")


def bare_app(db_url: str, config: AppConfig | None = None, *, pool_size: int = 4):
    """A procrastinate App on `db_url` with no tasks of its own: enough to defer by task name
    and read the queue (`evictwatch.jobs.queue_tasks.make_app` registers the tasks)."""
    import procrastinate

    require_postgres(db_url, "the task queue")
    connector = procrastinate.PsycopgConnector(conninfo=libpq_conninfo(db_url), min_size=1, max_size=pool_size)
    defaults = {"max_delay": config.schedule.misfire_grace_s} if config is not None else {}
    return procrastinate.App(connector=connector, periodic_defaults=defaults)


def queue_schema_present(engine: Engine) -> bool:
    with engine.connect() as conn:
        return conn.execute(text("SELECT to_regclass('procrastinate_jobs') IS NOT NULL")).scalar()


def apply_queue_schema(engine: Engine) -> bool:
    """procrastinate's tables in the store's schema, once; True if they were made now."""
    import psycopg
    from procrastinate.schema import SchemaManager

    if engine.dialect.name != "postgresql" or queue_schema_present(engine):
        return False
    # One script of many statements: psycopg runs it as one simple query (no parameters).
    with psycopg.connect(libpq_conninfo(engine.url.render_as_string(hide_password=False))) as conn:
        conn.execute(SchemaManager.get_schema())
    return True


def upgrade_everything(engine: Engine) -> bool:
    """The store's schema to its head, and on PostgreSQL the queue's tables; True if the queue's
    tables were made now. Safe to call from several machines at once."""
    from evictwatch.jobs.lock import upgrade_lock
    from pipeline.store import db

    with upgrade_lock(engine):
        db.upgrade(engine)
        return apply_queue_schema(engine)


async def enqueue_cycle(db_url: str, *, today: dt.date | None = None, steps: list[str] | None = None,
                        trigger: str = QUEUED_TRIGGER) -> int:
    """Defer one cycle (what `evictwatch run` does) for the workers; returns its job id."""
    app = bare_app(db_url, pool_size=1)
    async with app.open_async():
        return await app.configure_task("cycle", queue=QUEUE).defer_async(
            today=today.isoformat() if today else None, steps=steps, trigger=trigger)


@dataclass
class WorkerState:
    name: str
    hostname: str
    pid: int
    concurrency: int
    started_at: dt.datetime
    last_seen: dt.datetime
    alive: bool
    running: list[str] = field(default_factory=list)


@dataclass
class QueueState:
    counts: dict[str, int]  # waiting, scheduled, running, stalled, failed, succeeded
    workers: list[WorkerState]
    failed_recently: list[tuple[int, str, str]]  # (job id, task, its arguments)


def queue_state(engine: Engine, config: AppConfig, *, now: dt.datetime | None = None) -> QueueState | None:
    """What `status` shows of the queue; None where there is none (SQLite, or never upgraded)."""
    if engine.dialect.name != "postgresql" or not queue_schema_present(engine):
        return None
    now = now or dt.datetime.now(dt.timezone.utc)
    stall = config.distributed.stall_timeout_s
    with engine.connect() as conn:
        rows = conn.execute(text(
            "SELECT CASE WHEN j.status = 'todo' AND j.scheduled_at > now() THEN 'scheduled' "
            "            WHEN j.status = 'todo' THEN 'waiting' "
            "            WHEN j.status = 'doing' AND (w.id IS NULL OR w.last_heartbeat < now() - make_interval("
            "                 secs => :stall)) THEN 'stalled' "
            "            WHEN j.status = 'doing' THEN 'running' "
            "            ELSE j.status::text END AS state, count(*) "
            "FROM procrastinate_jobs j LEFT JOIN procrastinate_workers w ON w.id = j.worker_id "
            "GROUP BY 1"), {"stall": stall}).all()
        failed = conn.execute(text(
            "SELECT id, task_name, args::text FROM procrastinate_jobs WHERE status = 'failed' "
            "ORDER BY id DESC LIMIT 5")).all()
        workers = conn.execute(text(
            "SELECT name, hostname, pid, concurrency, started_at, last_seen, running FROM queue_workers "
            "ORDER BY hostname, pid")).all()
    counts = {state: 0 for state in ("waiting", "scheduled", "running", "stalled", "failed", "succeeded")}
    counts.update({state: n for state, n in rows})
    out = []
    for w in workers:
        seen = w.last_seen if w.last_seen.tzinfo else w.last_seen.replace(tzinfo=dt.timezone.utc)
        out.append(WorkerState(w.name, w.hostname, w.pid, w.concurrency, w.started_at, seen,
                               (now - seen).total_seconds() <= stall, [r for r in w.running.splitlines() if r]))
    return QueueState(counts, out, [(r.id, r.task_name, r.args) for r in failed])
