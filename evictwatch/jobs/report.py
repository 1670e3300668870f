"""`evictwatch report`, and the report e-mailed to the partners who receive it (once a week)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from pathlib import Path

from evictwatch.config import AppConfig, PartnerConfig
from evictwatch.jobs.lists import DOMAIN, NotifyResult, make_transport, sent_path
from notify.deliver import DeliveryOutcome, deliver, delivery_key
from notify.message import Attachment, build_message
from pipeline.store.ledger import Ledger
from pipeline.store.repo import Store
from reports.render import summary_text, write_report
from reports.weekly import WeeklyReport, build_report

KIND = "weekly_report"


def make_report(config: AppConfig, store: Store, period: str, *, courts: Sequence[str] = (),
                today: dt.date, out: Path | None = None,
                now: dt.datetime | None = None) -> tuple[WeeklyReport, Path]:
    """Builds the week's report for these courts (none: all), writes it into the archive."""
    now = now or dt.datetime.now(dt.timezone.utc)
    health = list(courts) or [c.id for c in config.courts if c.enabled]
    report = build_report(store.engine, period, courts=courts, health_courts=health, today=today,
                          stale_after_days=config.reports.stale_after_days)
    return report, write_report(report, out or config.reports_path(), generated_at=now)


def send_weekly_reports(config: AppConfig, store: Store, *, week: str, today: dt.date,
                        partner_name: str | None = None, dry_run: bool = False, resend: bool = False,
                        now: dt.datetime | None = None,
                        made: dict[tuple[str, ...], tuple[WeeklyReport, Path]] | None = None) -> list[NotifyResult]:
    """Each partner that receives the weekly report gets its courts' report attached, once.
    `made`: reports of this week the caller already wrote, by their courts (() for all)."""
    now = now or dt.datetime.now(dt.timezone.utc)
    ledger = Ledger(store.engine)
    transport, transport_name = make_transport(config, dry_run)
    made = {} if dry_run else (made if made is not None else {})  # shared with the caller: one per run
    results = []
    for partner in config.partners:
        if (partner_name and partner.name != partner_name) or KIND not in partner.receives:
            continue
        key = delivery_key(partner.name, KIND, week)
        current = ledger.get(key)
        if current is not None and current.state == "sent" and not resend and not dry_run:
            results.append(NotifyResult(partner.name, DeliveryOutcome(key, "already_sent", current.receipt or ""),
                                        0, kind=KIND))
            continue
        courts = tuple(sorted(partner.filters.courts))
        if courts not in made:
            # A dry run leaves the archive alone: its report goes beside its e-mails.
            out = config.dry_run_path() / "reports" if dry_run else None
            made[courts] = make_report(config, store, week, courts=courts, today=today, out=out, now=now)
        report, path = made[courts]
        build = _builder(config, partner, week, report, path, now)
        if dry_run:
            sent = transport.send(build(""))
            results.append(NotifyResult(partner.name, DeliveryOutcome("", "dry_run", sent), 1, sent, KIND))
            continue
        outcome = deliver(ledger, transport, transport_name, partner=partner.name, kind=KIND, period=week, rows=1,
                          build=build, domain=DOMAIN, resend=resend)
        results.append(NotifyResult(partner.name, outcome, 1, sent_path(outcome, transport_name), KIND))
    return results


def _builder(config: AppConfig, partner: PartnerConfig, week: str, report: WeeklyReport, path: Path,
             now: dt.datetime):
    scope = ", ".join(report.courts) if report.courts else "all courts"

    def build(mid: str):
        return build_message(
            key=delivery_key(partner.name, KIND, week), sender=config.notify.sender, to=partner.emails,
            subject=f"Eviction trends {week} ({scope})", text=summary_text(report, scope), html=None,
            attachments=[Attachment(f"eviction-trends-{path.name}", path.read_bytes(), "text/html")],
            reply_to=config.notify.reply_to, domain=DOMAIN, date=now)
    return build
