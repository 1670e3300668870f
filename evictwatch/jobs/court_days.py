"""When a court sits: weekdays, less its state's holidays (the `holidays` library, the state
from the court's adapter) and the days its config says it is closed; and each court's clock at
the moment a list is made."""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Iterable
from zoneinfo import ZoneInfo

import holidays

from evictwatch.config import AppConfig, CourtConfig
from notify.urgency import CourtClock, CourtClocks


def closed_days(court: CourtConfig, years: Iterable[int]) -> frozenset[dt.date]:
    country, subdivision = court.court.adapter.holiday_region
    return official_holidays(country, subdivision, tuple(sorted(set(years)))) | frozenset(court.closed_days)


@functools.cache
def official_holidays(country: str, subdivision: str | None, years: tuple[int, ...]) -> frozenset[dt.date]:
    """A state's holidays in these years (worked out once per process: a state's hundred courts
    share them, and working them out took ~15 ms each)."""

    return frozenset(holidays.country_holidays(country, subdiv=subdivision, years=list(years)))


def closed_days_of(config: AppConfig, today: dt.date) -> dict[str, frozenset[dt.date]]:
    """Each enabled court's closed days around `today` (this year and the next: a run on
    31 December looks into January)."""
    return {c.id: closed_days(c, (today.year, today.year + 1)) for c in config.courts if c.enabled}


def court_clocks(config: AppConfig, day: dt.date, at: dt.time, not_before: dt.datetime | None = None) -> CourtClocks:
    """Every configured court at `day` `at` its own local time, with its calendar and law
    windows (a court no longer configured: the schedule's zone, weekdays, no window).
    `not_before`: the real moment the list is made; on that same local day a list made after its
    send time is as of that moment (a hearing of the morning is past by the afternoon)."""
    years = (day.year, day.year + 1)  # a list made in late December looks into January

    def moment(zone: str) -> dt.datetime:
        planned = dt.datetime.combine(day, at, tzinfo=ZoneInfo(zone))
        if not_before is None:
            return planned
        real = not_before.astimezone(ZoneInfo(zone))
        return max(planned, real) if real.date() == day else planned

    default = CourtClock(moment(config.schedule.timezone))
    return CourtClocks(default, {c.id: CourtClock(moment(c.zone), closed_days(c, years), c.court.set_aside_days)
                                 for c in config.courts})
