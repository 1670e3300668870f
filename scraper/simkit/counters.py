"""Per-client token buckets and the request counters every simulator keeps."""

from __future__ import annotations

import threading
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field


class TokenBuckets:
    """Per-key token buckets: capacity max(1, rate), refilled at `rate` tokens a second."""

    def __init__(self, rate: float, clock: Callable[[], float]) -> None:
        self.rate = rate
        self.capacity = max(1.0, rate)
        self._clock = clock
        self._lock = threading.Lock()
        self._buckets: dict[str, tuple[float, float]] = {}  # key -> (tokens, at)

    def allow(self, key: str) -> bool:
        now = self._clock()
        with self._lock:
            tokens, at = self._buckets.get(key, (self.capacity, now))
            tokens = min(self.capacity, tokens + (now - at) * self.rate)
            allowed = tokens >= 1.0
            self._buckets[key] = (tokens - 1.0 if allowed else tokens, now)
            return allowed


ARRIVALS_KEPT = 200_000


def busiest_window(times: list[float], width: float = 1.0) -> int:
    """The most of `times` in any half-open window [t, t + width)."""
    ordered = sorted(times)
    most = first = 0
    for last, at in enumerate(ordered):
        while at - ordered[first] >= width:
            first += 1
        most = max(most, last - first + 1)
    return most


@dataclass
class SimStats:
    """Counters since the simulator was made. Read them directly; `snapshot()` copies them."""

    requests: int = 0
    by_path: dict[str, int] = field(default_factory=dict)
    rate_limited: int = 0
    faults_injected: int = 0
    faults_by_kind: dict[str, int] = field(default_factory=dict)
    sessions_created: int = 0
    sessions_expired: int = 0
    browser_challenges: int = 0
    captchas: int = 0  # CAPTCHA pages shown (a gate only a person can pass)
    refused_posts: int = 0  # form posts without the view state and script token just served
    # When each request arrived (time.monotonic(), the clock every process here shares): how a
    # server counts a client's rate. The last ARRIVALS_KEPT.
    arrivals: deque[float] = field(default_factory=lambda: deque(maxlen=ARRIVALS_KEPT))
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False, compare=False)

    def count_request(self, path: str, arrived: float | None = None) -> None:
        """`arrived`: when the request reached the host (the HTTP layer's kernel timestamp), else now."""
        with self._lock:
            self.arrivals.append(time.monotonic() if arrived is None else arrived)
            self.requests += 1
            self.by_path[path] = self.by_path.get(path, 0) + 1

    def count_fault(self, kind: str) -> None:
        with self._lock:
            self.faults_injected += 1
            self.faults_by_kind[kind] = self.faults_by_kind.get(kind, 0) + 1

    def add(self, counter: str, n: int = 1) -> None:
        with self._lock:
            setattr(self, counter, getattr(self, counter) + n)

    def snapshot(self) -> dict[str, object]:
        with self._lock:
            return {"requests": self.requests, "by_path": dict(self.by_path), "rate_limited": self.rate_limited,
                    "faults_injected": self.faults_injected, "faults_by_kind": dict(self.faults_by_kind),
                    "sessions_created": self.sessions_created, "sessions_expired": self.sessions_expired,
                    "browser_challenges": self.browser_challenges, "captchas": self.captchas, "refused_posts": self.refused_posts}
