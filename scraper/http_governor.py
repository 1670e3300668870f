"""The throttle and the statistics layers of the polite client, shared by every transport.

A `HostGovernor` is shared by every session in a run. Per host it holds a concurrency slot
(an `asyncio.Semaphore`, made lazily), and through the rate limiter the spacing of request
starts; it also keeps per-host statistics. `async with governor.turn(url)` is one request's
worth of all three, for any transport (httpx, a browser's navigation).
"""

from __future__ import annotations

import asyncio
import random
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from scraper.http_adapt import AdaptiveRates
from scraper.http_clock import Clock
from scraper.http_policy import HostStats, RetryPolicy
from scraper.ratelimit import RateLimiter, host_of

__all__ = ["HostGovernor"]


class HostGovernor:
    """Shared by every session in a run: rate limiter, per-host concurrency cap, clock,
    retry policy, rng (for jitter) and per-host stats."""

    def __init__(
        self,
        *,
        rate_limiter: RateLimiter,
        max_concurrency_per_host: int,
        clock: Clock,
        retry: RetryPolicy,
        rng: random.Random | None = None,
        adaptive: AdaptiveRates | None = None,
    ) -> None:
        if max_concurrency_per_host < 1:
            raise ValueError("max_concurrency_per_host must be >= 1")
        self.rate_limiter = rate_limiter
        self.max_concurrency_per_host = max_concurrency_per_host
        self.clock = clock
        self.retry = retry
        self.rng = rng if rng is not None else random.Random()
        self.stats: dict[str, HostStats] = {}
        self._slots: dict[str, asyncio.Semaphore] = {}
        self.adaptive = adaptive  # None: each host keeps its configured rate whatever it answers

    # -- throttle -------------------------------------------------------------------

    @asynccontextmanager
    async def slot(self, host: str) -> AsyncIterator[None]:
        """The host's concurrency cap: hold it while a request is in flight. A limiter shared
        by several workers (one with `lease`) also caps the host across all of them."""
        host = host_of(host)
        sem = self._slots.get(host)
        if sem is None:
            sem = self._slots[host] = asyncio.Semaphore(self.max_concurrency_per_host)
        lease = getattr(self.rate_limiter, "lease", None)
        async with sem:
            if lease is None:
                yield
            else:
                async with lease(host):
                    yield

    async def wait_turn(self, host: str, *also: HostStats) -> float:
        """Wait for the rate limiter, and count the request about to be sent (in the host's
        stats and in each of `also`); return the seconds waited."""
        waited = await self.rate_limiter.wait_turn(host)
        self.count(host, *also, requests=1, waited_s=waited)
        return waited

    def sent_unasked(self, host: str, *also: HostStats) -> None:
        """A request went to `host` without waiting for its turn (a redirect hop the browser
        follows on its own): counted, and booked in the host's window as of now."""
        record = getattr(self.rate_limiter, "record_start", None)
        if record is not None:
            record(host)
        self.count(host, *also, requests=1)

    @asynccontextmanager
    async def turn(self, url: str, *also: HostStats) -> AsyncIterator[float]:
        """One request to `url`'s host: its concurrency slot for the block, its rate-limit
        turn before the block starts, and counted. Yields the seconds waited for the turn.

        A transport that sends several requests under one slot (httpx following redirects)
        takes `slot()` once and `wait_turn()` per request instead.
        """
        host = host_of(url)
        async with self.slot(host):
            yield await self.wait_turn(host, *also)

    def hold(self, host: str, seconds: float) -> None:
        """The host said "slow down": no request to it (from any session) starts for `seconds`,
        and (adaptive) its rate is halved."""
        self.rate_limiter.hold(host, seconds)
        if self.adaptive is not None:
            self.adaptive.throttled(host)

    def answered(self, host: str) -> None:
        """A plain answer from the host: (adaptive) its rate creeps back toward the configured one."""
        if self.adaptive is not None:
            self.adaptive.answered(host)

    async def backoff(self, host: str, seconds: float, *also: HostStats) -> None:
        self.count(host, *also, waited_s=seconds)
        await self.clock.sleep(seconds)

    # -- statistics -----------------------------------------------------------------

    def stats_for(self, host: str) -> HostStats:
        return self.stats.setdefault(host_of(host), HostStats())

    def count(self, host: str, *also: HostStats, **counts: float) -> None:
        """Add `counts` (HostStats field -> amount) to the host's stats and to each of `also`
        (e.g. one session's share of the host's traffic)."""
        for stats in (self.stats_for(host), *also):
            for name, amount in counts.items():
                setattr(stats, name, getattr(stats, name) + amount)

    def total(self) -> HostStats:
        """All hosts' stats summed."""
        return sum(self.stats.values(), HostStats())
