"""The distributed mode's parts in one process, against the local PostgreSQL: the shared
politeness budget (as three workers would use it) and the schedule as periodic tasks that
fire once per period across three workers, on a test clock."""

from __future__ import annotations

import asyncio
import datetime as dt
import time
from collections import Counter
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import text

from evictwatch.config import parse_config
from pipeline.store.jobqueue import upgrade_everything
from pipeline.store.repo import Store
from pipeline.store import db
from pipeline.store.hostbudget import SharedRateLimiter
from scraper.base import Court
from scraper.courts import get_source
from scraper.simkit.counters import busiest_window

pytestmark = pytest.mark.postgres
HOST = "127.0.0.7"


@pytest.fixture
def engine(pg_url):
    engine = db.make_engine(pg_url)
    upgrade_everything(Store(engine))
    yield engine
    engine.dispose()


def test_three_workers_limiters_keep_one_hosts_rate_and_concurrency(pg_url, engine):
    starts: list[tuple[str, float]] = []
    in_flight, most = 0, 0

    async def main():
        limiters = [SharedRateLimiter(pg_url, {HOST: 5.0}, max_concurrency_per_host=2) for _ in range(3)]
        for limiter in limiters:
            limiter.start_log = starts

        async def request(limiter):
            nonlocal in_flight, most
            async with limiter.lease(HOST):
                in_flight += 1
                most = max(most, in_flight)
                await limiter.wait_turn(HOST)
                await asyncio.sleep(0.15)
                in_flight -= 1

        await asyncio.gather(*(request(limiter) for limiter in limiters for _ in range(8)))
        for limiter in limiters:
            await limiter.aclose()

    began = time.monotonic()
    asyncio.run(main())
    assert len(starts) == 24
    assert busiest_window([t for _, t in starts]) <= 5  # the database server's clock, every worker's starts
    assert most == 2
    assert time.monotonic() - began >= 23 / 5 * 0.95  # no faster than the rate allows
    with engine.connect() as conn:
        assert conn.execute(text("SELECT leases FROM host_budget")).scalar() == ""  # all given back


def test_a_request_held_back_after_its_turn_starts_when_it_really_leaves(pg_url, engine):
    """Its start, recorded at its turn, is taken back and given again as it leaves: the other
    worker's starts are counted from when it really went, never from before."""
    held_starts: list[tuple[str, float]] = []
    other_starts: list[tuple[str, float]] = []

    async def main():
        held, other = (SharedRateLimiter(pg_url, {HOST: 5.0}, margin_s=0.05) for _ in range(2))
        held.start_log, other.start_log = held_starts, other_starts
        await held.wait_turn(HOST)
        [(_, at_turn)] = held_starts

        async def others():
            for _ in range(5):
                await other.wait_turn(HOST)
                await other.leaving(HOST)

        async def held_back():
            await asyncio.sleep(0.5)  # the worker's other courts kept it from the wire
            await held.leaving(HOST)

        await asyncio.gather(others(), held_back())
        for limiter in (held, other):
            await limiter.aclose()
        return at_turn

    at_turn = asyncio.run(main())
    [(_, went)] = held_starts  # one start, no longer the one its turn recorded
    assert went >= at_turn + 0.45
    assert len(other_starts) == 5
    assert busiest_window([t for _, t in held_starts + other_starts], 1.05 - 1e-6) <= 5


def test_a_late_request_is_given_its_start_once_however_slow_the_database(pg_url, engine, monkeypatch):
    """A statement slower than the lateness allowed must not make the new start late again.
    The lateness allowed is raised far above this machine's round trips to PostgreSQL, and the
    slow part far above that, so a busy machine's own jitter cannot decide the count."""
    from pipeline.store import hostbudget

    monkeypatch.setattr(hostbudget, "LATE_SEND_S", 0.25)

    async def main():
        limiter = SharedRateLimiter(pg_url, {HOST: 5.0})
        statements = 0
        one = limiter._one

        async def slow_one(sql, **params):
            nonlocal statements
            statements += 1
            await asyncio.sleep(0.3)  # a database across a slow network, or a busy one
            return await one(sql, **params)

        limiter._one = slow_one
        await limiter.wait_turn(HOST)
        await asyncio.sleep(0.5)  # held back after its turn
        before = statements
        await asyncio.wait_for(limiter.leaving(HOST), 10)
        taken = statements - before
        await limiter.aclose()
        return taken

    assert asyncio.run(main()) == 1


def test_a_throttle_one_worker_met_holds_every_worker(pg_url, engine):
    async def main():
        first, second = SharedRateLimiter(pg_url, {HOST: 5.0}), SharedRateLimiter(pg_url, {HOST: 5.0})
        await first.wait_turn(HOST)
        first.hold(HOST, 1.0)  # the court answered 429 with Retry-After: 1 to the first worker
        await first.aclose()  # its hold is written before it closes
        began = time.monotonic()
        await second.wait_turn(HOST)
        waited = time.monotonic() - began
        await second.aclose()
        return waited

    assert asyncio.run(main()) >= 0.9


