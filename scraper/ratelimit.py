"""Per-host request-start rate limiting for the polite HTTP client."""

from __future__ import annotations

import math
import threading
from collections import deque
from contextvars import ContextVar
from collections.abc import Iterable, Mapping
from typing import Protocol, runtime_checkable

import httpx

from scraper.http_clock import Clock

__all__ = ["RateLimiter", "SpacingRateLimiter", "host_of"]


def host_of(url_or_host: str) -> str:
    """Lower-case host name of a URL, or of a bare "host[:port][/path]"."""
    text = url_or_host.strip()
    host = httpx.URL(text if "://" in text else f"http://{text}").host
    if not host:
        raise ValueError(f"no host in {url_or_host!r}")
    return host


@runtime_checkable
class RateLimiter(Protocol):
    """Decides when a request to a host may start.

    `SpacingRateLimiter` keeps the state in this process; `pipeline.store.hostbudget.
    SharedRateLimiter` keeps it in PostgreSQL for every worker together. A limiter may also
    offer `lease(host)`, an async context manager held while a request is in flight, to cap
    the host's concurrency beyond this process.
    """

    async def wait_turn(self, host: str) -> float:
        """Block until a request to `host` may START; return the seconds waited."""
        ...

    def hold(self, host: str, seconds: float) -> None:
        """The host asked us to slow down: no request to it may start for `seconds`."""
        ...


# How much longer than one second the window of `rate` request starts is kept: the server
# counts arrivals, and one request delayed more than the one `rate` starts later (by the event
# loop, the network, the server's own scheduling) puts two of them in one of its seconds.
# bench/scrape.py measures that spread; the default keeps well above the largest seen there.
DEFAULT_WINDOW_MARGIN_S = 0.025
# A request that leaves later than this after its start was recorded has its start taken again
# as it leaves: a loop busy with other courts' pages can hold a request past the window's margin,
# and it would then arrive bunched with the next ones (81 in a second at a limit of 80, measured).
LATE_SEND_S = 0.005
_booked: ContextVar[tuple[str, float] | None] = ContextVar("spacing_booked", default=None)


class SpacingRateLimiter:
    """In-process limiter: request starts to one host are >= 1/rate seconds apart, and no
    window of 1 s (+ `margin_s`) holds more than `rate` of them (at least one).

    A caller reserves the next free slot under a lock (no awaiting inside it), then sleeps
    until that slot without holding the lock. Many requests can therefore be in flight at once
    while their starts stay spaced, so network latency hides behind the rate limit instead of
    adding to it. The window is checked on the starts as they happened (a start the event
    loop woke late pushes the later ones, not the earlier ones, back).
    """

    def __init__(
        self,
        rates_per_s: Mapping[str, float],
        clock: Clock,
        default_rate_per_s: float = 1.0,
        margin_s: float = DEFAULT_WINDOW_MARGIN_S,
    ) -> None:
        self._rates = {host_of(h): _check_rate(r, h) for h, r in rates_per_s.items()}
        self._default = _check_rate(default_rate_per_s, "default")
        if not 0 <= margin_s < 1:
            raise ValueError(f"margin_s must be in [0, 1) seconds, got {margin_s}")
        self.margin_s = margin_s
        self._clock = clock
        self._last_slot: dict[str, float] = {}
        self._starts: dict[str, deque[float]] = {}
        self._lock = threading.Lock()
        self.start_log: list[tuple[str, float]] | None = None  # set to a list to record every start

    def rate_for(self, host: str) -> float:
        return self._rates.get(host_of(host), self._default)

    def set_rate(self, host: str, rate_per_s: float) -> None:
        self._rates[host_of(host)] = _check_rate(rate_per_s, host)

    async def wait_turn(self, host: str) -> float:
        host = host_of(host)
        interval = 1.0 / self.rate_for(host)
        with self._lock:
            now = self._clock.monotonic()
            last = self._last_slot.get(host)
            slot = now if last is None else max(now, last + interval)
            self._last_slot[host] = slot
        waited = 0.0
        if slot > now:
            await self._clock.sleep(slot - now)
            waited = slot - now
        while (extra := self._start(host)) > 0:
            await self._clock.sleep(extra)
            waited += extra
        return waited

    async def leaving(self, host: str) -> None:
        """The request whose turn this task took is leaving now (its bytes go in the caller's next
        step, `scraper.http_wire`). Sent late, its start is taken back and recorded again now, or
        it waits until the window has room: the starts counted are then never earlier than the
        requests went."""
        booked = _booked.get()
        if booked is None or booked[0] != host_of(host):
            return
        _booked.set(None)
        host, start = booked
        if self._clock.monotonic() - start <= LATE_SEND_S:
            return
        with self._lock:
            starts = self._starts.get(host)
            if starts is not None and start in starts:
                starts.remove(start)
        while (extra := self._start(host)) > 0:
            await self._clock.sleep(extra)
        _booked.set(None)

    def record_start(self, host: str) -> None:
        """A request to `host` left without waiting for its turn (a browser's redirect hop, sent
        before anyone could hold it): count it in the window as of now, so later ones wait for it."""
        self._start(host_of(host), force=True)

    def _start(self, host: str, force: bool = False) -> float:
        """Record a start now if the window allows one; else the seconds until it does."""
        per_window = max(1, math.floor(self.rate_for(host) + 1e-9))
        with self._lock:
            now = self._clock.monotonic()
            starts = self._starts.get(host)
            if starts is None or starts.maxlen != per_window:
                starts = self._starts[host] = deque(starts or (), maxlen=per_window)
            if not force and len(starts) == per_window and now < starts[0] + 1.0 + self.margin_s:
                return starts[0] + 1.0 + self.margin_s - now
            starts.append(now)
            if not force:
                _booked.set((host, now))
            # Later slots are spaced from this start, not from a slot it was held past.
            self._last_slot[host] = max(self._last_slot.get(host, now), now)
            if self.start_log is not None:
                self.start_log.append((host, now))
            return 0.0

    def hold(self, host: str, seconds: float) -> None:
        host = host_of(host)
        interval = 1.0 / self.rate_for(host)
        with self._lock:
            resume = self._clock.monotonic() + seconds
            last = self._last_slot.get(host)
            # The next slot is last + interval: place it at `resume`, never earlier than booked.
            self._last_slot[host] = resume - interval if last is None else max(last, resume - interval)

    @staticmethod
    def rates_from(urls_and_rates: Iterable[tuple[str, float]]) -> dict[str, float]:
        """host -> lowest rate among the entries (URLs or bare hosts) sharing it."""
        rates: dict[str, float] = {}
        for url, rate in urls_and_rates:
            host = host_of(url)
            rate = _check_rate(rate, url)
            rates[host] = min(rate, rates.get(host, rate))
        return rates


def _check_rate(rate: float, what: str) -> float:
    rate = float(rate)
    if not rate > 0:
        raise ValueError(f"rate for {what} must be > 0 requests/s, got {rate}")
    return rate
