"""One politeness budget per court host for every worker on every machine, kept in PostgreSQL.

`SharedRateLimiter` is the scraper's `RateLimiter` with its state in the host's `host_budget`
row instead of in one process, so two workers never double the rate a court sees. It does
what the in-process `SpacingRateLimiter` does, on the database server's clock (the one clock
every machine reads alike):

1. book: one statement moves the host's `next_slot` on by 1/rate and returns it; the worker
   sleeps until then (FIFO across workers, no polling);
2. start: one statement holding the host's row records the start only if the last `rate`
   real starts leave room in the window of 1 s + margin; else the worker sleeps the rest and
   asks again. A worker that woke late therefore pushes the later starts back;
3. leaving: a request held back between its start and the wire (the worker's other courts
   parsing, the interpreter's lock) is given its start again as it leaves (`leaving`).

The per-host concurrency cap is a lease per request in flight, kept in the same row; a worker
killed holding one loses it at its `until` (the request timeout, and a little).
"""

from __future__ import annotations

import asyncio
import math
import os
import socket
import time
import uuid
from collections import deque
from collections.abc import AsyncIterator, Mapping
from contextlib import asynccontextmanager
from contextvars import ContextVar

from sqlalchemy.engine import make_url

from scraper.http_clock import Clock, RealClock
from scraper.ratelimit import DEFAULT_WINDOW_MARGIN_S, host_of

__all__ = ["SharedRateLimiter", "libpq_conninfo"]

_NOW = "extract(epoch from clock_timestamp())::float8"

# starts: the latest real starts, oldest first (a few more than `n`, so one taken back still
# leaves the `n`-th before it known). A start is allowed while fewer than `n` are kept, or the
# `n`-th latest is more than 1 s + margin ago; `force` books one anyway. `old`: this request's
# start, recorded when its turn came, taken back first (it left late: it starts now, if the
# window still has room, else it waits without one).
_START = """
WITH cur AS (
    SELECT coalesce(array_remove(string_to_array(nullif(starts, ''), ' ')::float8[], %(old)s::float8), '{}') AS s
    FROM host_budget WHERE host = %(host)s FOR UPDATE
), verdict AS (
    SELECT s, t, CASE WHEN %(force)s OR cardinality(s) < %(n)s THEN 0.0
                      ELSE greatest(0.0, s[cardinality(s) - %(n)s + 1] + 1.0 + %(margin)s - t) END AS wait
    FROM (SELECT s, extract(epoch from clock_timestamp())::float8 AS t FROM cur) AS locked
), kept AS (
    SELECT t, wait, CASE WHEN wait = 0 THEN s || t ELSE s END AS s FROM verdict
), booked AS (
    UPDATE host_budget SET next_slot = CASE WHEN k.wait = 0 THEN greatest(next_slot, k.t) ELSE next_slot END,
        starts = array_to_string(k.s[greatest(1, cardinality(k.s) - %(keep)s + 1):], ' ')
    FROM kept k WHERE host = %(host)s AND (k.wait = 0 OR %(old)s::float8 IS NOT NULL) RETURNING 1
)
SELECT wait, t FROM verdict
"""
# leases: "token:until" of each request in flight; those past their `until` (a dead worker's)
# no longer count, and are dropped when the next lease is taken.
_TAKE_LEASE = """
WITH cur AS (
    SELECT string_to_array(nullif(leases, ''), ' ') AS l FROM host_budget WHERE host = %(host)s FOR UPDATE
), v AS (
    SELECT t, ARRAY(SELECT x FROM unnest(coalesce(l, '{}')) AS x WHERE split_part(x, ':', 2)::float8 >= t) AS live
    FROM (SELECT l, extract(epoch from clock_timestamp())::float8 AS t FROM cur) AS locked
), taken AS (
    UPDATE host_budget SET leases = array_to_string(v.live || (%(id)s || ':' || (v.t + %(lease)s)::text), ' ')
    FROM v WHERE host = %(host)s AND cardinality(v.live) < %(cap)s RETURNING 1
)
SELECT cardinality(live) < %(cap)s, %(id)s || ':' || (t + %(lease)s)::text FROM v
"""

