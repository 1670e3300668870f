"""Rebuilding records from the raw archive: a parser fix applied without refetching."""

from __future__ import annotations

from dataclasses import dataclass, field

from pipeline.ingest import Ingest
from pipeline.store.repo import Store
from scraper.base import get_source
from scraper.errors import ScrapeError


@dataclass
class ReparseResult:
    pages: int = 0
    new: int = 0
    updated: int = 0
    unchanged: int = 0
    errors: list[str] = field(default_factory=list)


def reparse_archive(store: Store) -> ReparseResult:
    sources = store.court_sources()
    result = ReparseResult()
    ingest = Ingest(store)
    for court_id, number, url, body in store.latest_case_pages():
        result.pages += 1
        try:
            record = get_source(sources[court_id]).parse_case_page(body.decode("utf-8", "replace"), url, court_id)
        except ScrapeError as exc:
            result.errors.append(f"{court_id} {number}: {exc}")
            continue
        ingest.record(record)
    result.new, result.updated, result.unchanged = ingest.new, ingest.updated, ingest.unchanged
    return result
