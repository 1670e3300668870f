"""Tables the distributed mode's workers share: each court host's politeness budget and the
workers themselves (procrastinate keeps its own tables for the queue)."""

from __future__ import annotations

import datetime as dt

from sqlmodel import Field, SQLModel


class HostBudget(SQLModel, table=True):
    """One court host's request starts, for every worker together. Times are the database
    server's clock (epoch seconds), the one clock all machines read alike."""

    __tablename__ = "host_budget"

    host: str = Field(primary_key=True, max_length=255)
    next_slot: float = 0.0  # the latest start any worker has booked
    starts: str = ""  # the last `rate` starts that really happened, oldest first, space-separated
    # The requests in flight to the host (the concurrency cap counts them), "token:until" each:
    # one whose worker died stops counting at its until.
    leases: str = ""


class QueueWorker(SQLModel, table=True):
    """An `evictwatch worker` process as it last said (`status` lists them)."""

    __tablename__ = "queue_workers"

    name: str = Field(primary_key=True, max_length=200)  # host:pid:random, also the procrastinate worker name
    hostname: str = Field(max_length=255)
    pid: int
    concurrency: int
    started_at: dt.datetime
    last_seen: dt.datetime
    running: str = ""  # the tasks it runs now, one per line
