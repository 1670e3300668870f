"""A real browser (Playwright driving the system Chromium) for portals that need one.

Used to pass a plain JavaScript browser check: the browser runs the check's script, then
hands the cookies it earned and its user agent to the httpx session, which does the rest.
The browser's requests to the court go through the same `HostGovernor` as httpx's.
"""

from __future__ import annotations

import logging
from contextlib import suppress
from dataclasses import dataclass
from http.cookiejar import CookieJar, DefaultCookiePolicy
from typing import Any
from urllib.parse import urlsplit

from playwright.async_api import Error as PlaywrightError
from playwright.async_api import async_playwright

from scraper.chromium import CHROMIUM_ARGS
from scraper.http import PoliteSession
from scraper.http_governor import HostGovernor
from scraper.http_policy import FetchError
from scraper.ratelimit import host_of

log = logging.getLogger(__name__)



class BrowserUnavailableError(RuntimeError):
    pass


@dataclass(frozen=True)
class BrowserCookie:
    name: str
    value: str
    domain: str
    path: str


@dataclass(frozen=True)
class BrowserSession:
    cookies: list[BrowserCookie]
    user_agent: str
    final_html: str


async def pass_browser_check(
    url: str,
    *,
    governor: HostGovernor,
    chromium_path: str,
    contact: str,
    ready_selector: str,
    timeout_s: float = 45.0,
) -> BrowserSession:
    """Open `url` in headless Chromium and wait until `ready_selector` appears (the check passed).

    The browser's own user agent is kept and the operator's contact string appended, so the
    court still sees who is asking. Every request it sends to the court's host takes that
    host's turn from `governor` (see `take_turns`).
    """
    try:
        async with async_playwright() as pw:
            browser = await pw.chromium.launch(
                executable_path=chromium_path, headless=True, args=CHROMIUM_ARGS
            )
            try:
                probe = await browser.new_page()
                base_ua = await probe.evaluate("navigator.userAgent")
                await probe.close()
                user_agent = f"{base_ua} {contact}".strip()
                context = await browser.new_context(user_agent=user_agent)
                await take_turns(context, governor, host_of(url))
                page = await context.new_page()
                await page.goto(url, wait_until="domcontentloaded", timeout=timeout_s * 1000)
                await page.wait_for_selector(ready_selector, state="attached", timeout=timeout_s * 1000)
                html = await page.content()
                cookies = [
                    BrowserCookie(c["name"], c["value"], c.get("domain", ""), c.get("path", "/"))
                    for c in await context.cookies()
                ]
                log.info("browser check passed for %s (%d cookies)", _host(url), len(cookies))
                return BrowserSession(cookies=cookies, user_agent=user_agent, final_html=html)
            finally:
                await browser.close()
    except PlaywrightError as exc:
        raise BrowserUnavailableError(
            f"headless Chromium at {chromium_path} could not pass the browser check at {_host(url)}: "
            f"{str(exc).splitlines()[0]}. Install Debian's chromium (apt-get install chromium) or set "
            "scrape.chromium_path."
        ) from exc


async def take_turns(context: Any, governor: HostGovernor, host: str) -> None:
    """Make every request a Playwright browser context sends to `host` polite.

    Each routed request takes `governor.turn(url)` (concurrency slot, rate-limit turn,
    counted) before it goes out, and keeps the slot until its answer is read, as an httpx
    attempt does. Playwright does not route redirect hops: the browser has sent one by the
    time it is seen, so it is counted and booked in the host's window as of then, without a
    wait (waiting would book it later than it left): the requests after it are spaced from it.
    """

    async def send(route: Any) -> None:
        request = route.request
        if not _is_host(request.url, host):
            await route.continue_()
            return
        async with governor.turn(request.url):
            with suppress(PlaywrightError):  # the page went away meanwhile: nothing to wait for
                await route.continue_()
                response = await request.response()
                if response is not None:
                    await response.finished()

    async def redirected(request: Any) -> None:
        if request.redirected_from is not None and _is_host(request.url, host):
            governor.sent_unasked(host)

    await context.route("**/*", send)
    context.on("request", redirected)


def _is_host(url: str, host: str) -> bool:
    try:
        return host_of(url) == host
    except ValueError:  # data:, about: and the like name no host
        return False


def _host(url: str) -> str:

    return urlsplit(url).netloc


