"""Shared by the unattended-operation tests: a simulator, a config file pointing at it, a store."""

from __future__ import annotations

import datetime as dt
import os
import subprocess
import sys
from pathlib import Path

from evictwatch.config import load_config
from pipeline.store import db
from pipeline.store.repo import Store
from scraper.base import get_source

START = dt.date(2026, 11, 2)  # a Monday


def start_sim(today: dt.date = START, seed: int = 5, latency_ms: int = 0):
    sim = get_source("va-gdc").simulator(seed=seed, today=today, latency_ms=latency_ms)
    return sim, sim.start(host="127.0.0.1", port=0)


def write_config(folder: Path, base_url: str, *, operators: bool = True, extra: str = "") -> Path:
    path = folder / "config.yaml"
    path.write_text(
        'http: {user_agent: "evictwatch-test (ops@example.org)", max_concurrency_per_host: 4, max_attempts: 2,\n'
        '       throttle_wait_s: 0.2}\n'
        'scrape: {window: {look_back_days: 3, look_ahead_days: 14}, browser_check: false}\n'
        # Small windows keep a simulated month quick; the rules are the same as production's.
        'pipeline: {recheck: {recent_days: 2, upcoming_days: 2, judgment_days: 7, writ_days: 7, '
        'satisfaction_days: 30}}\n'
        f'notify: {{outbox: outbox, operators: {"[ops@example.org]" if operators else "[]"}}}\n'
        'partners:\n'
        '  - {name: Legal Aid, emails: [intake@example.org], receives: [weekly_list, urgent_alerts, weekly_report],'
        ' send_day: monday, send_time: "07:00"}\n'
        '  - {name: Tenant Union, emails: [union@example.org], receives: [weekly_list], send_day: wednesday,'
        ' filters: {zips: ["22304"]}}\n'
        f'courts:\n  - {{id: alexandria, source: va-gdc, fips: "510", base_url: "{base_url}", rate_limit_per_s: 50}}\n'
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
    return subprocess.Popen([sys.executable, "-m", "evictwatch.commands.app", *args], cwd=folder, env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, **popen)


def fast_governor(config):
    """Our own local simulator takes more than the config's court-polite rate."""
    from tests.test_integration_sim import fast_governor as fast

    return fast(config)
