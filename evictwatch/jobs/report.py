"""`evictwatch report`, and the report e-mailed to the partners who receive it (once a week)."""

from __future__ import annotations

import datetime as dt
import tempfile
from collections.abc import Sequence
from pathlib import Path
from zoneinfo import ZoneInfo

from evictwatch.config import AppConfig, PartnerConfig
from evictwatch.jobs.mail import channel, court_names, message, partners_receiving
from notify.deliver import Content, DeliveryKey, DeliveryResult, Planned, deliver_all
from notify.message import Attachment
from notify.render import courts_text
from pipeline.store.repo import Store
from reports.render import scope_of, summary_text, write_report
from reports.weekly import WeeklyReport, build_report

KIND = "weekly_report"


def make_report(config: AppConfig, store: Store, period: str, *, courts: Sequence[str] = (),
                today: dt.date, out: Path | None = None,
                now: dt.datetime | None = None) -> tuple[WeeklyReport, Path]:
    """Builds the week's report for these courts (none: all), writes it into the archive."""
    now = now or dt.datetime.now(dt.timezone.utc)
    health = list(courts) or [c.id for c in config.courts if c.enabled]
    report = build_report(store, period, courts=courts, health_courts=health, today=today,
                          stale_after_days=config.reports.stale_after_days)
    names, covers = report_labels(config, courts)
    local = now.astimezone(readers_zone(config, health))
    return report, write_report(report, out or config.reports_path(), generated_at=local, names=names, covers=covers)


def readers_zone(config: AppConfig, courts: Sequence[str]) -> ZoneInfo:
    """The zone the report's times are read in: its courts' own when they share one, else the schedule's."""
    zones = {c.zone for c in config.courts if c.id in courts}
    return ZoneInfo(zones.pop() if len(zones) == 1 else config.schedule.timezone)


def report_labels(config: AppConfig, courts: Sequence[str] = ()) -> tuple[dict[str, str], str]:
    """Every court's configured name by id, and what the report counts, in words."""
    covered = court_names(config, courts)
    return ({c.id: c.display_name for c in config.courts},
            f"eviction cases in {courts_text(list(covered.values()))}")


def send_weekly_reports(config: AppConfig, store: Store, *, week: str, today: dt.date,
                        partner_name: str | None = None, dry_run: bool = False, resend: bool = False,
                        now: dt.datetime | None = None,
                        made: dict[tuple[str, ...], tuple[WeeklyReport, Path]] | None = None) -> list[DeliveryResult]:
    """Each partner that receives the weekly report gets its courts' report attached, once.
    `made`: reports of this week the caller already wrote, by their courts (() for all)."""
    now = now or dt.datetime.now(dt.timezone.utc)
    made = {} if dry_run else (made if made is not None else {})  # shared with the caller: one per run
    # A dry run writes only its own e-mails: the report it attaches is made in a scratch folder.
    scratch = tempfile.TemporaryDirectory(prefix="evictwatch-dry-run-report-") if dry_run else None

    def plan(partner: PartnerConfig) -> Planned:
        key = DeliveryKey(partner.name, KIND, week)

        def prepare() -> Content:
            courts = tuple(sorted(partner.filters.courts))
            if courts not in made:
                out = Path(scratch.name) if scratch is not None else None  # a dry run leaves the archive alone
                made[courts] = make_report(config, store, week, courts=courts, today=today, out=out, now=now)
            report, path = made[courts]
            names = report_labels(config)[0]
            scope = scope_of(report, names)
            return Content(1, message(
                config, key, partner.emails, subject=f"Eviction trends {week} for {partner.name} ({scope})",
                text=summary_text(report, scope, names), html=None,
                attachments=[Attachment(f"eviction-trends-{path.name}", path.read_bytes(), "text/html")], now=now))
        return Planned(key, prepare)

    try:
        return deliver_all([plan(p) for p in partners_receiving(config, KIND, partner_name)],
                           ledger=store.ledger, channel=channel(config, dry_run), resend=resend)
    finally:
        if scratch is not None:
            scratch.cleanup()  # the attachment was read into the message already
