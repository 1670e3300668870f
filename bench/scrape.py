"""A scrape against the politeness floor: wall time, the floor, and the server's busiest second.

    .venv/bin/python bench/scrape.py [--rate 10] [--latency-ms 250] [--days 30] [--no-baseline]

The Virginia simulator (or, with --portal tyler-odyssey, the Odyssey one: browser searches
and httpx registers) in a process of its own on 127.0.0.1 with `latency-ms` of latency and
(Virginia) its own per-session limit set above the client's, so it measures the client; one
court (Richmond, the busiest; Odyssey's Precinct Five) over `days` hearing days. The floor is requests / rate: the least time a client that never
exceeds `rate` needs. Printed: wall time, floor, their ratio; the busiest window — the most
request arrivals the simulator logged in any half-open [t, t + 1 s) — against the limit; the
spread of the requests' delays between the client's start and the server's arrival (what
the limiter's window margin must cover); then the same scrape strictly sequential (one
request in flight), the baseline, in the same run.
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import multiprocessing
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from evictwatch.config import parse_config, scrape_window  # noqa: E402
from evictwatch.jobs.scrape import build_governor, scrape_courts  # noqa: E402
from pipeline.store import db  # noqa: E402
from pipeline.store.repo import Store  # noqa: E402
from scraper.courts import get_source  # noqa: E402
from scraper.simkit.counters import busiest_window  # noqa: E402

TODAY = dt.date(2026, 11, 27)


class SimProcess:
    """The simulator in a process of its own, as a real portal is: its threads do not wait on
    the client's interpreter lock, so the arrival times it logs are the network's."""

    def __init__(self, source: str, **options) -> None:
        self._conn, child = multiprocessing.Pipe()
        self._process = multiprocessing.get_context("fork").Process(target=_serve, args=(child, source, options),
                                                                    daemon=True)
        self._process.start()
        self.base_url = self._conn.recv()

    def arrivals(self) -> list[float]:
        """Arrival times logged since the last call."""
        self._conn.send("arrivals")
        return self._conn.recv()

    def stop(self) -> None:
        self._conn.send("stop")
        self._process.join(10)
        if self._process.is_alive():
            self._process.kill()


# Dockets generated before serving: generating one mid-scrape holds the simulator's
# interpreter for a while, and the arrivals it logs meanwhile would bunch up (a real portal's
# log is kept at its network edge).
WARM_UP = {
    "va-gdc": lambda docket: [docket.court_year("763", year) for year in (TODAY.year - 1, TODAY.year)],
    "tyler-odyssey": lambda docket: [docket.year(year) for year in (TODAY.year - 1, TODAY.year)],
}


def _serve(conn, source: str, options: dict) -> None:
    sim = get_source(source).simulator(**options)
    WARM_UP[source](sim.docket)
    running = sim.start(host="127.0.0.1", port=0)
    conn.send(running.base_url)
    while conn.recv() != "stop":
        conn.send(list(sim.stats.arrivals))
        sim.stats.arrivals.clear()
    running.stop()


COURTS = {
    "va-gdc": {"id": "richmond", "source": "va-gdc", "code": "763", "name": "Richmond-Civil General District Court"},
    "tyler-odyssey": {"id": "jp5", "source": "tyler-odyssey", "code": "Precinct Five",
                      "name": "Travis County Justice of the Peace, Precinct Five"},
}


def run(sim: SimProcess, portal: str, rate: float, concurrency: int, since: dt.date, until: dt.date) -> dict:
    config = parse_config({
        "http": {"user_agent": "evictwatch-bench (ops@example.org)", "max_concurrency_per_host": concurrency},
        "scrape": {"browser_check": False},
        "courts": [{**COURTS[portal], "base_url": sim.base_url, "rate_limit_per_s": rate}],
    }, "bench")
    governor = build_governor(config)
    governor.rate_limiter.start_log = starts = []
    sim.arrivals()
    with tempfile.TemporaryDirectory() as tmp:
        engine = db.make_engine(f"sqlite:///{tmp}/bench.db")
        db.upgrade(engine)
        started, started_mono = time.perf_counter(), time.monotonic()
        [outcome] = asyncio.run(scrape_courts(config, Store(engine), config.courts,
                                              scrape_window(config, TODAY, since, until), governor=governor))
        wall = time.perf_counter() - started
        engine.dispose()
    if not outcome.ok:
        raise SystemExit(f"scrape failed: {outcome.error}")
    arrivals = sorted(sim.arrivals())
    client = sorted(t for _, t in starts)
    per_window = max(1, int(rate))
    delays = [a - s for s, a in zip(client, arrivals)] if len(client) == len(arrivals) else []
    # The margin a window of `per_window` starts needs: the most one request is delayed more
    # than the one `per_window` later.
    spread = max((delays[i] - delays[i + per_window] for i in range(len(delays) - per_window)), default=0.0)
    interval = 1.0 / rate
    idle = sum(max(0.0, b - a - interval * (1 + governor.rate_limiter.margin_s)) for a, b in zip(client, client[1:]))
    return {"idle": idle, "first": client[0] - started_mono if client else 0.0, "wall": wall, "requests": outcome.summary.requests, "arrivals": len(arrivals),
            "busiest": busiest_window(arrivals, 1.0), "busiest_client": busiest_window(client, 1.0),
            "spread": spread, "margin": governor.rate_limiter.margin_s, "cases": outcome.summary.cases_yielded}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rate", type=float, default=10.0)
    parser.add_argument("--latency-ms", type=int, default=250)
    parser.add_argument("--days", type=int, default=64)
    parser.add_argument("--concurrency", type=int, default=4)
    parser.add_argument("--no-baseline", action="store_true")
    parser.add_argument("--portal", choices=sorted(COURTS), default="va-gdc")
    args = parser.parse_args()
    until = TODAY - dt.timedelta(days=1)
    since = until - dt.timedelta(days=args.days - 1)
    own_limit = {"rate_limit_per_s": args.rate * 2} if args.portal == "va-gdc" else {}
    sim = SimProcess(args.portal, seed=1, today=TODAY, latency_ms=args.latency_ms, **own_limit)
    try:
        fast = run(sim, args.portal, args.rate, args.concurrency, since, until)
        serial = None if args.no_baseline else run(sim, args.portal, args.rate, 1, since, until)
    finally:
        sim.stop()
    limit = f"simulator's own limit {args.rate * 2:g}/s per session" if own_limit else "the simulator has no limit"
    print(f"{args.portal} simulator, court {COURTS[args.portal]['code']}, hearing days {since}..{until}; "
          f"client limit {args.rate:g}/s, {limit}, latency {args.latency_ms} ms")
    for label, figures in (("overlapping", fast), ("baseline, sequential", serial)):
        if figures is None:
            continue
        floor = figures["requests"] / args.rate
        print(f"{label} ({args.concurrency if figures is fast else 1} in flight): {figures['requests']} requests "
              f"({figures['arrivals']} arrivals), {figures['cases']} cases, in {figures['wall']:.1f} s; "
              f"floor {floor:.1f} s; wall/floor {figures['wall'] / floor:.3f}; busiest 1-s window at the simulator "
              f"{figures['busiest']} (limit {int(args.rate)}), at the client {figures['busiest_client']}; "
              f"delay spread {figures['spread'] * 1000:.1f} ms against the window margin "
              f"{figures['margin'] * 1000:.0f} ms; idle between starts {figures['idle']:.1f} s, "
              f"first start after {figures['first']:.2f} s")
    if serial is not None:
        print(f"speed-up over the sequential baseline: {serial['wall'] / fast['wall']:.2f}x "
              f"(target: wall/floor <= 1.10, busiest window <= {int(args.rate)})")


if __name__ == "__main__":
    main()
