"""Clocks for the polite HTTP client: the real one, and a virtual-time one for tests.

Everything in `scraper.http` that waits (rate limiting, backoff) goes through a
`Clock`, so tests can run minutes of politeness in milliseconds.
"""

from __future__ import annotations

import asyncio
import heapq
import itertools
import time
from typing import Protocol, runtime_checkable

__all__ = ["Clock", "RealClock", "FakeClock"]


@runtime_checkable
class Clock(Protocol):
    def monotonic(self) -> float: ...

    async def sleep(self, seconds: float) -> None: ...


class RealClock:
    """Wall-clock time: `time.monotonic` and `asyncio.sleep`."""

    def monotonic(self) -> float:
        return time.monotonic()

    async def sleep(self, seconds: float) -> None:
        await asyncio.sleep(max(0.0, seconds))


class FakeClock:
    """Virtual time for tests; a tiny discrete-event scheduler.

    `sleep(s)` parks the caller on a heap keyed by its deadline (now + s). A driver
    task waits until every other task on the event loop is blocked, then jumps the
    virtual time to the earliest deadline and wakes that sleeper. So concurrent
    sleepers wake in deadline order (ties: in call order) and `monotonic()` reads
    exactly what a real clock would, without ever really sleeping.

    Every call to `sleep` is recorded in `.sleeps`. Single event loop only.
    """

    # Without access to the loop's ready queue (non-default loops) the driver
    # yields this many times before it considers the loop idle.
    _FALLBACK_YIELDS = 100
    _MAX_YIELDS = 100_000  # guards against a task spinning on sleep(0)

    def __init__(self, start: float = 0.0) -> None:
        self._now = float(start)
        self.sleeps: list[float] = []
        self._heap: list[tuple[float, int, asyncio.Future[None]]] = []
        self._seq = itertools.count()
        self._driver: asyncio.Task[None] | None = None

    def monotonic(self) -> float:
        return self._now

    async def sleep(self, seconds: float) -> None:
        seconds = float(seconds)
        self.sleeps.append(seconds)
        if seconds <= 0:
            await asyncio.sleep(0)
            return
        loop = asyncio.get_running_loop()
        fut: asyncio.Future[None] = loop.create_future()
        heapq.heappush(self._heap, (self._now + seconds, next(self._seq), fut))
        if self._driver is None or self._driver.done():
            self._driver = loop.create_task(self._drive(), name="FakeClock driver")
        await fut

    async def _drive(self) -> None:
        while True:
            await self._settle()
            while self._heap and self._heap[0][2].done():  # sleeper was cancelled
                heapq.heappop(self._heap)
            if not self._heap:
                return
            deadline, _, fut = heapq.heappop(self._heap)
            self._now = max(self._now, deadline)
            fut.set_result(None)

    async def _settle(self) -> None:
        """Return once no other callback is ready to run on this loop."""
        ready = getattr(asyncio.get_running_loop(), "_ready", None)
        for i in range(self._MAX_YIELDS):
            await asyncio.sleep(0)
            if ready is not None:
                if not ready:
                    return
            elif i >= self._FALLBACK_YIELDS:
                return
