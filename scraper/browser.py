"""A real browser (Playwright driving the system Chromium) for portals that need one.

Used to pass a plain JavaScript browser check: the browser runs the check's script, then
hands the cookies it earned and its user agent to the httpx session, which does the rest.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

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
    chromium_path: str,
    contact: str,
    ready_selector: str,
    timeout_s: float = 45.0,
) -> BrowserSession:
    """Open `url` in headless Chromium and wait until `ready_selector` appears (the check passed).

    The browser's own user agent is kept and the operator's contact string appended, so the
    court still sees who is asking.
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


def _host(url: str) -> str:
    from urllib.parse import urlsplit

    return urlsplit(url).netloc
