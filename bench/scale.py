"""The distributed mode's scale: one worker against three, on 20 courts at their politeness limit.

    .venv/bin/python bench/scale.py [--courts 20] [--rate 5] [--latency-ms 200] [--days 7] [--concurrency 7]
                                    [--only N] [--margin-ms M] [--timeline] [--keep]

Twenty simulated Virginia courts, each on a loopback address of its own (127.0.0.2 …; the
limiter keys on the host, so each is a budget of its own), served by simulator processes of
their own (their arrival log is the network's, not the client's interpreter's), `latency-ms`
of latency each. `evictwatch worker` processes (each `--concurrency` tasks at once) on a
fresh schema of the local PostgreSQL; one cycle (`evictwatch enqueue run`) over `days`
hearing days either side of the day. Printed for 1 worker, then 3: wall time from the
enqueue to the cycle's end; the politeness floor (the slowest host's requests ÷ its rate: the
least time any client that never exceeds the rate needs); their ratio; and the busiest
one-second window per host (the most arrivals the simulators logged in any [t, t + 1 s)),
which must never pass the rate, and the closest `rate` + 1 arrivals at any host (their span
must stay over 1 s: what is left of the window's margin). `--timeline` adds each task's
events and each host's first and last arrival; `--keep` keeps the schemas to look into.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from sqlalchemy import create_engine, text  # noqa: E402

from scraper.courts.va_gdc.sim.farm import Farm  # noqa: E402
from scraper.simkit.counters import busiest_window  # noqa: E402

PG = os.environ.get("EVICTWATCH_TEST_PG_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test")
TODAY = dt.date(2026, 11, 17)
FIPS = "013"


def _config(folder: Path, db_url: str, farm: Farm, args) -> Path:
    courts = "".join(f'  - {{id: {court}, source: va-gdc, fips: "{FIPS}", base_url: "{url}", '
                     f"rate_limit_per_s: {args.rate:g}}}\n" for court, url in sorted(farm.base_urls.items()))
    path = folder / "config.yaml"
    path.write_text(
        "run_mode: distributed\n"
        f'database: {{url: "{db_url}"}}\n'
        f"distributed: {{concurrency: {args.concurrency}, heartbeat_s: 2, stall_timeout_s: 20, poll_s: 0.5}}\n"
        'http: {user_agent: "evictwatch-bench (ops@example.org)", max_concurrency_per_host: 4'
        + (f", window_margin_ms: {args.margin_ms:g}" if args.margin_ms is not None else "") + "}\n"
        f"scrape: {{window: {{look_back_days: {args.days}, look_ahead_days: {args.days}}}, browser_check: false}}\n"
        'schedule: {scrape: "0 0 1 1 *", weekly: "0 0 1 1 *", alerts: "0 0 1 1 *", docket: "0 0 1 1 *", '
        "misfire_grace_s: 1}\n"
        "notify: {outbox: outbox, operators: []}\n"
        "courts:\n" + courts)
    return path


def _evictwatch(folder: Path, *args: str, **popen):
    return subprocess.Popen([sys.executable, "-m", "evictwatch.commands.app", *args], cwd=folder,
                            env={**os.environ, "PYTHONPATH": str(ROOT)}, **popen)


def run(farm: Farm, workers: int, args) -> dict:
    schema = f"ew_bench_{uuid.uuid4().hex[:8]}"
    admin = create_engine(PG)
    with admin.begin() as conn:
        conn.execute(text(f'CREATE SCHEMA "{schema}"'))
    db_url = f"{PG}?options=-csearch_path%3D{schema}"
    engine = create_engine(db_url)
    processes = []
    try:
        with tempfile.TemporaryDirectory() as tmp:
            folder = Path(tmp)
            _config(folder, db_url, farm, args)
            assert _evictwatch(folder, "db", "upgrade", stdout=subprocess.DEVNULL).wait() == 0
            for i in range(workers):
                processes.append(_evictwatch(folder, "worker", stdout=open(folder / f"w{i}.log", "w"),  # noqa: SIM115
                                             stderr=subprocess.STDOUT))
            while _scalar(engine, "SELECT count(*) FROM queue_workers") < workers:
                time.sleep(0.2)
            farm.take_arrivals()
            busy_before = _cpu_ticks()
            started = time.monotonic()
            assert _evictwatch(folder, "enqueue", "run", "--today", TODAY.isoformat(),
                               stdout=subprocess.DEVNULL).wait() == 0
            while (_scalar(engine, "SELECT count(*) FROM runs WHERE trigger = 'enqueue' AND outcome <> 'running'")
                   < 1):
                time.sleep(0.1)
            wall = time.monotonic() - started
            busy = _busy_share(busy_before, _cpu_ticks())
            outcome = _scalar(engine, "SELECT outcome FROM runs WHERE trigger = 'enqueue'")
            cases = _scalar(engine, "SELECT count(*) FROM cases")
            jobs = _job_timeline(engine) if args.timeline else []
            for process in processes:
                process.terminate()
            for process in processes:
                process.wait(60)
    finally:
        for process in processes:
            if process.poll() is None:
                process.kill()
        engine.dispose()
        if args.keep:
            print(f"schema {schema} kept: {db_url}")
        else:
            with admin.begin() as conn:
                conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()
    arrivals = farm.take_arrivals()
    requests = {court: len(times) for court, times in arrivals.items()}
    floor = max(requests.values()) / args.rate
    spans = {court: (min(times) - started, max(times) - started) for court, times in arrivals.items() if times}
    gaps = {court: [b - a for a, b in zip(sorted(times), sorted(times)[1:])] for court, times in arrivals.items()}
    return {"workers": workers, "wall": wall, "floor": floor, "outcome": outcome, "cases": cases, "busy": busy,
            "spans": spans, "gaps": gaps, "jobs": jobs, "requests": sum(requests.values()), "requests_by": requests,
            "busiest": {court: busiest_window(times) for court, times in arrivals.items()},
            "tightest": {court: _tightest(times, int(args.rate)) for court, times in arrivals.items()}}


def _job_timeline(engine) -> list[tuple[str, str, float, float]]:
    """(task, event, first, last) seconds after the enqueue's job was deferred, by task and event."""
    with engine.connect() as conn:
        rows = conn.execute(text(
            "SELECT j.task_name, e.type, extract(epoch from min(e.at)), extract(epoch from max(e.at)) "
            "FROM procrastinate_events e JOIN procrastinate_jobs j ON j.id = e.job_id "
            "GROUP BY j.task_name, e.type ORDER BY 3")).all()
        origin = conn.execute(text("SELECT extract(epoch from min(at)) FROM procrastinate_events")).scalar()
    return [(task, kind, float(first) - float(origin), float(last) - float(origin)) for task, kind, first, last in rows]


