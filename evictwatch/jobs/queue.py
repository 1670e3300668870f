"""The distributed mode's queue: procrastinate on the deployment's PostgreSQL.

A worker runs the tasks of `evictwatch.jobs.queue_tasks`; `evictwatch enqueue` defers them by
name; `status` reads the queue's tables.
procrastinate's tables live in the same database and schema as the store's, applied by
`evictwatch db upgrade`.
"""

from __future__ import annotations

import datetime as dt

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
    import procrastinate  # optional: the postgres extra, which the distributed mode requires

    require_postgres(db_url, "the task queue")
    connector = procrastinate.PsycopgConnector(conninfo=libpq_conninfo(db_url), min_size=1, max_size=pool_size)
    defaults = {"max_delay": config.schedule.misfire_grace_s} if config is not None else {}
    return procrastinate.App(connector=connector, periodic_defaults=defaults)


async def enqueue_cycle(db_url: str, *, today: dt.date | None = None, steps: list[str] | None = None,
                        trigger: str = QUEUED_TRIGGER) -> int:
    """Defer one cycle (what `evictwatch run` does) for the workers; returns its job id."""
    app = bare_app(db_url, pool_size=1)
    async with app.open_async():
        return await app.configure_task("cycle", queue=QUEUE).defer_async(
            today=today.isoformat() if today else None, steps=steps, trigger=trigger)
