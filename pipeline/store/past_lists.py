"""A partner's past deliveries and the cases each carried (the `delivery_cases` written with
each delivery's intent, pipeline/store/ledger.py): the workspace shows old lists and alerts again."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import func, select

from pipeline.store import models as m
from pipeline.store.handle import Database

DELIVERIES = m.Delivery.__table__
DELIVERED = m.DeliveryCase.__table__


@dataclass(frozen=True, slots=True)
class PastDelivery:
    key: str
    kind: str
    period: str
    state: str
    cases: int  # the cases it carried that are still stored (an erased case is gone from it)
    at: dt.datetime


def past_deliveries(db: Database, partner: str, *, limit: int = 200) -> list[PastDelivery]:
    """The partner's deliveries that carried cases, newest first."""
    carried = (select(DELIVERED.c.delivery_key, func.count().label("n")).group_by(DELIVERED.c.delivery_key)
               .subquery())
    query = (select(DELIVERIES.c.key, DELIVERIES.c.kind, DELIVERIES.c.period, DELIVERIES.c.state, carried.c.n,
                    DELIVERIES.c.updated_at)
             .join(carried, carried.c.delivery_key == DELIVERIES.c.key)
             .where(DELIVERIES.c.partner == partner)
             .order_by(DELIVERIES.c.updated_at.desc(), DELIVERIES.c.key).limit(limit))
    with db.engine.connect() as conn:
        return [PastDelivery(r.key, r.kind, r.period, r.state, int(r.n), r.updated_at) for r in conn.execute(query)]


def delivered_cases(db: Database, partner: str, key: str) -> list[tuple[str, str]] | None:
    """The (court, case number) pairs one of the partner's deliveries carried; None when the
    partner has no delivery of this key."""
    with db.engine.connect() as conn:
        owner = conn.execute(select(DELIVERIES.c.partner).where(DELIVERIES.c.key == key)).scalar()
        if owner != partner:
            return None
        return [(c, n) for c, n in conn.execute(select(DELIVERED.c.court_id, DELIVERED.c.case_number)
                                               .where(DELIVERED.c.delivery_key == key))]
