"""One politeness budget per court host for every worker on every machine, kept in PostgreSQL.

`SharedRateLimiter` is the scraper's `RateLimiter` with its state in the `host_budget` and
`host_leases` rows instead of in one process, so two workers never double the rate a court
sees. It does what the in-process `SpacingRateLimiter` does, on the database server's clock
(the one clock every machine reads alike):

1. book: one statement moves the host's `next_slot` on by 1/rate and returns it; the worker
   sleeps until then (FIFO across workers, no polling);
2. start: in a transaction holding the host's row, the start is recorded only if the last
   `rate` real starts leave room in the window of 1 s + margin; else the worker sleeps the
   rest and asks again. A worker that woke late therefore pushes the later starts back.

The per-host concurrency cap is a lease row per request in flight, taken under the same row
lock; a worker killed holding one loses it at `until` (the request timeout, and a little).
"""

from __future__ import annotations

import asyncio
import math
import os
import socket
import uuid
from collections.abc import AsyncIterator, Mapping
from contextlib import asynccontextmanager

from sqlalchemy.engine import make_url

from scraper.http_clock import Clock, RealClock
from scraper.ratelimit import DEFAULT_WINDOW_MARGIN_S, host_of

__all__ = ["SharedRateLimiter", "libpq_conninfo"]

_NOW = "extract(epoch from clock_timestamp())::float8"
LEASE_POLL_S = 0.05  # how often a request waiting for a free slot of a busy host looks again


def libpq_conninfo(url: str) -> str:
    """The SQLAlchemy URL (postgresql+psycopg://…) as libpq takes it, query options kept."""
    return make_url(url).set(drivername="postgresql").render_as_string(hide_password=False)


