"""Tests for scraper.http: the shared polite HTTP client.

All waiting goes through a FakeClock (virtual time), so nothing really sleeps.
HTTP is mocked with respx; the rng is seeded, so every run is identical.
"""

from __future__ import annotations

import asyncio
import functools
import logging
import random

import httpx
import pytest
import respx

from scraper.ratelimit import DEFAULT_WINDOW_MARGIN_S
from scraper.simkit.counters import busiest_window
from scraper.http import (
    FakeClock,
    FetchError,
    HostGovernor,
    HostStats,
    PoliteSession,
    RateLimiter,
    RealClock,
    RetryPolicy,
    SpacingRateLimiter,
    ThrottledError,
)

BASE = "http://127.0.0.1:9"  # respx mocks it: even mocked hosts are local
OTHER = "http://localhost:9"
THROTTLE_TEXT = "You have exceeded the rate limit for this application."
SEED = 1234


def run(coro_fn):
    """Run an async test function on a fresh event loop."""

    @functools.wraps(coro_fn)
    def wrapper(*args, **kwargs):
        return asyncio.run(coro_fn(*args, **kwargs))

    return wrapper


def make_governor(
    clock: FakeClock,
    *,
    rate: float = 1000.0,
    rates: dict[str, float] | None = None,
    cap: int = 10,
    **retry_kwargs,
) -> HostGovernor:
    return HostGovernor(
        rate_limiter=SpacingRateLimiter(rates or {}, clock, default_rate_per_s=rate),
        max_concurrency_per_host=cap,
        clock=clock,
        retry=RetryPolicy(**retry_kwargs),
        rng=random.Random(SEED),
    )


def is_throttle_page(resp: httpx.Response) -> bool:
    return "exceeded the rate limit" in resp.text


@pytest.fixture
def router():
    with respx.mock(assert_all_called=False) as r:
        yield r


# --- retries and backoff ----------------------------------------------------------


@run
async def test_503_twice_then_200_backs_off_exponentially_with_jitter(router):
    router.get(f"{BASE}/case").mock(
        side_effect=[httpx.Response(503), httpx.Response(503), httpx.Response(200, text="ok")]
    )
    clock = FakeClock()
    gov = make_governor(clock, backoff_base_s=1.0, jitter=0.5)
    async with PoliteSession(gov, user_agent="ua") as s:
        resp = await s.get(f"{BASE}/case")

    assert resp.status_code == 200 and resp.text == "ok"
    st = gov.stats["127.0.0.1"]
    assert (st.requests, st.retries, st.failures, st.throttled) == (3, 2, 0, 0)
    assert len(clock.sleeps) == 2  # the fast rate limiter never had to wait
    first, second = clock.sleeps
    assert 0.5 <= first <= 1.5  # base * 2**0 * uniform(0.5, 1.5)
    assert 1.0 <= second <= 3.0  # base * 2**1 * uniform(0.5, 1.5)
    rng = random.Random(SEED)
    assert clock.sleeps == pytest.approx([rng.uniform(0.5, 1.5), 2 * rng.uniform(0.5, 1.5)])
    assert clock.monotonic() == pytest.approx(first + second)
    assert st.waited_s == pytest.approx(first + second)


@run
async def test_backoff_is_capped_and_failure_raises_fetch_error(router):
    router.get(f"{BASE}/down").mock(return_value=httpx.Response(502))
    clock = FakeClock()
    gov = make_governor(clock, max_attempts=4, backoff_base_s=10.0, backoff_max_s=15.0)
    async with PoliteSession(gov, user_agent="ua") as s:
        with pytest.raises(FetchError) as ei:
            await s.get(f"{BASE}/down")

    assert not isinstance(ei.value, ThrottledError)
    assert len(clock.sleeps) == 3  # no sleep after the last attempt
    assert 5.0 <= clock.sleeps[0] <= 15.0
    assert clock.sleeps[1:] == [15.0, 15.0]
    assert ei.value.attempts == 4 and ei.value.status_code == 502
    assert "HTTP 502" in ei.value.reason
    assert f"{BASE}/down" in str(ei.value) and "4 attempt" in str(ei.value)
    assert gov.stats["127.0.0.1"].failures == 1


