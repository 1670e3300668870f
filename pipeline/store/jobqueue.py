"""The distributed mode's queue as the store sees it: procrastinate's tables in the store's
own PostgreSQL schema, made by `evictwatch db upgrade`, and what `status` shows of them."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from sqlalchemy import text

from pipeline.store.handle import Database
from pipeline.store.hostbudget import libpq_conninfo
from pipeline.store.locks import upgrade_lock


def queue_schema_present(db: Database) -> bool:
    if db.dialect != "postgresql":
        return False
    with db.engine.connect() as conn:
        return conn.execute(text("SELECT to_regclass('procrastinate_jobs') IS NOT NULL")).scalar()


def apply_queue_schema(db: Database) -> bool:
    """procrastinate's tables in the store's schema, once; True if they were made now."""
    if db.dialect != "postgresql" or queue_schema_present(db):
        return False
    import psycopg  # optional: the postgres extra, present wherever the store is PostgreSQL
    from procrastinate.schema import SchemaManager

    # One script of many statements: psycopg runs it as one simple query (no parameters).
    with psycopg.connect(libpq_conninfo(db.url)) as conn:
        conn.execute(SchemaManager.get_schema())
    return True


def upgrade_everything(db: Database) -> bool:
    """The store's schema to its head, and on PostgreSQL the queue's tables; True if the queue's
    tables were made now. Safe to call from several machines at once."""
    with upgrade_lock(db):
        db.upgrade()
        return apply_queue_schema(db)


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


def queue_state(db: Database, stall: float, *, now: dt.datetime | None = None) -> QueueState | None:
    """What `status` shows of the queue; None where there is none (SQLite, or never upgraded).
    `stall`: seconds without a worker's heartbeat after which its running job counts as stalled."""
    if not queue_schema_present(db):
        return None
    now = now or dt.datetime.now(dt.timezone.utc)
    with db.engine.connect() as conn:
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