def _tightest(times: list[float], per_window: int) -> list[float]:
    """The `per_window` + 1 arrivals closest together, as offsets from the first (a span under
    1 s is a window above the rate)."""
    times = sorted(times)
    if len(times) <= per_window:
        return []
    i = min(range(len(times) - per_window), key=lambda i: times[i + per_window] - times[i])
    return [round(t - times[i], 3) for t in times[i:i + per_window + 1]]


def _cpu_ticks() -> tuple[int, int]:
    """(busy, total) jiffies of the whole machine, from /proc/stat."""
    fields = [int(x) for x in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]]
    idle = fields[3] + fields[4]
    return sum(fields) - idle, sum(fields)


def _busy_share(before: tuple[int, int], after: tuple[int, int]) -> float:
    return (after[0] - before[0]) / max(1, after[1] - before[1])


def _scalar(engine, sql: str):
    with engine.connect() as conn:
        return conn.execute(text(sql)).scalar()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--courts", type=int, default=20)
    parser.add_argument("--rate", type=float, default=5.0)
    parser.add_argument("--latency-ms", type=int, default=200)
    parser.add_argument("--days", type=int, default=7)
    parser.add_argument("--concurrency", type=int, default=7)
    parser.add_argument("--only", type=int, default=0, help="one run with this many workers")
    parser.add_argument("--margin-ms", type=float, default=None, help="http.window_margin_ms (default: the "
                                                                         "distributed mode's)")
    parser.add_argument("--timeline", action="store_true", help="each host's first and last arrival")
    parser.add_argument("--keep", action="store_true", help="keep each run's schema (to look into it)")
    args = parser.parse_args()
    farm = Farm(args.courts, today=TODAY, fips=FIPS, latency_ms=args.latency_ms)
    try:
        results = [run(farm, workers, args) for workers in ((args.only,) if args.only else (1, 3))]
    finally:
        farm.stop()
    print(f"{args.courts} courts on {args.courts} loopback addresses, {args.rate:g} requests/s each, "
          f"{args.latency_ms} ms latency, {args.concurrency} tasks per worker")
    for r in results:
        busiest = max(r["busiest"].values())
        spans = [t[-1] for t in r["tightest"].values() if t]
        paces = sorted((last - first) * args.rate / max(1, r["requests_by"][court] - 1)
                       for court, (first, last) in r["spans"].items())
        print(f"{r['workers']} worker(s): wall {r['wall']:.1f} s, floor {r['floor']:.1f} s, wall/floor "
              f"{r['wall'] / r['floor']:.3f}; busiest 1-s window {busiest} (limit {args.rate:g}) over "
              f"{r['requests']} requests; {r['cases']} cases stored; run {r['outcome']}; the machine's CPUs "
              f"{r['busy']:.0%} busy")
        print(f"  the closest {int(args.rate) + 1} arrivals at any host span {min(spans):.3f} s (over 1 s: within "
              f"the rate); each host's first to last arrival against its own floor: median "
              f"{paces[len(paces) // 2]:.3f}, most {paces[-1]:.3f}")
        if args.timeline:
            for task, kind, first, last in r["jobs"]:
                print(f"  {task} {kind}: {first:.2f} .. {last:.2f} s")
            for court, (first, last) in sorted(r["spans"].items(), key=lambda kv: kv[1][1]):
                print(f"  {court}: {r['requests_by'][court]} requests from {first:.2f} s to {last:.2f} s "
                      f"({(last - first) * args.rate / max(1, r['requests_by'][court] - 1):.3f}x its own floor); "
                      f"{sum(g > 1.5 / args.rate for g in r['gaps'][court])} gaps over {1.5 / args.rate:.2f} s")
    if len(results) == 2:
        one, three = results
        print(f"three workers against one: {one['wall'] / three['wall']:.2f}x faster")
    over = {court: n for r in results for court, n in r["busiest"].items() if n > args.rate}
    if over:
        for r in results:
            for court in sorted(c for c, n in r["busiest"].items() if n > args.rate):
                print(f"  {r['workers']} worker(s), {court}: the closest {int(args.rate) + 1} arrivals at "
                      f"{r['tightest'][court]} s")
        raise SystemExit(f"a host's rate was exceeded: {over}")


if __name__ == "__main__":
    main()
