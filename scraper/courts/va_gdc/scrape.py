"""Walking the Virginia GDC portal: hearing dates, result pages, case details."""

from __future__ import annotations

import asyncio
import datetime as dt
import logging
from collections.abc import AsyncIterator, Awaitable, Callable, Iterable
from typing import Any

from scraper.base import Court, CourtSummary, ScrapeContext
from scraper.courts.va_gdc.court_list import ListedCourt, listed_courts
from scraper.courts.va_gdc.markup import CASE_NUMBER_RE, PageKind
from scraper.courts.va_gdc.parse import parse_case_detail
from scraper.courts.va_gdc.results import ResultRow, detail_url, parse_result_page
from scraper.courts.va_gdc.session import GdcSession, SessionRenewed
from scraper.courts.va_gdc.vocab import VOCABULARY
from scraper.errors import (
    EmptyWindowError,
    LayoutError,
    ScrapeError,
    TruncatedPageError,
    UnexpectedPageError,
)
from scraper.http_policy import FetchError, ThrottledError
from scraper.ratelimit import host_of as _host
from scraper.records import CaseRecord
from scraper.vocabulary import CaseKind

log = logging.getLogger(__name__)

SEARCH_PATH = "caseSearch.do"
WELCOME_PATH = "caseSearch.do?welcomePage=welcomePage"  # lists every court the portal serves
DETAIL_ATTEMPTS = 3
DAY_RESTARTS = 8
MAX_PAGES_PER_DAY = 100  # 2,000 hearings in a day: far beyond any court; a guard against loops
DETAILS_IN_FLIGHT = 8  # details overlap each other and the paging, this many at most
_DONE = object()


class _PagingLost(Exception):
    """A `Next` failed: whether the server moved to the next page is unknown."""


