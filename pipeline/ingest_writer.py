"""A court's pages and records stored on a thread of their own, in the order the scraper gave them.

The scraper's event loop only hands them over: storing (the database's round trips, the ORM's
and the archive's compression) never holds a request back past its turn at the court, which
costs the court's rate where every request is due 200 ms after the one before. Pages are
archived many to a transaction, records go on to `Ingest` (its batches of cases).

A page fetched for a case waits for that case's record: a case the law had already erased
when first seen leaves no page in the archive (its record says so, the page alone does not).
Those whose record never comes (a layout error, "no such case") are archived at the end."""

from __future__ import annotations

import asyncio
import queue
import threading
import time

from pipeline.ingest import Ingest, Judged
from pipeline.store.repo import Store
from scraper.records import CaseRecord, RawPage

# At most this many items wait for the thread: a scraper faster than its store waits for it.
BACKLOG = 2000
PAGES_PER_TRANSACTION = 50
LINGER_S = 1.0  # the longest the first item handed over waits for more to share its transaction
_END = object()


class IngestWriter:
    """`page()` and `record()` from the scraper's loop; `close()` once, at the end. After a
    storing error the rest is not stored, and the next `page()`/`record()` (or `close()`)
    raises it: the court's scrape stops, as if storing had failed in its own hands."""

    def __init__(self, store: Store, ingest: Ingest, *, name: str = "ingest") -> None:
        self.store, self.ingest = store, ingest
        self.error: BaseException | None = None
        self._queue: queue.Queue = queue.Queue(maxsize=BACKLOG)
        self._name = name
        self._thread: threading.Thread | None = None  # started with the first item
        self._closed = False
        self._held: dict[tuple[str, str], list[RawPage]] = {}  # (court, CASE NUMBER) -> its pages, awaiting its record

    def page(self, page: RawPage) -> None:
        self._put(page)

    def record(self, record: CaseRecord) -> None:
        self._put(record)

    async def close(self) -> None:
        """Waits (off the loop) until everything handed over is stored, the last batch flushed
        (also after a scrape that failed: what was read is kept); raises a storing error."""
        if not self._closed:
            self._closed = True
            if self._thread is not None:
                await asyncio.to_thread(self._queue.put, _END)
                await asyncio.to_thread(self._thread.join)
        if self.error is not None:
            raise self.error

    def _put(self, item) -> None:
        if self.error is not None:
            raise self.error
        if self._closed:
            raise RuntimeError("the court's writer is closed")
        if self._thread is None:  # not before: a scraper that fails to start leaves no thread behind
            self._thread = threading.Thread(target=self._run, name=self._name, daemon=True)
            self._thread.start()
        self._queue.put(item)

    def _run(self) -> None:
        ended = False
        while not ended:
            items = [self._queue.get()]
            # A court fetches a few pages a second: waiting a moment for more makes a
            # transaction of several (its statements' cost, not the pages', is what counts).
            until = time.monotonic() + LINGER_S
            while len(items) < PAGES_PER_TRANSACTION and items[-1] is not _END:
                try:
                    items.append(self._queue.get(timeout=max(0.0, until - time.monotonic())))
                except queue.Empty:
                    break
            ended = items[-1] is _END
            if self.error is None:
                self._store([item for item in items if item is not _END])
        if self.error is None:  # pages whose record never came: what the court sent, for `archive page`
            self._store([page for pages in self._held.values() for page in pages], release=True)
        try:
            self.ingest.finish()
        except BaseException as exc:  # noqa: BLE001 - raised in the scraper's hands, by close()
            self.error = self.error or exc

    def _store(self, items: list, *, release: bool = False) -> None:
        """The batch's records judged, its pages archived in one transaction (a case's pages
        once its record says they may be), then everything handed on in the order it came (a
        case is linked to the page read before it, not to a later fetch). `release`: these
        pages are archived without waiting."""
        try:
            records = [item for item in items if isinstance(item, CaseRecord)]
            judged = iter(self.ingest.judge(records) if records else ())
            steps: list[RawPage | Judged] = []
            for item in items:
                if isinstance(item, CaseRecord):
                    verdict = next(judged)
                    held = self._held.pop(_key(item.court or "", item.case_number), [])
                    steps += (held if verdict.keeps_pages else []) + [verdict]
                elif item.case_number and not release:
                    self._held.setdefault(_key(item.court_id, item.case_number), []).append(item)
                else:
                    steps.append(item)
            pages = [step for step in steps if isinstance(step, RawPage)]
            ids = iter(self.store.archive_pages(pages) if pages else ())
            for step in steps:
                if isinstance(step, RawPage):
                    self.ingest.archived(step, next(ids))
                else:
                    self.ingest.add(step)
            if release:
                self._held.clear()
        except BaseException as exc:  # noqa: BLE001 - raised in the scraper's hands, by the next call
            self.error = exc


def _key(court: str, case_number: str) -> tuple[str, str]:
    return court, case_number.strip().upper()
