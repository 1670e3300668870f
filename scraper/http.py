"""The shared polite HTTP client every court adapter goes through.

Modelled in spirit on scrapelib (retrying and throttling as layers of one client),
but async, on `httpx.AsyncClient`:

* a `HostGovernor` is shared by every session in a run: it owns the per-host rate
  limiter, a per-host concurrency cap, the clock, the retry policy, the random
  source for jitter, and per-host statistics;
* a `PoliteSession` is one court session (own cookie jar and user agent) whose
  requests all pass through the governor.

Each attempt: take the host's concurrency slot, wait for the rate limiter's turn,
send and read the whole body, give the slot back, and only then - if the attempt
failed - sleep the backoff. Redirect hops also wait for their host's turn.

Logs name the URL path and the reason only: never query strings, request bodies or
response content (they hold personal data).
"""

from __future__ import annotations

import asyncio
import logging
import random
from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import Any

import httpx

from scraper.http_clock import Clock, FakeClock, RealClock
from scraper.http_policy import (
    FetchError,
    HostStats,
    RetryPolicy,
    ThrottledError,
    parse_retry_after,
    redact_url,
)
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

RETRY_STATUSES = frozenset({500, 502, 503, 504})

# Transport errors that retrying cannot fix (our URL or our request is wrong).
_PERMANENT_TRANSPORT_ERRORS = (httpx.UnsupportedProtocol, httpx.LocalProtocolError)


class HostGovernor:
    """Shared by every session in a run.

    Holds the rate limiter, a per-host concurrency cap (an `asyncio.Semaphore` per
    host, created lazily), the clock, the retry policy, the rng and the stats.
    """

    def __init__(
        self,
        *,
        rate_limiter: RateLimiter,
        max_concurrency_per_host: int,
        clock: Clock,
        retry: RetryPolicy,
        rng: random.Random | None = None,
    ) -> None:
        if max_concurrency_per_host < 1:
            raise ValueError("max_concurrency_per_host must be >= 1")
        self.rate_limiter = rate_limiter
        self.max_concurrency_per_host = max_concurrency_per_host
        self.clock = clock
        self.retry = retry
        self.rng = rng if rng is not None else random.Random()
        self.stats: dict[str, HostStats] = {}
        self._semaphores: dict[str, asyncio.Semaphore] = {}

    def semaphore(self, host: str) -> asyncio.Semaphore:
        host = host_of(host)
        sem = self._semaphores.get(host)
        if sem is None:
            sem = self._semaphores[host] = asyncio.Semaphore(self.max_concurrency_per_host)
        return sem

    def stats_for(self, host: str) -> HostStats:
        return self.stats.setdefault(host_of(host), HostStats())

    def total(self) -> HostStats:
        """All hosts' stats summed."""
        return sum(self.stats.values(), HostStats())

    async def wait_turn(self, host: str) -> float:
        """Wait for the rate limiter, and count the request about to be sent."""
        waited = await self.rate_limiter.wait_turn(host)
        stats = self.stats_for(host)
        stats.requests += 1
        stats.waited_s += waited
        return waited

    async def backoff(self, host: str, seconds: float) -> None:
        self.stats_for(host).waited_s += seconds
        await self.clock.sleep(seconds)


@dataclass
class _Outcome:
    """Why an attempt has to be retried."""

    reason: str
    throttled: bool = False
    retry_after_s: float | None = None  # server-requested wait, already capped
    status_code: int | None = None


