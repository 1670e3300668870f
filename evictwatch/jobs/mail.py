"""What every e-mail job shares: the configured channel, the message, a partner's filters."""

from __future__ import annotations

import datetime as dt
import ssl
from collections.abc import Callable, Sequence
from decimal import Decimal
from email.message import EmailMessage
from pathlib import Path
from zoneinfo import ZoneInfo

from evictwatch.config import AppConfig, PartnerConfig
from notify.deliver import Channel, Content, DeliveryKey, Planned
from notify.message import Attachment, build_message
from notify.outreach import Filters
from notify.render import CourtName, RenderedList
from notify.transport import OutboxTransport, SmtpTransport, password_from_env
from pipeline.store.ledger import DeliveryState, Ledger

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
DOMAIN = "evictwatch.local"


def channel(config: AppConfig, dry_run: bool = False) -> Channel:
    if dry_run:
        return Channel(OutboxTransport(config.dry_run_path()), "dry-run", dry_run=True)
    if config.notify.transport == "smtp":
        smtp = config.notify.smtp
        assert smtp is not None
        password = password_from_env(smtp.password_env) if smtp.username else None
        context = ssl.create_default_context(cafile=smtp.ca_file) if smtp.ca_file else None
        return Channel(SmtpTransport(smtp.host, smtp.port, security=smtp.security, username=smtp.username,
                                     password=password, timeout_s=smtp.timeout_s, ssl_context=context), "smtp")
    return Channel(OutboxTransport(config.outbox_path()), "outbox", local_outbox=config.run_mode != "distributed")


def message(config: AppConfig, key: DeliveryKey, to: Sequence[str], *, subject: str, text: str,
            html: str | None, attachments: Sequence[Attachment], now: dt.datetime) -> Callable[[], EmailMessage]:
    def build() -> EmailMessage:
        return build_message(key=str(key), sender=config.notify.sender, to=to, subject=subject, text=text,
                             html=html, attachments=attachments, reply_to=config.notify.reply_to, domain=DOMAIN,
                             date=now)
    return build


def list_message(config: AppConfig, key: DeliveryKey, to: Sequence[str], rendered: RenderedList,
                 now: dt.datetime) -> Callable[[], EmailMessage]:
    """A rendered list (weekly cases or an alert digest) with its CSV and XLSX attached."""
    return message(config, key, to, subject=rendered.subject, text=rendered.text, html=rendered.html,
                   attachments=[Attachment(f"{rendered.filename_stem}.csv", rendered.csv, "text/csv"),
                                Attachment(f"{rendered.filename_stem}.xlsx", rendered.xlsx, XLSX)], now=now)


def digest_plan(ledger: Ledger, partner: str, kind: str, today: dt.date,
                prepare: Callable[[DeliveryKey], Content | None]) -> Planned:
    """A digest sent with any run that has news (alerts, watch lists). A failed one is retried
    under its own key with what is still new (and expires when nothing is); otherwise the
    day's next number: 2026-11-27.1, 2026-11-27.2, ..."""
    latest = ledger.latest(partner, kind)
    retry = latest if latest is not None and latest.state == DeliveryState.FAILED else None
    if retry is not None:
        period = retry.period
    else:
        period = f"{today.isoformat()}.{ledger.count_periods(partner, kind, today.isoformat() + '.') + 1}"
    key = DeliveryKey(partner, kind, period)

    def nothing() -> None:
        if retry is not None:
            # What the failed digest held is no longer current (a hearing passed, a writ aged out).
            ledger.outcome(retry.key, DeliveryState.EXPIRED, error="nothing left to tell by " + today.isoformat())
    return Planned(key, lambda: prepare(key), nothing)


def partners_receiving(config: AppConfig, kind: str, partner_name: str | None = None) -> list[PartnerConfig]:
    return [p for p in config.partners if kind in p.receives and (not partner_name or p.name == partner_name)]


def portal_of(config: AppConfig) -> dict[str, str]:
    """Each court's public address: how a partner looks a case up (`lookup_url`, else `base_url`)."""
    return {c.id: c.lookup_url or c.base_url for c in config.courts}


def court_names(config: AppConfig, courts: Sequence[str] = ()) -> dict[str, CourtName]:
    """These courts (none: every enabled court), named as configured, each with its court
    system's own term for an eviction case, whether its portal publishes streets and whether
    its court system states a set-aside window for default judgments."""
    return {c.id: CourtName(c.display_name, c.court.vocabulary.term, c.court.publishes_streets,
                            c.court.set_aside_days is not None)
            for c in config.courts if (c.id in courts if courts else c.enabled)}


def local_time(config: AppConfig, at: dt.datetime) -> dt.datetime:
    """A stamp a person reads, in the schedule's zone (the partners' own, not the server's UTC)."""
    return at.astimezone(ZoneInfo(config.schedule.timezone))


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


def outbox_files(config: AppConfig) -> list[Path]:
    return sorted(config.outbox_path().rglob("*.eml"))
