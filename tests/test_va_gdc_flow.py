"""The Virginia adapter's flow against a scripted portal (respx): gate, paging, expiry, stops."""

from __future__ import annotations

import asyncio
import contextlib
import datetime as dt
import random
from pathlib import Path
from urllib.parse import parse_qs

import httpx
import pytest
import respx

from scraper.base import Court, ScrapeContext, ScrapeSettings
from scraper.courts import get_source
from scraper.courts.va_gdc.scrape import GdcScraper
from scraper.errors import GateError, LayoutError, ScrapeError
from scraper.http import HostGovernor
from scraper.http_clock import FakeClock
from scraper.http_policy import RetryPolicy
from scraper.ratelimit import SpacingRateLimiter

BASE = "http://127.0.0.1:9/gdcourts/"
GOLDEN = Path(__file__).parent / "golden" / "va-gdc"
DAY = dt.date(2026, 9, 29)


def page(name: str) -> str:
    return (GOLDEN / name).read_text(encoding="utf-8")


class ScriptedPortal:
    """Just enough portal state to exercise the flow; pages are the hand-written goldens."""

    def __init__(self, mock: respx.MockRouter) -> None:
        self.terms = page("hand-terms.html")
        self.detail = page("hand-detail-judgment-writ.html")
        self.expire_on_next = 0
        self.accepts = 0
        self.detail_hits: dict[str, int] = {}
        self.detail_override: dict[str, list[str]] = {}
        self.results = [page("hand-results-self-closed-next.html"), page("hand-results-browser-shaped-last.html")]
        self.page_index = 0
        mock.get(BASE + "landing.do").mock(side_effect=lambda req: httpx.Response(200, text=self.terms))
        mock.post(BASE + "landing.do").mock(side_effect=self._accept)
        mock.route(method="GET", url__startswith=BASE + "caseSearch.do").mock(side_effect=self._get_search)
        mock.post(BASE + "caseSearch.do").mock(side_effect=self._post_search)
        mock.post(BASE + "criminalCivilCaseSearch.do").mock(side_effect=self._lookup)
        mock.get(BASE + "civilDetail.do").mock(side_effect=lambda req: httpx.Response(200, text=self._held))

    def _accept(self, request: httpx.Request) -> httpx.Response:
        assert parse_qs(request.content.decode())["accept"] == ["Accept"]
        self.accepts += 1
        return httpx.Response(200, text="<html><body>welcome</body></html>")

    def _get_search(self, request: httpx.Request) -> httpx.Response:
        params = dict(request.url.params)
        if params.get("formAction") == "caseDetails":
            number = params["displayCaseNumber"]
            self.detail_hits[number] = self.detail_hits.get(number, 0) + 1
            queued = self.detail_override.get(number)
            if queued:
                return httpx.Response(200, text=queued.pop(0))
            return httpx.Response(200, text=self.detail.replace("GV26001234-00", number))
        assert params["searchType"] == "hearingDate" and params["curentFipsCode"] == "510"
        return httpx.Response(200, text="<html><body><form>hearing search</form></body></html>")

    def _post_search(self, request: httpx.Request) -> httpx.Response:
        form = parse_qs(request.content.decode(), keep_blank_values=True)
        assert form["searchTerm"] == [DAY.strftime("%m/%d/%Y")] and form["searchFipsCode"] == ["510"]
        if "caseSearch" in form:
            assert "caseInfoScrollForward" not in form
            self.page_index = 0
        else:
            assert form["caseInfoScrollForward"] == ["Next"] and form["unCheckedCases"] == [""]
            if self.expire_on_next:
                self.expire_on_next -= 1
                return httpx.Response(200, text=page("hand-session-expired.html"))
            self.page_index += 1
        return httpx.Response(200, text=self.results[self.page_index])

    def _lookup(self, request: httpx.Request) -> httpx.Response:
        form = parse_qs(request.content.decode())
        number = form["displayCaseNumber"][0]
        assert form["formAction"] == ["submitCase"] and form["searchType"] == ["caseNumber"]
        self._held = self.detail.replace("GV26001234-00", number)
        if number == "GV26999999-00":
            self._held = page("hand-no-results.html")
        return httpx.Response(302, headers={"Location": BASE + "civilDetail.do"})


