"""The distributed mode's workers as they last said: a row each, refreshed every heartbeat."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Engine, delete
from sqlmodel import Session

from pipeline.store.models_shared import QueueWorker
from pipeline.store.rows import utc_now


class WorkerRegistry:
    def __init__(self, engine: Engine) -> None:
        self.engine = engine

    def seen(self, name: str, *, hostname: str, pid: int, concurrency: int, started_at: dt.datetime,
             running: list[str]) -> None:
        with Session(self.engine) as session:
            session.merge(QueueWorker(name=name, hostname=hostname, pid=pid, concurrency=concurrency,
                                      started_at=started_at, last_seen=utc_now(), running="\n".join(running)))
            session.commit()

    def gone(self, name: str) -> None:
        with Session(self.engine) as session:
            session.execute(delete(QueueWorker).where(QueueWorker.name == name))
            session.commit()

    def forget_silent(self, older_than: dt.timedelta) -> int:
        """Rows of workers silent for longer than `older_than` (killed, their machine gone)."""
        with Session(self.engine) as session:
            done = session.execute(delete(QueueWorker).where(QueueWorker.last_seen < utc_now() - older_than))
            session.commit()
            return done.rowcount
