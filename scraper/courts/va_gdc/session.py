"""A portal session: terms gate, browser check, expiry, and archiving of every page fetched."""

from __future__ import annotations

import asyncio
import datetime as dt
import logging
from urllib.parse import urljoin

import httpx

from scraper.base import Court, CourtSummary, RawPage, ScrapeContext
from scraper.browser import pass_browser_check
from scraper.courts.va_gdc.markup import PageKind, classify, document
from scraper.errors import GateError, ScrapeError, UnexpectedPageError
from scraper.http import PoliteSession
from scraper.pagetext import body_text

log = logging.getLogger(__name__)

RATE_LIMIT_MARKERS = (
    "exceeded the rate limit for this application",
    "maximum number of requests allowed for a given time period",
)


def page_text(response: httpx.Response) -> str:
    """The body as text: by the HTTP header's charset, else the page's `<meta charset>`, else
    UTF-8; a charset that is unknown or cannot decode a page is passed over, never fatal."""
    return body_text(response.content, response.charset_encoding)


def is_rate_limit_page(response: httpx.Response) -> bool:
    if response.status_code != 200:
        return False
    text = page_text(response)
    squeezed = " ".join(text.split()).lower()
    if not any(marker.split()[-1] in squeezed for marker in RATE_LIMIT_MARKERS):
        return False  # cheap pre-check before parsing every page
    return classify(text) is PageKind.RATE_LIMITED


def is_browser_check_page(response: httpx.Response) -> bool:
    """A "Just a moment..." check, which such services serve with 503 or 403 as often as 200."""
    if b"moment" not in response.content[:65536].lower():
        return False  # cheap pre-check before parsing an error page
    return classify(page_text(response)) is PageKind.BROWSER_CHECK


class SessionRenewed(Exception):
    """The session was replaced; server-side search state (paging) must be rebuilt."""


