"""`evictwatch notify`: each partner's weekly list, once, through the configured transport."""

from __future__ import annotations

import datetime as dt
import ssl
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

from evictwatch.config import AppConfig, PartnerConfig
from notify.deliver import DeliveryOutcome, deliver, delivery_key
from notify.message import Attachment, build_message
from notify.outreach import Filters, outreach_rows, week_bounds
from notify.render import render_outreach
from notify.transport import OutboxTransport, SmtpTransport, Transport, password_from_env
from pipeline.store.ledger import Ledger
from pipeline.store.repo import Store

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
DOMAIN = "evictwatch.local"


@dataclass
class NotifyResult:
    partner: str
    outcome: DeliveryOutcome
    rows: int
    path: str | None = None
    kind: str = "weekly_list"


def make_transport(config: AppConfig, dry_run: bool = False) -> tuple[Transport, str]:
    if dry_run:
        return OutboxTransport(config.dry_run_path()), "dry-run"
    if config.notify.transport == "smtp":
        smtp = config.notify.smtp
        assert smtp is not None
        password = password_from_env(smtp.password_env) if smtp.username else None
        context = ssl.create_default_context(cafile=smtp.ca_file) if smtp.ca_file else None
        return SmtpTransport(smtp.host, smtp.port, security=smtp.security, username=smtp.username,
                             password=password, timeout_s=smtp.timeout_s, ssl_context=context), "smtp"
    return OutboxTransport(config.outbox_path()), "outbox"


def sent_path(outcome: DeliveryOutcome, transport_name: str) -> str | None:
    """The .eml file a delivery just wrote (the outbox's receipt), for printing."""
    return outcome.detail if transport_name == "outbox" and outcome.state == "sent" else None


def portal_of(config: AppConfig) -> dict[str, str]:
    """Each court's portal address: how a partner looks a case up."""
    return {c.id: c.base_url for c in config.courts}


def iso_week(day: dt.date) -> str:
    year, week, _ = day.isocalendar()
    return f"{year}-W{week:02d}"


def filters_of(partner: PartnerConfig) -> Filters:
    f = partner.filters
    return Filters(
        courts=frozenset(f.courts), zips=frozenset(f.zips), statuses=frozenset(f.statuses),
        min_amount=Decimal(str(f.min_amount)) if f.min_amount is not None else None,
        max_amount=Decimal(str(f.max_amount)) if f.max_amount is not None else None,
        landlords=frozenset(name.upper() for name in f.landlords),
    )


def send_weekly_lists(config: AppConfig, store: Store, *, week: str, partner_name: str | None = None,
                      dry_run: bool = False, resend: bool = False,
                      now: dt.datetime | None = None) -> list[NotifyResult]:
    now = now or dt.datetime.now(dt.timezone.utc)
    monday, _ = week_bounds(week)
    ledger = Ledger(store.engine)
    transport, transport_name = make_transport(config, dry_run)
    opted_out = ledger.opted_out_households()
    portal = portal_of(config)
    results = []
    for partner in config.partners:
        if partner_name and partner.name != partner_name:
            continue
        if "weekly_list" not in partner.receives:
            continue
        done = ledger.get(delivery_key(partner.name, "weekly_list", week))
        if done is not None and done.state == "sent" and not resend and not dry_run:
            results.append(NotifyResult(partner.name, DeliveryOutcome(done.key, "already_sent", done.receipt or ""),
                                        done.rows))  # the list as it was sent, not as it would be now
            continue
        rows = outreach_rows(store, filters_of(partner), today=monday,
                             new_since=ledger.last_sent(partner.name, "weekly_list"), opted_out=opted_out,
                             portal=portal)
        rendered = render_outreach(partner.name, week, rows, generated_at=now)

        def build(mid: str, partner=partner, rendered=rendered):
            message = build_message(
                key=delivery_key(partner.name, "weekly_list", week), sender=config.notify.sender,
                to=partner.emails, subject=rendered.subject, text=rendered.text, html=rendered.html,
                attachments=[Attachment(f"{rendered.filename_stem}.csv", rendered.csv, "text/csv"),
                             Attachment(f"{rendered.filename_stem}.xlsx", rendered.xlsx, XLSX)],
                reply_to=config.notify.reply_to, domain=DOMAIN, date=now)
            return message

        if dry_run:
            message = build("")
            path = transport.send(message)
            results.append(NotifyResult(partner.name, DeliveryOutcome("", "dry_run", path), len(rows), path))
            continue
        outcome = deliver(ledger, transport, transport_name, partner=partner.name, kind="weekly_list",
                          period=week, rows=len(rows), build=build, domain=DOMAIN, resend=resend)
        results.append(NotifyResult(partner.name, outcome, len(rows), sent_path(outcome, transport_name)))
    return results


def outbox_files(config: AppConfig) -> list[Path]:
    return sorted(config.outbox_path().rglob("*.eml"))