class PoliteSession:
    """One court session: its own `httpx.AsyncClient` (cookie jar, user agent)
    going through the shared `HostGovernor`.

    `throttle_check(resp)` recognises a court's "slow down" page served with a
    normal status (e.g. HTTP 200 "You have exceeded the rate limit ...").
    """

    def __init__(
        self,
        governor: HostGovernor,
        *,
        user_agent: str,
        timeout_s: float = 30.0,
        throttle_check: Callable[[httpx.Response], bool] | None = None,
        transport: httpx.AsyncBaseTransport | None = None,
    ) -> None:
        self.governor = governor
        self.throttle_check = throttle_check
        # This session's share of the host's traffic (courts on one host share the governor).
        self.stats = HostStats()
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
        host = host_of(url)
        path = httpx.URL(url).path or "/"
        consecutive_throttles = 0
        outcome: _Outcome | None = None
        for attempt in range(1, policy.max_attempts + 1):
            async with gov.semaphore(host):  # released before any backoff sleep
                try:
                    resp = await self._client.request(
                        method,
                        url,
                        data=data,
                        params=params,
                        headers=headers,
                        follow_redirects=follow_redirects,
                    )
                except _PERMANENT_TRANSPORT_ERRORS as exc:
                    raise self._give_up(method, url, attempt, _error_reason(exc), hint=_HINT_PERMANENT) from exc
                except (httpx.TimeoutException, httpx.TransportError) as exc:
                    outcome = _Outcome(_error_reason(exc))
                except httpx.RequestError as exc:  # e.g. TooManyRedirects, DecodingError
                    raise self._give_up(method, url, attempt, _error_reason(exc), hint=_HINT_PERMANENT) from exc
                else:
                    outcome = self._classify(resp)
                    received = sum(len(r.content) for r in (*resp.history, resp))
                    for stats in (gov.stats_for(host), self.stats):
                        stats.bytes += received
                        if outcome is not None and outcome.throttled:
                            stats.throttled += 1
                    if outcome is None:
                        return resp

            if attempt == policy.max_attempts:
                break
            if outcome.throttled:
                consecutive_throttles += 1
                wait = outcome.retry_after_s
                if wait is None:
                    wait = policy.throttle_s(consecutive_throttles)
            else:
                consecutive_throttles = 0
                wait = outcome.retry_after_s
                if wait is None:
                    wait = policy.backoff_s(attempt, gov.rng)
            if outcome.throttled:
                # A court that says "slow down" means it to every session, not just this one.
                gov.rate_limiter.hold(host, wait)
            gov.stats_for(host).retries += 1
            self.stats.retries += 1
            self.stats.waited_s += wait
            log.log(
                logging.WARNING if outcome.throttled else logging.INFO,
                "%s %s %s: %s; retry %d/%d in %.1fs",
                method,
                host,
                path,
                outcome.reason,
                attempt,
                policy.max_attempts - 1,
                wait,
            )
            await gov.backoff(host, wait)

        assert outcome is not None
        raise self._give_up(
            method,
            url,
            policy.max_attempts,
            outcome.reason,
            hint=_HINT_THROTTLED if outcome.throttled else _HINT_TRANSIENT,
            throttled=outcome.throttled,
            status_code=outcome.status_code,
        )

    # -- internals ----------------------------------------------------------------

    async def _before_send(self, request: httpx.Request) -> None:
        # An httpx request hook, so redirect hops wait for their host's turn too.
        waited = await self.governor.wait_turn(request.url.host)
        self.stats.requests += 1
        self.stats.waited_s += waited

    def _classify(self, resp: httpx.Response) -> _Outcome | None:
        """None if the response is final; else why it must be retried."""
        status = resp.status_code
        if status == 429 or status in RETRY_STATUSES:
            after = parse_retry_after(resp.headers.get("Retry-After"), resp.headers.get("Date"))
            if after is not None:
                after = self.governor.retry.retry_after_s(after)
            reason = f"HTTP {status}" + (f" (Retry-After {after:g}s)" if after is not None else "")
            return _Outcome(reason, throttled=status == 429, retry_after_s=after, status_code=status)
        if self.throttle_check is not None and self.throttle_check(resp):
            return _Outcome(f"throttle page (HTTP {status})", throttled=True, status_code=status)
        return None

    def _give_up(
        self,
        method: str,
        url: str,
        attempts: int,
        reason: str,
        *,
        hint: str,
        throttled: bool = False,
        status_code: int | None = None,
    ) -> FetchError:
        host = host_of(url)
        self.governor.stats_for(host).failures += 1
        self.stats.failures += 1
        log.warning(
            "%s %s %s: giving up after %d attempt(s): %s",
            method,
            host,
            httpx.URL(url).path or "/",
            attempts,
            reason,
        )
        cls = ThrottledError if throttled else FetchError
        return cls(url, attempts, reason, method=method, hint=hint.format(host=host), status_code=status_code)


_HINT_THROTTLED = (
    "The court is still rate-limiting us: lower the request rate for {host} or raise "
    "RetryPolicy.throttle_wait_s, and run again later."
)
_HINT_TRANSIENT = (
    "The portal may be down or overloaded: run again later; if it keeps failing, "
    "open the URL in a browser to check it still exists."
)
_HINT_PERMANENT = "Retrying will not help: check the URL and the request."


def _error_reason(exc: Exception) -> str:
    # httpx exception messages describe the connection, not the payload; trim anyway.
    text = str(exc).strip()
    return f"{type(exc).__name__}: {text[:200]}" if text else type(exc).__name__