LEASE_POLL_S = 0.05
# A request leaving later than this after its start was recorded (the worker's other courts
# held it back) is given a start again: the margin need only cover this, the network and the
# server's own lag.
LATE_SEND_S = 0.005
RETAKES = 10  # at most this many new starts for one request (a backstop: each is one round trip)
# The turn this task took last: (host, its booked start on the server's clock, when it was asked
# for on this machine's monotonic clock).
_booked: ContextVar[tuple[str, float, float] | None] = ContextVar("evictwatch_booked_start", default=None)


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
        self._known: set[str] = set()  # hosts whose row exists
        self.start_log: list[tuple[str, float]] | None = None  # (host, server epoch) of every start, if a list
        self._sent = 0.0  # when the last statement went (time.monotonic())
        self._round_trips: deque[float] = deque(maxlen=64)  # the latest statements' round trips

    def rate_for(self, host: str) -> float:
        return self._rates.get(host_of(host), self._default)

    def _per_window(self, host: str) -> int:
        """The starts one window of 1 s (+ margin) may hold: the rate, at least one."""
        return max(1, math.floor(self.rate_for(host) + 1e-9))

    def set_rate(self, host: str, rate_per_s: float) -> None:
        """This worker's rate for the host (the adaptive limiter lowers it after a throttle)."""
        self._rates[host_of(host)] = float(rate_per_s)

    # -- the RateLimiter interface ---------------------------------------------------------

    async def wait_turn(self, host: str) -> float:
        host = host_of(host)
        await self._settle()
        rate = self.rate_for(host)
        slot, now = await self._one(
            f"INSERT INTO host_budget (host, next_slot, starts, leases) VALUES (%(host)s, {_NOW}, '', '') "
            f"ON CONFLICT (host) DO UPDATE SET next_slot = GREATEST(host_budget.next_slot + %(interval)s, {_NOW}) "
            f"RETURNING next_slot, {_NOW}", host=host, interval=1.0 / rate)
        self._known.add(host)
        waited = max(0.0, slot - now)
        if waited:
            await self._clock.sleep(waited)
        while (extra := await self._start(host, per_window=self._per_window(host))) > 0:
            await self._clock.sleep(extra)
            waited += extra
        return waited

    def hold(self, host: str, seconds: float) -> None:
        """The host said "slow down": no worker's next start to it comes before `seconds` from now."""
        self._later(self._hold(host_of(host), seconds))

    def record_start(self, host: str) -> None:
        """A request that left without its turn (a browser's redirect hop): booked as of now."""
        self._later(self._start(host_of(host), per_window=self._per_window(host),
                                force=True))

    @asynccontextmanager
    async def lease(self, host: str) -> AsyncIterator[None]:
        """A request in flight to `host`: at most `max_concurrency_per_host` across all workers."""
        host = host_of(host)
        while (token := await self._take_lease(host)) is None:
            await self._clock.sleep(LEASE_POLL_S)
        try:
            yield
        finally:
            # Shielded: a cancelled request still gives its lease back (else it waits for its end).
            await asyncio.shield(self._give_back(host, token))

    async def aclose(self) -> None:
        await self._settle()
        if self._conn is not None:
            await self._conn.close()
            self._conn = None

    # -- the statements (one round trip each, autocommit) -----------------------------------
    # Each UPDATE locks the host's row and works on its latest version, so the statements of
    # all workers on one host follow one another; the clock is read after the lock is held.

    async def _start(self, host: str, *, per_window: int, force: bool = False, old: float | None = None) -> float:
        """Record a start now if the window allows one (`old`, this request's earlier one, taken
        back first); else the seconds until it does."""
        await self._ensure_row(host)
        wait, now = await self._one(_START, host=host, n=per_window, margin=self.margin_s, force=force, old=old,
                                    keep=2 * per_window + 8)
        if self.start_log is not None and old is not None and (host, old) in self.start_log:
            self.start_log.remove((host, old))
        if wait > 0:
            return wait
        _booked.set((host, now, self._sent))
        if self.start_log is not None:
            self.start_log.append((host, now))
        return 0.0

    async def leaving(self, host: str) -> None:
        """The request whose turn this task took is leaving now (its bytes go in the caller's
        next step). If it is later than `LATE_SEND_S` after its start was recorded, the start is
        taken back and recorded again now, or the request waits until the window has room: the
        starts every worker counts are then not earlier than the requests went."""
        booked = _booked.get()
        if booked is None or booked[0] != host_of(host):
            return
        _booked.set(None)
        host, start, sent = booked
        per_window = self._per_window(host)
        for _ in range(RETAKES):
            # Late: since the statement went, less the database's usual round trip (the start was
            # read somewhere inside it). The interpreter's lock held after the reply came counts
            # as late: measured from the reply, such a start would pass as on time.
            if time.monotonic() - sent - min(self._round_trips, default=0.0) <= LATE_SEND_S:
                break
            while (extra := await self._start(host, per_window=per_window, old=start)) > 0:
                start = None  # no start of its own while it waits
                await self._clock.sleep(extra)
            _, start, sent = _booked.get()
        _booked.set(None)

    async def _hold(self, host: str, seconds: float) -> None:
        interval = 1.0 / self.rate_for(host)
        # The next booked slot is next_slot + interval: put it at now + seconds, never earlier.
        await self._one(
            f"INSERT INTO host_budget (host, next_slot, starts, leases) VALUES (%(host)s, {_NOW} + %(resume)s, '', '') "
            f"ON CONFLICT (host) DO UPDATE SET next_slot = GREATEST(host_budget.next_slot, {_NOW} + %(resume)s) "
            f"RETURNING next_slot", host=host, resume=seconds - interval)

    async def _take_lease(self, host: str) -> str | None:
        """A lease on one of the host's `max_concurrency_per_host` slots (its token), or None."""
        await self._ensure_row(host)
        taken, token = await self._one(_TAKE_LEASE, host=host, cap=self.max_concurrency_per_host,
                                       id=uuid.uuid4().hex[:12], lease=self.lease_s)
        return token if taken else None

    async def _give_back(self, host: str, token: str) -> None:
        await self._one("UPDATE host_budget SET leases = array_to_string(array_remove("
                        "string_to_array(leases, ' '), %(token)s), ' ') WHERE host = %(host)s RETURNING host",
                        host=host, token=token)

    async def _ensure_row(self, host: str) -> None:
        if host not in self._known:
            await self._one("INSERT INTO host_budget (host, next_slot, starts, leases) VALUES (%(host)s, 0, '', '') "
                            "ON CONFLICT (host) DO UPDATE SET host = EXCLUDED.host RETURNING host", host=host)
            self._known.add(host)

    # -- the connection ---------------------------------------------------------------------

    async def _one(self, sql: str, **params):
        """One statement, its own transaction (autocommit), on the limiter's one connection:
        four short statements per request, well within what one connection does."""
        import psycopg  # optional: the postgres extra, which the distributed mode requires

        if self._conn_lock is None:
            self._conn_lock = asyncio.Lock()
        async with self._conn_lock:
            if self._conn is None or self._conn.closed:
                self._conn = await psycopg.AsyncConnection.connect(self._conninfo, autocommit=True)
                # A start's time is read inside its statement; waiting for the commit's WAL flush
                # (milliseconds, far more on a busy disk) would put that time before the request
                # leaves. The budget is worth nothing after a server crash anyway.
                await self._conn.execute("SET synchronous_commit TO off")
            sent = time.monotonic()
            row = await (await self._conn.execute(sql, params)).fetchone()
            self._sent = sent
            self._round_trips.append(time.monotonic() - sent)
            return row

    def _later(self, coroutine) -> None:
        """A synchronous caller (the retry layer, a browser's event): done on the loop, and
        waited for before this worker's next turn."""
        task = asyncio.get_running_loop().create_task(coroutine)
        self._pending.add(task)
        task.add_done_callback(self._pending.discard)

    async def _settle(self) -> None:
        if self._pending:
            await asyncio.gather(*list(self._pending), return_exceptions=True)
