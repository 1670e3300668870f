"""The distributed mode against the local PostgreSQL: three `evictwatch worker` processes share
twenty simulated courts, each on a loopback address of its own (127.0.0.N), and one politeness
budget per court host between them."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
from collections import Counter

import pytest

from evictwatch.config import load_config, scrape_window
from migrations import HEAD_REVISION
from pipeline.store import db
from scraper.courts.va_gdc.sim.farm import simulator
from tests.dist_support import (FIPS, RATE, TODAY, Courts, busiest_windows, cli_run, query, run_outcome,
                                start_workers, stop_workers, tightest, wait_for, write_config)
from tests.sim_dockets import court_years_made_once

pytestmark = pytest.mark.postgres
COURTS = 20


@pytest.fixture(scope="module")
def courts():
    with court_years_made_once():
        # Each court's two years made once, here, before the farm forks: its processes inherit
        # them (instead of making them again), and so does the ground truth in this process.
        for index in range(COURTS):
            docket = simulator(index, TODAY).docket
            for year in (TODAY.year - 1, TODAY.year):
                docket.court_year(FIPS, year)
        started = Courts(COURTS)
        try:
            yield started
        finally:
            started.stop()


@pytest.fixture
def deployment(tmp_path, pg_url, courts):
    """A folder with a distributed config on a private schema, upgraded; arrivals cleared."""
    courts.clear()
    config = write_config(tmp_path, pg_url, courts)
    upgraded = cli_run(tmp_path, "db", "upgrade")
    assert upgraded.returncode == 0, upgraded.stderr
    assert "task queue (procrastinate): tables made" in upgraded.stdout
    workers: list = []
    yield tmp_path, pg_url, config, workers
    stop_workers(workers)


def _enqueue(folder) -> None:
    queued = cli_run(folder, "enqueue", "run", "--today", TODAY.isoformat())
    assert queued.returncode == 0, queued.stderr
    assert "cycle queued as job" in queued.stdout


def _stored_once_and_complete(pg_url, courts, config_path) -> None:
    window = scrape_window(load_config(config_path), TODAY)
    stored = query(pg_url, "SELECT court_id, case_number FROM cases")
    assert len(stored) == len(set(stored)), "a case stored twice"
    assert {tuple(r) for r in stored} == courts.truth(window.since, window.until)


def _each_partner_once(folder, pg_url) -> None:
    deliveries = query(pg_url, "SELECT partner, kind, period, state FROM deliveries")
    assert {(p, k) for p, k, _, s in deliveries if s == "sent"} == {
        ("Legal Aid", "weekly_list"), ("Legal Aid", "urgent_alerts"), ("Tenant Union", "weekly_list")}
    # The outbox holds what was handed over: one message per delivery, none twice.
    messages = sorted((folder / "outbox").rglob("*.eml"))
    assert len(messages) == sum(s == "sent" for *_, s in deliveries)
    recipients = Counter(line for m in messages for line in m.read_text().splitlines() if line.startswith("To: "))
    assert recipients == {"To: intake@example.org": 2, "To: union@example.org": 1}


def test_three_workers_share_twenty_courts_within_each_hosts_rate_and_outlive_a_kill(deployment, courts):
    folder, pg_url, config_path, workers = deployment
    workers += start_workers(folder, 3)
    _enqueue(folder)

    def scraping_worker():
        rows = query(pg_url, "SELECT pid, running FROM queue_workers WHERE running LIKE '%scrape %'")
        busy = any(courts.arrivals().values())
        return rows[0][0] if rows and busy else None

    victim = wait_for("a worker scraping", scraping_worker, 60, folder)
    os.kill(victim, signal.SIGKILL)  # mid-scrape
    assert wait_for("the cycle to end", lambda: run_outcome(pg_url), 150, folder) == "ok"

    _stored_once_and_complete(pg_url, courts, config_path)
    _each_partner_once(folder, pg_url)
    arrivals = courts.arrivals()
    windows = busiest_windows(arrivals)
    assert max(windows.values()) <= RATE, tightest(arrivals)  # measured at each simulator, all workers together
    assert all(arrivals.values())
    # The courts were spread over the workers; the killed worker's were taken again by another
    # after the stall timeout, and its attempt closed in the run log.
    ran_on = query(pg_url, "SELECT DISTINCT worker_id FROM procrastinate_jobs WHERE task_name = 'scrape_court'")
    assert len(ran_on) >= 2
    again = query(pg_url, "SELECT count(*) FROM procrastinate_jobs WHERE task_name = 'scrape_court' "
                          "AND attempts > 1 AND status = 'succeeded'")[0][0]
    assert again >= 1
    assert query(pg_url, "SELECT count(*) FROM scrape_runs WHERE outcome = 'abandoned'")[0][0] >= 1

    status = cli_run(folder, "status", "--json", "--today", TODAY.isoformat())
    report = json.loads(status.stdout)
    assert report["run_mode"] == "distributed"
    assert report["queue"]["counts"]["failed"] == report["queue"]["counts"]["stalled"] == 0
    assert report["queue"]["counts"]["succeeded"] >= 23  # the cycle, 20 courts, its waits and its end
    assert sorted(w["pid"] for w in report["queue"]["workers"]) == sorted(w.pid for w in workers)
    assert {w["pid"]: w["alive"] for w in report["queue"]["workers"]} == {w.pid: w.pid != victim for w in workers}
    assert status.returncode == 0, status.stdout
    table = cli_run(folder, "status", "--today", TODAY.isoformat()).stdout
    assert "Task queue (distributed mode)" in table and "Workers: 2 alive" in table and "silent" in table


def test_a_failing_court_backs_off_without_holding_the_others(tmp_path, pg_url, courts):
    # A court whose portal does not answer (nothing listens there), beside two that do.
    dead = '  - {id: dead, source: va-gdc, fips: "013", base_url: "http://127.0.0.99:9/gdcourts/", rate_limit_per_s: 5}\n'
    write_config(tmp_path, pg_url, courts, only=2, extra_courts=dead, retry_wait_s=3)
    assert cli_run(tmp_path, "db", "upgrade").returncode == 0
    workers = start_workers(tmp_path, 1)
    try:
        _enqueue(tmp_path)
        assert wait_for("the cycle to end", lambda: run_outcome(pg_url), 120, tmp_path) == "failed"
    finally:
        stop_workers(workers)
    jobs = {args["court_id"]: (status, attempts) for status, attempts, args in query(
        pg_url, "SELECT status, attempts, args FROM procrastinate_jobs WHERE task_name = 'scrape_court'")}
    assert jobs.pop("dead") == ("failed", 2)  # two attempts (scrape_attempts), a wait between
    assert set(jobs.values()) == {("succeeded", 1)}  # attempts counts the one that ran
    scrapes = query(pg_url, "SELECT court_id, outcome, started_at, finished_at FROM scrape_runs ORDER BY id")
    dead_attempts = [s for s in scrapes if s.court_id == "dead"]
    assert [s.outcome for s in dead_attempts] == ["failed", "failed"]
    # It waited before trying again; the others ran meanwhile, not behind it.
    assert (dead_attempts[1].started_at - dead_attempts[0].finished_at).total_seconds() >= 3
    assert max(s.started_at for s in scrapes if s.court_id != "dead") < dead_attempts[0].finished_at
    [run] = query(pg_url, "SELECT courts_ok, courts_failed, error_text FROM runs WHERE trigger = 'enqueue'")
    assert (run.courts_ok, run.courts_failed) == (2, 1) and "dead" in run.error_text


def test_worker_and_enqueue_belong_to_the_distributed_mode(tmp_path, pg_url, courts):
    from typer.testing import CliRunner

    from evictwatch.commands.app import app

    config = write_config(tmp_path, pg_url, courts, only=1)
    embedded = tmp_path / "embedded.yaml"
    embedded.write_text(config.read_text().replace("run_mode: distributed", "run_mode: embedded"))
    runner = CliRunner()

    def invoke(*args):
        return runner.invoke(app, ["--config", str(config), *args])

    refused = runner.invoke(app, ["--config", str(embedded), "worker"])
    assert refused.exit_code == 2 and "run_mode is embedded" in refused.output
    on_sqlite = invoke("--db", f"sqlite:///{tmp_path / 'x.db'}", "enqueue", "run")
    assert on_sqlite.exit_code == 2 and "needs PostgreSQL" in on_sqlite.output
    for command in ("run", "scheduler"):
        result = invoke(command)
        assert result.exit_code == 2 and "evictwatch enqueue run" in result.output, result.output
    upgraded = invoke("db", "upgrade")
    assert upgraded.exit_code == 0 and "tables made" in upgraded.output
    again = invoke("db", "upgrade")
    assert again.exit_code == 0 and "tables present" in again.output


def test_enqueue_brings_a_new_schema_up_and_at_its_head_only_defers(tmp_path, pg_url, courts):
    write_config(tmp_path, pg_url, courts, only=1)
    first = cli_run(tmp_path, "enqueue", "run", "--today", TODAY.isoformat())  # never upgraded
    assert first.returncode == 0 and "cycle queued as job" in first.stdout, first.stderr
    assert query(pg_url, "SELECT version_num FROM alembic_version") == [(HEAD_REVISION,)]
    # At the schema's head, `enqueue` loads none of the store's modules: a cycle starts sooner.
    probe = ("import runpy, sys\n"
             f"sys.argv = ['evictwatch', 'enqueue', 'run', '--today', '{TODAY.isoformat()}']\n"
             "try:\n    runpy.run_module('evictwatch.commands.app', run_name='__main__')\n"
             "except SystemExit as stop:\n    assert not stop.code, stop.code\n"
             "print('loaded:', sorted(m for m in sys.modules if m in ('pipeline.store.models', "
             "'pipeline.store.repo')))\n")
    second = subprocess.run([sys.executable, "-c", probe], cwd=tmp_path, capture_output=True, text=True, timeout=120)
    assert second.returncode == 0, second.stderr
    assert "cycle queued as job" in second.stdout and "loaded: []" in second.stdout, second.stdout
    assert query(pg_url, "SELECT task_name, status FROM procrastinate_jobs ORDER BY id") == [
        ("cycle", "todo"), ("cycle", "todo")]


def test_enqueue_on_a_store_at_its_head_without_the_queues_tables_makes_them(tmp_path, pg_url, courts):
    write_config(tmp_path, pg_url, courts, only=1)
    engine = db.make_engine(pg_url)
    db.upgrade(engine)  # an embedded deployment's PostgreSQL, switched to the distributed mode
    engine.dispose()
    queued = cli_run(tmp_path, "enqueue", "run", "--today", TODAY.isoformat())
    assert queued.returncode == 0 and "cycle queued as job" in queued.stdout, queued.stderr
    assert query(pg_url, "SELECT task_name FROM procrastinate_jobs") == [("cycle",)]
