"""The request rate each court host was last scraped at (the adaptive limiter's learning)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from sqlalchemy import Engine, delete, select
from sqlmodel import Session

from pipeline.store import models as m
from pipeline.store.rows import utc_now


@dataclass(frozen=True)
class LearnedRate:
    host: str
    configured_per_s: float
    learned_per_s: float
    lowest_per_s: float
    throttled: int
    updated_at: dt.datetime


class HostRates:
    def __init__(self, engine: Engine) -> None:
        self.engine = engine

    def learned(self) -> dict[str, float]:
        """host -> the rate to start the next run at (only hosts kept below their configured rate)."""
        with Session(self.engine) as session:
            return {r.host: r.learned_per_s for r in session.execute(select(m.HostRate)).scalars()}

    def below_configured(self) -> list[LearnedRate]:
        with Session(self.engine) as session:
            rows = session.execute(select(m.HostRate).order_by(m.HostRate.host)).scalars()
            return [LearnedRate(r.host, r.configured_per_s, r.learned_per_s, r.lowest_per_s, r.throttled, r.updated_at)
                    for r in rows]

    def save(self, rates: Iterable, now: dt.datetime | None = None) -> None:
        """Keep each host's rate as a run left it (`scraper.http_adapt.HostRate`s); a host back
        at its configured rate is forgotten (it starts there anyway)."""
        now = now or utc_now()
        with Session(self.engine) as session:
            for rate in rates:
                if rate.below_configured:
                    session.merge(m.HostRate(host=rate.host, configured_per_s=rate.configured_per_s,
                                             learned_per_s=rate.current_per_s, lowest_per_s=rate.lowest_per_s,
                                             throttled=rate.throttled, updated_at=now))
                else:
                    session.execute(delete(m.HostRate).where(m.HostRate.host == rate.host))
            session.commit()
