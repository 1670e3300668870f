"""Each alarm raised and cleared: against the simulator's switches, and from the run log's numbers."""

from __future__ import annotations

import datetime as dt
from email import message_from_bytes, policy

import pytest
from sqlalchemy import text

from evictwatch.jobs.alarms import judge_court
from evictwatch.jobs.cycle import run_cycle
from pipeline.store.runlog import RunLog
from scraper.courts.va_gdc.sim.config import FaultSpec
from tests.ops_support import START, config_of, fast_governor, open_store, start_sim, write_config


@pytest.fixture
def site(tmp_path):
    sim, running = start_sim()
    try:
        # Four days ahead, not fourteen: the switches need a court that was fine, not its whole month.
        config = config_of(write_config(tmp_path, running.base_url, look_ahead_days=4))
        store = open_store(tmp_path)
        yield sim, config, store, tmp_path
    finally:
        running.stop()


def cycle(config, store, day=START):
    return run_cycle(config, store, today=day, governor=fast_governor(config), steps=("scrape", "alarms"))


def changes(result):
    return {(a.kind, a.state) for a in result.alarms}


def operator_subjects(folder):
    return sorted(message_from_bytes(p.read_bytes(), policy=policy.default)["Subject"]
                  for p in (folder / "outbox").rglob("operators_*.eml"))


@pytest.mark.parametrize("fault, kind, runs_to_raise", [
    ("5xx=1", "failing", 2),     # every page an error: the court fails; two in a row raise it
    ("gate=1", "gate", 1),       # the terms page asks for a verification code
    ("empty=1", "drift", 1),     # the court lists nothing at all
])
def test_switches_raise_then_clear(site, fault, kind, runs_to_raise):
    sim, config, store, folder = site
    assert cycle(config, store).exit_code == 0
    sim.set_faults(FaultSpec.parse(fault))
    results = [cycle(config, store) for _ in range(runs_to_raise)]
    assert all(r.exit_code == 1 for r in results)
    assert (kind, "raised") in changes(results[-1])
    assert all((kind, "raised") not in changes(r) for r in results[:-1])
    assert cycle(config, store).alarms == [] or (kind, "raised") not in changes(cycle(config, store))  # once
    sim.set_faults(FaultSpec())
    fixed = cycle(config, store)
    assert fixed.exit_code == 0 and (kind, "cleared") in changes(fixed)
    assert RunLog(store.engine).alarms(state="raised") == []
    subjects = operator_subjects(folder)
    assert subjects.count(f"[evictwatch] alarm raised: {kind} at alexandria") == 1
    assert subjects.count(f"[evictwatch] alarm cleared: {kind} at alexandria") == 1


def insert_scrape(store, as_of, *, outcome="ok", mode="incremental", new=10, detail=40, layout=0, unknown=0,
                  error_kind=None, finished=None):
    finished = finished or dt.datetime(as_of.year, as_of.month, as_of.day, 7, tzinfo=dt.timezone.utc)
    with store.engine.begin() as conn:
        conn.execute(text(
            "INSERT INTO scrape_runs (court_id, started_at, finished_at, since, until, outcome, result_pages, "
            "detail_pages, requests, retries, throttled, cases_seen, new_cases, updated_cases, unchanged_cases, "
            "bad_case_numbers, layout_errors, mode, as_of, unknown_values, error_kind) VALUES ('alexandria', :f, :f, "
            ":d, :d, :outcome, 5, :detail, 50, 0, 0, 40, :new, 3, 30, 0, :layout, :mode, :d, :unknown, :kind)"),
            {"f": finished, "d": as_of, "outcome": outcome, "detail": detail, "new": new, "layout": layout,
             "mode": mode, "unknown": unknown, "kind": error_kind})


def judged(config, store, day, now=None):
    now = now or dt.datetime(day.year, day.month, day.day, 8, tzinfo=dt.timezone.utc)
    return {j.kind: j for j in judge_court(config, RunLog(store.engine), "alexandria", today=day, now=now)}


def test_drift_follows_the_courts_own_history_per_weekday(site):
    _, config, store, _ = site
    day = dt.date(2026, 11, 2)  # Monday; four weeks of weekday runs finding ~10 new cases each
    for offset in range(28):
        d = day + dt.timedelta(days=offset)
        insert_scrape(store, d, new=10 if d.weekday() < 5 else 0)
    saturday = day + dt.timedelta(days=33)  # runs on Fri (nothing new), then Sat (nothing expected)
    insert_scrape(store, saturday - dt.timedelta(days=1), new=0)
    assert judged(config, store, saturday - dt.timedelta(days=1))["drift"].raised  # a weekday with none: unlikely
    insert_scrape(store, saturday, new=0)
    assert not judged(config, store, saturday)["drift"].raised  # Saturday expects nothing
    # A quiet court (~0.5 new cases a weekday): zero is unremarkable.
    _, quiet_config, quiet_store, _ = site
    with quiet_store.engine.begin() as conn:
        conn.execute(text("DELETE FROM scrape_runs"))
    for offset in range(28):
        insert_scrape(quiet_store, day + dt.timedelta(days=offset), new=1 if offset % 2 else 0)
    insert_scrape(quiet_store, day + dt.timedelta(days=28), new=0)
    assert not judged(quiet_config, quiet_store, day + dt.timedelta(days=28))["drift"].raised


def test_parse_errors_and_stale_from_the_run_log(site):
    _, config, store, _ = site
    day = dt.date(2026, 11, 10)
    insert_scrape(store, day, detail=100, unknown=4)
    assert not judged(config, store, day)["parse_errors"].raised  # 4%: under the 5% threshold
    insert_scrape(store, day, detail=100, unknown=4, layout=3)
    verdict = judged(config, store, day)
    assert verdict["parse_errors"].raised and verdict["layout"].raised
    assert not verdict["stale"].raised
    # Two days without a successful scrape (the runs failed): stale after 36 hours.
    insert_scrape(store, day + dt.timedelta(days=2), outcome="failed", error_kind="FetchError")
    later = judged(config, store, day + dt.timedelta(days=2))
    assert later["stale"].raised and "49 hours ago" in later["stale"].detail


def test_drift_expects_nothing_on_the_courts_holidays(site):
    _, config, store, _ = site
    start = dt.date(2026, 10, 26)  # four weeks of weekday runs finding ~10 new cases each
    for offset in range(31):
        d = start + dt.timedelta(days=offset)
        insert_scrape(store, d, new=10 if d.weekday() < 5 else 0)
    thanksgiving, friday = dt.date(2026, 11, 26), dt.date(2026, 11, 27)  # Virginia's court holidays
    insert_scrape(store, thanksgiving, new=0)
    assert not judged(config, store, thanksgiving)["drift"].raised  # a holiday with none: expected
    insert_scrape(store, friday, new=0)
    assert not judged(config, store, friday)["drift"].raised
    monday = dt.date(2026, 11, 30)
    insert_scrape(store, monday, new=0)
    assert judged(config, store, monday)["drift"].raised  # a court day with none: unlikely
