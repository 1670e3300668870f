"""`evictwatch run` against the simulator: a month stepped a day at a time, the lock, kill -9, logs."""

from __future__ import annotations

import datetime as dt
import json
import logging
import signal
import uuid
from collections import Counter

import pytest

from evictwatch.jobs.cycle import run_cycle
from pipeline.store.locks import RunLockHeld, run_lock
from evictwatch.commands.status import status_report
from pipeline.store.repo import Store
from pipeline.store.runlog import RunLog
from tests.ops_support import (
    ALEXANDRIA,
    ARLINGTON,
    START,
    cli,
    config_of,
    fast_governor,
    open_store,
    start_sim,
    write_config,
)
from tests.sim_dockets import court_years_made_once


@pytest.fixture(autouse=True, scope="module")
def _court_years_made_once():
    """Most tests here start a simulator of the same seed: its court-years are made once."""
    with court_years_made_once():
        yield


def _site(tmp_path, court):
    sim, running = start_sim()
    try:
        yield sim, running, write_config(tmp_path, running.base_url, court=court)
    finally:
        running.stop()


@pytest.fixture
def site(tmp_path):
    yield from _site(tmp_path, court=ALEXANDRIA)


@pytest.fixture
def quiet_site(tmp_path):
    """The simulator with Arlington's court in the config: ~30 filings a week instead of ~65,
    for the tests that run many cycles or whole runs (every page scraped is parsed)."""
    yield from _site(tmp_path, court=ARLINGTON)


def emls(folder):
    return sorted(p.name for p in (folder / "outbox").rglob("*.eml"))


def key_of(name: str) -> str:
    return name.rsplit("-", 1)[0]


def test_a_simulated_month_sends_everything_once_and_stays_healthy(quiet_site, tmp_path, caplog):
    for ours in ("evictwatch", "scraper", "pipeline", "notify", "reports", "httpx"):  # not httpcore's chatter
        caplog.set_level(logging.DEBUG, logger=ours)
    sim, _, config_path = quiet_site
    config, store = config_of(config_path), open_store(tmp_path)
    for offset in range(28):
        day = START + dt.timedelta(days=offset)
        sim.set_today(day)
        result = run_cycle(config, store, today=day, governor=fast_governor(config))
        assert result.exit_code == 0, (day, [o.error for o in result.outcomes])
        if offset == 0:
            again = run_cycle(config, store, today=day, governor=fast_governor(config))  # twice in a row: re-checks only, nothing sent twice
            assert [o.new for o in again.outcomes] == [0]
            assert all(r.outcome.state in ("already_sent", "nothing_new") for r in again.sent)
    names = emls(tmp_path)
    per_key = Counter(key_of(n) for n in names)
    assert max(per_key.values()) == 1  # every delivery key once
    lists = sorted(k for k in per_key if "weekly_list" in k)
    assert lists == sorted([f"Legal_Aid_weekly_list_2026-W{w}" for w in range(45, 49)]
                           + [f"Tenant_Union_weekly_list_2026-W{w}" for w in range(45, 49)])
    assert sum("weekly_report" in k for k in per_key) == 4 and sum("urgent_alerts" in k for k in per_key) >= 10
    runs = RunLog(store.engine).runs(limit=100)
    assert len(runs) == 29 and {r.outcome for r in runs} == {"ok"}
    report = status_report(config, store, today=START + dt.timedelta(days=27))
    assert report["healthy"] and report["alarms"] == [] and report["courts"][0]["days_since_ok"] == 0, json.dumps(report)
    # Logs carry case numbers and counts, never the tenants' names or addresses.
    logged = "\n".join(r.getMessage() + json.dumps({k: str(v) for k, v in vars(r).items()}) for r in caplog.records)
    assert "GV" in logged
    truth = sim.docket.truth(ARLINGTON.fips, START - dt.timedelta(days=3), START + dt.timedelta(days=42))
    # Each name and address looked for once (many tenants share a city's address line).
    told = {party.name for case in truth for party in case.defendants} | {
        party.address or "@@" for case in truth for party in case.defendants}
    assert not [text for text in told if text in logged]


def test_a_layout_change_raises_the_alarm_in_the_next_run_and_it_clears(quiet_site, tmp_path):
    from scraper.courts.va_gdc.sim.config import FaultSpec

    sim, _, config_path = quiet_site
    config, store = config_of(config_path), open_store(tmp_path)
    assert run_cycle(config, store, today=START).exit_code == 0
    sim.set_faults(FaultSpec.parse("layout=hearing-title"))
    broken = run_cycle(config, store, today=START)
    assert {(a.kind, a.state) for a in broken.alarms} >= {("layout", "raised")}
    told = [n for n in emls(tmp_path) if n.startswith("operators_operator_alarm")]
    assert len(told) >= 1
    sim.set_faults(FaultSpec())
    fixed = run_cycle(config, store, today=START)
    assert ("layout", "cleared") in {(a.kind, a.state) for a in fixed.alarms}
    assert RunLog(store.engine).alarms(state="raised") == []


