"""Rebuilding derived data without the network: from the raw archive, or from stored cases."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from evictwatch.courts import adapter
from pipeline.ingest import Ingest, refresh_landlords
from pipeline.landlords import LandlordOverrides
from pipeline.linkage.names import fold_stored_names
from pipeline.store.repo import Store
from scraper.errors import ScrapeError
from scraper.pagetext import body_text


@dataclass
class ReparseResult:
    pages: int = 0
    new: int = 0
    updated: int = 0
    unchanged: int = 0
    errors: list[str] = field(default_factory=list)


class _PerCourt:
    """One Ingest per court (each court has its own time zone and court system), flushed together."""

    def __init__(self, store: Store, today: dt.date) -> None:
        self.store, self.today, self.courts = store, today, store.court_sources()
        self.ingests: dict[str, Ingest] = {}

    def record(self, record) -> None:
        court = record.court
        if court not in self.ingests:
            name, zone = self.courts[court]
            source = adapter(name)
            self.ingests[court] = Ingest(self.store, today=self.today, timezone=zone or source.timezone,
                                         vocabulary=source.vocabulary)
        self.ingests[court].record(record)

    def flush(self) -> list[Ingest]:
        for ingest in self.ingests.values():
            ingest.flush()
        return list(self.ingests.values())


def reparse_archive(store: Store, today: dt.date | None = None,
                    overrides: LandlordOverrides | None = None) -> ReparseResult:
    """The newest archived page of every case, parsed again (a parser fix applied to the past)."""
    sources = store.court_sources()
    courts = _PerCourt(store, today or dt.date.today())
    result = ReparseResult()
    for court_id, number, url, body in store.latest_case_pages():
        result.pages += 1
        try:
            record = adapter(sources[court_id][0]).parse_case_page(body_text(body), url, court_id)
        except ScrapeError as exc:
            result.errors.append(f"{court_id} {number}: {exc}")
            continue
        courts.record(record)
    for ingest in courts.flush():
        result.new += ingest.new
        result.updated += ingest.updated
        result.unchanged += ingest.unchanged
    refresh_landlords(store, overrides or LandlordOverrides.empty())
    return result


def backfill_derivations(store: Store, today: dt.date | None = None,
                         overrides: LandlordOverrides | None = None) -> int:
    """Cases stored by an older release have no status, keys or normalized parties yet: derive them."""
    courts = _PerCourt(store, today or dt.date.today())
    count = 0
    for record in store.records_missing_derivations():
        courts.record(record)
        count += 1
    courts.flush()
    if count:
        refresh_landlords(store, overrides or LandlordOverrides.empty())
    fold_stored_names(store)  # tenants stored before the workspace's search folded names (migration 0015)
    return count
