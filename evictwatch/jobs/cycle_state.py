"""Where a cycle stands: what it did so far, the day and hour it runs for, and how it ends."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path
from zoneinfo import ZoneInfo

from evictwatch.config import AppConfig, ConfigError, PartnerConfig
from evictwatch.jobs.scrape import CourtOutcome
from notify.deliver import DeliveryResult
from notify.transport import MissingSecretError
from pipeline.landlords import OverridesError
from pipeline.store.runlog import AlarmRow

EXIT_OK, EXIT_COURT_FAILED, EXIT_CONFIG, EXIT_LOCKED = 0, 1, 2, 3
# Errors a person fixes in the configuration or the environment: a run that meets one exits 2.
CONFIG_ERRORS: tuple[type[Exception], ...] = (MissingSecretError, OverridesError, ConfigError)
_DAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")


@dataclass
class CycleResult:
    run_id: int | None
    exit_code: int
    outcomes: list[CourtOutcome] = field(default_factory=list)
    sent: list[DeliveryResult] = field(default_factory=list)
    report_path: Path | None = None
    alarms: list[AlarmRow] = field(default_factory=list)
    abandoned: list[int] = field(default_factory=list)
    error: str | None = None
    given_day: bool = False  # run for a day given (--today): every court runs on it, not its own date


def local_now(config: AppConfig, today: dt.date | None) -> dt.datetime:
    """Now in the schedule's time zone; with a given day, the end of that day (all of it is due)."""
    zone = ZoneInfo(config.schedule.timezone)
    if today is None:
        return dt.datetime.now(zone)
    return dt.datetime.combine(today, dt.time(23, 59), tzinfo=zone)


def is_due(partner: PartnerConfig, now: dt.datetime) -> bool:
    """Whether this ISO week's send day and time have come for the partner (later days catch up)."""
    day = _DAYS.index(partner.send_day)
    hour, minute = (int(x) for x in partner.send_time.split(":"))
    return (now.weekday(), now.hour, now.minute) >= (day, hour, minute)


def due_at(partner: PartnerConfig, now: dt.datetime) -> dt.datetime:
    """When this ISO week's list became due: its send day and time, in `now`'s zone."""
    hour, minute = (int(x) for x in partner.send_time.split(":"))
    monday = now.date() - dt.timedelta(days=now.weekday())
    day = monday + dt.timedelta(days=_DAYS.index(partner.send_day))
    return dt.datetime.combine(day, dt.time(hour, minute), tzinfo=now.tzinfo)
