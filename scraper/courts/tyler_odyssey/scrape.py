"""Driving an Odyssey Public Access portal with Playwright, as a person would.

One browser and context per court run. The court calendar is searched by hearing date over
the window (split in halves while the portal says "too many matches"), its Eviction rows'
registers of actions are read, and case numbers to re-check are looked up by the case
search. Only the controls docs/courts/tyler-odyssey.md names are worked, by id or link text; no form post is
ever built by hand. Registers may be fetched with httpx using the browser's cookies (about
twice as fast, see bench/odyssey_details.py), checked against the case number asked for,
with the browser as the fallback.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import logging
from collections import deque
from collections.abc import AsyncIterator, Callable, Iterable
from urllib.parse import urljoin

from playwright.async_api import Error as PlaywrightError

from scraper.base import Court, CourtSummary, ScrapeContext
from scraper.browser import PoliteBrowser
from scraper.courts.tyler_odyssey.parse import (
    PageKind,
    ResultRow,
    page_kind,
    parse_results,
)
from scraper.courts.tyler_odyssey.register import parse_register
from scraper.courts.tyler_odyssey.vocab import VOCABULARY
from scraper.errors import (
    EmptyWindowError,
    GateError,
    LayoutError,
    ScrapeError,
    TruncatedPageError,
)
from scraper.http import PoliteSession
from scraper.http_policy import FetchError, HostStats
from scraper.pagetext import body_text
from scraper.records import CaseRecord, RawPage
from scraper.vocabulary import CaseKind

log = logging.getLogger(__name__)

CASE_SEARCH, CALENDAR = "Civil, Family & Probate Case Records", "Court Calendar"
OTHER_CATEGORIES = ("chkDtRangeCriminal", "chkDtRangeFamily", "chkDtRangeProbate")
SEARCH_ATTEMPTS = 3  # a search answered "session expired" (a retried post) starts again from the menu
DETAILS_IN_FLIGHT = 4
REGISTER_WAIT_MS = 5000


def _day(d: dt.date) -> str:
    return f"{d.month}/{d.day}/{d.year}"


class OdysseyScraper:
    def __init__(self, court: Court, ctx: ScrapeContext, *, empty_window_expected: bool = False,
                 details_over_http: bool = True) -> None:
        self.court, self.ctx = court, ctx
        self.base = court.base_url if court.base_url.endswith("/") else court.base_url + "/"
        self.summary = CourtSummary(court_id=court.id)
        self.empty_window_expected = empty_window_expected
        self.details_over_http = details_over_http
        self.stats = HostStats()  # this court's own traffic, the browser's and httpx's
        s = ctx.settings
        self.browser = PoliteBrowser(ctx.governor, court_url=self.base, chromium_path=s.chromium_path,
                                     contact=s.user_agent, timeout_s=s.timeout_s)
        self.page = None
        self.http: PoliteSession | None = None
        self._search_urls: dict[str, str] = {}
        self._lock = asyncio.Lock()  # one page: one navigation at a time
        self.fallbacks = 0  # registers httpx could not get right, read in the browser instead
        self._stale_http = False  # the session was renewed: httpx needs the browser's new cookies

    async def aclose(self) -> None:
        for http in (self.http, self.browser.http):
            if http is not None:
                self.stats += http.stats
        if self.http is not None:
            await self.http.aclose()
        await self.browser.close()
        self.summary.requests, self.summary.retries = self.stats.requests, self.stats.retries
        self.summary.throttled = self.stats.throttled

    # --- the walk ----------------------------------------------------------------------

    async def cases(self, since: dt.date, until: dt.date, *, wanted: Callable[[str], bool] | None = None,
                    also: Iterable[str] = ()) -> AsyncIterator[CaseRecord]:
        rows = await self._calendar(since, until)
        self.summary.days_walked += (until - since).days + 1
        evictions: dict[str, ResultRow] = {}
        for row in rows:
            if VOCABULARY.case_kind(row.case_type) is CaseKind.EVICTION:
                self.summary.eviction_rows += 1
                evictions.setdefault(row.case_number, row)
            else:
                self.summary.other_rows += 1
        if not evictions and not self.empty_window_expected:
            raise EmptyWindowError(self.court.id, since, until)
        todo = [row for number, row in evictions.items() if wanted is None or wanted(number)]
        self.summary.skipped_known += len(evictions) - len(todo)
        done = 0
        # DETAILS_IN_FLIGHT registers always on their way (not in batches that each wait for
        # their slowest), yielded in calendar order; a failure cancels the rest.
        in_flight: deque[asyncio.Task] = deque()
        try:
            for index, row in enumerate(todo):
                in_flight.append(asyncio.create_task(self._register(row)))
                while in_flight and (len(in_flight) >= DETAILS_IN_FLIGHT or index == len(todo) - 1):
                    record = await in_flight.popleft()
                    done += 1
                    self.ctx.progress("cases", done, len(todo))
                    if record is not None:
                        self.summary.cases_yielded += 1
                        yield record
        finally:
            for task in in_flight:
                task.cancel()
            await asyncio.gather(*in_flight, return_exceptions=True)
        for number in dict.fromkeys(n.strip().upper() for n in also):
            if number in evictions:
                continue
            row = await self._find(number)
            self.summary.rechecked += 1
            if row is None:  # the case search lists no such number
                self.summary.not_found.append(number)
                continue
            record = await self._register(row)
            if record is not None:
                self.summary.cases_yielded += 1
                yield record

    async def case(self, case_number: str) -> CaseRecord | None:
        """Look a case up by number (the case search); None when the portal has no such case."""
        number = case_number.strip().upper()
        row = await self._find(number)
        return await self._register(row) if row is not None else None

    async def _find(self, number: str) -> ResultRow | None:
        rows = await self._search(CASE_SEARCH, f"case={number}", self._fill_case_search(number))
        if rows is None:
            raise ScrapeError(f"court {self.court.id}: the case search for {number} listed too many "
                              "matches; look the number up on the portal by hand")
        return next((r for r in rows if r.case_number.upper() == number), None)

    async def _calendar(self, since: dt.date, until: dt.date) -> list[ResultRow]:
        """Every setting in [since, until], splitting the range while the portal caps it."""
        results = await self._search(CALENDAR, f"calendar={since}..{until}", self._fill_calendar(since, until))
        if results is not None:
            return results
        if since == until:
            raise ScrapeError(f"court {self.court.id}: more hearings on {since} than the portal lists at "
                              "once; a single day cannot be split further")
        middle = since + (until - since) // 2
        return await self._calendar(since, middle) + await self._calendar(middle + dt.timedelta(days=1), until)

    # --- the search pages ----------------------------------------------------------------

    def _fill_calendar(self, since: dt.date, until: dt.date):
        async def fill(page) -> None:
            await self._needs(page, "#DateRange", "#DateSettingOnAfter", "#DateSettingOnBefore", "#SearchSubmit")
            await page.check("#DateRange")
            for box in OTHER_CATEGORIES:
                if await page.query_selector(f"#{box}"):
                    await page.uncheck(f"#{box}")
            await page.fill("#DateSettingOnAfter", _day(since))
            await page.fill("#DateSettingOnBefore", _day(until))
        return fill

    def _fill_case_search(self, number: str):
        async def fill(page) -> None:
            await self._needs(page, "#Case", "#CaseSearchValue", "#SearchSubmit")
            await page.check("#Case")
            await page.fill("#CaseSearchValue", number)
        return fill

    async def _needs(self, page, *selectors: str) -> None:
        """The controls docs/courts/tyler-odyssey.md names are there, or the layout changed (at once, not a timeout)."""
        for selector in selectors:
            if await page.query_selector(selector) is None:
                await self._keep_failure(page, f"control={selector}")
                raise LayoutError(page.url, f"the control {selector}")

    async def _search(self, link_text: str, request_key: str, fill) -> list[ResultRow] | None:
        """Rows of one search (None: too many matches to display)."""
        async with self._lock:
            for attempt in range(1, SEARCH_ATTEMPTS + 1):
                page = await self._open_search(link_text)
                await fill(page)
                async with page.expect_navigation(wait_until="domcontentloaded"):
                    await page.click("#SearchSubmit")
                html = await page.content()
                kind = page_kind(html)
                self._archive(page.url, "POST", request_key, kind.value, html)
                if kind is PageKind.EXPIRED:
                    log.info("court %s: search answered 'session expired'; starting again", self.court.id)
                    self._renew()
                    continue
                if kind is PageKind.CAPTCHA:
                    raise GateError(self.court.id, "a CAPTCHA")
                if kind not in (PageKind.RESULTS, PageKind.NO_RESULTS):
                    await self._keep_failure(page, request_key)
                    raise LayoutError(page.url, "search results", f"got a {kind.value.replace('_', ' ')} page")
                self.summary.result_pages += 1
                results = parse_results(html, page.url)
                return None if results.capped else list(results.rows)
        raise ScrapeError(f"court {self.court.id}: the portal answered 'session expired' to "
                          f"{SEARCH_ATTEMPTS} searches in a row; check the portal in a browser")

    def _renew(self) -> None:
        """The portal forgot the session: start again from its menu; httpx takes the new cookies."""
        self._search_urls.clear()
        self.summary.session_renewals += 1
        self._stale_http = True

    async def _open_search(self, link_text: str):
        if self.page is None:
            self.page = await self.browser.start()
        page = self.page
        url = self._search_urls.get(link_text)
        if url is None:
            await self._goto(page, urljoin(self.base, "default.aspx"), "the search menu")
            if self.court.code:
                await self._choose_location(page)
            link = f"a:text-is('{link_text}')"
            await self._needs(page, link)
            async with page.expect_navigation(wait_until="domcontentloaded"):
                await page.click(link)
        else:
            await self._goto(page, url, link_text)
        html = await page.content()
        kind = page_kind(html)
        if kind is PageKind.EXPIRED and url is not None:  # the session ended since: from the menu again
            self._renew()
            return await self._open_search(link_text)
        if kind is PageKind.CAPTCHA:
            raise GateError(self.court.id, "a CAPTCHA")
        if kind is not PageKind.SEARCH_FORM:
            await self._keep_failure(page, f"search={link_text}")
            raise LayoutError(page.url, f"the {link_text} search form", f"got a {kind.value.replace('_', ' ')} page")
        self._search_urls[link_text] = page.url
        return page

    async def _choose_location(self, page) -> None:
        """The menu's location list is found by what it offers (the label in config), not its id."""
        for select in await page.query_selector_all("select"):
            labels = [" ".join((await o.inner_text()).split()) for o in await select.query_selector_all("option")]
            if self.court.code in labels:
                await select.select_option(index=labels.index(self.court.code))
                return
        await self._keep_failure(page, "location")
        raise LayoutError(page.url, f"the location {self.court.code!r} on the search menu",
                          "check courts[].code against the portal's Location list")

    async def _goto(self, page, url: str, what: str) -> None:

        try:
            await page.goto(url, wait_until="domcontentloaded")
        except PlaywrightError as exc:
            reason = self.browser.last_failure or str(exc).splitlines()[0][:200]
            raise FetchError(url, self.ctx.governor.retry.max_attempts,
                             f"{what} did not load in the browser: {reason}") from None

    # --- registers of actions ------------------------------------------------------------

    async def _register(self, row: ResultRow, *, renewed: bool = False) -> CaseRecord | None:
        url = urljoin(self.base, row.href)
        fetched = await self._register_over_http(url, row.case_number) if self.details_over_http else None
        html, record = fetched or (await self._register_in_browser(url, row.case_number), None)
        if record is None and page_kind(html) is PageKind.EXPIRED and not renewed:
            # A result link lives only in the session that listed it: list the case again in a new one.
            self._renew()
            again = await self._find(row.case_number)
            return await self._register(again, renewed=True) if again is not None else None
        self._archive(url, "GET", f"case={row.case_number}", "case_detail", html, row.case_number)
        if record is None:
            try:
                record = parse_register(html, url, self.court.id)
            except (LayoutError, TruncatedPageError) as exc:
                self._layout_error(exc if isinstance(exc, LayoutError) else LayoutError(url, "the end of the page"))
                return None
        if record.case_number.upper() != row.case_number.upper():
            self._layout_error(LayoutError(url, f"case number {row.case_number}", f"shows {record.case_number}"))
            return None
        self.summary.detail_pages += 1
        for name in record.unknown_fields:
            self.summary.unknown_fields[name] = self.summary.unknown_fields.get(name, 0) + 1
        return record

    async def _register_in_browser(self, url: str, number: str) -> str:

        async with self._lock:
            await self._goto(self.page, url, f"case {number}")
            try:  # docs/courts/tyler-odyssey.md: the register has loaded when its first party header is there
                await self.page.wait_for_selector("#PIr11", state="attached", timeout=REGISTER_WAIT_MS)
            except PlaywrightError:
                pass  # read what is there: the parser says what is missing
            html = await self.page.content()
            if page_kind(html) not in (PageKind.DETAIL, PageKind.EXPIRED):
                await self._keep_failure(self.page, f"case={number}")
            return html

    async def _register_over_http(self, url: str, number: str) -> tuple[str, CaseRecord | None] | None:
        """The register through httpx in the browser's session, with its record (None: the
        session expired); None when that did not give the case asked for (the browser reads it then)."""
        if self.http is None or self._stale_http:
            cookies = await self.browser.cookies()
            if self.http is None or self._stale_http:  # another register may have made it meanwhile
                http = PoliteSession(self.ctx.governor, user_agent=self.browser.user_agent,
                                     timeout_s=self.ctx.settings.timeout_s)
                for c in cookies:
                    http.cookies.set(c.name, c.value, domain=c.domain, path=c.path)
                old, self.http, self._stale_http = self.http, http, False
                if old is not None:
                    self.stats += old.stats
                    await old.aclose()
        try:
            # Decoded as the browser would (the header's charset, else the page's own): bytes
            # neither can decode become U+FFFD, which the register counts as unread values.
            response = await self.http.get(url)
            html = body_text(response.content, response.charset_encoding)
            kind = page_kind(html)
            if kind is PageKind.EXPIRED:
                return html, None
            if kind is PageKind.DETAIL:
                record = parse_register(html, url, self.court.id)
                if record.case_number.upper() == number.upper():
                    return html, record
        except (FetchError, ScrapeError):
            pass
        self.fallbacks += 1
        return None

    def _layout_error(self, exc: LayoutError) -> None:
        self.summary.layout_errors.append(str(exc))
        log.error("%s", exc)
        if len(self.summary.layout_errors) >= self.ctx.settings.max_layout_errors:
            raise exc

    # --- the archive ---------------------------------------------------------------------

    def _archive(self, url: str, method: str, request_key: str, kind: str, html: str,
                 case_number: str | None = None) -> None:
        self.ctx.archive(RawPage(court_id=self.court.id, url=url, method=method, request_key=request_key,
                                 kind=kind, fetched_at=dt.datetime.now(dt.timezone.utc), status=200,
                                 body=html.encode("utf-8"), case_number=case_number))

    async def _keep_failure(self, page, request_key: str) -> None:
        """What the browser showed when something went wrong: its HTML and a screenshot."""

        try:
            html, png = await page.content(), await page.screenshot(full_page=True)
        except PlaywrightError:
            return
        self._archive(page.url, "GET", f"failure:{request_key}", "failure_page", html)
        self.ctx.archive(RawPage(court_id=self.court.id, url=page.url, method="GET",
                                 request_key=f"failure:{request_key}", kind="failure_screenshot",
                                 fetched_at=dt.datetime.now(dt.timezone.utc), status=200, body=png))
