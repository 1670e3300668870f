"""The pipeline's entry: records from a scraper are prepared, stored in batches, then grouped."""

from __future__ import annotations

import datetime as dt
from collections import Counter

from pipeline.landlords import LandlordOverrides, group_landlords
from pipeline.prepare import PreparedCase, prepare
from pipeline.erasure import erased_by_today
from pipeline.store.erase import forget_pages
from pipeline.store.repo import Store
from scraper.records import CaseRecord, RawPage
from scraper.retention import HasRetentionLaw
from scraper.vocabulary import Vocabulary


class Ingest:
    """Normalizes each record, upserts in batches (one transaction each), links the source page.

    Batches keep a crash from losing more than one batch, and make the storage set-based.
    """

    def __init__(self, store: Store, *, today: dt.date, timezone: str, vocabulary: Vocabulary, batch_size: int = 200,
                 overrides: LandlordOverrides | None = None, fuzzy_threshold: float = 90.0,
                 law: HasRetentionLaw | None = None) -> None:
        self.store = store
        self.today = today
        self.timezone = timezone
        self.vocabulary = vocabulary
        self.batch_size = batch_size
        self.overrides = overrides or LandlordOverrides.empty()
        self.fuzzy_threshold = fuzzy_threshold
        self.new = self.updated = self.unchanged = self.events = 0
        self.unknown_values: Counter[str] = Counter()
        self._pending: list[PreparedCase] = []
        self._source_page: dict[tuple[str, str], int] = {}
        # The court system's retention law: a case it has erased by today is never stored
        # (again), whatever a listing still shows; its pages just archived go.
        self.law = law
        self.not_kept: list[tuple[str, str]] = []  # (court, case number) of those
        self.not_kept_total = 0

    def archived(self, page: RawPage, page_id: int) -> None:
        if page.kind == "case_detail" and page.case_number:
            self._source_page[(page.court_id, page.case_number)] = page_id

    def record(self, record: CaseRecord) -> None:
        item = prepare(record, self.today, self.timezone, self.vocabulary)
        if self.law is not None and erased_by_today(item, self.law, self.today) \
                and not self.store.has_case(record.court, record.case_number):
            # (A stored copy is updated instead: the run's erase step then erases it, recalls and all.)
            self.not_kept.append((record.court, record.case_number))
            return
        self.unknown_values.update(item.life.unknown_values)
        self._pending.append(item)
        if len(self._pending) >= self.batch_size:
            self.flush()

    def flush(self) -> None:
        if self.not_kept:
            forget_pages(self.store.engine, self.not_kept)
            self.not_kept_total += len(self.not_kept)
            self.not_kept = []
        if not self._pending:
            return
        keys = {(i.record.court, i.record.case_number) for i in self._pending}
        pages = {k: v for k, v in self._source_page.items() if k in keys}
        outcome = self.store.save(self._pending, pages)
        self._pending = []
        self.new += outcome.new
        self.updated += outcome.updated
        self.unchanged += outcome.unchanged
        self.events += outcome.events


def refresh_landlords(store: Store, overrides: LandlordOverrides, threshold: float = 90.0) -> int:
    groups = group_landlords(store.plaintiff_name_counts(), overrides, threshold=threshold)
    store.replace_landlords(groups)
    return len(groups)
