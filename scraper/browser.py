"""A real browser (Playwright driving the system Chromium) for portals that need one.

Used to pass a plain JavaScript browser check: the browser runs the check's script, then
hands the cookies it earned and its user agent to the httpx session, which does the rest.
The browser's requests to the court go through the same `HostGovernor` as httpx's.
"""

from __future__ import annotations

import logging
import os
from contextlib import suppress
from dataclasses import dataclass
from typing import Any

from scraper.http_governor import HostGovernor
from scraper.http_retry import RETRY_STATUSES
from scraper.ratelimit import host_of

log = logging.getLogger(__name__)

CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
    # More flags, one per line, from EVICTWATCH_CHROMIUM_EXTRA_ARGS (the tests' resolver rules).
    *(arg for arg in os.environ.get("EVICTWATCH_CHROMIUM_EXTRA_ARGS", "").splitlines() if arg.strip()),
]


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
        from playwright.async_api import Error as PlaywrightError
        from playwright.async_api import async_playwright
    except ImportError as exc:  # pragma: no cover - playwright is a declared dependency
        raise BrowserUnavailableError("playwright is not installed") from exc

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
    attempt does. Playwright does not route redirect hops, so those are counted and booked
    with the rate limiter as they happen: the requests after them are spaced from them.
    """
    from playwright.async_api import Error as PlaywrightError

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
            await governor.wait_turn(host)

    await context.route("**/*", send)
    context.on("request", redirected)


def _is_host(url: str, host: str) -> bool:
    try:
        return host_of(url) == host
    except ValueError:  # data:, about: and the like name no host
        return False


def _host(url: str) -> str:
    from urllib.parse import urlsplit

    return urlsplit(url).netloc


# Resource types a scrape reads nothing from: never fetched from the court.
UNNEEDED_TYPES = frozenset({"image", "font", "media", "stylesheet", "imageset", "texttrack", "manifest"})


class PoliteBrowser:
    """One headless Chromium and one context for one court's run, reused across its pages.

    Every request the pages make to the court's host is sent by `route.fetch` inside
    `governor.turn(url)` (the host's concurrency slot and rate-limit turn, counted in the
    governor's and in `stats`), retried like the httpx client's on 5xx answers, dropped
    connections and bodies cut short, then handed to the page. Requests to other hosts
    (analytics) and resource types the scrape does not read are blocked, and counted.
    """

    def __init__(self, governor: HostGovernor, *, court_url: str, chromium_path: str, contact: str,
                 timeout_s: float, stats: Any) -> None:
        self.governor, self.host = governor, host_of(court_url)
        self.chromium_path, self.contact, self.timeout_s, self.stats = chromium_path, contact, timeout_s, stats
        self.blocked = 0
        self.user_agent = ""
        self._pw: Any = None
        self._browser: Any = None
        self.context: Any = None

    async def start(self) -> Any:
        """Launch the browser (once) and return a new page in the court's context."""
        if self.context is None:
            try:
                from playwright.async_api import Error as PlaywrightError
                from playwright.async_api import async_playwright
            except ImportError as exc:  # pragma: no cover - playwright is a declared dependency
                raise BrowserUnavailableError("playwright is not installed") from exc
            try:
                self._pw = await async_playwright().start()
                self._browser = await self._pw.chromium.launch(executable_path=self.chromium_path, headless=True,
                                                               args=CHROMIUM_ARGS)
                probe = await self._browser.new_page()
                self.user_agent = f"{await probe.evaluate('navigator.userAgent')} {self.contact}".strip()
                await probe.close()
                self.context = await self._browser.new_context(user_agent=self.user_agent)
                self.context.set_default_timeout(self.timeout_s * 1000)
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
        from playwright.async_api import Error as PlaywrightError

        for closing in (self._browser, self._pw):
            if closing is not None:
                with suppress(PlaywrightError, OSError):
                    await (closing.close() if closing is self._browser else closing.stop())
        self._browser = self._pw = self.context = None

    async def _route(self, route: Any) -> None:
        from playwright.async_api import Error as PlaywrightError

        request = route.request
        if request.resource_type in UNNEEDED_TYPES or not _is_host(request.url, self.host):
            self.blocked += 1
            with suppress(PlaywrightError):
                await route.abort("blockedbyclient")
            return
        retry = self.governor.retry
        for attempt in range(1, retry.max_attempts + 1):
            failure = ""
            async with self.governor.turn(request.url, self.stats):
                try:
                    response = await route.fetch(max_redirects=0, timeout=self.timeout_s * 1000)
                    if response.status in RETRY_STATUSES:
                        failure = f"HTTP {response.status}"
                    else:
                        body = await response.body()
                        self.governor.count(self.host, self.stats, bytes=len(body))
                except PlaywrightError as exc:  # dropped, reset, cut short, timed out
                    failure = str(exc).splitlines()[0][:120]
            if not failure:
                with suppress(PlaywrightError):  # the page may have gone meanwhile
                    await route.fulfill(response=response)
                return
            if attempt < retry.max_attempts:
                self.governor.count(self.host, self.stats, retries=1)
                log.info("browser request to %s failed (%s); retrying", _path(request.url), failure)
                await self.governor.backoff(self.host, retry.backoff_s(attempt, self.governor.rng), self.stats)
        self.governor.count(self.host, self.stats, failures=1)
        log.warning("browser request to %s given up after %d attempts", _path(request.url), retry.max_attempts)
        with suppress(PlaywrightError):
            await route.abort("failed")


def _path(url: str) -> str:
    from urllib.parse import urlsplit

    return urlsplit(url).path