class GdcSession:
    MAX_RENEWALS_PER_REQUEST = 3

    def __init__(self, court: Court, ctx: ScrapeContext, summary: CourtSummary) -> None:
        self.court = court
        self.ctx = ctx
        self.summary = summary
        self.http = PoliteSession(
            ctx.governor,
            user_agent=ctx.settings.user_agent,
            timeout_s=ctx.settings.timeout_s,
            throttle_check=is_rate_limit_page,
            answer_check=is_browser_check_page,
        )
        self.generation = 0  # bumped each time a fresh session is obtained
        # Bumped as each renewal starts: the new session's cookie arrives mid-way, so a stateful
        # request answered from then on may have reached a session without our search in it.
        self.epoch = 0
        self._gate = asyncio.Lock()
        self._opened = False

    def url(self, path: str) -> str:
        return urljoin(self.court.base_url, path)

    async def aclose(self) -> None:
        await self.http.aclose()

    async def open_epoch(self) -> int:
        """The session opened (terms accepted) if it was not yet, and the epoch it is in."""
        if not self._opened:
            await self.renew(self.generation)
        return self.epoch

    async def fetch(
        self,
        method: str,
        path: str,
        request_key: str,
        *,
        data: dict[str, str] | None = None,
        case_number: str | None = None,
        stateful: bool = False,
        repeatable: bool = True,
    ) -> tuple[PageKind, str, str]:
        """Fetch a page through the gate; returns (kind, html, url).

        With `stateful`, a session renewal raises SessionRenewed instead of retrying, because
        the server's memory of the search (which page we are on) went with the old session.
        A request that is not `repeatable` (it moves that memory on) is sent once: if it
        fails, nobody knows whether the server moved, so the caller starts over.
        """
        if not self._opened:
            await self.renew(self.generation)
        if stateful and self._gate.locked():
            async with self._gate:  # a renewal under way: send in the session it brings
                pass
        for _ in range(self.MAX_RENEWALS_PER_REQUEST + 1):
            generation = self.generation
            response = await self.http.request(method, self.url(path), data=data,
                                               attempts=None if repeatable else 1)
            text = page_text(response)
            kind = self._archive(response, text, request_key, case_number)
            if kind in (PageKind.BROWSER_CHECK, PageKind.EXPIRED, PageKind.TERMS):
                await self.renew(generation, browser=kind is PageKind.BROWSER_CHECK)
                if stateful:
                    raise SessionRenewed()
                continue
            if kind is PageKind.VERIFICATION:
                raise GateError(self.court.id, "a verification code")
            return kind, text, str(response.url)
        raise ScrapeError(
            f"court {self.court.id}: the portal kept sending the terms page after "
            f"{self.MAX_RENEWALS_PER_REQUEST} fresh sessions; is it refusing our sessions?"
        )

    async def renew(self, seen_generation: int, *, browser: bool = False) -> None:
        """Get a fresh accepted session, once for all concurrent requests that noticed expiry."""
        async with self._gate:
            if self.generation != seen_generation:
                return  # another request already renewed it
            self.epoch += 1
            if browser:
                await self._browser_check()
            await self._accept_terms()
            self.generation += 1
            if self._opened:
                self.summary.session_renewals += 1
            self._opened = True

    async def _accept_terms(self) -> None:
        for _ in range(2):
            response = await self.http.request("GET", self.url("landing.do"))
            text = page_text(response)
            kind = self._archive(response, text, "terms", None)
            if kind is PageKind.BROWSER_CHECK:
                await self._browser_check()
                continue
            if kind is PageKind.VERIFICATION:
                raise GateError(self.court.id, "a verification code")
            if kind not in (PageKind.TERMS, PageKind.EXPIRED):
                # Already inside a valid session (e.g. cookies from the browser).
                return
            action, fields = _terms_form(text, str(response.url))
            accepted = await self.http.request("POST", action, data=fields)
            after = self._archive(accepted, page_text(accepted), "terms-accept", None)
            if after is PageKind.VERIFICATION:
                raise GateError(self.court.id, "a verification code")
            if after in (PageKind.TERMS, PageKind.EXPIRED):
                raise UnexpectedPageError(action, "a page inside the session after accepting the terms", after.value)
            if after is not PageKind.BROWSER_CHECK:
                return
            await self._browser_check()
        raise GateError(self.court.id, "a browser check that the system Chromium could not pass")

    async def _browser_check(self) -> None:
        settings = self.ctx.settings
        if not settings.browser_check:
            raise GateError(
                self.court.id,
                "a JavaScript browser check (scrape.browser_check is off; turn it on to use Chromium)",
            )
        self.summary.browser_checks += 1
        contact = settings.user_agent
        session = await pass_browser_check(
            self.url("landing.do"),
            governor=self.ctx.governor,
            chromium_path=settings.chromium_path,
            contact=contact,
            ready_selector="input[name=accept], input[name=verificationCode], td.subheader, form",
            timeout_s=max(settings.timeout_s, 30.0),
        )
        for cookie in session.cookies:
            self.http.cookies.set(cookie.name, cookie.value, domain=cookie.domain, path=cookie.path)
        self.http.user_agent = session.user_agent

    def _archive(self, response: httpx.Response, text: str, request_key: str, case_number: str | None) -> PageKind:
        kind = classify(text)
        self.ctx.archive(RawPage(
            court_id=self.court.id,
            url=str(response.url),
            method=response.request.method,
            request_key=request_key,
            kind=kind.value,
            fetched_at=dt.datetime.now(dt.timezone.utc),
            status=response.status_code,
            body=response.content,
            case_number=case_number,
        ))
        return kind


def _terms_form(html: str, page_url: str) -> tuple[str, dict[str, str]]:
    doc = document(html)
    controls = doc.iter("input", "button") if doc is not None else iter(())
    button = next((c for c in controls if (c.get("name") or "").lower() == "accept"), None)
    form = next(button.iterancestors("form"), None) if button is not None else None
    if form is None:
        raise UnexpectedPageError(page_url, "the terms form with an Accept button", "different")
    fields = {
        i.get("name"): i.get("value", "")
        for i in form.iter("input")
        if i.get("name") and (i.get("type") or "text").lower() not in ("submit", "button", "image")
    }
    fields[button.get("name")] = button.get("value") or "Accept"
    return urljoin(page_url, form.get("action") or page_url), fields