class GdcScraper:
    """One court on the Virginia GDC portal, in one session."""

    def __init__(self, court: Court, ctx: ScrapeContext, *, empty_window_expected: bool = False) -> None:
        self.court = court
        self.ctx = ctx
        self.summary = CourtSummary(court_id=court.id)
        self.session = GdcSession(court, ctx, self.summary)
        self.empty_window_expected = empty_window_expected
        self._search_epoch = -1
        self._lookup = asyncio.Lock()
        self._lookup_session: GdcSession | None = None  # lookups show "the case held in the session"
        self._bad_numbers: set[str] = set()  # a restarted day re-reads its pages: count rows once

    async def aclose(self) -> None:
        sessions = [s for s in (self.session, self._lookup_session) if s is not None]
        for session in sessions:
            await session.aclose()
        self.summary.requests = sum(s.http.stats.requests for s in sessions)
        self.summary.retries = sum(s.http.stats.retries for s in sessions)
        self.summary.throttled = sum(s.http.stats.throttled for s in sessions)

    # --- hearing-date walk --------------------------------------------------------------

    async def cases(self, since: dt.date, until: dt.date, *, wanted: Callable[[str], bool] | None = None,
                    also: Iterable[str] = ()) -> AsyncIterator[CaseRecord]:
        days = [since + dt.timedelta(days=i) for i in range((until - since).days + 1)]
        queue: asyncio.Queue[object] = asyncio.Queue()
        walker = asyncio.create_task(self._walk(days, queue, wanted, [n.upper() for n in also]))
        try:
            while (item := await queue.get()) is not _DONE:
                yield item  # type: ignore[misc]
            await walker
        finally:
            if not walker.done():
                walker.cancel()
                await asyncio.gather(walker, return_exceptions=True)
        # Only the hearing-day lists count: cases re-checked by number say nothing about them.
        if self.summary.eviction_rows == 0 and not self.empty_window_expected and _has_weekday(days):
            raise EmptyWindowError(self.court.id, since, until)

    async def _walk(self, days: list[dt.date], queue: asyncio.Queue[object],
                    wanted: Callable[[str], bool] | None, also: list[str]) -> None:
        """List the days in order and fetch their details concurrently; the first failure stops all."""
        try:
            try:
                async with asyncio.TaskGroup() as group:
                    await self._list_and_fetch(days, _Bounded(group, DETAILS_IN_FLIGHT), queue, wanted, also)
            except BaseExceptionGroup as failures:
                first = failures.exceptions[0]
            else:
                return
            raise first  # outside the except block, so it keeps its own __context__
        finally:
            queue.put_nowait(_DONE)

    async def _list_and_fetch(self, days: list[dt.date], details: _Bounded, queue: asyncio.Queue[object],
                              wanted: Callable[[str], bool] | None, also: list[str]) -> None:
        seen: set[str] = set()

        async def fetch_details(rows: list[ResultRow]) -> None:
            for row in rows:
                if row.case_number in seen:
                    continue
                seen.add(row.case_number)
                if wanted is not None and not wanted(row.case_number):
                    self.summary.skipped_known += 1
                    continue
                await details.start(self._detail_into, row.case_number, row.detail_url, queue)

        for index, day in enumerate(days):
            await self._day_rows(day, fetch_details)
            self.ctx.progress(self.court.id, index + 1, len(days))
        for number in also:  # asked for by number: due for a re-check, listed or not
            if number not in seen:
                self.summary.rechecked += 1
                await details.start(self._detail_into, number,
                                    detail_url(self.court.base_url, number, self.court.code), queue, True)

    async def _detail_into(self, number: str, url: str, queue: asyncio.Queue[object], by_number: bool = False) -> None:
        record = await self._detail(number, url, by_number)
        if record is not None:
            self.summary.cases_yielded += 1
            queue.put_nowait(record)

    async def _day_rows(self, day: dt.date, take: Callable[[list[ResultRow]], Awaitable[None]]) -> None:
        """Every eviction row of one hearing day, paging in order within the session; each
        page's rows go to `take` as the page comes (their details overlap the paging).

        Any trouble mid-way (session renewed, a `Next` that failed or arrived cut short)
        restarts the day from its first page: the server's paging position is unknown then,
        and a skipped page would silently lose cases (`take` meets the rows read before again).
        """
        governor = self.ctx.governor
        self.summary.days_walked += 1
        for restart in range(1, DAY_RESTARTS + 1):
            try:
                return await self._page_through(day, take)
            except SessionRenewed:
                continue
            except (_PagingLost, TruncatedPageError) as exc:
                cause = exc.__cause__ if isinstance(exc, _PagingLost) else exc
                if restart == DAY_RESTARTS:
                    raise cause  # type: ignore[misc]
                log.info("paging %s failed (%s); starting the day again", day, type(cause).__name__)
                policy = governor.retry
                throttled = isinstance(cause, ThrottledError)
                wait = policy.throttle_s(restart) if throttled else policy.backoff_s(restart, governor.rng)
                await governor.backoff(_host(self.court.base_url), wait)
        raise ScrapeError(f"court {self.court.id}: could not page through {day} in {DAY_RESTARTS} tries")

    async def _page_through(self, day: dt.date, take: Callable[[list[ResultRow]], Awaitable[None]]) -> None:
        epoch = await self._open_search()
        form = self._search_form(day)
        previous: list[str] | None = None
        data = {**form, "caseSearch": "Search"}
        for page_no in range(1, MAX_PAGES_PER_DAY + 1):
            try:
                kind, html, url = await self.session.fetch(
                    "POST", SEARCH_PATH, f"hearingDate={day.isoformat()};page={page_no}", data=data,
                    stateful=True, repeatable=page_no == 1,
                )
            except FetchError as exc:
                if page_no == 1:
                    raise  # already retried in full; the portal is down, not our place in it lost
                raise _PagingLost() from exc
            if self.session.epoch != epoch:
                # A concurrent case fetch renewed the session: our search went with the old one.
                raise SessionRenewed()
            if kind is PageKind.NO_RESULTS:
                self.summary.empty_days += page_no == 1
                return  # an empty day, or (some portals) a Next past the last page
            if kind is not PageKind.RESULTS:
                if kind is PageKind.OTHER:
                    raise LayoutError(url, f"hearing-date results grid for {day:%m/%d/%Y}")
                raise UnexpectedPageError(url, "hearing-date results", kind.value)
            self.summary.result_pages += 1
            page = parse_result_page(html, url, self.court.code, **self._limits())
            numbers = [row.case_number for row in page.rows]
            if numbers and numbers == previous:
                raise ScrapeError(f"page {url}: the portal sent the same result page twice for {day}")
            previous = numbers
            self._bad_numbers.update(page.bad_numbers)
            self.summary.bad_case_numbers = len(self._bad_numbers)
            rows = []
            for row in page.rows:
                if VOCABULARY.case_kind(row.case_type) is CaseKind.EVICTION:
                    self.summary.eviction_rows += 1
                    rows.append(row)
                else:
                    self.summary.other_rows += 1
            await take(rows)
            if not page.has_next:
                return
            data = {**form, "caseInfoScrollForward": "Next", "unCheckedCases": ""}
        raise ScrapeError(f"court {self.court.id}: more than {MAX_PAGES_PER_DAY} result pages for {day}")

    async def _open_search(self) -> int:
        """Open the hearing-date search in this session; returns the session's epoch it was opened in
        (read once the session is open: opening it is a renewal, and would look like one since)."""
        epoch = await self.session.open_epoch()
        if self._search_epoch == epoch:
            return epoch
        fips = self.court.code
        path = (
            f"{SEARCH_PATH}?fromSidebar=true&searchLanding=searchLanding&searchType=hearingDate"
            f"&searchDivision=V&searchFipsCode={fips}&curentFipsCode={fips}"
        )
        await self.session.fetch("GET", path, "hearing-search-form", stateful=True)
        self._search_epoch = epoch
        return epoch

    def _search_form(self, day: dt.date) -> dict[str, str]:
        fips = self.court.code
        return {
            "formAction": "",
            "curentFipsCode": fips,
            "searchFipsCode": fips,
            "searchTerm": day.strftime("%m/%d/%Y"),
            "searchHearingTime": "",
            "searchCourtroom": "",
            "searchHearingType": "",
            "searchUnitNumber": "",
        }

    # --- the portal's courts ------------------------------------------------------------------

    async def listed_courts(self) -> list[ListedCourt]:
        """Every court the portal serves, as its welcome page lists them (docs/courts/va-gdc.md)."""
        kind, html, url = await self.session.fetch("GET", WELCOME_PATH, "court-list")
        if kind is not PageKind.OTHER:
            raise UnexpectedPageError(url, "the welcome page listing the portal's courts", kind.value)
        return listed_courts(html, url)

    # --- case details ---------------------------------------------------------------------

    async def _detail(self, number: str, url: str, by_number: bool = False) -> CaseRecord | None:
        for attempt in range(1, DETAIL_ATTEMPTS + 1):
            kind, html, final_url = await self.session.fetch(
                "GET", url, f"case={number}", case_number=number
            )
            if kind in (PageKind.NO_RESULTS, PageKind.INVALID_NUMBER):
                if by_number:  # what the portal shows for a number it does not have (an expunged case's, too)
                    log.warning("a case looked up by its number: the portal has no such case (%s)", kind.value)
                    self.summary.not_found.append(number)
                else:  # listed today, yet no detail: a glitch, not an absence
                    log.warning("a listed case's detail says no results; skipped")
                return None
            if kind not in (PageKind.DETAIL, PageKind.OTHER):
                raise UnexpectedPageError(final_url, "a case-detail page", kind.value)
            try:
                record = parse_case_detail(html, final_url, self.court.id, **self._limits())
            except TruncatedPageError:
                if attempt == DETAIL_ATTEMPTS:
                    raise
                continue
            except LayoutError as exc:
                self._layout_error(exc)
                return None
            self.summary.detail_pages += 1
            for name in record.unknown_fields:
                self.summary.unknown_fields[name] = self.summary.unknown_fields.get(name, 0) + 1
            if record.case_number == number:
                return record
            log.warning("asked for case %s, portal showed %s; asking again", number, record.case_number)
        raise ScrapeError(f"court {self.court.id}: the portal kept showing another case for {number}")

    def _layout_error(self, exc: LayoutError) -> None:
        self.summary.layout_errors.append(str(exc))
        log.error("%s", exc)
        if len(self.summary.layout_errors) >= self.ctx.settings.max_layout_errors:
            raise exc

    def _limits(self) -> dict[str, int]:
        settings = self.ctx.settings
        return {"max_page_bytes": settings.max_page_bytes, "max_grid_rows": settings.max_grid_rows}

    async def case(self, case_number: str) -> CaseRecord | None:
        """Look one case up by number (case-number search); None when the portal has no such case."""
        number = case_number.strip().upper()
        if not CASE_NUMBER_RE.match(number):
            raise ValueError(f"{case_number!r} is not a Virginia GDC civil case number like GV26000123-00")
        fips = self.court.code
        form = {
            "formAction": "submitCase", "searchFipsCode": fips, "searchDivision": "V",
            "searchType": "caseNumber", "displayCaseNumber": number, "localFipsCode": fips,
            "clientSearchCounter": "0",
        }
        # The portal shows "the case held in the session": lookups get a session of their own
        # and never overlap in it.
        async with self._lookup:
            if self._lookup_session is None:
                self._lookup_session = GdcSession(self.court, self.ctx, self.summary)
            kind, html, url = await self._lookup_session.fetch(
                "POST", "criminalCivilCaseSearch.do", f"case={number}", data=form, case_number=number
            )
        if kind is PageKind.NO_RESULTS:
            return None
        if kind is PageKind.INVALID_NUMBER:
            raise ValueError(f"the portal says {number} is not a valid case number")
        if kind is not PageKind.DETAIL:
            raise UnexpectedPageError(url, "a case-detail page", kind.value)
        record = parse_case_detail(html, url, self.court.id, **self._limits())
        if record.case_number != number:
            raise ScrapeError(f"asked the portal for {number}, it showed {record.case_number}")
        return record


class _Bounded:
    """Starts tasks in a TaskGroup, at most `limit` running: `start` waits for room, so the
    listing does not run ahead of the details."""

    def __init__(self, group: asyncio.TaskGroup, limit: int) -> None:
        self._group = group
        self._room = asyncio.Semaphore(limit)

    async def start(self, fn: Callable[..., Awaitable[None]], *args: Any) -> None:
        await self._room.acquire()
        self._group.create_task(self._run(fn, *args))

    async def _run(self, fn: Callable[..., Awaitable[None]], *args: Any) -> None:
        try:
            await fn(*args)
        finally:
            self._room.release()


def _has_weekday(days: list[dt.date]) -> bool:
    return any(day.weekday() < 5 for day in days)


__all__ = ["GdcScraper", "detail_url"]
