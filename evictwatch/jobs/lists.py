"""Each partner's weekly outreach list, once, through the configured channel.

A list is as of the moment it is made: its day at the partner's send_time, in each court's own
zone (notify.urgency.CourtClock). Every rule counts from there, whatever day it goes out.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from evictwatch.config import AppConfig, PartnerConfig
from evictwatch.jobs.court_days import court_clocks
from evictwatch.jobs.mail import (
    channel,
    court_names,
    filters_of,
    list_message,
    local_time,
    partners_receiving,
    portal_of,
)
from notify.deliver import Content, DeliveryKey, DeliveryResult, Planned, deliver_all
from notify.outreach import outreach_rows, week_bounds
from notify.render import render_outreach
from pipeline.store.repo import Store

KIND = "weekly_list"
WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")


def send_time(partner: PartnerConfig) -> dt.time:
    hour, minute = (int(x) for x in partner.send_time.split(":"))
    return dt.time(hour, minute)


def list_day(partner: PartnerConfig, week: str, today: dt.date | None = None) -> dt.date:
    """The day a list is as of: the day it is made (`today`), else its partner's send day that week."""
    return today or week_bounds(week)[0] + dt.timedelta(days=WEEKDAYS.index(partner.send_day))


def incomplete_courts(config: AppConfig, partner: PartnerConfig, failed: set[str]) -> list[str]:
    """The partner's courts (its filter, else every enabled court) whose scrape failed."""
    courts = partner.filters.courts or [c.id for c in config.courts if c.enabled]
    return sorted(set(courts) & failed)


def send_weekly_lists(config: AppConfig, store: Store, *, week: str, partner_name: str | None = None,
                      dry_run: bool = False, resend: bool = False, now: dt.datetime | None = None,
                      incomplete: Sequence[str] = (), today: dt.date | None = None) -> list[DeliveryResult]:
    """`today`: the day the list is made (`notify --today`, a scheduled run's day); without it,
    each partner's send day of `week`. `incomplete`: courts whose data is known to be
    incomplete; the list says so at the top."""
    now = now or dt.datetime.now(dt.timezone.utc)
    ledger = store.ledger
    opted_out = ledger.opted_out_households()
    portal = portal_of(config)

    def plan(partner: PartnerConfig) -> Planned:
        key = DeliveryKey(partner.name, KIND, week)

        def prepare() -> Content:
            at = send_time(partner)
            clocks = court_clocks(config, list_day(partner, week, today), at, not_before=now)
            rows = outreach_rows(store, filters_of(partner), clocks=clocks,
                                 new_since=ledger.last_sent(partner.name, KIND), opted_out=opted_out, portal=portal)
            note = (f"INCOMPLETE: the last scrape of {', '.join(incomplete)} failed, so cases from "
                    f"{'that court' if len(incomplete) == 1 else 'those courts'} may be missing from this list."
                    if incomplete else "")
            rendered = render_outreach(partner.name, week, rows, courts=court_names(config, partner.filters.courts),
                                       generated_at=local_time(config, now), note=note,
                                       as_of=clocks.default.now)
            return Content(len(rows), list_message(config, key, partner.emails, rendered, now),
                           cases=[(r.court, r.case_number) for r in rows])
        return Planned(key, prepare)

    return deliver_all([plan(p) for p in partners_receiving(config, KIND, partner_name)], ledger=ledger,
                       channel=channel(config, dry_run), resend=resend)
