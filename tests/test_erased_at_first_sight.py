"""A case the law had already erased when evictwatch first saw it counts in the figures, as the
anonymous figures an erasure leaves, under a keyed hash of its court and number: never its
number, names or address, not even in the page archive; seen again, it is not counted twice,
and neither is a case erased later and then listed again."""

from __future__ import annotations

import asyncio
import datetime as dt
import gzip
from pathlib import Path

import pytest
from sqlalchemy import text

from pipeline.ingest import Ingest, Sighting
from pipeline.ingest_writer import IngestWriter
from pipeline.store import db, trends
from pipeline.store.erasure.erase import erase
from pipeline.store.erasure.tokens import ErasureKeyMissing, erased_token, erasure_key
from pipeline.store.repo import Store
from pipeline.store.erasure.retention import REMOVED
from scraper.base import Court
from scraper.courts import get_source
from scraper.courts.va_gdc.vocab import VOCABULARY
from scraper.records import RawPage
from tests.expunge_support import in_file
from tests.test_erasure import DISMISSED_ON, ERASED_ON, FILED, dismissed, pending, save

TODAY = ERASED_ON + dt.timedelta(days=3)  # the dismissal of DISMISSED_ON is erased by law
FILING_MONDAY = FILED - dt.timedelta(days=FILED.weekday())
GONE, GONE_TENANT = "GV26000951-00", "ZABRISKIE, QUORRA"  # erased before first seen
KEPT, KEPT_TENANT = "GV26000952-00", "KEPT, KATHERINE"
# A run deletes the listings it fetched (by evictwatch's own clock, as the scraper stamps them).
LISTED_AT = dt.datetime.now(dt.timezone.utc)


@pytest.fixture
def store(store_on_both):
    store_on_both.ensure_court(Court("alexandria", get_source("va-gdc"), "510", "https://portal.example.invalid/gdcourts/"))
    return store_on_both


def page(number: str | None, body: str, kind: str = "case_detail", key: str | None = None) -> RawPage:
    return RawPage(court_id="alexandria", url="https://portal.example.invalid/p", method="GET",
                   request_key=key or f"case={number}", kind=kind, status=200, case_number=number,
                   body=body.encode(), fetched_at=LISTED_AT)


def listing(*numbers: str, day: dt.date = DISMISSED_ON) -> RawPage:
    return page(None, " / ".join(numbers), kind="results", key=f"hearingDate={day};page=1")


def scrape(store, *items, today=TODAY) -> tuple[Ingest, list[RawPage]]:
    """Pages and records handed over as a scrape does (a page before its record); returns the
    ingest and every page the archive was asked to write."""
    ingest = Ingest(store, today=today, timezone="America/New_York", vocabulary=VOCABULARY, law=get_source("va-gdc"))
    writer = IngestWriter(store, ingest)
    written: list[RawPage] = []
    archive = store.archive_pages

    def spy(pages):
        written.extend(pages)
        return archive(pages)

    store.archive_pages = spy
    try:
        for item in items:
            (writer.page if isinstance(item, RawPage) else writer.record)(item)
        asyncio.run(writer.close())
    finally:
        del store.archive_pages
    return ingest, written


def rows(store, sql: str) -> list[tuple]:
    with store.engine.connect() as conn:
        return [tuple(r) for r in conn.execute(text(sql))]


def test_a_case_erased_before_first_seen_is_counted_without_its_number_names_or_pages(store):
    ingest, written = scrape(store, listing(GONE, GONE_TENANT, KEPT, KEPT_TENANT),
                             page(GONE, f"<td>{GONE_TENANT}</td>"), dismissed(GONE, GONE_TENANT),
                             page(KEPT, f"<td>{KEPT_TENANT}</td>"),
                             pending(KEPT, KEPT_TENANT, day=TODAY + dt.timedelta(days=7)))

    assert (ingest.figures_only, ingest.new, ingest.not_kept_total) == (1, 1, 1)
    assert all(GONE not in p.request_key and GONE.encode() not in p.body for p in written if p.kind == "case_detail")
    figures = trends.week_figures(store, FILING_MONDAY)
    assert figures.new_filings == 2  # the erased filing counts
    assert trends.outcomes_by_filing_week(store, FILING_MONDAY, 1) == [
        {"Dismissed / non-suited": 1, "Pending": 1}]
    [(token, matter, status, filed, reason, household, details)] = rows(
        store, "SELECT case_number, matter_key, status, filed_date, erased_reason, household_hash, details_json "
               "FROM cases WHERE erased_at IS NOT NULL")
    assert token.startswith("erased:") and matter == token and GONE[:10] not in token
    assert (status, str(filed), reason, household, details) == ("dismissed", str(FILED), "expunged", None, "{}")
    assert rows(store, "SELECT p.role, p.name, p.address, p.zip5, p.attorney FROM parties p JOIN cases c "
                       "ON c.id = p.case_id WHERE c.erased_at IS NOT NULL ORDER BY p.role") == [
        ("defendant", REMOVED, None, "22304", "NONE"),
        ("plaintiff", "ORCHARD RIDGE APTS LLC", "FAIRFAX, VA 22030", "22030", "QUILLEN, T BRANDT")]
    assert rows(store, "SELECT h.date, h.result_code FROM hearings h JOIN cases c ON c.id = h.case_id "
                       "WHERE c.erased_at IS NOT NULL") == [(DISMISSED_ON if store.engine.dialect.name == "postgresql"
                                                             else str(DISMISSED_ON), "dismissed")]
    # The kept case keeps its page; the listing that showed the erased one is gone.
    archived = [(n, gzip.decompress(b)) for n, b in rows(store, "SELECT case_number, body_gz FROM raw_pages")]
    assert [n for n, _ in archived] == [KEPT]
    assert not any(GONE.encode() in body or GONE_TENANT.encode() in body for _, body in archived)
    if store.engine.dialect.name == "sqlite":
        store.scrub()
        database = Path(store.engine.url.database)
        assert not in_file(database, GONE.encode()) and not in_file(database, GONE_TENANT.encode())

    again, written = scrape(store, listing(GONE, GONE_TENANT), page(GONE, f"<td>{GONE_TENANT}</td>"),
                            dismissed(GONE, GONE_TENANT), today=TODAY + dt.timedelta(days=7))
    assert (again.figures_only, again.new, again.not_kept_total) == (0, 0, 1)
    assert not [p for p in written if p.case_number == GONE]
    assert trends.week_figures(store, FILING_MONDAY).new_filings == 2
    assert rows(store, "SELECT count(*) FROM raw_pages WHERE case_number IS NULL") == [(0,)]


