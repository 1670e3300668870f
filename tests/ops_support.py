"""Shared by the unattended-operation tests: a simulator, a config file pointing at it, a store."""

from __future__ import annotations

import ctypes
import datetime as dt
import os
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

from evictwatch.config import load_config
from pipeline.store import db
from pipeline.store.repo import Store
from scraper.courts import get_source

START = dt.date(2026, 11, 2)  # a Monday


@dataclass(frozen=True)
class Court:
    """A simulated court for write_config: its config id, FIPS code and a ZIP of its own for a filter."""

    id: str
    fips: str
    zip5: str


ALEXANDRIA = Court("alexandria", "510", "22304")  # ~65 eviction filings a week
# Arlington files ~30 a week: the same rules over half the cases, for the long simulated runs.
ARLINGTON = Court("arlington", "013", "22204")
_started: list[subprocess.Popen] = []  # every cli() process; conftest stops any still running after each test


def start_sim(today: dt.date = START, seed: int = 5, latency_ms: int = 0):
    sim = get_source("va-gdc").simulator(seed=seed, today=today, latency_ms=latency_ms)
    return sim, sim.start(host="127.0.0.1", port=0)


def write_config(folder: Path, base_url: str, *, operators: bool = True, extra: str = "",
                 court: Court = ALEXANDRIA, look_ahead_days: int = 14) -> Path:
    path = folder / "config.yaml"
    path.write_text(
        'http: {user_agent: "evictwatch-test (ops@example.org)", max_concurrency_per_host: 4, max_attempts: 2,\n'
        '       throttle_wait_s: 0.2}\n'
        f'scrape: {{window: {{look_back_days: 3, look_ahead_days: {look_ahead_days}}}, browser_check: false}}\n'
        # Small windows keep a simulated month quick; the rules are the same as production's.
        'pipeline: {recheck: {recent_days: 2, upcoming_days: 2, judgment_days: 7, writ_days: 7, appeal_days: 3, '
        'satisfaction_days: 30}}\n'
        f'notify: {{outbox: outbox, operators: {"[ops@example.org]" if operators else "[]"}}}\n'
        'partners:\n'
        '  - {name: Legal Aid, emails: [intake@example.org], receives: [weekly_list, urgent_alerts, weekly_report],'
        ' send_day: monday, send_time: "07:00"}\n'
        '  - {name: Tenant Union, emails: [union@example.org], receives: [weekly_list], send_day: wednesday,'
        f' filters: {{zips: ["{court.zip5}"]}}}}\n'
        f'courts:\n  - {{id: {court.id}, source: va-gdc, fips: "{court.fips}", base_url: "{base_url}", '
        'rate_limit_per_s: 50}\n'
        + extra)
    return path


def open_store(folder: Path) -> Store:
    engine = db.make_engine(f"sqlite:///{folder / 'data' / 'evictwatch.db'}")
    db.upgrade(engine)
    return Store(engine)


def config_of(path: Path):
    return load_config(path)


def cli(folder: Path, *args: str, **popen) -> subprocess.Popen:
    """`evictwatch ARGS` in its own process, in `folder` (its config.yaml and data/)."""
    env = {**os.environ, "PYTHONUNBUFFERED": "1"}
    process = subprocess.Popen([sys.executable, "-m", "evictwatch.commands.app", *args], cwd=folder, env=env,
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, **popen)
    _started.append(process)
    return process


def signal_its_other_thread(process: subprocess.Popen, signum: int) -> None:
    """Send `signum` to one of the process's threads other than its main one (tgkill), as the
    kernel may when the main thread is busy or has a signal pending: Python runs the handler in
    the main thread only, and must notice it there."""
    threads = sorted(int(t) for t in os.listdir(f"/proc/{process.pid}/task") if int(t) != process.pid)
    assert threads, "the process has no thread but its main one"
    libc = ctypes.CDLL(None, use_errno=True)
    if libc.tgkill(process.pid, threads[0], signum) != 0:
        raise OSError(ctypes.get_errno(), f"tgkill {process.pid}/{threads[0]}")


def stop_started_processes() -> list[str]:
    """Kill every cli() process still running (a test failed or timed out before it ended);
    close their pipes. Returns what was still running."""
    left = []
    while _started:
        process = _started.pop()
        if process.poll() is None:
            left.append(" ".join(process.args[3:]) if isinstance(process.args, list) else str(process.args))
            process.kill()
        try:
            process.communicate(timeout=10)
        except (subprocess.TimeoutExpired, ValueError, OSError):  # pragma: no cover - already read, or stuck
            pass
        for pipe in (process.stdin, process.stdout, process.stderr):
            if pipe is not None:
                pipe.close()
    return left


def fast_governor(config):
    """Our own local simulator takes more than the config's court-polite rate."""
    from tests.test_integration_sim import fast_governor as fast

    return fast(config)