def make_scraper(clock: FakeClock, archive: list | None = None, **settings) -> GdcScraper:
    governor = HostGovernor(rate_limiter=SpacingRateLimiter({"127.0.0.1": 1.0}, clock), max_concurrency_per_host=4,
                            clock=clock, retry=RetryPolicy(throttle_wait_s=10.0), rng=random.Random(7))
    pages = archive if archive is not None else []
    ctx = ScrapeContext(governor=governor, archive=pages.append,
                        settings=ScrapeSettings(user_agent="evictwatch-test (ops@example.org)", **settings))
    return GdcScraper(Court("alexandria", get_source("va-gdc"), "510", BASE), ctx)


async def collect(scraper: GdcScraper, since=DAY, until=DAY) -> list:
    try:
        return [r async for r in scraper.cases(since, until)]
    finally:
        await scraper.aclose()


@respx.mock(assert_all_called=False)
def test_walks_pages_keeps_evictions_and_survives_session_expiry(respx_mock):
    portal = ScriptedPortal(respx_mock)
    portal.expire_on_next = 1
    archive: list = []
    clock = FakeClock()
    scraper = make_scraper(clock, archive)
    records = asyncio.run(collect(scraper))
    assert sorted(r.case_number for r in records) == ["GV25012345-01", "GV26000002-00", "GV26000020-00"]
    assert all(r.court == "alexandria" and r.case_type == "Unlawful Detainer" for r in records)
    assert {r.matter_key for r in records} == {"GV25012345", "GV26000002", "GV26000020"}
    s = scraper.summary
    assert portal.accepts == 2 and s.session_renewals == 1
    assert s.bad_case_numbers == 1  # GV2600077-00, counted once though its page was read twice
    assert s.result_pages == 3 and s.detail_pages == 3 and s.cases_yielded == 3
    assert all(v == 1 for v in portal.detail_hits.values())
    kinds = [p.kind for p in archive]
    assert kinds.count("session_expired") == 1 and kinds.count("case_detail") == 3
    detail_keys = {p.request_key for p in archive if p.kind == "case_detail"}
    assert detail_keys == {f"case={n}" for n in ("GV25012345-01", "GV26000002-00", "GV26000020-00")}


@respx.mock(assert_all_called=False)
def test_a_day_read_without_trouble_is_read_once(respx_mock):
    portal = ScriptedPortal(respx_mock)
    scraper = make_scraper(FakeClock())
    records = asyncio.run(collect(scraper))
    # Opening the session is a renewal of sorts: it must not make the first day look renewed
    # under its search (a day started again: two requests more for every court).
    assert len(records) == 3 and scraper.summary.result_pages == len(portal.results)
    assert portal.accepts == 1 and scraper.summary.session_renewals == 0
    # The landing page, the terms, the search form, each result page once, each case once.
    assert scraper.summary.requests == 3 + len(portal.results) + len(records)


@respx.mock(assert_all_called=False)
def test_rate_limit_page_backs_off_and_retries(respx_mock):
    portal = ScriptedPortal(respx_mock)
    portal.detail_override["GV26000002-00"] = [page("hand-rate-limit.html")]
    clock = FakeClock()
    scraper = make_scraper(clock)
    records = asyncio.run(collect(scraper))
    assert len(records) == 3 and portal.detail_hits["GV26000002-00"] == 2
    assert 10.0 in clock.sleeps


@respx.mock(assert_all_called=False)
def test_verification_code_stops_the_court(respx_mock):
    portal = ScriptedPortal(respx_mock)
    portal.terms = page("hand-terms-verification-code.html")
    with pytest.raises(GateError, match="verification code"):
        asyncio.run(collect(make_scraper(FakeClock())))
    assert portal.accepts == 0


@respx.mock(assert_all_called=False)
def test_browser_check_without_browser_is_a_clear_stop(respx_mock):
    portal = ScriptedPortal(respx_mock)
    portal.terms = page("hand-browser-check.html")
    with pytest.raises(GateError, match="browser check"):
        asyncio.run(collect(make_scraper(FakeClock(), browser_check=False)))


