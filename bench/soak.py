"""Fault soak: `evictwatch run` killed at seeded random moments, against both simulators with faults.

    .venv/bin/python bench/soak.py [--cycles 20] [--seed 7] [--kill-within 20]

Both bundled simulators (a Virginia court, an Odyssey court read in the system Chromium) serve
with 10% 5xx answers, 5% dropped connections and 3% truncated bodies; the Virginia portal
allows 5 requests a second per session while the court is configured for 20 (bursts of its
rate-limit page). Partners are configured and e-mails go to the outbox. Each cycle runs
`evictwatch run`, kills it with SIGKILL after a seeded random delay (up to `kill-within`
seconds; a run that ends first is left to end), checks that no Chromium it started outlives
it, then runs `evictwatch run` again to its end. Afterwards: the database must equal the
simulators' ground truth exactly (every field of every case), no case twice, every delivery
key sent once or held (never two e-mails for one key), each completed run's faults in the
run log (its retries and throttles), no Chromium left. Prints the figures; exits 1 on any
failure. tests/test_soak.py runs the short form (`--cycles 2`).
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import random
import subprocess
import sys
import tempfile
import time
import uuid
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from sqlalchemy import text  # noqa: E402

from evictwatch.config import load_config, scrape_window  # noqa: E402
from pipeline.store import db  # noqa: E402
from pipeline.store.ledger import HELD, DeliveryState, Ledger  # noqa: E402
from pipeline.store.repo import Store  # noqa: E402
from scraper.courts import get_source  # noqa: E402
from scraper.courts.tyler_odyssey.sim.docket import precincts_of  # noqa: E402

TODAY = dt.date(2026, 11, 30)  # a Monday: the weekly lists go out
FAULTS = "5xx=0.1,drop=0.05,truncate=0.03"
VA_FIPS, OD_LOCATION = "013", "Precinct Five"
TAG = "EVICTWATCH_SOAK_TAG"


def write_config(folder: Path, va_url: str, od_url: str) -> Path:
    path = folder / "config.yaml"
    path.write_text(
        'http: {user_agent: "evictwatch-soak (ops@example.org)", max_concurrency_per_host: 4, max_attempts: 6,\n'
        '       throttle_wait_s: 0.3}\n'
        'scrape: {window: {look_back_days: 3, look_ahead_days: 10}, browser_check: false}\n'
        'notify: {transport: outbox, outbox: outbox, operators: [ops@example.org]}\n'
        'partners:\n'
        '  - {name: Legal Aid, emails: [intake@example.org], receives: [weekly_list, urgent_alerts, weekly_report]}\n'
        '  - {name: Tenant Union, emails: [union@example.org], receives: [weekly_list, urgent_alerts]}\n'
        'courts:\n'
        f'  - {{id: arlington, source: va-gdc, code: "{VA_FIPS}", base_url: "{va_url}", rate_limit_per_s: 20}}\n'
        f'  - {{id: jp5, source: tyler-odyssey, code: "{OD_LOCATION}", base_url: "{od_url}", rate_limit_per_s: 20}}\n',
        encoding="utf-8")
    return path


def evictwatch_run(folder: Path, tag: str) -> subprocess.Popen:
    env = {**os.environ, TAG: tag, "PYTHONUNBUFFERED": "1"}
    return subprocess.Popen([sys.executable, "-m", "evictwatch.commands.app", "run", "--today", TODAY.isoformat()],
                            cwd=folder, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)


def tagged_chromium(tag: str) -> list[int]:
    """Chromium processes started (through Playwright) by a run carrying `tag` in its environment."""
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            command = (entry / "cmdline").read_bytes()
            if b"chrom" not in command:
                continue
            if f"{TAG}={tag}".encode() in (entry / "environ").read_bytes().split(b"\0"):
                found.append(int(entry.name))
        except OSError:  # gone meanwhile, or not ours to read
            continue
    return found


def outlived(tag: str, grace_s: float = 15.0) -> list[int]:
    """Chromium processes of a killed run still there after `grace_s` (Playwright's driver ends
    its browsers when its parent's pipe closes; polled, not slept on)."""
    deadline = time.monotonic() + grace_s
    while (left := tagged_chromium(tag)) and time.monotonic() < deadline:
        time.sleep(0.2)
    return left


def soak(cycles: int, seed: int, kill_within: float, folder: Path) -> list[str]:
    rng = random.Random(seed)
    va = get_source("va-gdc").simulator(seed=5, today=TODAY, faults=FAULTS, rate_limit_per_s=5.0)
    od = get_source("tyler-odyssey").simulator(seed=5, today=TODAY, faults=FAULTS)
    va_running, od_running = va.start(host="127.0.0.1", port=0), od.start(host="127.0.0.1", port=0)
    problems: list[str] = []
    killed = finished_early = clean_failed = 0
    try:
        config_path = write_config(folder, va_running.base_url, od_running.base_url)
        for cycle in range(cycles):
            tag = uuid.uuid4().hex
            victim = evictwatch_run(folder, tag)
            delay = rng.uniform(0.5, kill_within)
            try:
                victim.wait(timeout=delay)
                finished_early += 1
            except subprocess.TimeoutExpired:
                victim.kill()  # SIGKILL
                victim.wait()
                killed += 1
            victim.stderr.close()
            if left := outlived(tag):
                problems.append(f"cycle {cycle}: Chromium {left} outlived the killed run")
            clean = evictwatch_run(folder, uuid.uuid4().hex)
            _, err = clean.communicate(timeout=900)
            if clean.returncode != 0:
                clean_failed += 1
                problems.append(f"cycle {cycle}: the run after the kill exited {clean.returncode}: {err[-600:]}")
            print(f"cycle {cycle + 1}/{cycles}: killed after {delay:.1f} s" if victim.returncode < 0
                  else f"cycle {cycle + 1}/{cycles}: ended before the kill ({delay:.1f} s)", flush=True)
        problems += check(folder, config_path, va, od)
        print(f"{cycles} cycles: {killed} runs killed, {finished_early} ended before their kill, "
              f"{clean_failed} runs after a kill failed; simulator faults injected: Virginia "
              f"{va.stats.faults_injected} ({va.stats.rate_limited} rate-limit pages), Odyssey {od.stats.faults_injected}")
    finally:
        va_running.stop()
        od_running.stop()
    return problems


def check(folder: Path, config_path: Path, va, od) -> list[str]:
    config = load_config(config_path)
    window = scrape_window(config, TODAY)
    engine = db.make_engine(f"sqlite:///{folder / 'data' / 'evictwatch.db'}")
    store = Store(engine)
    problems = []
    truth = {("arlington", r.case_number): r.model_copy(update={"court": "arlington"})
             for r in va.docket.truth(VA_FIPS, window.since, window.until)}
    truth |= {("jp5", r.case_number): r for r in od.docket.truth(window.since, window.until, precincts_of(OD_LOCATION),
                                                                  court_id="jp5")}
    stored = {(r.court, r.case_number): r for r in store.iter_cases()}
    if set(stored) != set(truth):
        problems.append(f"cases: {len(set(truth) - set(stored))} missing, {len(set(stored) - set(truth))} not in the "
                        f"ground truth")
    for key in set(stored) & set(truth):
        for name in type(truth[key]).model_fields:
            if name != "unknown_fields" and getattr(stored[key], name) != getattr(truth[key], name):
                problems.append(f"case {key[0]} {key[1]}: {name} differs from the ground truth")
    with engine.connect() as conn:
        twice = conn.execute(text("SELECT court_id, case_number FROM cases GROUP BY court_id, case_number "
                                  "HAVING count(*) > 1")).all()
        deliveries = conn.execute(text("SELECT key, state FROM deliveries")).all()
    problems += [f"case {court} {number} stored twice" for court, number in twice]
    keys = Counter(p.name.rsplit("-", 1)[0] for p in (folder / "outbox").rglob("*.eml"))
    problems += [f"delivery {key}: {n} e-mails" for key, n in keys.items() if n > 1]
    held = {record.key for record in Ledger(engine).unsettled()}
    for key, state in deliveries:
        if state != DeliveryState.SENT and key not in held and DeliveryState(state) not in HELD:
            problems.append(f"delivery {key} ended {state}, neither sent nor held")
    with engine.connect() as conn:
        faults_logged = dict(conn.execute(text(
            "SELECT r.id, coalesce(sum(s.retries), 0) + coalesce(sum(s.throttled), 0) FROM runs r "
            "JOIN scrape_runs s ON s.run_id = r.id WHERE r.outcome = 'ok' GROUP BY r.id")).all())
    problems += [f"run {run_id} completed against faulty portals with no retry or throttle in its log"
                 for run_id, logged in faults_logged.items() if not logged]
    print(f"final store: {len(stored)} cases ({len(truth)} in the ground truth), {len(deliveries)} deliveries "
          f"({len(held)} held), {sum(keys.values())} e-mails in the outbox")
    engine.dispose()
    return problems


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--cycles", type=int, default=20)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--kill-within", type=float, default=20.0, help="seconds: the latest a kill comes")
    args = parser.parse_args()
    started = time.perf_counter()
    with tempfile.TemporaryDirectory() as tmp:
        problems = soak(args.cycles, args.seed, args.kill_within, Path(tmp))
    print(f"soak took {time.perf_counter() - started:.0f} s")
    for problem in problems[:50]:
        print(f"  FAIL {problem}")
    print("soak passed" if not problems else f"soak FAILED: {len(problems)} problems")
    sys.exit(1 if problems else 0)


if __name__ == "__main__":
    main()
