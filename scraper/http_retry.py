"""The retry layer of the polite client: which answers are failures, how long to wait before
the next attempt, and the error raised when retrying is over."""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass

import httpx

from scraper.http_policy import FetchError, RetryPolicy, ThrottledError, parse_retry_after

__all__ = ["RETRY_STATUSES", "Backoff", "Failure", "fetch_error", "response_failure", "transport_failure"]

RETRY_STATUSES = frozenset({500, 502, 503, 504})

# Transport errors that retrying cannot fix (our URL or our request is wrong).
_PERMANENT_TRANSPORT_ERRORS = (httpx.UnsupportedProtocol, httpx.LocalProtocolError)

HINT_THROTTLED = (
    "The court is still rate-limiting us: lower the request rate for {host} or raise "
    "RetryPolicy.throttle_wait_s, and run again later."
)
HINT_TRANSIENT = (
    "The portal may be down or overloaded: run again later; if it keeps failing, "
    "open the URL in a browser to check it still exists."
)
HINT_PERMANENT = "Retrying will not help: check the URL and the request."


@dataclass
class Failure:
    """Why an attempt did not give a final answer."""

    reason: str
    throttled: bool = False
    retry_after_s: float | None = None  # server-requested wait, already capped
    status_code: int | None = None
    permanent: bool = False  # another attempt cannot help

    @property
    def hint(self) -> str:
        if self.permanent:
            return HINT_PERMANENT
        return HINT_THROTTLED if self.throttled else HINT_TRANSIENT


def response_failure(
    resp: httpx.Response,
    policy: RetryPolicy,
    throttle_check: Callable[[httpx.Response], bool] | None,
    answer_check: Callable[[httpx.Response], bool] | None = None,
) -> Failure | None:
    """None if the response is final; else why it must be retried.

    `throttle_check(resp)` recognises a court's "slow down" page served with a normal status;
    `answer_check(resp)` a page that is the court's answer whatever its status (a browser
    check served with 503 is a browser check, not an outage). Content is judged before status.
    """
    status = resp.status_code
    if answer_check is not None and status >= 400 and answer_check(resp):
        return None
    if status == 429 or status in RETRY_STATUSES:
        after = parse_retry_after(resp.headers.get("Retry-After"), resp.headers.get("Date"))
        if after is not None:
            after = policy.retry_after_s(after)
        reason = f"HTTP {status}" + (f" (Retry-After {after:g}s)" if after is not None else "")
        return Failure(reason, throttled=status == 429, retry_after_s=after, status_code=status)
    if throttle_check is not None and throttle_check(resp):
        return Failure(f"throttle page (HTTP {status})", throttled=True, status_code=status)
    return None


def transport_failure(exc: httpx.RequestError) -> Failure:
    # Timeouts and dropped connections may go away; a bad request, TooManyRedirects or a
    # body that will not decode will not.
    retryable = isinstance(exc, httpx.TransportError) and not isinstance(exc, _PERMANENT_TRANSPORT_ERRORS)
    return Failure(error_reason(exc), permanent=not retryable)


class Backoff:
    """The waits between the attempts of one request.

    The server's Retry-After when it sent one; after a throttle, `throttle_wait_s` doubling
    with each throttle in a row; after any other failure, exponential backoff with jitter
    (and the throttle doubling starts over).
    """

    def __init__(self, policy: RetryPolicy, rng: random.Random) -> None:
        self.policy = policy
        self.rng = rng
        self._throttles_in_a_row = 0

    def wait_s(self, failure: Failure, attempt: int) -> float:
        self._throttles_in_a_row = self._throttles_in_a_row + 1 if failure.throttled else 0
        if failure.retry_after_s is not None:
            return failure.retry_after_s
        if failure.throttled:
            return self.policy.throttle_s(self._throttles_in_a_row)
        return self.policy.backoff_s(attempt, self.rng)


def fetch_error(method: str, url: str, host: str, attempts: int, failure: Failure) -> FetchError:
    cls = ThrottledError if failure.throttled else FetchError
    return cls(url, attempts, failure.reason, method=method, hint=failure.hint.format(host=host),
               status_code=failure.status_code)


def error_reason(exc: Exception) -> str:
    # httpx exception messages describe the connection, not the payload; trim anyway.
    text = str(exc).strip()
    return f"{type(exc).__name__}: {text[:200]}" if text else type(exc).__name__
