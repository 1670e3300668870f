"""A request the event loop sends late has its start taken again as it leaves (issue 33: 81
arrivals in a second at a limit of 80 when one process scraped many courts at once)."""

from __future__ import annotations

import asyncio

from scraper.ratelimit import SpacingRateLimiter


class StepClock:
    def __init__(self) -> None:
        self.now = 0.0

    def monotonic(self) -> float:
        return self.now

    async def sleep(self, seconds: float) -> None:
        self.now += seconds


def test_a_late_request_is_counted_when_it_leaves_so_no_second_holds_more_than_the_rate():
    clock = StepClock()
    limiter = SpacingRateLimiter({"portal.example": 2.0}, clock, margin_s=0.0)
    sent: list[float] = []
    held = asyncio.Event()

    async def request(leaves_at: float | None = None) -> None:
        await limiter.wait_turn("portal.example")
        if leaves_at is not None:
            await held.wait()  # the loop busy elsewhere: it leaves well after its turn
            clock.now = leaves_at
        await limiter.leaving("portal.example")
        sent.append(clock.now)

    async def scenario() -> None:
        first = asyncio.create_task(request(leaves_at=0.6))  # its turn at 0, sent at 0.6
        await asyncio.sleep(0)
        await request()  # its turn, and its send, at 0.5
        held.set()
        await first
        await request()

    asyncio.run(scenario())
    assert sent[:2] == [0.5, 0.6]
    # Counted from its send at 0.6, the third waits until the window from 0.5 has room.
    assert sent[2] >= 1.5 and all(sum(t <= s < t + 1 for s in sent) <= 2 for t in sent)