def test_a_dead_workers_lease_ends_at_its_time(pg_url, engine):
    async def main():
        dead = SharedRateLimiter(pg_url, {HOST: 5.0}, max_concurrency_per_host=1, lease_s=0.6)
        assert await dead._take_lease(HOST) is not None  # taken, never given back: its worker was killed
        live = SharedRateLimiter(pg_url, {HOST: 5.0}, max_concurrency_per_host=1)
        began = time.monotonic()
        async with live.lease(HOST):
            waited = time.monotonic() - began
        for limiter in (dead, live):
            await limiter.aclose()
        return waited

    assert asyncio.run(main()) >= 0.4


NEW_YORK = ZoneInfo("America/New_York")


def test_the_schedule_fires_once_per_period_across_three_workers(pg_url, engine):
    from procrastinate.periodic import PeriodicDeferrer

    from evictwatch.jobs.queue_tasks import make_app

    config = parse_config({"http": {"user_agent": "evictwatch-test (ops@example.org)"}, "run_mode": "distributed",
                           "courts": [{"id": "alexandria", "source": "va-gdc", "code": "510",
                                       "base_url": "http://127.0.0.1:9/"}]}, "test")
    # A week across the end of daylight saving (Sunday 1 November 2026): 06:00 stays 06:00.
    start = dt.datetime(2026, 10, 29, 0, 0, tzinfo=NEW_YORK)
    end = start + dt.timedelta(days=7)

    async def main():
        apps = [make_app(pg_url, config, pool_size=1) for _ in range(3)]
        for app in apps:
            await app.open_async()
        deferrers = [PeriodicDeferrer(registry=app.periodic_registry, **app.periodic_defaults) for app in apps]
        # The test clock: quarter-hour steps, each worker's clock a little behind the one before.
        for tick in range(int(start.timestamp()), int(end.timestamp()), 900):
            for lag, deferrer in enumerate(deferrers):
                at = tick - 20 * lag
                await deferrer.defer_jobs(deferrer.get_previous_tasks(at=at))
        for app in apps:
            await app.close_async()

    asyncio.run(main())
    with engine.connect() as conn:
        fired = Counter((job, int(stamp)) for job, stamp in conn.execute(text(
            "SELECT args->>'job', args->>'timestamp' FROM procrastinate_jobs WHERE task_name = 'scheduled'")))
    assert set(fired.values()) == {1}, [k for k, n in fired.items() if n > 1]
    # The cron lines read in New York's wall clock: each day's 06:00 scrape, Monday's 07:00
    # weekly run, the alerts on the hour 08–18 on weekdays, the docket every hour.
    days = [(start + dt.timedelta(days=i)).date() for i in range(7)]

    def local(day, hour):
        return int(dt.datetime.combine(day, dt.time(hour), tzinfo=NEW_YORK).timestamp())

    expected = {("scrape", local(d, 6)) for d in days} | {("weekly", local(d, 7)) for d in days if d.weekday() == 0}
    expected |= {("alerts", local(d, h)) for d in days if d.weekday() < 5 for h in range(8, 19)}
    assert {k for k in fired if k[0] != "docket"} == expected
    # Every real hour, the one repeated on 1 November too; from 23:00 the day before, as the
    # lagging workers' clocks start in it (a firing missed by up to misfire_grace_s still fires).
    hours = {("docket", stamp) for stamp in range(int(start.timestamp()) - 3600, int(end.timestamp()) - 900, 3600)}
    assert {k for k in fired if k[0] == "docket"} == hours
    scrapes = sorted(dt.datetime.fromtimestamp(stamp, NEW_YORK) for job, stamp in fired if job == "scrape")
    assert {(s.hour, s.minute) for s in scrapes} == {(6, 0)}
    assert {s.utcoffset() for s in scrapes} == {dt.timedelta(hours=-4), dt.timedelta(hours=-5)}


def test_an_operators_command_beside_the_workers_leaves_their_runs_open(pg_url, engine):
    from pipeline.store.repo import Store
    from pipeline.store.runlog import RunLog

    log = RunLog(engine)
    Store(engine).ensure_court(Court("c00", get_source("va-gdc"), "013", "http://127.0.0.2/gdcourts/"))
    queued = log.start(dt.date(2026, 11, 17), "enqueue", 1, "worker-a")
    scheduled = log.start(dt.date(2026, 11, 17), "worker:scrape", 1, "worker-b")
    scraping = Store(engine).start_run("c00", dt.date(2026, 11, 17), dt.date(2026, 11, 17), "full", cycle_id=queued)
    killed = log.start(dt.date(2026, 11, 17), "cli", 2, "laptop")  # an `evictwatch run` that was killed
    assert log.abandon_unfinished() == [killed]  # what `evictwatch scrape` / `notify` do under the run lock
    assert log.is_open(queued) and log.is_open(scheduled)
    assert log.cycle_scrapes(queued)["c00"].outcome == "running" and scraping


def test_cron_lines_mean_the_same_to_the_scheduler_and_the_workers():
    from evictwatch.config import ConfigError

    base = {"http": {"user_agent": "evictwatch-test (ops@example.org)"},
            "courts": [{"id": "a", "source": "va-gdc", "code": "510", "base_url": "http://127.0.0.1:9/"}]}
    for line, why in (("0 7 * * 1", "name the weekdays"), ("0 7 1 * mon", "not both")):
        with pytest.raises(ConfigError, match=why):
            parse_config({**base, "schedule": {"weekly": line}}, "config.yaml")
    with pytest.raises(ConfigError, match="docket"):
        parse_config({**base, "schedule": {"docket": "0 * * * 7"}}, "config.yaml")
