"""pipeline.ingest_writer: a court's pages and records stored on a thread of their own, in the
order the scraper handed them over; a storing error stops the scrape in the scraper's hands."""

from __future__ import annotations

import asyncio
import datetime as dt
import threading

import pytest
from sqlalchemy import text

from pipeline.ingest import Ingest
from pipeline.ingest_writer import IngestWriter
from pipeline.store import db
from pipeline.store.repo import Store
from scraper.base import Court
from scraper.courts import get_source
from scraper.courts.va_gdc.vocab import VOCABULARY as VA_GDC
from scraper.records import CaseRecord, Party, RawPage

TODAY = dt.date(2026, 11, 17)


@pytest.fixture
def store(tmp_path):
    engine = db.make_engine(f"sqlite:///{tmp_path / 'ew.db'}")
    db.upgrade(engine)
    store = Store(engine)
    store.ensure_court(Court("alexandria", get_source("va-gdc"), "510", "https://portal.example.invalid/gdcourts/"))
    yield store
    engine.dispose()


def case(number: str) -> CaseRecord:
    return CaseRecord(court="alexandria", case_number=number, matter_key=number[:10], filed_date=dt.date(2026, 9, 1),
                      case_type="Unlawful Detainer", plaintiffs=(Party(name="ORCHARD RIDGE APTS LLC"),),
                      defendants=(Party(name="DOE, JANE"),))


def page(number: str, body: bytes) -> RawPage:
    return RawPage(court_id="alexandria", url="https://portal.example.invalid/d", method="GET",
                   request_key=f"case={number}", kind="case_detail", fetched_at=dt.datetime.now(dt.timezone.utc),
                   status=200, body=body, case_number=number)


def read(writer: IngestWriter, number: str) -> None:
    """What a scraper hands over for one case: its detail page, then the case read from it."""
    writer.page(page(number, f"<html>{number}</html>".encode()))
    writer.record(case(number))


def ingest(store: Store) -> Ingest:
    return Ingest(store, today=TODAY, timezone="America/New_York", vocabulary=VA_GDC, batch_size=2)


def source_pages(store: Store) -> dict[str, bytes]:
    with store.engine.connect() as conn:
        return {number: body for number, body in conn.execute(text(
            "SELECT c.case_number, p.body_gz FROM cases c JOIN raw_pages p ON p.id = c.raw_page_id"))}


def test_a_case_fetched_twice_is_linked_to_the_page_read_before_it(store):
    number = "GV26000100-00"

    async def scrape():
        writer = IngestWriter(store, Ingest(store, today=TODAY, timezone="America/New_York", vocabulary=VA_GDC,
                                            batch_size=1))  # each case stored as soon as recorded
        writer.page(page(number, b"<html>first</html>"))
        writer.record(case(number))
        writer.page(page(number, b"<html>second</html>"))  # a re-check fetched it again, unchanged
        await writer.close()

    asyncio.run(scrape())
    import gzip

    assert {n: gzip.decompress(b) for n, b in source_pages(store).items()} == {number: b"<html>first</html>"}


def test_a_writer_given_nothing_starts_no_thread_and_closes(store):
    async def scrape():
        writer = IngestWriter(store, ingest(store))
        await writer.close()  # the scraper failed before its first page
        return writer

    assert asyncio.run(scrape())._thread is None


def test_each_case_is_stored_with_the_page_it_was_read_from(store):
    numbers = [f"GV260001{i:02d}-00" for i in range(5)]

    async def scrape():
        writer = IngestWriter(store, ingest(store))
        for number in numbers:
            read(writer, number)
        await writer.close()
        return writer.ingest

    done = asyncio.run(scrape())
    assert done.new == 5
    import gzip

    assert {n: gzip.decompress(b) for n, b in source_pages(store).items()} == {
        n: f"<html>{n}</html>".encode() for n in numbers}


class Failing(Store):
    """A store whose archive fails from its `after`-th page on (the database went away)."""

    def __init__(self, engine, after: int) -> None:
        super().__init__(engine)
        self.after, self.pages = after, 0
        self.archived_once = threading.Event()

    def archive_pages(self, pages):
        self.pages += len(pages)
        if self.pages > self.after:
            raise OSError("disk full")
        ids = super().archive_pages(pages)
        self.archived_once.set()
        return ids


def test_a_storing_error_reaches_the_scraper_and_what_was_read_before_is_kept(store):
    failing = Failing(store.engine, after=1)

    async def scrape():
        writer = IngestWriter(failing, ingest(failing))
        read(writer, "GV26000100-00")
        read(writer, "GV26000101-00")  # its page's archive fails
        with pytest.raises(OSError, match="disk full"):
            await writer.close()
        with pytest.raises(OSError, match="disk full"):
            writer.record(case("GV26000102-00"))  # a scraper going on is stopped

    asyncio.run(scrape())
    # One transaction held both pages, so neither case had its page: nothing of the batch is
    # stored, nor anything after it (the next scrape reads them again).
    assert source_pages(store) == {}


def test_what_was_stored_before_a_failed_transaction_is_kept(store):
    failing = Failing(store.engine, after=1)

    async def scrape():
        writer = IngestWriter(failing, ingest(failing))
        read(writer, "GV26000100-00")
        await asyncio.to_thread(failing.archived_once.wait, 10)  # the first page in a transaction of its own
        writer.page(page("GV26000101-00", b"<html>b</html>"))
        with pytest.raises(OSError, match="disk full"):
            await writer.close()

    asyncio.run(scrape())
    assert set(source_pages(store)) == {"GV26000100-00"}  # read before the failure: flushed at the end
