"""A whole state on one portal host's budget (issue 33): a cold start, then a week of daily runs.

    .venv/bin/python bench/statewide.py [--quick] [--rate 50] [--stands-for 1] [--days 7] [--hour 18]
                                        [--courts 130] [--skip-baseline]

One simulated Virginia portal (`--whole-state`: its welcome page lists `--courts` courts, about
2,500 eviction filings a week for all 130), served by a process of its own; one court entry with
`all: true`; SQLite. Day 0 is a cold start with the default window (70 days back, 70 ahead);
then one run a day at `--hour` (court time) for `--days` days, the portal's clock set to that
moment (a day's filings are published through its business day). Time is scaled: the limiter's
`--rate` requests a second stand for `--stands-for` (a rate of 50 standing for 1: a simulated
day's 86,400 requests at 1/s take 1,728 s here), and the budget shares are the configuration's
defaults in those units. Printed for the planner, then for the baseline (every court walked in
configuration order, one after another, no budget), measured in the same run:

- requests a day and `budget_share` = requests a day ÷ (stands-for × 86,400);
- requests per new filing found; freshness of each new filing from its publication on the
  portal to its storing (median, p95, max, in simulated hours);
- the days until the cold start's deferred past dates are all walked;
- the busiest one-second window of arrivals at the portal against the limiter's rate;
- the floor ratio: a run's wall time ÷ (its requests ÷ rate), the worst daily run.

The last line of standard output is one JSON object for the planner's run (keys courts,
requests_per_day, budget_share, requests_per_new_filing, freshness_p95_h, cold_start_days,
busiest_window, rate_limit, floor_ratio; the window and the limit in the bench's own scaled units).
`--quick` runs a smaller state (13 courts standing for a tenth of the state on a tenth of the
budget) in under two minutes.
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import json
import logging
import multiprocessing
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from sqlalchemy import text  # noqa: E402

from evictwatch.config import parse_config, scrape_window  # noqa: E402
from evictwatch.jobs.court_lists import refresh_court_lists  # noqa: E402
from evictwatch.jobs.scrape import build_governor, scrape_courts  # noqa: E402
from pipeline.hostplan import Worth  # noqa: E402
from pipeline.store import db  # noqa: E402
from pipeline.store.repo import Store  # noqa: E402
from scraper.courts import get_source  # noqa: E402
from scraper.courts.va_gdc.sim.docket import published_after  # noqa: E402
from scraper.courts.va_gdc.sim.model import UNLAWFUL_DETAINER  # noqa: E402
from scraper.courts.va_gdc.sim.state import listed_courts  # noqa: E402
from scraper.http_policy import RetryPolicy  # noqa: E402
from scraper.simkit.counters import busiest_window  # noqa: E402

START = dt.date(2026, 11, 2)  # a Monday
SEED = 7
CONFIG_RATE = 50.0  # the configuration's rate; the budget shares are scaled to stand for --stands-for


def _serve(conn, size: int) -> None:
    sim = get_source("va-gdc").simulator(seed=SEED, today=START, whole_state=True, state_courts=size,
                                         rate_limit_per_s=0)
    codes = list(listed_courts(True, size))
    for code in codes:  # made before serving: making a court-year holds the interpreter
        for year in (START.year - 1, START.year):
            sim.docket.court_year(code, year)
    running = sim.start(host="127.0.0.1", port=0)
    conn.send(running.base_url)
    while True:
        command, argument = conn.recv()
        if command == "now":
            sim.set_now(argument)
            sim.stats.arrivals.clear()
            conn.send(None)
        elif command == "arrivals":
            conn.send(list(sim.stats.arrivals))
        elif command == "filings":  # each listed court's eviction filings in [since, until]
            since, until = argument
            conn.send({code: [(r.case_number, r.filed_date) for r in sim.docket.filings(code, since, until,
                                                                                        UNLAWFUL_DETAINER)]
                       for code in codes})
        else:
            break
    running.stop()


class Portal:
    def __init__(self, size: int) -> None:
        context = multiprocessing.get_context("fork")
        self._link, child = context.Pipe()
        self._process = context.Process(target=_serve, args=(child, size), daemon=True)
        self._process.start()
        self.base_url = self._link.recv()

    def ask(self, command: str, argument=None):
        self._link.send((command, argument))
        return self._link.recv()

    def stop(self) -> None:
        self._link.send(("stop", None))
        self._process.join(10)
        if self._process.is_alive():
            self._process.kill()


def _config(base_url: str, args, share: float, cold: float):
    scale = CONFIG_RATE / args.stands_for  # the planner's budget is the configured rate's: scaled down
    return parse_config({
        # The default window margin (25 ms): at most `rate` starts in any 1.025 s, so the floor
        # ratio cannot go below 1.025.
        "http": {"user_agent": "evictwatch-bench (ops@example.org)", "max_concurrency_per_host": 8},
        "scrape": {"browser_check": False, "daily_budget_share": share / scale, "cold_start_share": cold / scale},
        "courts": [{"id": "va", "source": "va-gdc", "all": True, "base_url": base_url,
                    "rate_limit_per_s": CONFIG_RATE}],
    }, "bench")


def _governor(config, rate: float):
    governor = build_governor(config, host_rates={"127.0.0.1": rate})  # the configured window margin too
    governor.retry = RetryPolicy(max_attempts=3, backoff_base_s=0.05, throttle_wait_s=0.2)
    return governor


def run_days(portal: Portal, args, *, planner: bool, days: int | None = None) -> dict:
    scale = args.rate / args.stands_for
    with tempfile.TemporaryDirectory() as folder:
        engine = db.make_engine(f"sqlite:///{Path(folder) / 'state.db'}")
        db.upgrade(engine)
        store = Store(engine)
        config = _config(portal.base_url, args, 0.25 if planner else 1.0, 0.5 if planner else 1.0)
        runs, stored_at, cold_days = [], {}, None
        last = args.days if days is None else days
        for offset in range(last + 1):
            today = START + dt.timedelta(days=offset)
            moment = dt.datetime.combine(today, dt.time(args.hour))
            portal.ask("now", moment)
            governor = _governor(config, args.rate)
            began_real = time.monotonic()
            began_utc = dt.datetime.now(dt.timezone.utc)

            async def scrape():
                await refresh_court_lists(config, store, today, governor=governor)
                courts = [c for c in config.courts if c.enabled]
                window = scrape_window(config, today)
                if planner:
                    return await scrape_courts(config, store, courts, window, today=today, governor=governor)
                outcomes = []
                for court in courts:  # the baseline: one court after another, in configuration order
                    outcomes += await scrape_courts(config, store, [court], window, today=today, governor=governor,
                                                    regroup=False)
                return outcomes

            outcomes = asyncio.run(scrape())
            wall = time.monotonic() - began_real
            ended_utc = dt.datetime.now(dt.timezone.utc)
            requests = sum(o.summary.requests for o in outcomes) + 3  # + the court list's session and page
            arrivals = sorted(portal.ask("arrivals"))
            failed = [o.court_id for o in outcomes if not o.ok]
            with engine.connect() as conn:
                for number, first_seen in conn.execute(text("SELECT case_number, first_seen_at FROM cases")):
                    if number not in stored_at:
                        seen = first_seen if isinstance(first_seen, dt.datetime) else dt.datetime.fromisoformat(first_seen)
                        seen = seen if seen.tzinfo else seen.replace(tzinfo=dt.timezone.utc)
                        # Where in the run it was stored, on the monotonic clock: this machine's wall
                        # clock is set back now and then (a bare difference gave negative freshness).
                        part = (seen - began_utc) / max(ended_utc - began_utc, dt.timedelta(microseconds=1))
                        stored_at[number] = moment + dt.timedelta(seconds=min(1.0, max(0.0, part)) * wall * scale)
            backfill = [d for d in store.deferred.of(c.id for c in config.courts) if d.worth == Worth.BACKFILL]
            if cold_days is None and not backfill:
                cold_days = offset + 1
            # The host's floor over the run's length: its first request to its last (the planning
            # before and the landlords' regrouping after ask nothing of it), against requests ÷ rate.
            span = arrivals[-1] - arrivals[0] + 1 / args.rate if arrivals else 0.0
            runs.append({"day": today.isoformat(), "requests": requests, "wall_s": wall, "failed": failed,
                         "floor_ratio": span / (len(arrivals) / args.rate) if arrivals else 1.0,
                         "wall_ratio": wall / (requests / args.rate),
                         "busiest": busiest_window(arrivals) if arrivals else 0,
                         "deferred": sum(o.deferred for o in outcomes), "courts": len(outcomes)})
            print(f"  {'planner ' if planner else 'baseline'} {today} requests {requests:6d} wall {wall:6.1f} s "
                  f"(x{runs[-1]['wall_ratio']:.3f}) floor x{runs[-1]['floor_ratio']:.3f} busiest {runs[-1]['busiest']}/s deferred "
                  f"{runs[-1]['deferred']} failed {len(failed)}", flush=True)
        engine.dispose()
    return _figures(portal, args, last, runs, stored_at, cold_days, len(config.courts))


def _figures(portal: Portal, args, last: int, days: list[dict], stored_at: dict, cold_days: int | None,
             courts: int) -> dict:
    last_run = dt.datetime.combine(START + dt.timedelta(days=last), dt.time(args.hour))
    filings = portal.ask("filings", (START, START + dt.timedelta(days=last)))
    fresh, missed = [], 0
    for numbers in filings.values():
        for number, filed in numbers:
            published = dt.datetime.combine(filed, dt.time()) + published_after(number)
            if not (dt.datetime.combine(START, dt.time(args.hour)) <= published <= last_run):
                continue  # out before the cold start, or after the last run: not a new filing measured
            if number in stored_at:
                fresh.append((stored_at[number] - published).total_seconds() / 3600)
            else:
                missed += 1
    # A day's cost once the cold start is done (while it lasts, its own share applies).
    daily = days[cold_days:] if cold_days is not None and cold_days < len(days) else days[1:]
    per_day = statistics.mean(d["requests"] for d in daily)
    new = max(1, len(fresh) + missed)
    fresh.sort()
    return {
        "courts": courts,
        "requests_per_day": round(per_day),
        "budget_share": round(per_day / (args.stands_for * 86_400), 4),
        "cold_start_share": round(max(d["requests"] for d in days[:cold_days or len(days)])
                                  / (args.stands_for * 86_400), 4),
        "requests_per_new_filing": round(sum(d["requests"] for d in daily) / new, 1),
        "freshness_median_h": round(statistics.median(fresh), 1) if fresh else None,
        "freshness_p95_h": round(fresh[int(0.95 * (len(fresh) - 1))], 1) if fresh else None,
        "freshness_max_h": round(fresh[-1], 1) if fresh else None,
        "new_filings": len(fresh) + missed, "new_filings_not_stored": missed,
        "cold_start_days": cold_days,
        "busiest_window": max(d["busiest"] for d in days),
        "rate_limit": args.rate,
        "floor_ratio": round(max(d["floor_ratio"] for d in daily), 3),
        "wall_ratio": round(max(d["wall_ratio"] for d in daily), 3),
        "failed_courts": sum(len(d["failed"]) for d in days),
    }


def main() -> None:
    logging.basicConfig(level=logging.ERROR)  # a case the portal no longer has is a warning of its own
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="a smaller state, SQLite only, under two minutes")
    parser.add_argument("--rate", type=float, default=50.0, help="the limiter's requests a second here")
    parser.add_argument("--stands-for", type=float, default=1.0, help="the portal's real rate the --rate stands for")
    parser.add_argument("--days", type=int, default=7)
    parser.add_argument("--hour", type=int, default=18, help="the daily run's hour, court time")
    parser.add_argument("--courts", type=int, default=130, help="courts the portal lists (the state: 130)")
    parser.add_argument("--skip-baseline", action="store_true")
    args = parser.parse_args()
    if args.quick:  # six small courts, their share of the state's budget; the baseline one day only
        args.courts, args.stands_for, args.rate = 6, 0.04, 80.0
    portal = Portal(args.courts)
    try:
        print(f"statewide: {args.courts} courts on one host, {args.rate:g} requests/s standing for "
              f"{args.stands_for:g}/s, a cold start then {args.days} daily runs at {args.hour}:00", flush=True)
        baseline = None if args.skip_baseline else run_days(portal, args, planner=False,
                                                            days=1 if args.quick else args.days)
        planned = run_days(portal, args, planner=True)
    finally:
        portal.stop()
    for name, figures in (("baseline (config order, no budget)", baseline), ("planner", planned)):
        if figures is not None:
            print(f"{name}: " + ", ".join(f"{k} {v}" for k, v in figures.items()), flush=True)
    if baseline is not None:
        print(f"planner / baseline: requests a day x{planned['requests_per_day'] / baseline['requests_per_day']:.2f}, "
              f"floor ratio {planned['floor_ratio']} vs {baseline['floor_ratio']}", flush=True)
    print(json.dumps({k: planned[k] for k in ("courts", "requests_per_day", "budget_share", "requests_per_new_filing",
                                              "freshness_p95_h", "cold_start_days", "busiest_window", "rate_limit",
                                              "floor_ratio")}))


if __name__ == "__main__":
    main()
