"""Shared by the distributed-mode tests: court simulators on loopback addresses of their own,
a config for `run_mode: distributed` on a private PostgreSQL schema, worker processes."""

from __future__ import annotations

import datetime as dt
import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

from sqlalchemy import create_engine, text

from scraper.courts.va_gdc.sim.farm import Farm, court_id, simulator
from scraper.simkit.counters import busiest_window
from tests import ops_support

TODAY = dt.date(2026, 11, 17)  # a Tuesday: the Monday list is due; the window is it and the next court day (its hearings are alerts)
FIPS = "013"
RATE = 4.0  # each court host's configured requests/s


class Courts:
    """`count` Virginia simulators in processes of their own, court N on 127.0.0.(N+2): the
    limiter keys on the host, so each is a budget of its own; their ground truth from the same
    seeds in this process."""

    def __init__(self, count: int, *, latency_ms: int = 20) -> None:
        self.farm = Farm(count, today=TODAY, fips=FIPS, latency_ms=latency_ms)
        self.ids = sorted(self.farm.base_urls)
        self._truth = {court_id(i): simulator(i, TODAY).docket for i in range(count)}

    def arrivals(self) -> dict[str, list[float]]:
        return self.farm.arrivals()

    def clear(self) -> None:
        self.farm.take_arrivals()

    def truth(self, since: dt.date, until: dt.date, ids: list[str] | None = None) -> set[tuple[str, str]]:
        return {(court, r.case_number) for court in (ids or self.ids)
                for r in self._truth[court].truth(FIPS, since, until)}

    def stop(self) -> None:
        self.farm.stop()


def write_config(folder: Path, db_url: str, courts: Courts, *, only: int | None = None, extra_courts: str = "",
                 concurrency: int = 8, retry_wait_s: int = 1) -> Path:
    lines = "".join(f'  - {{id: {c}, source: va-gdc, fips: "{FIPS}", base_url: "{courts.farm.base_urls[c]}", '
                    f'rate_limit_per_s: {RATE:g}}}\n' for c in courts.ids[:only])
    path = folder / "config.yaml"
    path.write_text(
        "run_mode: distributed\n"
        f'database: {{url: "{db_url}"}}\n'
        f"distributed: {{concurrency: {concurrency}, heartbeat_s: 1, stall_timeout_s: 5, poll_s: 0.5, "
        f"scrape_attempts: 2, retry_wait_s: {retry_wait_s}}}\n"
        'http: {user_agent: "evictwatch-test (ops@example.org)", max_concurrency_per_host: 4, max_attempts: 2,\n'
        "       throttle_wait_s: 0.2, timeout_s: 5}\n"
        "scrape: {window: {look_back_days: 0, look_ahead_days: 1}, browser_check: false}\n"
        # Nothing of the schedule falls due while a test runs (periodic firing has its own test).
        'schedule: {scrape: "0 0 1 1 *", weekly: "0 0 1 1 *", alerts: "0 0 1 1 *", docket: "0 0 1 1 *", '
        "misfire_grace_s: 1, shutdown_grace_s: 5}\n"
        "notify: {outbox: outbox, operators: []}\n"
        "partners:\n"
        "  - {name: Legal Aid, emails: [intake@example.org], receives: [weekly_list, urgent_alerts],"
        ' send_day: monday, send_time: "07:00"}\n'
        "  - {name: Tenant Union, emails: [union@example.org], receives: [weekly_list], send_day: monday}\n"
        "courts:\n" + lines + extra_courts)
    return path


def cli_run(folder: Path, *args: str, timeout: float = 120) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "evictwatch.commands.app", *args], cwd=folder, capture_output=True,
                          text=True, timeout=timeout, env={**os.environ, "PYTHONUNBUFFERED": "1"})


def start_workers(folder: Path, count: int) -> list[subprocess.Popen]:
    """`evictwatch worker` processes, their output in files (a pipe nobody reads would fill up
    and stop them); conftest kills any still running after the test."""
    workers = []
    for i in range(count):
        log = open(folder / f"worker{i}.log", "w")  # noqa: SIM115 - closed with the process
        process = subprocess.Popen([sys.executable, "-m", "evictwatch.commands.app", "worker"], cwd=folder,
                                   stdout=log, stderr=subprocess.STDOUT, text=True,
                                   env={**os.environ, "PYTHONUNBUFFERED": "1"})
        log.close()
        ops_support._started.append(process)
        workers.append(process)
    return workers


def stop_workers(workers: list[subprocess.Popen]) -> None:
    for process in workers:
        if process.poll() is None:
            process.send_signal(signal.SIGTERM)
    for process in workers:
        try:
            process.wait(30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(10)


def wait_for(what: str, check: Callable[[], object], timeout: float, folder: Path | None = None):
    """Polls `check` until it answers something true; fails naming `what` (and the workers' logs)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        answer = check()
        if answer:
            return answer
        time.sleep(0.2)
    logs = "".join(p.read_text()[-3000:] for p in sorted(folder.glob("worker*.log"))) if folder else ""
    raise AssertionError(f"waited {timeout:g} s for {what}\n{logs}")


def query(db_url: str, sql: str, **params) -> list:
    engine = create_engine(db_url)
    try:
        with engine.connect() as conn:
            return list(conn.execute(text(sql), params))
    finally:
        engine.dispose()


def run_outcome(db_url: str, trigger: str = "enqueue") -> str | None:
    rows = query(db_url, "SELECT outcome FROM runs WHERE trigger = :t ORDER BY id DESC LIMIT 1", t=trigger)
    return rows[0][0] if rows and rows[0][0] != "running" else None


def busiest_windows(arrivals: dict[str, list[float]]) -> dict[str, int]:
    """Each court host's most request arrivals in any [t, t + 1 s), at the simulator."""
    return {court: busiest_window(times) for court, times in arrivals.items()}


def tightest(arrivals: dict[str, list[float]], per_window: int = int(RATE)) -> dict[str, float]:
    """Each host's shortest span holding per_window + 1 arrivals (under 1 s: the rate was exceeded)."""
    spans = {}
    for court, times in arrivals.items():
        times = sorted(times)
        spans[court] = round(min((times[i + per_window] - times[i] for i in range(len(times) - per_window)),
                                          default=9.0), 3)
    return spans
