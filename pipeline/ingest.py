"""The pipeline's entry: records from a scraper are prepared, judged, stored in batches, then grouped."""

from __future__ import annotations

import datetime as dt
import enum
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

from pipeline.erasure import erased_by_today
from pipeline.landlords import LandlordOverrides, group_landlords
from pipeline.prepare import PreparedCase, prepare
from pipeline.store.erasure.erase import forget_pages, keep_figures
from pipeline.store.erasure.tokens import erased_token, numbers_present, the_erasure_key
from pipeline.store.repo import Store
from pipeline.store.rows import utc_now
from scraper.records import CaseRecord, RawPage
from scraper.retention import HasRetentionLaw
from scraper.vocabulary import Vocabulary


class Sighting(str, enum.Enum):
    """What a scraped case is to the store."""

    KEPT = "kept"                  # stored whole: a new case, or the stored one updated
    FIGURES_ONLY = "figures_only"  # the law had erased it before evictwatch first saw it: its anonymous figures only
    COUNTED = "counted"            # erased already, its anonymous figures stored: nothing more, ever


@dataclass(frozen=True, slots=True)
class Judged:
    item: PreparedCase
    sighting: Sighting
    token: str  # the keyed hash of its court and number that stands for it once erased

    @property
    def keeps_pages(self) -> bool:
        """Whether its pages may be archived (a case whose names are not kept leaves none)."""
        return self.sighting is Sighting.KEPT


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
        # The court system's retention law: a case it has erased by today is stored only as
        # anonymous figures, whatever a listing still shows (the report counts every filing).
        self.law = law
        # (court, case number) of cases erased before first seen, whose pages go at the next flush
        self.not_kept: list[tuple[str, str]] = []
        self.not_kept_total = 0  # sightings of erased cases: their names and numbers not stored
        self.figures_only = 0    # cases erased before first seen, stored now as anonymous figures
        self._figures: dict[tuple[str, str], PreparedCase] = {}  # (court, token) -> case, to store
        self._forgotten: set[tuple[str, str]] = set()  # every erased case seen: its listings of this run go
        self._since = utc_now()
        self._key: bytes | None = None

    def archived(self, page: RawPage, page_id: int) -> None:
        if page.kind == "case_detail" and page.case_number:
            self._source_page[(page.court_id, page.case_number)] = page_id

    def judge(self, records: Sequence[CaseRecord]) -> list[Judged]:
        """Each record prepared, and what it is to the store (read from the store, and from the
        cases judged before it and not stored yet)."""
        items = [prepare(r, self.today, self.timezone, self.vocabulary) for r in records]
        key = self._erasure_key()
        tokens = [erased_token(key, r.court, r.case_number) for r in records]
        present = numbers_present(self.store, {court: [n for r, t in zip(records, tokens) if r.court == court
                                                       for n in (r.case_number, t)]
                                               for court in {r.court for r in records}})
        judged = []
        for item, token in zip(items, tokens):
            court, number = item.record.court, item.record.case_number
            if number in present[court]:
                # The stored copy is updated; when the law has erased it, the run's erase step
                # erases it (recalls and all).
                sighting = Sighting.KEPT
            elif token in present[court] or (court, token) in self._figures:
                sighting = Sighting.COUNTED
            elif self.law is not None and erased_by_today(item, self.law, self.today):
                sighting = Sighting.FIGURES_ONLY
            else:
                sighting = Sighting.KEPT
            judged.append(Judged(item, sighting, token))
        return judged

    def add(self, judged: Judged) -> None:
        item = judged.item
        if judged.sighting is Sighting.KEPT:
            self.unknown_values.update(item.life.unknown_values)
            self._pending.append(item)
        else:
            key = (item.record.court, item.record.case_number)
            self.not_kept_total += 1
            self._forgotten.add(key)
            if judged.sighting is Sighting.FIGURES_ONLY:
                # Pages of any earlier run too (a listing kept when its detail failed); a case
                # erased later lost those with its erasure.
                self.not_kept.append(key)
                self._figures.setdefault((item.record.court, judged.token), item)
        if len(self._pending) + len(self._figures) >= self.batch_size:
            self.flush()

    def record(self, record: CaseRecord) -> None:
        self.add(self.judge([record])[0])

    def flush(self) -> None:
        if self.not_kept:
            forget_pages(self.store, self.not_kept)
            self.not_kept = []
        if self._figures:
            self.figures_only += keep_figures(self.store, [(token, item) for (_, token), item
                                                                  in self._figures.items()])
            self._figures = {}
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

    def finish(self) -> None:
        """After the last flush: every listing of this run that shows an erased case seen in it
        goes (one archived after that case's flush, too: it has hearings on several days)."""
        self.flush()
        if self._forgotten:
            forget_pages(self.store, sorted(self._forgotten), since=self._since)

    def _erasure_key(self) -> bytes:
        if self._key is None:
            self._key = the_erasure_key(self.store)
        return self._key


def refresh_landlords(store: Store, overrides: LandlordOverrides, threshold: float = 90.0) -> int:
    groups = group_landlords(store.plaintiff_name_counts(), overrides, threshold=threshold)
    store.replace_landlords(groups)
    return len(groups)