@pytest.mark.parametrize("status", [500, 502, 503, 504])
@run
async def test_retryable_5xx_statuses(router, status):
    router.get(f"{BASE}/x").mock(side_effect=[httpx.Response(status), httpx.Response(200)])
    gov = make_governor(FakeClock())
    async with PoliteSession(gov, user_agent="ua") as s:
        assert (await s.get(f"{BASE}/x")).status_code == 200
    assert gov.stats["127.0.0.1"].retries == 1


@pytest.mark.parametrize("status", [400, 401, 403, 404, 410])
@run
async def test_other_4xx_returned_without_retry(router, status):
    route = router.get(f"{BASE}/missing").mock(return_value=httpx.Response(status))
    clock = FakeClock()
    gov = make_governor(clock)
    async with PoliteSession(gov, user_agent="ua") as s:
        resp = await s.get(f"{BASE}/missing")
    assert resp.status_code == status
    assert route.call_count == 1
    assert clock.sleeps == []
    assert gov.stats["127.0.0.1"].retries == 0


# --- Retry-After and throttling --------------------------------------------------


@run
async def test_429_retry_after_seconds_waited_exactly(router):
    router.get(f"{BASE}/r").mock(
        side_effect=[httpx.Response(429, headers={"Retry-After": "7"}), httpx.Response(200)]
    )
    clock = FakeClock()
    gov = make_governor(clock)
    async with PoliteSession(gov, user_agent="ua") as s:
        assert (await s.get(f"{BASE}/r")).status_code == 200
    assert clock.sleeps == [7.0]
    st = gov.stats["127.0.0.1"]
    assert (st.throttled, st.retries) == (1, 1)


@run
async def test_retry_after_http_date_relative_to_date_header(router):
    headers = {
        "Date": "Wed, 21 Oct 2026 07:28:00 GMT",
        "Retry-After": "Wed, 21 Oct 2026 07:28:42 GMT",
    }
    router.get(f"{BASE}/r").mock(side_effect=[httpx.Response(429, headers=headers), httpx.Response(200)])
    clock = FakeClock()
    async with PoliteSession(make_governor(clock), user_agent="ua") as s:
        assert (await s.get(f"{BASE}/r")).status_code == 200
    assert clock.sleeps == [42.0]


@run
async def test_retry_after_on_503_is_honoured(router):
    router.get(f"{BASE}/r").mock(
        side_effect=[httpx.Response(503, headers={"Retry-After": "3"}), httpx.Response(200)]
    )
    clock = FakeClock()
    gov = make_governor(clock)
    async with PoliteSession(gov, user_agent="ua") as s:
        assert (await s.get(f"{BASE}/r")).status_code == 200
    assert clock.sleeps == [3.0]
    assert gov.stats["127.0.0.1"].throttled == 0  # a 503 is an outage, not a throttle


@pytest.mark.parametrize(
    "retry_after",
    ["86400", "Fri, 01 Jan 2100 00:00:00 GMT"],  # absurd seconds; far-future date (no Date header)
)
@run
async def test_absurd_retry_after_is_capped(router, retry_after):
    router.get(f"{BASE}/r").mock(
        side_effect=[httpx.Response(429, headers={"Retry-After": retry_after}), httpx.Response(200)]
    )
    clock = FakeClock()
    async with PoliteSession(make_governor(clock, retry_after_max_s=300.0), user_agent="ua") as s:
        await s.get(f"{BASE}/r")
    assert clock.sleeps == [300.0]


@run
async def test_429_without_retry_after_uses_throttle_wait_doubling(router):
    router.get(f"{BASE}/r").mock(side_effect=[httpx.Response(429), httpx.Response(429), httpx.Response(200)])
    clock = FakeClock()
    async with PoliteSession(make_governor(clock, throttle_wait_s=10.0), user_agent="ua") as s:
        await s.get(f"{BASE}/r")
    assert clock.sleeps == [10.0, 20.0]


