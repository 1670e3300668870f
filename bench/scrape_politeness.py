"""How close a scrape runs to the politeness limit when the network is slow.

A scrape's floor is requests / allowed rate. With 250 ms of latency, a client that waits
for each answer before asking again is bounded by the latency instead; overlapping requests
under the rate limit should bring the wall time back to the floor. Both are measured here,
in the same run, against the bundled simulator on 127.0.0.1.

    .venv/bin/python bench/scrape_politeness.py [--rate 4] [--latency-ms 250] [--days 3]
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from evictwatch.config import parse_config, scrape_window  # noqa: E402
from evictwatch.jobs.scrape import scrape_courts  # noqa: E402
from pipeline.store import db  # noqa: E402
from pipeline.store.repo import Store  # noqa: E402
from scraper.courts import get_source  # noqa: E402

TODAY = dt.date(2026, 11, 27)


def run(base_url: str, rate: float, concurrency: int, since: dt.date, until: dt.date) -> tuple[float, int]:
    config = parse_config({
        "http": {"user_agent": "evictwatch-bench (ops@example.org)", "max_concurrency_per_host": concurrency},
        "scrape": {"browser_check": False},
        "courts": [{"id": "alexandria", "source": "va-gdc", "code": "510", "base_url": base_url,
                    "name": "Alexandria General District Court",
                    "rate_limit_per_s": rate}],
    }, "bench")
    with tempfile.TemporaryDirectory() as tmp:
        engine = db.make_engine(f"sqlite:///{tmp}/bench.db")
        db.upgrade(engine)
        started = time.perf_counter()
        [outcome] = asyncio.run(scrape_courts(config, Store(engine), config.courts,
                                              scrape_window(config, TODAY, since, until)))
        wall = time.perf_counter() - started
        engine.dispose()
    if not outcome.ok:
        raise SystemExit(f"scrape failed: {outcome.error}")
    return wall, outcome.summary.requests


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rate", type=float, default=4.0)
    parser.add_argument("--latency-ms", type=int, default=250)
    parser.add_argument("--days", type=int, default=3)
    args = parser.parse_args()
    since = dt.date(2026, 11, 23)
    until = since + dt.timedelta(days=args.days - 1)
    sim = get_source("va-gdc").simulator(seed=1, today=TODAY, latency_ms=args.latency_ms)
    running = sim.start(host="127.0.0.1", port=0)
    try:
        serial_wall, serial_requests = run(running.base_url, args.rate, 1, since, until)
        wall, requests = run(running.base_url, args.rate, 4, since, until)
    finally:
        running.stop()
    floor = requests / args.rate
    print(f"hearing days {since}..{until}, rate {args.rate}/s, latency {args.latency_ms} ms")
    print(f"overlapping (4 in flight): {requests} requests in {wall:.1f} s; floor {floor:.1f} s; "
          f"wall/floor {wall / floor:.2f}")
    print(f"serial baseline (1 in flight): {serial_requests} requests in {serial_wall:.1f} s; "
          f"wall/floor {serial_wall / (serial_requests / args.rate):.2f}")
    print(f"speed-up over the serial baseline: {serial_wall / wall:.2f}x")


if __name__ == "__main__":
    main()
