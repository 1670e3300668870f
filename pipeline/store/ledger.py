"""The notifier's ledger and the opt-out list, as stored rows (only the store touches rows)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import Engine, delete, select
from sqlmodel import Session

from pipeline.store.models import AlertClaim, Delivery, OptOut
from pipeline.store.rows import utc_now


@dataclass(frozen=True)
class DeliveryRecord:
    key: str
    partner: str
    kind: str
    period: str
    state: str
    message_id: str
    transport: str
    attempts: int
    rows: int
    receipt: str | None
    error: str | None
    updated_at: dt.datetime


@dataclass(frozen=True)
class AlertFact:
    key: str  # "court|case number|kind|date"
    court: str
    case_number: str
    kind: str
    date: dt.date | None


def _record(row: Delivery) -> DeliveryRecord:
    return DeliveryRecord(row.key, row.partner, row.kind, row.period, row.state, row.message_id, row.transport,
                          row.attempts, row.rows, row.receipt, row.error, row.updated_at)


class Ledger:
    def __init__(self, engine: Engine) -> None:
        self.engine = engine

    def get(self, key: str) -> DeliveryRecord | None:
        with Session(self.engine) as session:
            row = session.get(Delivery, key)
            return _record(row) if row else None

    def intend(self, key: str, *, partner: str, kind: str, period: str, message_id: str, transport: str,
               rows: int) -> None:
        """Written and committed before the message is handed to the transport."""
        now = utc_now()
        with Session(self.engine) as session:
            row = session.get(Delivery, key)
            if row is None:
                row = Delivery(key=key, partner=partner, kind=kind, period=period, state="sending",
                               message_id=message_id, transport=transport, rows=rows, created_at=now,
                               updated_at=now)
            row.state, row.transport, row.rows, row.updated_at = "sending", transport, rows, now
            row.attempts += 1
            session.add(row)
            session.commit()

    def outcome(self, key: str, state: str, *, receipt: str | None = None, error: str | None = None) -> None:
        with Session(self.engine) as session:
            row = session.get(Delivery, key)
            row.state, row.receipt, row.error, row.updated_at = state, receipt, error, utc_now()
            session.add(row)
            session.commit()

    def last_sent(self, partner: str, kind: str) -> dt.datetime | None:
        """When this partner's last delivery of this kind went out (None: never)."""
        with Session(self.engine) as session:
            query = (select(Delivery.updated_at).where(Delivery.partner == partner, Delivery.kind == kind,
                                                       Delivery.state == "sent")
                     .order_by(Delivery.updated_at.desc()).limit(1))
            return session.execute(query).scalar()

    def unsettled(self) -> list[DeliveryRecord]:
        """Sends whose outcome nobody knows: handed over, then the process died (or the link did)."""
        with Session(self.engine) as session:
            query = select(Delivery).where(Delivery.state.in_(("sending", "unknown"))).order_by(Delivery.key)
            return [_record(r) for r in session.execute(query).scalars()]

    def latest(self, partner: str, kind: str) -> DeliveryRecord | None:
        """This partner's most recently written delivery of this kind, in any state."""
        with Session(self.engine) as session:
            query = (select(Delivery).where(Delivery.partner == partner, Delivery.kind == kind)
                     .order_by(Delivery.created_at.desc(), Delivery.key.desc()).limit(1))
            row = session.execute(query).scalars().first()
            return _record(row) if row else None

    def count_periods(self, partner: str, kind: str, prefix: str) -> int:
        with Session(self.engine) as session:
            query = select(Delivery.key).where(Delivery.partner == partner, Delivery.kind == kind,
                                               Delivery.period.startswith(prefix))
            return len(session.execute(query).all())

    # --- alert facts ----------------------------------------------------------------------

    def alerted_facts(self, partner: str) -> set[str]:
        """Facts already given to this partner: claimed by a delivery that was sent or may have been."""
        with Session(self.engine) as session:
            query = (select(AlertClaim.fact_key).join(Delivery, Delivery.key == AlertClaim.delivery_key)
                     .where(AlertClaim.partner == partner, Delivery.state != "failed"))
            return set(session.execute(query).scalars())

    def claimed_facts(self, delivery_key: str) -> list[AlertFact]:
        with Session(self.engine) as session:
            query = select(AlertClaim).where(AlertClaim.delivery_key == delivery_key).order_by(AlertClaim.id)
            return [AlertFact(c.fact_key, c.court_id, c.case_number, c.kind, c.fact_date)
                    for c in session.execute(query).scalars()]

    def claim(self, partner: str, delivery_key: str, facts: list[AlertFact]) -> None:
        """Give these facts to a delivery (taking them from a failed or unrecorded one)."""
        now = utc_now()
        with Session(self.engine) as session:
            existing = {c.fact_key: c for c in session.execute(select(AlertClaim).where(
                AlertClaim.partner == partner, AlertClaim.fact_key.in_([f.key for f in facts]))).scalars()}
            for fact in facts:
                row = existing.get(fact.key) or AlertClaim(
                    partner=partner, fact_key=fact.key, court_id=fact.court, case_number=fact.case_number,
                    kind=fact.kind, fact_date=fact.date, delivery_key=delivery_key, claimed_at=now)
                row.delivery_key, row.claimed_at = delivery_key, now
                session.add(row)
            # A retried digest carries only what is still current: the rest was never told.
            session.execute(delete(AlertClaim).where(AlertClaim.delivery_key == delivery_key,
                                                     AlertClaim.fact_key.not_in([f.key for f in facts])))
            session.commit()

    # --- opt-outs -------------------------------------------------------------------------

    def opt_out(self, household_key: str, case_number: str | None = None, reason: str | None = None) -> int:
        with Session(self.engine) as session:
            row = OptOut(household_key=household_key, case_number=case_number, reason=reason, created_at=utc_now())
            session.add(row)
            session.commit()
            return row.id  # type: ignore[return-value]

    def opt_outs(self) -> list[OptOut]:
        with Session(self.engine) as session:
            return list(session.execute(select(OptOut).order_by(OptOut.id)).scalars())

    def remove_opt_out(self, opt_out_id: int) -> bool:
        with Session(self.engine) as session:
            result = session.execute(delete(OptOut).where(OptOut.id == opt_out_id))
            session.commit()
            return result.rowcount > 0

    def opted_out_households(self) -> set[str]:
        with Session(self.engine) as session:
            return set(session.execute(select(OptOut.household_key)).scalars())
