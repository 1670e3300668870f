"""Per-host adaptive rate, in the spirit of Scrapy's AutoThrottle.

A court may allow less than it is configured for. Each throttle answer (a 429 or the
court's "slow down" page) halves the host's rate; each plain answer raises it by a small
step, never above the configured rate (the ceiling) nor below a floor. The limiter spaces
requests at the current rate, so a court that allows less gets a slower scrape instead of
a failed one. Where the rate ended is kept (in the store, by the caller), so the next run
starts there and probes upward from it rather than meeting the throttle again at full speed.
"""

from __future__ import annotations

import threading
from collections.abc import Mapping
from dataclasses import dataclass

from scraper.ratelimit import SpacingRateLimiter, host_of

DECREASE = 0.5  # a throttle halves the rate
INCREASE = 1.02  # each plain answer raises it 2% (about 35 answers to double)
FLOOR_PER_S = 0.2  # never slower than one request every five seconds


@dataclass(frozen=True)
class HostRate:
    host: str
    configured_per_s: float
    current_per_s: float
    lowest_per_s: float  # the lowest it went this run
    throttled: int  # throttle answers this run

    @property
    def below_configured(self) -> bool:
        return self.current_per_s < self.configured_per_s * 0.999


class AdaptiveRates:
    """Adjusts the limiter's per-host rate between FLOOR_PER_S and each host's configured rate."""

    def __init__(self, limiter: SpacingRateLimiter, configured: Mapping[str, float],
                 learned: Mapping[str, float] | None = None) -> None:
        self.limiter = limiter
        self._ceiling = {host_of(h): float(r) for h, r in configured.items()}
        self._lowest: dict[str, float] = {}
        self._throttled: dict[str, int] = {}
        self._lock = threading.Lock()
        for host, rate in (learned or {}).items():
            host = host_of(host)
            if host in self._ceiling:
                self._set(host, max(FLOOR_PER_S, min(self._ceiling[host], float(rate))))

    def ceiling(self, host: str) -> float:
        host = host_of(host)
        return self._ceiling.get(host, self.limiter.rate_for(host))

    def throttled(self, host: str) -> float:
        """The host said "slow down": halve its rate. Returns the new rate."""
        host = host_of(host)
        with self._lock:
            self._throttled[host] = self._throttled.get(host, 0) + 1
            return self._set(host, max(min(FLOOR_PER_S, self.ceiling(host)), self.limiter.rate_for(host) * DECREASE))

    def answered(self, host: str) -> float:
        """A plain answer: raise the host's rate a step toward its ceiling. Returns the rate."""
        host = host_of(host)
        with self._lock:
            rate, ceiling = self.limiter.rate_for(host), self.ceiling(host)
            return rate if rate >= ceiling else self._set(host, min(ceiling, rate * INCREASE))

    def _set(self, host: str, rate: float) -> float:
        self.limiter.set_rate(host, rate)
        self._lowest[host] = min(rate, self._lowest.get(host, rate))
        return rate

    def rates(self) -> list[HostRate]:
        """Every configured host's rate as it stands, for the store, the summary and `status`."""
        return [HostRate(host, ceiling, self.limiter.rate_for(host), self._lowest.get(host, self.limiter.rate_for(host)),
                         self._throttled.get(host, 0))
                for host, ceiling in sorted(self._ceiling.items())]
