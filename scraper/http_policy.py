"""Retry policy, per-host statistics and errors of the polite HTTP client."""

from __future__ import annotations

import datetime as dt
import email.utils
import random
from dataclasses import dataclass, fields

import httpx

__all__ = [
    "RetryPolicy",
    "HostStats",
    "FetchError",
    "ThrottledError",
    "parse_retry_after",
    "redact_url",
]


@dataclass
class RetryPolicy:
    max_attempts: int = 5  # attempts in total, including the first
    backoff_base_s: float = 1.0  # attempt n waits base * 2**(n-1) * jitter, capped
    backoff_max_s: float = 60.0
    jitter: float = 0.5  # wait multiplied by uniform(1-jitter, 1+jitter)
    throttle_wait_s: float = 10.0  # after a throttle page / 429 without Retry-After; x2 per consecutive throttle
    retry_after_max_s: float = 300.0  # Retry-After is honoured up to this

    def __post_init__(self) -> None:
        if self.max_attempts < 1:
            raise ValueError("max_attempts must be >= 1")
        if not 0 <= self.jitter < 1:
            raise ValueError("jitter must be in [0, 1)")
        for name in ("backoff_base_s", "backoff_max_s", "throttle_wait_s", "retry_after_max_s"):
            if getattr(self, name) < 0:
                raise ValueError(f"{name} must be >= 0")

    def backoff_s(self, attempt: int, rng: random.Random) -> float:
        """Wait after failed attempt number `attempt` (1-based): exponential, jittered, capped."""
        raw = self.backoff_base_s * 2 ** (attempt - 1)
        return min(self.backoff_max_s, raw * rng.uniform(1 - self.jitter, 1 + self.jitter))

    def throttle_s(self, consecutive: int) -> float:
        """Wait after the `consecutive`-th throttle in a row (1-based)."""
        return min(self.backoff_max_s, self.throttle_wait_s * 2 ** (consecutive - 1))

    def retry_after_s(self, seconds: float) -> float:
        return min(self.retry_after_max_s, max(0.0, seconds))


@dataclass
class HostStats:
    requests: int = 0  # HTTP requests sent (every attempt and redirect hop)
    retries: int = 0  # attempts repeated after a failure or throttle
    throttled: int = 0  # 429s and throttle pages
    failures: int = 0  # fetches given up on (FetchError raised)
    bytes: int = 0  # response body bytes received
    waited_s: float = 0.0  # rate-limit waits + backoff waits

    def __add__(self, other: HostStats) -> HostStats:
        return HostStats(**{f.name: getattr(self, f.name) + getattr(other, f.name) for f in fields(self)})


def redact_url(url: str | httpx.URL) -> str:
    """scheme://host/path, without the query string (it can hold names searched for)."""
    u = httpx.URL(url)
    return str(u.copy_with(query=None, fragment=None)) + ("?…" if u.query else "")


class FetchError(Exception):
    """A fetch failed for good (retries exhausted, or an error retrying can't fix)."""

    def __init__(
        self,
        url: str,
        attempts: int,
        reason: str,
        *,
        method: str = "GET",
        hint: str = "",
        status_code: int | None = None,
    ) -> None:
        self.url = url
        self.attempts = attempts
        self.reason = reason
        self.status_code = status_code
        msg = f"{method} {redact_url(url)} failed after {attempts} attempt(s); last problem: {reason}."
        super().__init__(f"{msg} {hint}".strip())


class ThrottledError(FetchError):
    """Gave up while the court was still telling us to slow down."""


def parse_retry_after(value: str | None, date_header: str | None = None) -> float | None:
    """Seconds to wait from a Retry-After header (delta-seconds or HTTP-date).

    An HTTP-date is taken relative to the response's Date header when present (so
    clock skew between us and the court does not matter), else to our UTC clock.
    Returns None if absent or unparseable; never negative.
    """
    if value is None:
        return None
    value = value.strip()
    try:
        return max(0.0, float(value))
    except ValueError:
        pass
    when = _parse_http_date(value)
    if when is None:
        return None
    now = _parse_http_date(date_header) if date_header else None
    now = now or dt.datetime.now(dt.timezone.utc)
    return max(0.0, (when - now).total_seconds())


def _parse_http_date(value: str) -> dt.datetime | None:
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=dt.timezone.utc)
    return when