def test_a_second_run_waits_for_nobody_it_exits_3(site, tmp_path):
    _, _, config_path = site
    store = open_store(tmp_path)
    with run_lock(store):
        with pytest.raises(RunLockHeld):
            run_cycle(config_of(config_path), store, today=START)
        process = cli(tmp_path, "run", "--today", START.isoformat())
        out, err = process.communicate(timeout=120)
        assert process.returncode == 3 and "another evictwatch run holds" in err
    assert RunLog(store.engine).runs() == []  # a refused run records nothing


def test_two_runs_started_together_one_runs_one_exits_3(tmp_path):
    sim, running = start_sim(latency_ms=15)  # slow enough that the first still holds the lock
    try:
        write_config(tmp_path, running.base_url, court=ARLINGTON)  # the quieter court: a whole run
        first, second = (cli(tmp_path, "run", "--today", START.isoformat()) for _ in range(2))
        codes = sorted(p.wait(timeout=300) for p in (first, second))
    finally:
        running.stop()
    assert codes == [0, 3]
    assert [r.outcome for r in RunLog(open_store(tmp_path).engine).runs()] == ["ok"]


@pytest.mark.parametrize("kill_after", ["run started", "court scraped", "delivery"])
def test_kill_9_at_any_point_loses_nothing_and_duplicates_nothing(tmp_path, kill_after):
    sim, running = start_sim()
    try:
        write_config(tmp_path, running.base_url, court=ARLINGTON)  # the quieter court: two whole runs
        victim = cli(tmp_path, "run", "--today", START.isoformat())
        for line in victim.stderr:  # JSON log lines: kill right after the chosen event
            if json.loads(line).get("event") == kill_after:
                victim.send_signal(signal.SIGKILL)
                break
        victim.wait(timeout=120)
        assert victim.returncode == -signal.SIGKILL
        after = cli(tmp_path, "run", "--today", START.isoformat())
        out, err = after.communicate(timeout=300)
        assert after.returncode == 0, err
    finally:
        running.stop()
    store = open_store(tmp_path)
    runs = RunLog(store.engine).runs()
    assert [r.outcome for r in runs] == ["ok", "abandoned"]
    truth = {c.case_number for c in sim.docket.truth(ARLINGTON.fips, START - dt.timedelta(days=3),
                                                     START + dt.timedelta(days=14))}
    with store.engine.connect() as conn:
        from sqlalchemy import text

        stored = [n for (n,) in conn.execute(text("SELECT case_number FROM cases"))]
    assert sorted(stored) == sorted(truth)  # nothing lost, nothing twice
    per_key = Counter(key_of(n) for n in emls(tmp_path) if not n.startswith("operators_"))
    assert per_key and max(per_key.values()) == 1
    held = {d.key for d in __import__("pipeline.store.ledger", fromlist=["Ledger"]).Ledger(store.engine).unsettled()}
    assert all(k.startswith("Legal Aid|") or k.startswith("Tenant Union|") for k in held)


def test_two_deployments_in_two_schemas_of_one_database_do_not_exclude_each_other(request):
    from pipeline.store import db

    from sqlalchemy import create_engine, text as sql

    from tests.conftest import PG_URL

    one = request.getfixturevalue("pg_url")
    schema = f"ew_{uuid.uuid4().hex[:12]}"
    admin = create_engine(PG_URL)
    with admin.begin() as conn:
        conn.execute(sql(f'CREATE SCHEMA "{schema}"'))
    other = f"{PG_URL}?options=-csearch_path%3D{schema}"
    engines = [db.make_engine(one), db.make_engine(other), db.make_engine(one)]
    try:
        with run_lock(Store(engines[0])) as first, run_lock(Store(engines[1])) as second:
            assert first != second
            with pytest.raises(RunLockHeld, match=r"schema ew_.*server process \d+"):
                with run_lock(Store(engines[2])):  # the first deployment's own lock still excludes
                    pass
    finally:
        for engine in engines:
            engine.dispose()
        with admin.begin() as conn:
            conn.execute(sql(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()


@pytest.mark.parametrize("backend", ["sqlite", "postgresql"])
def test_the_lock_admits_one_holder_and_frees_itself(backend, sqlite_url, request):
    url = sqlite_url if backend == "sqlite" else request.getfixturevalue("pg_url")
    first, second = Store.open(url), Store.open(url)
    first.upgrade()
    with run_lock(first):
        with pytest.raises(RunLockHeld, match="another evictwatch run holds"):
            with run_lock(second):
                pass
    with run_lock(second):  # released on exit, whatever the holder
        pass
    first.close()
    second.close()
