"""The notifier's ledger and the opt-out list, as stored rows (only the store touches rows)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum

from sqlalchemy import Engine, delete, select, tuple_
from sqlmodel import Session

from pipeline.store.models import AlertClaim, CaseRecipient, Delivery, DeliveryCase, OptOut
from pipeline.store.rows import utc_now


class DeliveryState(StrEnum):
    """Where a delivery key (partner, kind, period) stands in the delivery log.

        (none) --intend--> SENDING --handed over, accepted-----> SENT     never sent again
                              |------refused / unreachable-----> FAILED   retried by the next run
                              |------lost after hand-over------> UNKNOWN  held for a person
        FAILED --nothing left to send by the retry--> EXPIRED            (alert digests only)

    A process that dies between hand-over and the outcome leaves SENDING: held, like UNKNOWN —
    except for the local outbox, whose file (written whole or not at all, its path recorded with
    the intent) tells: there, SENDING with its file is SENT, and without it is sent again (a full
    disk that refused both). Erasure settles such a key before it deletes the file.
    Held deliveries are reported to the operators and go out again only by
    `evictwatch notify --resend KEY`, after a person checked that the partner did not get them.
    """

    SENDING = "sending"
    SENT = "sent"
    FAILED = "failed"
    UNKNOWN = "unknown"
    EXPIRED = "expired"

    @property
    def held(self) -> bool:
        return self in HELD


HELD = frozenset({DeliveryState.SENDING, DeliveryState.UNKNOWN})


@dataclass(frozen=True)
class DeliveryKey:
    """Whom a delivery is for, what it is and which period it covers. Its text form is the
    ledger's primary key and the seed of the Message-ID; it is never split back apart."""

    partner: str
    kind: str
    period: str

    def __str__(self) -> str:
        return f"{self.partner}|{self.kind}|{self.period}"


@dataclass(frozen=True)
class DeliveryRecord:
    key: str
    partner: str
    kind: str
    period: str
    state: DeliveryState
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


def _add_recipients(session: Session, partner: str, cases: Iterable[tuple[str, str]]) -> None:
    wanted = sorted(set(cases))
    known: set[tuple[str, str]] = set()
    for start in range(0, len(wanted), 500):
        chunk = wanted[start:start + 500]
        known |= set(session.execute(select(CaseRecipient.court_id, CaseRecipient.case_number).where(
            CaseRecipient.partner == partner,
            tuple_(CaseRecipient.court_id, CaseRecipient.case_number).in_(chunk))).all())
    now = utc_now()
    session.add_all(CaseRecipient(partner=partner, court_id=court, case_number=number, first_at=now)
                    for court, number in wanted if (court, number) not in known)


def _record(row: Delivery) -> DeliveryRecord:
    return DeliveryRecord(row.key, row.partner, row.kind, row.period, DeliveryState(row.state), row.message_id, row.transport,
                          row.attempts, row.rows, row.receipt, row.error, row.updated_at)


class Ledger:
    def __init__(self, engine: Engine) -> None:
        self.engine = engine

    def get(self, key: DeliveryKey | str) -> DeliveryRecord | None:
        """A delivery by its key (or the key's text, as an operator types it for --resend)."""
        with Session(self.engine) as session:
            row = session.get(Delivery, str(key))
            return _record(row) if row else None

    def intend(self, key: DeliveryKey, *, message_id: str, transport: str, rows: int,
               cases: Iterable[tuple[str, str]] = (), target: str | None = None) -> None:
        """Written and committed before the message is handed to the transport, with the cases it
        gives the partner, in one transaction: a store that fails (a full disk) leaves the key as it
        was, never `sending` for a message that was not handed over. `target`: the outbox file it
        is written to (kept as its receipt: a key left `sending` is settled by that file)."""
        now = utc_now()
        with Session(self.engine) as session:
            row = session.get(Delivery, str(key))
            if row is None:
                row = Delivery(key=str(key), partner=key.partner, kind=key.kind, period=key.period,
                               state=DeliveryState.SENDING, message_id=message_id, transport=transport, rows=rows,
                               created_at=now, updated_at=now)
            row.state, row.transport, row.rows, row.updated_at = DeliveryState.SENDING, transport, rows, now
            row.receipt = target
            row.attempts += 1
            session.add(row)
            given = sorted(set(cases))
            _add_recipients(session, key.partner, given)
            # What this delivery carries (a retried intent carries what it carries now).
            session.execute(delete(DeliveryCase).where(DeliveryCase.delivery_key == str(key)))
            session.add_all(DeliveryCase(delivery_key=str(key), court_id=court, case_number=number)
                            for court, number in given)
            session.commit()

    def outcome(self, key: DeliveryKey | str, state: DeliveryState, *, receipt: str | None = None,
                error: str | None = None) -> None:
        with Session(self.engine) as session:
            row = session.get(Delivery, str(key))
            row.state, row.receipt, row.error, row.updated_at = state, receipt, error, utc_now()
            session.add(row)
            session.commit()

    def last_sent(self, partner: str, kind: str) -> dt.datetime | None:
        """When this partner's last delivery of this kind went out (None: never)."""
        with Session(self.engine) as session:
            query = (select(Delivery.updated_at).where(Delivery.partner == partner, Delivery.kind == kind,
                                                       Delivery.state == DeliveryState.SENT)
                     .order_by(Delivery.updated_at.desc()).limit(1))
            return session.execute(query).scalar()

    def unsettled(self) -> list[DeliveryRecord]:
        """Sends whose outcome nobody knows: handed over, then the process died (or the link did)."""
        with Session(self.engine) as session:
            query = select(Delivery).where(Delivery.state.in_(HELD)).order_by(Delivery.key)
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
        return set(self.told(partner))

    def told(self, partner: str, prefix: str = "") -> dict[str, dt.date | None]:
        """The facts already given to this partner (see alerted_facts), with each fact's date; only
        keys starting with `prefix`."""
        with Session(self.engine) as session:
            query = (select(AlertClaim.fact_key, AlertClaim.fact_date)
                     .join(Delivery, Delivery.key == AlertClaim.delivery_key)
                     .where(AlertClaim.partner == partner, Delivery.state != DeliveryState.FAILED,
                            AlertClaim.fact_key.startswith(prefix, autoescape=True)))
            return {fact_key: day for fact_key, day in session.execute(query)}

    def claimed_facts(self, key: DeliveryKey) -> list[AlertFact]:
        with Session(self.engine) as session:
            query = select(AlertClaim).where(AlertClaim.delivery_key == str(key)).order_by(AlertClaim.id)
            return [AlertFact(c.fact_key, c.court_id, c.case_number, c.kind, c.fact_date)
                    for c in session.execute(query).scalars()]

    def claim(self, key: DeliveryKey, facts: list[AlertFact]) -> None:
        """Give these facts to a delivery (taking them from a failed or unrecorded one)."""
        now, partner, delivery_key = utc_now(), key.partner, str(key)
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

    # --- whom each case was given to -----------------------------------------------------

    def given(self, partner: str, cases: Iterable[tuple[str, str]]) -> None:
        """These (court, case number) cases were handed to this partner (once is enough to know)."""
        with Session(self.engine) as session:
            _add_recipients(session, partner, cases)
            session.commit()

    def recipients(self, court: str, case_number: str) -> list[str]:
        with Session(self.engine) as session:
            query = (select(CaseRecipient.partner).where(CaseRecipient.court_id == court,
                                                         CaseRecipient.case_number == case_number)
                     .order_by(CaseRecipient.partner))
            return list(session.execute(query).scalars())

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
