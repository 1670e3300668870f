"""Recalls owed to partners: a case the court erased, which a partner was given. A recall row
holds only the partner, the case number and the day it became owed, and is deleted once the
recall notice that carries it was sent."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import Engine, delete, func, select, update
from sqlmodel import Session

from pipeline.store.db import scrub
from pipeline.store.ledger import DeliveryKey, DeliveryState
from pipeline.store.models import Delivery, Recall


@dataclass(frozen=True, slots=True)
class Owed:
    court: str
    case_number: str
    owed_on: dt.date


class Recalls:
    def __init__(self, engine: Engine) -> None:
        self.engine = engine

    def partners(self) -> list[str]:
        with Session(self.engine) as session:
            return sorted(session.execute(select(Recall.partner).distinct()).scalars())

    def open_for(self, partner: str, key: DeliveryKey | None = None) -> list[Owed]:
        """Owed and not yet carried by a notice that was sent or may have been (or, with `key`,
        exactly those that notice carries)."""
        with Session(self.engine) as session:
            query = (select(Recall).outerjoin(Delivery, Delivery.key == Recall.delivery_key)
                     .where(Recall.partner == partner).order_by(Recall.court_id, Recall.case_number))
            if key is not None:
                query = query.where(Recall.delivery_key == str(key))
            else:
                query = query.where((Recall.delivery_key.is_(None)) | (Delivery.key.is_(None))
                                    | Delivery.state.in_((DeliveryState.FAILED, DeliveryState.EXPIRED)))
            return [Owed(r.court_id, r.case_number, r.owed_on) for r in session.execute(query).scalars()]

    def claim(self, key: DeliveryKey, owed: list[Owed]) -> None:
        with Session(self.engine) as session:
            for o in owed:
                session.execute(update(Recall).where(Recall.partner == key.partner, Recall.court_id == o.court,
                                                     Recall.case_number == o.case_number)
                                .values(delivery_key=str(key)))
            session.commit()

    def settle(self) -> int:
        """Forget the recalls whose notice was sent: nothing of those cases is kept any more."""
        with Session(self.engine) as session:
            sent = select(Delivery.key).where(Delivery.state == DeliveryState.SENT)
            done = session.execute(delete(Recall).where(Recall.delivery_key.in_(sent))).rowcount
            session.commit()
        if done:
            scrub(self.engine)  # their numbers are the last of those cases: not in the file either
        return done

    def drop_partners_not_in(self, names: list[str]) -> int:
        """Recalls owed to partners no longer configured: there is nobody to send them to."""
        with Session(self.engine) as session:
            gone = session.execute(delete(Recall).where(Recall.partner.not_in(sorted(names)))).rowcount
            session.commit()
            return gone

    def count(self) -> int:
        with Session(self.engine) as session:
            return session.execute(select(func.count()).select_from(Recall)).scalar() or 0
