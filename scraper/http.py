"""The shared polite HTTP client every court adapter goes through.

Modelled in spirit on scrapelib (retrying and throttling as layers of one client), but
async, on `httpx.AsyncClient`. The layers, each its own small piece:

* throttle (`scraper.http_governor.HostGovernor`, shared by every session in a run): the
  per-host concurrency slot and the spacing of request starts (`scraper.ratelimit`);
* retry (`scraper.http_retry`): which answers are failures, Retry-After, backoff with
  jitter, throttle pages, the error when retrying is over;
* redirects: httpx follows them; each hop takes its own rate-limit turn (a request hook);
* statistics: the governor counts per host, each session its own share.

A `PoliteSession` is one court session (own cookie jar and user agent) composing them. Each
attempt: take the host's concurrency slot, wait for the rate limiter's turn, send and read
the whole body, give the slot back, and only then - if the attempt failed - sleep the
backoff. Other transports (the browser) take `governor.turn(url)` for each request.

Logs name the URL path and the reason only: never query strings, request bodies or
response content (they hold personal data).
"""

from __future__ import annotations

import logging
import urllib.request
from collections.abc import Callable
from dataclasses import replace
from typing import Any

import httpx

from scraper.http_clock import Clock, FakeClock, RealClock
from scraper.http_governor import HostGovernor
from scraper.http_wire import WireTransport
from scraper.http_policy import (
    FetchError,
    HostStats,
    RetryPolicy,
    ThrottledError,
    parse_retry_after,
    redact_url,
)
from scraper.http_retry import RETRY_STATUSES, Backoff, Failure, fetch_error, response_failure, transport_failure
from scraper.ratelimit import RateLimiter, SpacingRateLimiter, host_of

__all__ = [
    "Clock",
    "RealClock",
    "FakeClock",
    "RateLimiter",
    "SpacingRateLimiter",
    "RetryPolicy",
    "HostStats",
    "FetchError",
    "ThrottledError",
    "HostGovernor",
    "PoliteSession",
    "RETRY_STATUSES",
    "parse_retry_after",
    "redact_url",
]

log = logging.getLogger(__name__)