def test_a_case_erased_later_and_listed_again_is_not_counted_twice(store):
    """Erased on its day (by law), or when the portal said twice it no longer has it; a portal
    slow to drop it then lists it again, its dismissal now more than 30 days old, or not."""
    later = dt.date(2026, 11, 30)
    save(store, pending("GV26000961-00", "LATER, LARA", day=DISMISSED_ON),
         pending("GV26000962-00", "VANISHED, VERA", day=later), today=dt.date(2026, 11, 9))
    save(store, dismissed("GV26000961-00", "LATER, LARA"), today=DISMISSED_ON)
    ids = [case_id for (case_id,) in rows(store, "SELECT id FROM cases ORDER BY case_number")]
    erase(store, ids[:1], "expunged", today=ERASED_ON, scrub_now=False)
    erase(store, ids[1:], "vanished", today=ERASED_ON, scrub_now=False)
    assert trends.week_figures(store, FILING_MONDAY).new_filings == 2

    ingest, written = scrape(store, listing("GV26000961-00", "GV26000962-00"),
                             page("GV26000961-00", "<td>LATER, LARA</td>"), dismissed("GV26000961-00", "LATER, LARA"),
                             page("GV26000962-00", "<td>VANISHED, VERA</td>"),
                             pending("GV26000962-00", "VANISHED, VERA", day=later))
    assert (ingest.new, ingest.figures_only, ingest.not_kept_total) == (0, 0, 2)
    assert trends.week_figures(store, FILING_MONDAY).new_filings == 2
    assert not [p for p in written if p.case_number]
    assert rows(store, "SELECT count(*) FROM raw_pages") == [(0,)]  # the listing that showed them went
    assert rows(store, "SELECT count(*) FROM cases WHERE case_number LIKE 'GV%'") == [(0,)]


def test_each_sighting_is_judged_once_whatever_the_batches(store):
    """The same erased case twice before a flush is stored once; a stored case the law has
    erased meanwhile is updated (the run's erase step erases it), not kept as figures beside it."""
    save(store, pending(KEPT, KEPT_TENANT, day=DISMISSED_ON), today=dt.date(2026, 11, 9))
    ingest = Ingest(store, today=TODAY, timezone="America/New_York", vocabulary=VOCABULARY,
                    law=get_source("va-gdc"))
    first, stored = ingest.judge([dismissed(GONE, GONE_TENANT), dismissed(KEPT, KEPT_TENANT)])
    assert (first.sighting, stored.sighting) == (Sighting.FIGURES_ONLY, Sighting.KEPT)
    ingest.add(first)
    [twice] = ingest.judge([dismissed(GONE, GONE_TENANT)])
    assert twice.sighting is Sighting.COUNTED and twice.token == first.token
    ingest.add(twice)
    ingest.add(stored)
    ingest.finish()
    assert (ingest.figures_only, ingest.updated) == (1, 1)
    assert rows(store, "SELECT count(*) FROM cases") == [(2,)]


def test_the_token_is_keyed_by_the_store_and_stable(store):
    with store.engine.begin() as conn:
        key = erasure_key(conn)
    with store.engine.begin() as conn:
        assert erasure_key(conn) == key and len(key) == 32
    token = erased_token(key, "alexandria", GONE)
    assert token == erased_token(key, "alexandria", GONE.lower() + " ") != erased_token(key, "arlington", GONE)
    assert token != erased_token(bytes(32), "alexandria", GONE) and len(token) <= 32


def test_a_missing_key_file_is_refused_once_cases_were_erased_under_it(tmp_path):
    """A new key would not recognise the cases erased under the old one: each seen again would
    count twice. The store says so instead of making one."""
    engine = db.make_engine(f"sqlite:///{tmp_path / 'ew.db'}")
    db.upgrade(engine)
    store = Store(engine)
    store.ensure_court(Court("alexandria", get_source("va-gdc"), "510", "https://portal.example.invalid/gdcourts/"))
    key_file = tmp_path / "ew.db.erasure-key"
    save(store, dismissed("GV26000971-00", "GONE, GRETA"), today=DISMISSED_ON)
    [(case_id,)] = rows(store, "SELECT id FROM cases")
    erase(Store(engine), [case_id], "expunged", today=ERASED_ON, scrub_now=False)
    assert len(key_file.read_bytes()) == 32 and oct(key_file.stat().st_mode & 0o777) == "0o600"
    key_file.unlink()
    with pytest.raises(ErasureKeyMissing, match="restore the file"), engine.begin() as conn:
        erasure_key(conn)
