"""The courts each `all: true` court entry found its portal listing, kept between runs.

A listing is refreshed weekly: the courts of the latest refresh are the ones scraped; a court the
portal stopped listing keeps its row (and its cases) with the day it was last seen.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from sqlalchemy import Engine, func, select
from sqlmodel import Session

from pipeline.store.models_courts import ListedCourt


@dataclass(frozen=True)
class Listed:
    code: str
    name: str
    first_listed: dt.date
    last_listed: dt.date


class CourtLists:
    def __init__(self, engine: Engine) -> None:
        self.engine = engine

    def record(self, entry_id: str, courts: Iterable[tuple[str, str]], today: dt.date) -> int:
        """Keep what the portal lists today (code, name pairs) for the entry; returns how many
        courts were listed for the first time."""
        new = 0
        with Session(self.engine) as session:
            known = {row.code: row for row in session.execute(
                select(ListedCourt).where(ListedCourt.entry_id == entry_id)).scalars()}
            for code, name in courts:
                row = known.get(code)
                if row is None:
                    session.add(ListedCourt(entry_id=entry_id, code=code, name=name, first_listed=today,
                                            last_listed=today))
                    new += 1
                else:
                    row.name, row.last_listed = name, max(row.last_listed, today)
            session.commit()
        return new

    def refreshed_on(self, entry_id: str) -> dt.date | None:
        """The day of the entry's latest listing; None if its portal was never asked."""
        with Session(self.engine) as session:
            return session.execute(select(func.max(ListedCourt.last_listed))
                                   .where(ListedCourt.entry_id == entry_id)).scalar()

    def current(self, entry_id: str) -> list[Listed]:
        """The courts of the entry's latest listing, by code."""
        with Session(self.engine) as session:
            latest = select(func.max(ListedCourt.last_listed)).where(ListedCourt.entry_id == entry_id)
            rows = session.execute(select(ListedCourt).where(ListedCourt.entry_id == entry_id,
                                                             ListedCourt.last_listed == latest.scalar_subquery())
                                   .order_by(ListedCourt.code)).scalars()
            return [Listed(r.code, r.name, r.first_listed, r.last_listed) for r in rows]

    def no_longer_listed(self, entry_id: str) -> list[Listed]:
        """Courts an earlier listing had that the latest one lacks."""
        with Session(self.engine) as session:
            latest = select(func.max(ListedCourt.last_listed)).where(ListedCourt.entry_id == entry_id)
            rows = session.execute(select(ListedCourt).where(ListedCourt.entry_id == entry_id,
                                                             ListedCourt.last_listed < latest.scalar_subquery())
                                   .order_by(ListedCourt.code)).scalars()
            return [Listed(r.code, r.name, r.first_listed, r.last_listed) for r in rows]
