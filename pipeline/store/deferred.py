"""Work a host's daily budget left for a later run (pipeline.hostplan), and what was spent today."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from sqlalchemy import Engine, delete, func, insert, select

from pipeline.store.handle import Database
from pipeline.store.models import ScrapeRun
from pipeline.store.models_courts import DeferredWork


@dataclass(frozen=True)
class Deferred:
    court_id: str
    key: str
    kind: str  # "day" | "case"
    worth: int
    cost: int
    due_since: dt.date
    reason: str | None = None  # a case's: why it is looked at again


class DeferredStore:
    def __init__(self, engine: Engine) -> None:
        self.engine = engine

    def of(self, court_ids: Iterable[str]) -> list[Deferred]:
        ids = sorted(set(court_ids))
        if not ids:
            return []
        query = select(DeferredWork).where(DeferredWork.court_id.in_(ids))
        with self.engine.connect() as conn:
            return [Deferred(r.court_id, r.key, r.kind, r.worth, r.cost, r.due_since, r.reason)
                    for r in conn.execute(query)]

    def replace(self, court_ids: Iterable[str], items: Iterable[Deferred]) -> None:
        """What these courts now have waiting: exactly `items`."""
        ids = sorted(set(court_ids))
        rows = [{"court_id": d.court_id, "key": d.key, "kind": d.kind, "worth": d.worth, "cost": d.cost,
                 "due_since": d.due_since, "reason": d.reason} for d in items]
        with self.engine.begin() as conn:
            if ids:
                conn.execute(delete(DeferredWork).where(DeferredWork.court_id.in_(ids)))
            if rows:
                conn.execute(insert(DeferredWork), rows)

    def done(self, court_id: str, keys: Iterable[str]) -> None:
        """The court's scrape did these: they wait no more."""
        wanted = sorted(set(keys))
        with self.engine.begin() as conn:
            for start in range(0, len(wanted), 500):  # below every database's limit on bound values
                conn.execute(delete(DeferredWork).where(DeferredWork.court_id == court_id,
                                                        DeferredWork.key.in_(wanted[start:start + 500])))

    def waiting(self) -> list[tuple[str, int, dt.date]]:
        """Per court with work waiting: how many items, and the day the oldest became due."""
        query = (select(DeferredWork.court_id, func.count(), func.min(DeferredWork.due_since))
                 .group_by(DeferredWork.court_id).order_by(DeferredWork.court_id))
        with self.engine.connect() as conn:
            return [(court, count, oldest) for court, count, oldest in conn.execute(query)]


def requests_on(db: Database, court_ids: Iterable[str], day: dt.date) -> int:
    """Requests the scrapes of these courts made as of `day` (their runs' own "today")."""
    ids = sorted(set(court_ids))
    if not ids:
        return 0
    query = select(func.coalesce(func.sum(ScrapeRun.requests), 0)).where(ScrapeRun.court_id.in_(ids),
                                                                       ScrapeRun.as_of == day)
    with db.engine.connect() as conn:
        return int(conn.execute(query).scalar() or 0)
