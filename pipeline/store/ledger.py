"""The notifier's ledger and the opt-out list, as stored rows (only the store touches rows)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import Engine, delete, select
from sqlmodel import Session

from pipeline.store.models import Delivery, OptOut
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
