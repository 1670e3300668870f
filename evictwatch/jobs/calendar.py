"""Partners' calendar feeds: their upcoming hearings as .ics files, regenerated each run."""

from __future__ import annotations

import datetime as dt
import os
import tempfile
from pathlib import Path

from evictwatch.config import AppConfig, PartnerConfig
from evictwatch.jobs.mail import court_names, filters_of, portal_of
from notify.calendar import case_of_uid, hearings_calendar
from notify.transport import private_folder
from pipeline.store.notices import eviction_cases, hearing_revisions
from pipeline.store.repo import Store

LOOK_BACK_DAYS = 7  # last week's hearings stay, with their results, for the volunteers' records


def write_calendar(config: AppConfig, store: Store, partner: PartnerConfig, out: Path, *, today: dt.date,
                   weeks: int = 6, now: dt.datetime | None = None) -> int:
    """Writes the partner's feed (0600: it holds tenants' names) atomically; returns its events.

    The folders it makes are 0700; the configured feed's folder is tightened to 0700 if an older
    release left it open, a folder named by `--out` that was already there is left as it is."""
    now = now or dt.datetime.now(dt.timezone.utc)
    courts = list(partner.filters.courts)
    cal = hearings_calendar(
        eviction_cases(store), partner=partner.name, since=today - dt.timedelta(days=LOOK_BACK_DAYS),
        until=today + dt.timedelta(weeks=weeks), courts=court_names(config, courts),
        zones={c.id: c.zone for c in config.courts}, revisions=hearing_revisions(store, courts),
        generated_at=now, filters=filters_of(partner), opted_out=store.ledger.opted_out_households(),
        today=today, portals=portal_of(config))
    # The feed is handed over by being served: whoever subscribes has its cases.
    store.ledger.given(partner.name, {case_of_uid(str(e["UID"])) for e in cal.walk("VEVENT")})
    data = cal.to_ical()
    private_folder(out.parent, tighten=out.parent.resolve() == config.partner_calendar_path(partner).parent.resolve())
    fd, tmp = tempfile.mkstemp(dir=out.parent, prefix=".tmp-", suffix=".ics")
    try:
        with os.fdopen(fd, "wb") as fh:  # mkstemp: 0600 already
            fh.write(data)
        os.replace(tmp, out)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return sum(1 for c in cal.walk("VEVENT"))


def write_calendars(config: AppConfig, store: Store, *, today: dt.date) -> dict[str, int]:
    """Every partner with `receives: [calendar]`, into its `calendar_file`."""
    return {p.name: write_calendar(config, store, p, config.partner_calendar_path(p), today=today)
            for p in config.partners if "calendar" in p.receives}