class SharedRateLimiter:
    """RateLimiter shared through PostgreSQL; see the module's docstring."""

    def __init__(self, url: str, rates_per_s: Mapping[str, float], *, default_rate_per_s: float = 1.0,
                 margin_s: float = DEFAULT_WINDOW_MARGIN_S, max_concurrency_per_host: int = 4,
                 lease_s: float = 60.0, clock: Clock | None = None) -> None:
        if make_url(url).get_backend_name() != "postgresql":
            raise ValueError("the shared rate limiter needs PostgreSQL (database.url postgresql+psycopg://…)")
        self._conninfo = libpq_conninfo(url)
        self._rates = {host_of(h): float(r) for h, r in rates_per_s.items()}
        self._default = float(default_rate_per_s)
        self.margin_s = margin_s
        self.max_concurrency_per_host = max_concurrency_per_host
        self.lease_s = lease_s
        self._clock = clock or RealClock()
        self.holder = f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:6]}"
        self._conn = None
        self._conn_lock: asyncio.Lock | None = None
        self._pending: set[asyncio.Task] = set()
        self.start_log: list[tuple[str, float]] | None = None  # (host, server epoch) of every start, if a list

    def rate_for(self, host: str) -> float:
        return self._rates.get(host_of(host), self._default)

    def set_rate(self, host: str, rate_per_s: float) -> None:
        """This worker's rate for the host (the adaptive limiter lowers it after a throttle)."""
        self._rates[host_of(host)] = float(rate_per_s)

    # -- the RateLimiter interface ---------------------------------------------------------

    async def wait_turn(self, host: str) -> float:
        host = host_of(host)
        await self._settle()
        rate = self.rate_for(host)
        slot, now = await self._one(
            f"INSERT INTO host_budget (host, next_slot, starts) VALUES (%(host)s, {_NOW}, '') "
            f"ON CONFLICT (host) DO UPDATE SET next_slot = GREATEST(host_budget.next_slot + %(interval)s, {_NOW}) "
            f"RETURNING next_slot, {_NOW}", host=host, interval=1.0 / rate)
        waited = max(0.0, slot - now)
        if waited:
            await self._clock.sleep(waited)
        while (extra := await self._start(host, per_window=max(1, math.floor(rate + 1e-9)))) > 0:
            await self._clock.sleep(extra)
            waited += extra
        return waited

    def hold(self, host: str, seconds: float) -> None:
        """The host said "slow down": no worker's next start to it comes before `seconds` from now."""
        self._later(self._hold(host_of(host), seconds))

    def record_start(self, host: str) -> None:
        """A request that left without its turn (a browser's redirect hop): booked as of now."""
        self._later(self._start(host_of(host), per_window=max(1, math.floor(self.rate_for(host) + 1e-9)),
                                force=True))

    @asynccontextmanager
    async def lease(self, host: str) -> AsyncIterator[None]:
        """A request in flight to `host`: at most `max_concurrency_per_host` across all workers."""
        host = host_of(host)
        while (lease_id := await self._take_lease(host)) is None:
            await self._clock.sleep(LEASE_POLL_S)
        try:
            yield
        finally:
            # Shielded: a cancelled request still gives its lease back (else it waits for `until`).
            await asyncio.shield(self._one("DELETE FROM host_leases WHERE id = %(id)s RETURNING id", id=lease_id))

    async def aclose(self) -> None:
        await self._settle()
        if self._conn is not None:
            await self._conn.close()
            self._conn = None

    # -- the statements ---------------------------------------------------------------------

    async def _start(self, host: str, *, per_window: int, force: bool = False) -> float:
        """Record a start now if the window allows one; else the seconds until it does."""
        async with self._transaction() as conn:
            row = await (await conn.execute("SELECT starts FROM host_budget WHERE host = %s FOR UPDATE",
                                            [host])).fetchone()
            if row is None:
                await conn.execute("INSERT INTO host_budget (host, next_slot, starts) VALUES (%s, 0, '')", [host])
                starts: list[float] = []
            else:
                starts = [float(t) for t in row[0].split()]
            (now,) = await (await conn.execute(f"SELECT {_NOW}")).fetchone()
            starts = starts[-per_window:]
            if not force and len(starts) == per_window and now < starts[0] + 1.0 + self.margin_s:
                return starts[0] + 1.0 + self.margin_s - now
            starts = (starts + [now])[-per_window:]
            await conn.execute("UPDATE host_budget SET starts = %s, next_slot = GREATEST(next_slot, %s) "
                               "WHERE host = %s", [" ".join(repr(t) for t in starts), now, host])
        if self.start_log is not None:
            self.start_log.append((host, now))
        return 0.0

    async def _hold(self, host: str, seconds: float) -> None:
        interval = 1.0 / self.rate_for(host)
        # The next booked slot is next_slot + interval: put it at now + seconds, never earlier.
        await self._one(
            f"INSERT INTO host_budget (host, next_slot, starts) VALUES (%(host)s, {_NOW} + %(resume)s, '') "
            f"ON CONFLICT (host) DO UPDATE SET next_slot = GREATEST(host_budget.next_slot, {_NOW} + %(resume)s) "
            f"RETURNING next_slot", host=host, resume=seconds - interval)

    async def _take_lease(self, host: str) -> int | None:
        async with self._transaction() as conn:
            await conn.execute("INSERT INTO host_budget (host, next_slot, starts) VALUES (%s, 0, '') "
                               "ON CONFLICT (host) DO NOTHING", [host])
            await conn.execute("SELECT 1 FROM host_budget WHERE host = %s FOR UPDATE", [host])
            await conn.execute(f"DELETE FROM host_leases WHERE host = %s AND until < {_NOW}", [host])
            (busy,) = await (await conn.execute("SELECT count(*) FROM host_leases WHERE host = %s",
                                                [host])).fetchone()
            if busy >= self.max_concurrency_per_host:
                return None
            (lease_id,) = await (await conn.execute(
                f"INSERT INTO host_leases (host, holder, until) VALUES (%s, %s, {_NOW} + %s) RETURNING id",
                [host, self.holder, self.lease_s])).fetchone()
            return lease_id

    # -- the connection ---------------------------------------------------------------------

    async def _one(self, sql: str, **params):
        async with self._transaction() as conn:
            return await (await conn.execute(sql, params)).fetchone()

    @asynccontextmanager
    async def _transaction(self):
        """One connection per limiter, one transaction at a time: a few short statements per
        request, well within what one connection does."""
        import psycopg

        if self._conn_lock is None:
            self._conn_lock = asyncio.Lock()
        async with self._conn_lock:
            if self._conn is None or self._conn.closed:
                self._conn = await psycopg.AsyncConnection.connect(self._conninfo, autocommit=True)
            async with self._conn.transaction():
                yield self._conn

    def _later(self, coroutine) -> None:
        """A synchronous caller (the retry layer, a browser's event): done on the loop, and
        waited for before this worker's next turn."""
        task = asyncio.get_running_loop().create_task(coroutine)
        self._pending.add(task)
        task.add_done_callback(self._pending.discard)

    async def _settle(self) -> None:
        if self._pending:
            await asyncio.gather(*list(self._pending), return_exceptions=True)