# Resource types a scrape reads nothing from: never fetched from the court.
UNNEEDED_TYPES = frozenset({"image", "font", "media", "stylesheet", "imageset", "texttrack", "manifest"})


class PoliteBrowser:
    """One headless Chromium and one context for one court's run, reused across its pages.

    Every request the pages make to the court's host is sent by the shared polite client
    (`scraper.http.PoliteSession`: the host's concurrency slot and rate-limit turn, retries on
    5xx answers, dropped connections and bodies cut short, counted) with the headers and
    cookies the browser chose, and its answer handed back to the page. Requests to other
    hosts (analytics) and resource types the scrape does not read are blocked, and counted.
    """

    def __init__(self, governor: HostGovernor, *, court_url: str, chromium_path: str, contact: str,
                 timeout_s: float) -> None:
        self.governor, self.host = governor, host_of(court_url)
        self.chromium_path, self.contact, self.timeout_s = chromium_path, contact, timeout_s
        self.blocked = 0
        self.user_agent = ""
        self.http: Any = None  # the PoliteSession the browser's requests go through
        self.last_failure = ""
        self._pw: Any = None
        self._browser: Any = None
        self.context: Any = None

    async def start(self) -> Any:
        """Launch the browser (once) and return a new page in the court's context."""
        if self.context is None:

            try:
                self._pw = await async_playwright().start()
                self._browser = await self._pw.chromium.launch(executable_path=self.chromium_path, headless=True,
                                                               args=CHROMIUM_ARGS)
                probe = await self._browser.new_page()
                self.user_agent = f"{await probe.evaluate('navigator.userAgent')} {self.contact}".strip()
                await probe.close()
                self.context = await self._browser.new_context(user_agent=self.user_agent)
                self.context.set_default_timeout(self.timeout_s * 1000 * 2)
                self.http = PoliteSession(self.governor, user_agent=self.user_agent, timeout_s=self.timeout_s)
                # The browser keeps the session's cookies: the client must neither store one from an
                # answer (a retried attempt would send it, and the browser never learn it) nor add one.
                self.http.cookies = CookieJar(policy=DefaultCookiePolicy(allowed_domains=()))
                await self.context.route("**/*", self._route)
            except PlaywrightError as exc:
                await self.close()
                raise BrowserUnavailableError(
                    f"headless Chromium at {self.chromium_path} did not start: {str(exc).splitlines()[0]}. "
                    "Install Debian's chromium (apt-get install chromium) or set scrape.chromium_path.") from exc
        return await self.context.new_page()

    async def cookies(self) -> list[BrowserCookie]:
        return [BrowserCookie(c["name"], c["value"], c.get("domain", ""), c.get("path", "/"))
                for c in await self.context.cookies()]

    async def close(self) -> None:

        if self._browser is not None:
            with suppress(PlaywrightError, OSError):
                await self._browser.close()
        if self._pw is not None:
            with suppress(PlaywrightError, OSError):
                await self._pw.stop()
        if self.http is not None:
            await self.http.aclose()
        self._browser = self._pw = self.context = None

    async def _route(self, route: Any) -> None:


        request = route.request
        if request.resource_type in UNNEEDED_TYPES or not _is_host(request.url, self.host):
            self.blocked += 1
            with suppress(PlaywrightError):
                await route.abort("blockedbyclient")
            return
        headers = {name: value for name, value in (await request.all_headers()).items()
                   if not name.startswith(":") and name.lower() not in _HOP_HEADERS}
        try:
            response = await self.http.request(request.method, request.url, headers=headers,
                                               content=request.post_data_buffer, follow_redirects=False)
        except FetchError as exc:
            self.last_failure = str(exc)
            with suppress(PlaywrightError):
                await route.abort("failed")
            return
        answer: dict[str, str] = {}
        for name, value in response.headers.multi_items():
            if name.lower() in _HOP_HEADERS or name.lower() == "content-encoding":
                continue
            answer[name] = f"{answer[name]}\n{value}" if name in answer else value  # Set-Cookie, several
        with suppress(PlaywrightError):  # the page may have gone meanwhile
            await route.fulfill(status=response.status_code, headers=answer, body=response.content)


_HOP_HEADERS = frozenset({"host", "content-length", "connection", "keep-alive", "transfer-encoding",
                          "proxy-connection", "upgrade", "te", "trailer"})


def _path(url: str) -> str:

    return urlsplit(url).path