@run
async def test_throttle_page_waits_then_doubles_then_succeeds(router):
    router.get(f"{BASE}/search").mock(
        side_effect=[
            httpx.Response(200, text=f"<html><p>{THROTTLE_TEXT}</p></html>"),
            httpx.Response(200, text=f"<html><p>{THROTTLE_TEXT}</p></html>"),
            httpx.Response(200, text="<html>results</html>"),
        ]
    )
    clock = FakeClock()
    gov = make_governor(clock, throttle_wait_s=10.0)
    async with PoliteSession(gov, user_agent="ua", throttle_check=is_throttle_page) as s:
        resp = await s.get(f"{BASE}/search")
    assert resp.text == "<html>results</html>"
    assert clock.sleeps == [10.0, 20.0]
    st = gov.stats["127.0.0.1"]
    assert (st.throttled, st.retries, st.requests) == (2, 2, 3)


@run
async def test_throttle_doubling_resets_after_a_non_throttle_failure(router):
    throttle = httpx.Response(200, text=THROTTLE_TEXT)
    router.get(f"{BASE}/s").mock(
        side_effect=[throttle, httpx.Response(503), throttle, httpx.Response(200, text="ok")]
    )
    clock = FakeClock()
    gov = make_governor(clock, throttle_wait_s=10.0, backoff_base_s=1.0)
    async with PoliteSession(gov, user_agent="ua", throttle_check=is_throttle_page) as s:
        await s.get(f"{BASE}/s")
    assert clock.sleeps[0] == 10.0 and clock.sleeps[2] == 10.0


@run
async def test_persistent_throttling_raises_throttled_error(router):
    route = router.get(f"{BASE}/search").mock(return_value=httpx.Response(200, text=THROTTLE_TEXT))
    clock = FakeClock()
    gov = make_governor(clock, max_attempts=4, throttle_wait_s=10.0, backoff_max_s=25.0)
    async with PoliteSession(gov, user_agent="ua", throttle_check=is_throttle_page) as s:
        with pytest.raises(ThrottledError) as ei:
            await s.get(f"{BASE}/search")
    assert isinstance(ei.value, FetchError)
    assert route.call_count == 4 and ei.value.attempts == 4
    assert clock.sleeps == [10.0, 20.0, 25.0]  # doubling, capped by backoff_max_s
    assert "throttle" in ei.value.reason and "rate" in str(ei.value)
    st = gov.stats["127.0.0.1"]
    assert (st.throttled, st.retries, st.failures) == (4, 3, 1)


# --- transport errors --------------------------------------------------------------


@pytest.mark.parametrize(
    "exc",
    [
        httpx.ConnectError("connection refused"),
        httpx.ReadTimeout("timed out"),
        httpx.RemoteProtocolError("peer closed connection without sending complete message body"),
        httpx.ReadError("connection reset by peer"),
    ],
    ids=lambda e: type(e).__name__,
)
@run
async def test_transport_errors_are_retried(router, exc):
    router.get(f"{BASE}/case").mock(side_effect=[exc, httpx.Response(200, text="ok")])
    clock = FakeClock()
    gov = make_governor(clock)
    async with PoliteSession(gov, user_agent="ua") as s:
        resp = await s.get(f"{BASE}/case")
    assert resp.text == "ok"
    assert len(clock.sleeps) == 1
    st = gov.stats["127.0.0.1"]
    assert (st.requests, st.retries) == (2, 1)


@run
async def test_transport_errors_exhausted_raise_fetch_error(router):
    router.get(f"{BASE}/case/7").mock(
        side_effect=[
            httpx.ConnectError("refused"),
            httpx.ReadTimeout("timed out"),
            httpx.RemoteProtocolError("incomplete body"),
        ]
    )
    gov = make_governor(FakeClock(), max_attempts=3)
    async with PoliteSession(gov, user_agent="ua") as s:
        with pytest.raises(FetchError) as ei:
            await s.get(f"{BASE}/case/7")
    err = ei.value
    assert not isinstance(err, ThrottledError)
    assert err.url == f"{BASE}/case/7" and err.attempts == 3
    assert "RemoteProtocolError" in err.reason
    assert f"{BASE}/case/7" in str(err) and "3 attempt" in str(err)
    assert gov.stats["127.0.0.1"].failures == 1


