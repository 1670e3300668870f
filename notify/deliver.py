"""Exactly once: intent is recorded before a message is handed over, the outcome after.

States of a delivery key (partner|kind|period):

    (none) --intend--> sending --sent--> sent         never sent again
                          |----refused/unreachable--> failed   retried by the next run
                          |----lost after hand-over--> unknown  held for a person
    a process that dies between hand-over and the outcome leaves `sending`: held too.

Held deliveries are reported to the operators and sent again only by `evictwatch notify
--resend KEY`, after a person checked that the partner did not get it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from email.message import EmailMessage

from notify.message import message_id
from notify.transport import DeliveryRefused, DeliveryUnknown, DeliveryUnreachable, Transport
from pipeline.store.ledger import Ledger

HELD = ("sending", "unknown")


@dataclass(frozen=True)
class DeliveryOutcome:
    key: str
    state: str  # sent | already_sent | held | failed | unknown
    detail: str = ""


def delivery_key(partner: str, kind: str, period: str) -> str:
    return f"{partner}|{kind}|{period}"


def deliver(ledger: Ledger, transport: Transport, transport_name: str, *, partner: str, kind: str, period: str,
            rows: int, build: Callable[[str], EmailMessage], domain: str, resend: bool = False) -> DeliveryOutcome:
    """Send the message `build(message_id)` once for (partner, kind, period)."""
    key = delivery_key(partner, kind, period)
    current = ledger.get(key)
    if current is not None and current.state == "sent" and not resend:
        return DeliveryOutcome(key, "already_sent", current.receipt or "")
    if current is not None and current.state in HELD and not resend:
        return DeliveryOutcome(key, "held", f"outcome unknown since {current.updated_at:%Y-%m-%d %H:%M} UTC; "
                                            f"check with the partner, then: evictwatch notify --resend '{key}'")
    mid = message_id(key, domain)
    message = build(mid)
    ledger.intend(key, partner=partner, kind=kind, period=period, message_id=mid, transport=transport_name,
                  rows=rows)
    try:
        receipt = transport.send(message)
    except DeliveryUnknown as exc:
        ledger.outcome(key, "unknown", error=str(exc))
        return DeliveryOutcome(key, "unknown", str(exc))
    except (DeliveryRefused, DeliveryUnreachable) as exc:
        ledger.outcome(key, "failed", error=str(exc))
        return DeliveryOutcome(key, "failed", str(exc))
    ledger.outcome(key, "sent", receipt=receipt)
    return DeliveryOutcome(key, "sent", receipt)
