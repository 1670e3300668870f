"""The pipeline's entry: records from a scraper go through here into the store."""

from __future__ import annotations

from pipeline.store.repo import Store
from scraper.records import CaseRecord, RawPage


class Ingest:
    """Stores each record once per change and links it to the archived page it came from."""

    def __init__(self, store: Store) -> None:
        self.store = store
        self.new = self.updated = self.unchanged = 0
        self._source_page: dict[tuple[str, str], int] = {}

    def archived(self, page: RawPage, page_id: int) -> None:
        if page.kind == "case_detail" and page.case_number:
            self._source_page[(page.court_id, page.case_number)] = page_id

    def record(self, record: CaseRecord) -> str:
        assert record.court is not None
        page_id = self._source_page.get((record.court, record.case_number))
        outcome = self.store.save_case(record, raw_page_id=page_id)
        if outcome == "new":
            self.new += 1
        elif outcome == "updated":
            self.updated += 1
        else:
            self.unchanged += 1
        return outcome
