"""Messages to the people who run evictwatch (`notify.operators`), through the partners' sender.

Each message has a stable topic and period, so it goes out once through the same delivery
log as the partners' e-mails: a held partner delivery is reported once, a failed run once.
Operator messages carry keys, case numbers and counts, never tenants' names or addresses.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Sequence

from evictwatch.config import AppConfig
from evictwatch.jobs.mail import channel, message
from notify.deliver import Content, DeliveryKey, DeliveryOutcome, Planned, deliver_all
from notify.render import operator_text
from pipeline.store.ledger import DeliveryRecord
from pipeline.store.repo import Store

OPERATORS = "operators"


def tell_operators(config: AppConfig, store: Store, *, topic: str, period: str, subject: str,
                   lines: Sequence[str], now: dt.datetime | None = None) -> DeliveryOutcome | None:
    """Send one operator message for (topic, period), once; None when no operators are configured."""
    if not config.notify.operators:
        return None
    now = now or dt.datetime.now(dt.timezone.utc)
    key = DeliveryKey(OPERATORS, f"operator_{topic}"[:32], period)
    build = message(config, key, config.notify.operators, subject=f"[evictwatch] {subject}",
                    text=operator_text(subject, lines, generated_at=now), html=None, attachments=[], now=now)
    [result] = deliver_all([Planned(key, lambda: Content(len(lines), build))], ledger=store.ledger,
                           channel=channel(config))
    return result.outcome


def report_held(config: AppConfig, store: Store, held: Sequence[DeliveryRecord],
                now: dt.datetime | None = None) -> list[DeliveryOutcome]:
    """Each partner delivery whose outcome is unknown, reported once (operator messages excluded)."""
    outcomes = []
    for record in held:
        if record.partner == OPERATORS:
            continue
        lines = [
            f"Delivery {record.key} was handed to the {record.transport} transport at "
            f"{record.updated_at:%Y-%m-%d %H:%M} UTC, and whether it arrived is not known "
            f"({record.error or 'the process stopped before the outcome was recorded'}).",
            "evictwatch will not send it again by itself, so that the partner does not get it twice.",
            f"Check with {record.partner} (or the mail server's log, Message-ID {record.message_id}) "
            "whether it arrived. If it did not:",
            f"    evictwatch notify --resend '{record.key}'",
        ]
        outcome = tell_operators(config, store, topic="held", period=period_digest(record.key),
                                 subject=f"delivery held: {record.key}", lines=lines, now=now)
        if outcome is not None:
            outcomes.append(outcome)
    return outcomes


def report_failed_courts(config: AppConfig, store: Store, failures: Sequence[tuple[str, int | None, str]],
                         now: dt.datetime | None = None) -> DeliveryOutcome | None:
    """One message for the courts that failed in a run: (court id, run-log id, error)."""
    if not failures:
        return None
    lines = [f"court {court}: {error} (run {run_id})" for court, run_id, error in failures]
    lines += ["", "What was read before the failure is kept; the next run tries these courts again.",
              "The archived pages and `evictwatch archive page CASE` help tell a layout change from an outage."]
    period = "runs-" + "-".join(str(run_id) for _, run_id, _ in failures)
    return tell_operators(config, store, topic="run_failed", period=period_digest(period),
                          subject=f"scrape failed for {', '.join(c for c, _, _ in failures)}", lines=lines, now=now)


def period_digest(text: str) -> str:
    """A stable, short period for an operator message about `text` (a key, a partner's name)."""
    return hashlib.sha256(text.encode()).hexdigest()[:24]