@run
async def test_permanent_request_errors_are_not_retried(router):
    route = router.get(f"{BASE}/x").mock(side_effect=httpx.LocalProtocolError("bad header"))
    clock = FakeClock()
    async with PoliteSession(make_governor(clock), user_agent="ua") as s:
        with pytest.raises(FetchError) as ei:
            await s.get(f"{BASE}/x")
    assert route.call_count == 1 and ei.value.attempts == 1 and clock.sleeps == []


# --- rate limiting -----------------------------------------------------------------


def recording_route(router, url: str, clock: FakeClock, starts: list[float], latency_s: float = 0.0):
    async def handler(request: httpx.Request) -> httpx.Response:
        starts.append(clock.monotonic())
        if latency_s:
            await clock.sleep(latency_s)
        return httpx.Response(200, text="ok")

    return router.get(url__startswith=url).mock(side_effect=handler)


# One start a second is one per second and the window's margin.
WINDOW = 1.0 + DEFAULT_WINDOW_MARGIN_S


def assert_spaced(starts: list[float], gap: float) -> None:
    starts = sorted(starts)
    assert all(b - a >= gap - 1e-9 for a, b in zip(starts, starts[1:])), starts


@run
async def test_rate_limit_spaces_concurrent_starts(router):
    clock, starts = FakeClock(), []
    recording_route(router, BASE, clock, starts)
    gov = make_governor(clock, rates={"127.0.0.1": 2.0}, cap=10)
    async with PoliteSession(gov, user_agent="ua") as s:
        await asyncio.gather(*(s.get(f"{BASE}/c/{i}") for i in range(10)))
    assert len(starts) == 10
    assert_spaced(starts, 0.5)
    # Two starts a second, each pair a second and the window's margin after the pair before.
    window = 1.0 + gov.rate_limiter.margin_s
    expected = [(i // 2) * window + (i % 2) * 0.5 for i in range(10)]
    assert starts == pytest.approx(expected)
    assert clock.monotonic() == pytest.approx(expected[-1])
    assert gov.stats["127.0.0.1"].waited_s == pytest.approx(sum(expected))
    assert busiest_window(starts, 1.0 + gov.rate_limiter.margin_s - 1e-9) == 2


@run
async def test_a_start_woken_late_pushes_the_later_ones_not_the_window():
    """The server counts arrivals: a request the event loop wakes late must not let the ones
    after it crowd into one of the server's seconds with the ones before it."""

    class BusyLoop(FakeClock):
        async def sleep(self, seconds: float) -> None:
            late = 0.2 if len(self.sleeps) == 1 else 0.0  # the second wait oversleeps
            await super().sleep(seconds + late)

    clock = BusyLoop()
    limiter = SpacingRateLimiter({"127.0.0.1": 4.0}, clock)
    starts = []
    for _ in range(9):
        await limiter.wait_turn("127.0.0.1")
        starts.append(clock.monotonic())
    assert starts[2] == pytest.approx(0.7)  # booked for 0.5, woken at 0.7
    assert all(b - a >= 0.25 - 1e-9 for a, b in zip(starts, starts[1:])), starts
    assert busiest_window(starts, 1.0 + limiter.margin_s - 1e-9) <= 4, starts


@run
async def test_a_request_sent_without_waiting_for_its_turn_counts_as_it_left():
    """A browser follows a redirect on its own: the hop is booked when seen, and the next
    request waits for the window it fills instead of crowding the server's second."""
    clock = FakeClock()
    limiter = SpacingRateLimiter({"127.0.0.1": 2.0}, clock)
    await limiter.wait_turn("127.0.0.1")  # t = 0
    limiter.record_start("127.0.0.1")  # its redirect hop, at once
    await limiter.wait_turn("127.0.0.1")
    assert clock.monotonic() == pytest.approx(WINDOW)  # two in the window already: not at 0.5


@run
async def test_sessions_sharing_a_governor_share_the_spacing(router):
    clock, starts = FakeClock(), []
    recording_route(router, BASE, clock, starts)
    gov = make_governor(clock, rates={"127.0.0.1": 2.0}, cap=10)
    async with PoliteSession(gov, user_agent="a") as s1, PoliteSession(gov, user_agent="b") as s2:
        await asyncio.gather(*(s.get(f"{BASE}/c/{i}") for i in range(5) for s in (s1, s2)))
    assert len(starts) == 10
    assert_spaced(starts, 0.5)
    assert clock.monotonic() == pytest.approx(4 * WINDOW + 0.5)


@run
async def test_different_hosts_do_not_block_each_other(router):
    clock, a_starts, b_starts = FakeClock(), [], []
    recording_route(router, BASE, clock, a_starts)
    recording_route(router, OTHER, clock, b_starts)
    gov = make_governor(clock, rates={"127.0.0.1": 1.0, "localhost": 1.0})
    async with PoliteSession(gov, user_agent="ua") as s:
        await asyncio.gather(*(s.get(f"{host}/c/{i}") for i in range(3) for host in (BASE, OTHER)))
    assert sorted(a_starts) == pytest.approx([0.0, WINDOW, 2 * WINDOW])
    assert sorted(b_starts) == pytest.approx([0.0, WINDOW, 2 * WINDOW])
    assert clock.monotonic() == pytest.approx(2 * WINDOW)
    assert set(gov.stats) == {"127.0.0.1", "localhost"}
    assert gov.total().requests == 6


@run
async def test_redirect_hops_also_wait_for_their_turn(router):
    clock, starts = FakeClock(), []
    router.post(f"{BASE}/search").mock(return_value=httpx.Response(302, headers={"Location": "/results"}))
    recording_route(router, f"{BASE}/results", clock, starts)
    gov = make_governor(clock, rates={"127.0.0.1": 1.0})
    async with PoliteSession(gov, user_agent="ua") as s:
        resp = await s.post(f"{BASE}/search", data={"q": "x"})
    assert resp.status_code == 200 and len(resp.history) == 1
    assert starts == pytest.approx([WINDOW])
    assert gov.stats["127.0.0.1"].requests == 2


def test_rates_from_picks_lowest_rate_per_host():
    rates = SpacingRateLimiter.rates_from(
        [
            ("https://court.example/civil", 2.0),
            ("https://COURT.example/criminal?x=1", 0.5),
            ("other-court.example:8443", 1.0),
            ("https://other-court.example/a", 3.0),
        ]
    )
    assert rates == {"court.example": 0.5, "other-court.example": 1.0}
    with pytest.raises(ValueError):
        SpacingRateLimiter.rates_from([("https://court.example", 0)])


@run
async def test_spacing_rate_limiter_returns_seconds_waited():
    clock = FakeClock()
    limiter = SpacingRateLimiter({"127.0.0.1": 0.5}, clock, default_rate_per_s=4.0)
    assert isinstance(limiter, RateLimiter)
    assert await limiter.wait_turn("127.0.0.1") == 0.0
    assert await limiter.wait_turn("127.0.0.1") == pytest.approx(2.0)
    assert await limiter.wait_turn("elsewhere.example") == 0.0
    assert await limiter.wait_turn("elsewhere.example") == pytest.approx(0.25)
    await clock.sleep(10)  # idle for a while: no debt carried over
    assert await limiter.wait_turn("127.0.0.1") == 0.0


# --- concurrency cap and latency overlap --------------------------------------------


@run
async def test_concurrency_cap_limits_in_flight_requests(router):
    clock = FakeClock()
    in_flight = peak = 0

    async def slow(request: httpx.Request) -> httpx.Response:
        nonlocal in_flight, peak
        in_flight += 1
        peak = max(peak, in_flight)
        await clock.sleep(1.0)
        in_flight -= 1
        return httpx.Response(200)

    router.get(url__startswith=BASE).mock(side_effect=slow)
    gov = make_governor(clock, rate=1000.0, cap=3)
    async with PoliteSession(gov, user_agent="a") as s1, PoliteSession(gov, user_agent="b") as s2:
        await asyncio.gather(*(s.get(f"{BASE}/c/{i}") for i in range(5) for s in (s1, s2)))
    assert peak == 3
    assert clock.monotonic() == pytest.approx(4.0, abs=0.05)  # ceil(10 / 3) rounds of 1 s


@run
async def test_semaphore_released_before_backoff_sleep(router):
    clock, starts = FakeClock(), []
    router.get(f"{BASE}/flaky").mock(side_effect=[httpx.Response(503), httpx.Response(200)])
    recording_route(router, f"{BASE}/ok", clock, starts)
    gov = make_governor(clock, cap=1, backoff_base_s=5.0)

    async with PoliteSession(gov, user_agent="ua") as s:

        async def second():
            await asyncio.sleep(0)  # let the flaky request take the only slot first
            await s.get(f"{BASE}/ok")

        await asyncio.gather(s.get(f"{BASE}/flaky"), second())
    assert starts[0] < 1.0  # did not wait out the flaky request's >= 2.5 s backoff


@run
async def test_latency_hides_behind_rate_limit(router):
    clock, starts = FakeClock(), []
    recording_route(router, BASE, clock, starts, latency_s=0.25)
    gov = make_governor(clock, rates={"127.0.0.1": 1.0}, cap=4)
    async with PoliteSession(gov, user_agent="ua") as s:
        await asyncio.gather(*(s.get(f"{BASE}/c/{i}") for i in range(10)))
    assert_spaced(starts, 1.0)
    assert clock.monotonic() == pytest.approx(9 * WINDOW + 0.25)  # not 10 * 1.25 = 12.5


# --- session state -------------------------------------------------------------------


@run
async def test_cookies_and_user_agent_are_sent(router):
    route = router.get(f"{BASE}/a").mock(
        return_value=httpx.Response(200, headers={"Set-Cookie": "srv=fromserver; Path=/"})
    )
    gov = make_governor(FakeClock())
    async with PoliteSession(gov, user_agent="first/1.0") as s, PoliteSession(gov, user_agent="x") as other:
        s.cookies.set("ASP.NET_SessionId", "abc123", domain="127.0.0.1")
        s.user_agent = "evictwatch/0.1 (+mailto:ops@legal-aid.example)"
        await s.get(f"{BASE}/a")
        req = route.calls.last.request
        assert req.headers["User-Agent"] == "evictwatch/0.1 (+mailto:ops@legal-aid.example)"
        assert "ASP.NET_SessionId=abc123" in req.headers["Cookie"]
        assert s.user_agent.startswith("evictwatch/")

        await s.get(f"{BASE}/a")  # the cookie the server set comes back
        assert "srv=fromserver" in route.calls.last.request.headers["Cookie"]

        s.cookies = httpx.Cookies({"imported": "from-browser"})  # e.g. after a CAPTCHA in a browser
        await s.get(f"{BASE}/a")
        assert route.calls.last.request.headers["Cookie"] == "imported=from-browser"

        await other.get(f"{BASE}/a")  # sessions have separate jars
        req = route.calls.last.request
        assert "Cookie" not in req.headers and req.headers["User-Agent"] == "x"


@run
async def test_custom_transport_and_byte_stats():
    seen = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request.url.path)
        return httpx.Response(200, content=b"x" * 100)

    gov = make_governor(FakeClock())
    async with PoliteSession(gov, user_agent="ua", transport=httpx.MockTransport(handler)) as s:
        await s.get(f"{BASE}/one")
        await s.get(f"{OTHER}/two")
    assert seen == ["/one", "/two"]
    assert gov.stats["127.0.0.1"].bytes == 100
    assert gov.total() == HostStats(requests=2, bytes=200)


@run
async def test_logs_name_path_and_reason_but_no_personal_data(router, caplog):
    router.post(f"{BASE}/search").mock(
        side_effect=[
            httpx.Response(503, text="error for tenant Jane Q. Tenant"),
            httpx.Response(200, text=THROTTLE_TEXT),
            httpx.Response(500, text="SSN 123-45-6789"),
        ]
    )
    gov = make_governor(FakeClock(), max_attempts=3)
    caplog.set_level(logging.INFO, logger="scraper.http")
    async with PoliteSession(gov, user_agent="ua", throttle_check=is_throttle_page) as s:
        with pytest.raises(FetchError) as ei:
            await s.post(f"{BASE}/search?lastname=Tenant", data={"defendant": "Jane Q. Tenant"})
    text = caplog.text + str(ei.value)
    assert "/search" in caplog.text and "HTTP 503" in caplog.text and "throttle page" in caplog.text
    assert "giving up" in caplog.text
    for secret in ("Jane", "Tenant", "lastname", "123-45-6789"):
        assert secret not in text
    assert any(r.levelno == logging.WARNING for r in caplog.records)


# --- clocks --------------------------------------------------------------------------


@run
async def test_fake_clock_wakes_concurrent_sleepers_in_time_order():
    clock = FakeClock(start=100.0)
    woke: list[tuple[str, float]] = []

    async def sleeper(name: str, first: float, second: float) -> None:
        await clock.sleep(first)
        woke.append((name, clock.monotonic()))
        await clock.sleep(second)
        woke.append((name, clock.monotonic()))

    await asyncio.gather(sleeper("a", 5, 1), sleeper("b", 1, 10), sleeper("c", 3, 0.5))
    assert woke == [("b", 101), ("c", 103), ("c", 103.5), ("a", 105), ("a", 106), ("b", 111)]
    assert sorted(clock.sleeps) == sorted([5, 1, 1, 10, 3, 0.5])


@run
async def test_fake_clock_ignores_cancelled_sleepers():
    clock = FakeClock()
    t = asyncio.ensure_future(clock.sleep(50))
    await asyncio.sleep(0)
    t.cancel()
    await clock.sleep(2)
    assert clock.monotonic() == 2.0


@run
async def test_real_clock_smoke():
    clock = RealClock()
    before = clock.monotonic()
    await clock.sleep(0)
    assert clock.monotonic() >= before


def test_retry_policy_validates():
    with pytest.raises(ValueError):
        RetryPolicy(max_attempts=0)
    with pytest.raises(ValueError):
        RetryPolicy(jitter=1.5)
    with pytest.raises(ValueError):
        HostGovernor(
            rate_limiter=SpacingRateLimiter({}, FakeClock()),
            max_concurrency_per_host=0,
            clock=FakeClock(),
            retry=RetryPolicy(),
        )


@run
async def test_a_throttle_holds_every_session_on_that_host(router):
    clock, starts = FakeClock(), []
    pages = iter([httpx.Response(200, text=f"<html><p>{THROTTLE_TEXT}</p></html>")])

    async def answer(request):
        starts.append((clock.monotonic(), request.url.path))
        return next(pages, httpx.Response(200, text="<html>ok</html>"))

    router.get(url__startswith=BASE).mock(side_effect=answer)
    gov = make_governor(clock, rate=1.0, throttle_wait_s=10.0)
    async with PoliteSession(gov, user_agent="a", throttle_check=is_throttle_page) as s1, \
            PoliteSession(gov, user_agent="b", throttle_check=is_throttle_page) as s2:

        async def later():
            await clock.sleep(1.0)
            return await s2.get(f"{BASE}/b")

        await asyncio.gather(s1.get(f"{BASE}/a"), later())
    # /a was throttled at t=0; /b, asked for at t=1 by another session, waited out the hold.
    assert starts[0] == (0.0, "/a")
    b_start = next(t for t, path in starts if path == "/b")
    assert b_start >= 10.0 - 1e-9