class PoliteSession:
    """One court session: its own `httpx.AsyncClient` (cookie jar, user agent)
    going through the shared `HostGovernor`.

    `throttle_check(resp)` recognises a court's "slow down" page served with a
    normal status (e.g. HTTP 200 "You have exceeded the rate limit ...");
    `answer_check(resp)` a page to hand back whatever its error status (a browser check).
    """

    def __init__(
        self,
        governor: HostGovernor,
        *,
        user_agent: str,
        timeout_s: float = 30.0,
        throttle_check: Callable[[httpx.Response], bool] | None = None,
        answer_check: Callable[[httpx.Response], bool] | None = None,
        transport: httpx.AsyncBaseTransport | None = None,
    ) -> None:
        self.governor = governor
        self.throttle_check = throttle_check
        self.answer_check = answer_check
        # This session's share of the host's traffic (courts on one host share the governor).
        self.stats = HostStats()
        if transport is None and not _proxied():
            # A limiter that gives a request its start as it leaves is told just before its bytes go.
            transport = WireTransport(getattr(governor.rate_limiter, "leaving", None))
        self._client = httpx.AsyncClient(
            headers={"User-Agent": user_agent},
            timeout=httpx.Timeout(timeout_s),
            transport=transport,
            event_hooks={"request": [self._before_send]},
        )

    # -- cookie jar and user agent ------------------------------------------------

    @property
    def cookies(self) -> httpx.Cookies:
        return self._client.cookies

    @cookies.setter
    def cookies(self, cookies: Any) -> None:  # httpx.Cookies, dict, CookieJar, ...
        self._client.cookies = cookies

    @property
    def user_agent(self) -> str:
        return self._client.headers["User-Agent"]

    @user_agent.setter
    def user_agent(self, value: str) -> None:
        self._client.headers["User-Agent"] = value

    # -- lifecycle ----------------------------------------------------------------

    async def aclose(self) -> None:
        await self._client.aclose()

    async def __aenter__(self) -> PoliteSession:
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        await self.aclose()

    # -- requests -----------------------------------------------------------------

    async def get(self, url: str, **kwargs: Any) -> httpx.Response:
        return await self.request("GET", url, **kwargs)

    async def post(self, url: str, **kwargs: Any) -> httpx.Response:
        return await self.request("POST", url, **kwargs)

    async def request(
        self,
        method: str,
        url: str,
        *,
        data: Any = None,
        params: Any = None,
        headers: Any = None,
        content: bytes | None = None,
        follow_redirects: bool = True,
        attempts: int | None = None,
    ) -> httpx.Response:
        """Send with retries; return the response (2xx, 3xx or a non-retryable 4xx).

        Raises `ThrottledError` if still throttled after the last attempt, and
        `FetchError` for any other failure that retrying did not (or cannot) fix.
        `attempts=1` is for requests that are not safe to repeat blindly (a request
        that moves server-side state): the caller decides how to recover.
        """
        gov = self.governor
        policy = gov.retry if attempts is None else replace(gov.retry, max_attempts=attempts)
        host, path = host_of(url), _path(url)
        backoff = Backoff(policy, gov.rng)
        send = dict(data=data, params=params, headers=headers, content=content, follow_redirects=follow_redirects)
        for attempt in range(1, policy.max_attempts + 1):
            outcome = await self._attempt(method, url, host, attempt, policy, send)
            if isinstance(outcome, httpx.Response):
                gov.answered(host)
                return outcome
            failure = outcome
            if attempt == policy.max_attempts:
                break
            wait = backoff.wait_s(failure, attempt)
            if failure.throttled:
                # A court that says "slow down" means it to every session, not just this one.
                gov.hold(host, wait)
            gov.count(host, self.stats, retries=1)
            log.log(
                logging.WARNING if failure.throttled else logging.INFO,
                "%s %s %s: %s; retry %d/%d in %.1fs",
                method,
                host,
                path,
                failure.reason,
                attempt,
                policy.max_attempts - 1,
                wait,
            )
            await gov.backoff(host, wait, self.stats)
        raise self._give_up(method, url, policy.max_attempts, failure)

    # -- internals ----------------------------------------------------------------

    async def _attempt(
        self, method: str, url: str, host: str, attempt: int, policy: RetryPolicy, send: dict[str, Any]
    ) -> httpx.Response | Failure:
        """One attempt under the host's slot (released before any backoff sleep): the final
        response, or why the attempt must be retried."""
        async with self.governor.slot(host):
            try:
                resp = await self._client.request(method, url, **send)
            except httpx.RequestError as exc:
                failure = transport_failure(exc)
                if failure.permanent:
                    raise self._give_up(method, url, attempt, failure) from exc
                return failure
            failure = response_failure(resp, policy, self.throttle_check, self.answer_check)
            received = sum(len(r.content) for r in (*resp.history, resp))
            throttled = failure is not None and failure.throttled
            self.governor.count(host, self.stats, bytes=received, throttled=int(throttled))
            return resp if failure is None else failure

    async def _before_send(self, request: httpx.Request) -> None:
        # An httpx request hook, so redirect hops wait for their host's turn too.
        await self.governor.wait_turn(request.url.host, self.stats)

    def _give_up(self, method: str, url: str, attempts: int, failure: Failure) -> FetchError:
        host = host_of(url)
        self.governor.count(host, self.stats, failures=1)
        log.warning(
            "%s %s %s: giving up after %d attempt(s): %s",
            method,
            host,
            _path(url),
            attempts,
            failure.reason,
        )
        return fetch_error(method, url, host, attempts, failure)


def _proxied() -> bool:
    """An HTTP(S) proxy in the environment: httpx's own transports then, as they read it (a
    transport given to httpx turns its environment proxies off)."""
    proxies = urllib.request.getproxies()
    return any(proxies.get(scheme) for scheme in ("http", "https", "all"))


def _path(url: str) -> str:
    return httpx.URL(url).path or "/"