@respx.mock(assert_all_called=False)
def test_layout_change_on_case_pages_stops_without_storing(respx_mock):
    portal = ScriptedPortal(respx_mock)
    portal.detail = page("hand-detail-no-hearing-section.html")
    scraper = make_scraper(FakeClock(), max_layout_errors=3)
    with pytest.raises(LayoutError, match="Hearing Information"):
        asyncio.run(collect(scraper))
    assert scraper.summary.cases_yielded == 0 and len(scraper.summary.layout_errors) == 3


@respx.mock(assert_all_called=False)
def test_layout_change_on_result_page_is_an_error_not_an_empty_day(respx_mock):
    portal = ScriptedPortal(respx_mock)
    portal.results = [page("hand-results-missing-case-column.html")]
    with pytest.raises(LayoutError, match="results grid"):
        asyncio.run(collect(make_scraper(FakeClock())))


@respx.mock(assert_all_called=False)
def test_a_window_without_any_eviction_is_an_error(respx_mock):
    portal = ScriptedPortal(respx_mock)
    portal.results = [page("hand-no-results.html")]
    with pytest.raises(ScrapeError, match="no eviction cases"):
        asyncio.run(collect(make_scraper(FakeClock())))


@respx.mock(assert_all_called=False)
def test_case_number_lookup(respx_mock):
    ScriptedPortal(respx_mock)
    scraper = make_scraper(FakeClock())

    async def run():
        try:
            found = await scraper.case("gv26000555-00")
            missing = await scraper.case("GV26999999-00")
            with pytest.raises(ValueError, match="not a Virginia GDC civil case number"):
                await scraper.case("GV2600055500")
            return found, missing
        finally:
            await scraper.aclose()

    found, missing = asyncio.run(run())
    assert found.case_number == "GV26000555-00" and missing is None


@respx.mock(assert_all_called=False)
def test_a_next_answered_while_the_session_is_renewed_restarts_the_day(respx_mock):
    """A case fetch finds the session expired and renews it; the new session's cookie arrives
    before its terms are accepted, and a `Next` sent in between reaches a session with no search
    in it (the portal answers with the search form). That is a lost place, not a layout change."""
    portal = ScriptedPortal(respx_mock)
    portal.detail_override["GV26000002-00"] = [page("hand-session-expired.html")]
    renewal_started, next_read = asyncio.Event(), asyncio.Event()
    fresh_session = False  # the portal's session, renewed: no search in it until a new one is sent
    search_form = "<html><body><form>hearing search</form></body></html>"
    posted_search, got_terms = portal._post_search, portal.terms

    def landing(request: httpx.Request) -> httpx.Response:
        nonlocal fresh_session
        if portal.accepts:  # the renewal: the new session starts here
            fresh_session = True
            renewal_started.set()
        return httpx.Response(200, text=got_terms)

    async def accept(request: httpx.Request) -> httpx.Response:
        if portal.accepts:
            with contextlib.suppress(TimeoutError):  # finish once the Next was read (or soon after)
                await asyncio.wait_for(next_read.wait(), 2)
        return portal._accept(request)

    async def post_search(request: httpx.Request) -> httpx.Response:
        nonlocal fresh_session
        form = parse_qs(request.content.decode(), keep_blank_values=True)
        if "caseSearch" in form:
            fresh_session = False
        else:
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(renewal_started.wait(), 2)
            if fresh_session:
                return httpx.Response(200, text=search_form)
        return posted_search(request)

    respx_mock.get(BASE + "landing.do").mock(side_effect=landing)
    respx_mock.post(BASE + "landing.do").mock(side_effect=accept)
    respx_mock.post(BASE + "caseSearch.do").mock(side_effect=post_search)

    def archive(raw) -> None:
        if raw.kind == "other" and raw.method == "POST":
            next_read.set()

    scraper = make_scraper(FakeClock())
    scraper.ctx.archive = archive
    records = asyncio.run(collect(scraper))
    assert renewal_started.is_set()
    assert sorted(r.case_number for r in records) == ["GV25012345-01", "GV26000002-00", "GV26000020-00"]
    assert scraper.summary.session_renewals == 1 and portal.accepts == 2
