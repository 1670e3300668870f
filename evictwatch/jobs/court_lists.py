"""The courts of a state, from the portal itself: each `all: true` court entry reads the portal's
list of courts weekly, keeps it in the store, and stands for every court on it.

The weekly refresh runs before a scrape; expanding the entries (`evictwatch.listed_courts`) is
done by every process that opens the store with a configuration.
"""

from __future__ import annotations

import datetime as dt
import logging

from evictwatch.config import AppConfig, CourtConfig
from evictwatch.jobs.scrape import CourtOutcome, governor_for, safe_error, settings_of
from evictwatch.listed_courts import use_listed_courts
from pipeline.store.repo import Store
from scraper.base import CourtSummary, ListsCourts, ScrapeContext
from scraper.http import HostGovernor

log = logging.getLogger(__name__)

REFRESH_DAYS = 7  # a portal's list of courts changes when a court opens, merges or splits its dockets


async def refresh_court_lists(config: AppConfig, store: Store, today: dt.date, *,
                              governor: HostGovernor | None = None, force: bool = False) -> list[CourtOutcome]:
    """Ask each `all: true` entry's portal for its courts when the stored list is a week old (or
    missing), then expand the entries. A portal that cannot be asked keeps its stored list; the
    failure is an outcome of the entry's own, so the operator hears of it."""
    due = [entry for entry in config.court_entries() if entry.every_listed and entry.enabled
           and (force or _stale(store.court_lists.refreshed_on(entry.id), today))]
    failed: list[CourtOutcome] = []
    if due:
        own = governor is None
        governor = governor or governor_for(config, store)
        try:
            for entry in due:
                outcome = await _read_list(config, store, entry, today, governor)
                if outcome is not None:
                    failed.append(outcome)
        finally:
            close = getattr(governor.rate_limiter, "aclose", None) if own else None
            if close is not None:
                await close()
    use_listed_courts(config, store)
    return failed


def _stale(refreshed: dt.date | None, today: dt.date) -> bool:
    return refreshed is None or (today - refreshed).days >= REFRESH_DAYS


async def _read_list(config: AppConfig, store: Store, entry: CourtConfig, today: dt.date,
                     governor: HostGovernor) -> CourtOutcome | None:
    source = entry.court.adapter
    assert isinstance(source, ListsCourts)  # the configuration refuses `all: true` otherwise
    ctx = ScrapeContext(governor=governor, settings=settings_of(config), archive=lambda page: None,
                        progress=lambda *_: None)  # the list holds no tenant's data: nothing to archive
    try:
        listed = await source.listed_courts(entry.court, ctx)
        new = store.court_lists.record(entry.id, [(c.code, c.name) for c in listed], today)
    except Exception as exc:  # noqa: BLE001 - the stored list stays in use; the other courts go on
        text = f"{type(exc).__name__}: {safe_error(exc)}"
        log.error("court list of %s could not be read: %s", entry.id, text)
        return CourtOutcome(court_id=entry.id, summary=CourtSummary(court_id=entry.id),
                            error=f"the portal's list of courts could not be read ({text}); "
                                  "the courts listed before are scraped", error_kind=type(exc).__name__)
    log.info("court list of %s: %d courts, %d listed for the first time", entry.id, len(listed), new)
    return None
