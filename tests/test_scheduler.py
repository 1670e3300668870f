"""The scheduler: jobs built from the config, their fire times and options, each job run directly,
and the service starting, registering its jobs and stopping cleanly on SIGTERM."""

from __future__ import annotations

import datetime as dt
import signal
from zoneinfo import ZoneInfo

import pytest

from evictwatch.jobs.scheduler import build_scheduler, run_job
from evictwatch.steps import JOBS as JOB_STEPS
from pipeline.store.runlog import RunLog
from tests.ops_support import (ARLINGTON, START, cli, config_of, open_store, signal_its_other_thread, start_sim,
                               write_config)

NY = ZoneInfo("America/New_York")
PORTAL = "https://portal.example.invalid/gdcourts/"  # never reached: these configs only build jobs
SCHEDULE = ('schedule: {timezone: America/New_York, scrape: "30 5 * * *", weekly: "0 7 * * mon", '
            'alerts: "15 8-18/2 * * mon-fri", misfire_grace_s: 900}\n')


def test_jobs_come_from_the_config_with_their_times_and_options(tmp_path):
    config_path = write_config(tmp_path, PORTAL, extra=SCHEDULE)
    url = f"sqlite:///{tmp_path / 'jobs.db'}"
    scheduler = build_scheduler(config_of(config_path), config_path, url)  # started, paused
    jobs = {job.id: job for job in scheduler.get_jobs()}
    assert set(jobs) == set(JOB_STEPS) == {"scrape", "weekly", "alerts", "docket"}
    friday_evening = dt.datetime(2026, 11, 27, 19, 0, tzinfo=NY)
    fire = {job_id: job.trigger.get_next_fire_time(None, friday_evening) for job_id, job in jobs.items()}
    assert fire == {"scrape": dt.datetime(2026, 11, 28, 5, 30, tzinfo=NY),
                    "weekly": dt.datetime(2026, 11, 30, 7, 0, tzinfo=NY),
                    "alerts": dt.datetime(2026, 11, 30, 8, 15, tzinfo=NY),
                    "docket": dt.datetime(2026, 11, 27, 19, 0, tzinfo=NY)}  # the default: hourly
    for job in jobs.values():
        assert (job.coalesce, job.max_instances, job.misfire_grace_time) == (True, 1, 900)
        assert job.func_ref == "evictwatch.jobs.scheduler:run_job" and job.kwargs["job"] == job.id
    # Daylight saving: a 5:30 job stays at 5:30 local across the change in March.
    march = jobs["scrape"].trigger.get_next_fire_time(None, dt.datetime(2027, 3, 14, 1, 0, tzinfo=NY))
    assert (march.hour, march.minute, march.utcoffset()) == (5, 30, dt.timedelta(hours=-4))


def test_bad_cron_lines_name_the_key(tmp_path):
    from evictwatch.config import ConfigError

    config_path = write_config(tmp_path, PORTAL,
                               extra='schedule: {alerts: "every hour"}\n')
    with pytest.raises(ConfigError, match="schedule.alerts"):
        config_of(config_path)


def test_each_job_function_runs_the_same_code_as_the_cli(tmp_path):
    sim, running = start_sim()
    try:
        config_path = write_config(tmp_path, running.base_url, court=ARLINGTON)  # the quieter court
        url = f"sqlite:///{tmp_path / 'data' / 'evictwatch.db'}"
        monday = START  # the weekly job's day
        assert run_job("scrape", str(config_path), url, today=monday) == 0
        assert run_job("weekly", str(config_path), url, today=monday) == 0
        assert run_job("alerts", str(config_path), url, today=monday) == 0
    finally:
        running.stop()
    store = open_store(tmp_path)
    runs = RunLog(store.engine).runs()
    assert [r.trigger for r in reversed(runs)] == ["scheduler:scrape", "scheduler:weekly", "scheduler:alerts"]
    assert {r.outcome for r in runs} == {"ok"}
    with store.engine.connect() as conn:
        from sqlalchemy import text

        counts = dict(conn.execute(text("SELECT trigger, count(*) FROM runs GROUP BY trigger")).all())
        scrapes = conn.execute(text("SELECT count(*) FROM scrape_runs")).scalar()
    assert scrapes == 1 and counts == {"scheduler:scrape": 1, "scheduler:weekly": 1, "scheduler:alerts": 1}
    assert run_job("scrape", str(tmp_path / "missing.yaml"), url) == 2  # a config error is reported, not raised


@pytest.mark.parametrize("to", ["the process", "another thread"])
def test_the_service_starts_registers_its_jobs_and_stops_on_sigterm(tmp_path, to):
    write_config(tmp_path, PORTAL, extra=SCHEDULE)
    service = cli(tmp_path, "scheduler")
    try:
        lines = []
        for line in service.stdout:
            lines.append(line)
            if line.startswith("scheduler started"):
                break
        # The service lists its jobs by next fire time, which depends on the hour it starts at:
        # compared by job id, each of the four is listed once, before "scheduler started".
        listed = [line.split(":")[0] for line in lines[:4]]
        assert sorted(listed) == ["job alerts", "job docket", "job scrape", "job weekly"], lines
        if to == "the process":
            service.send_signal(signal.SIGTERM)
        else:  # one of the scheduler's threads: the main thread, waiting, must still see it
            signal_its_other_thread(service, signal.SIGTERM)
        out, err = service.communicate(timeout=60)
    finally:
        if service.poll() is None:  # an assertion failed first: never leave the service running
            service.kill()
            service.communicate(timeout=30)
    assert service.returncode == 0, err
    assert '"event": "scheduler stopped"' in err
    store = open_store(tmp_path)
    with store.engine.connect() as conn:
        from sqlalchemy import text

        stored = sorted(conn.execute(text("SELECT id FROM apscheduler_jobs")).scalars())
    assert stored == ["alerts", "docket", "scrape", "weekly"]  # the persistent job store kept them


def test_a_restart_keeps_a_missed_firing_and_a_changed_line_replaces_it(tmp_path):
    config_path = write_config(tmp_path, PORTAL, extra=SCHEDULE)
    url = f"sqlite:///{tmp_path / 'jobs.db'}"
    missed = dt.datetime(2026, 11, 27, 5, 30, tzinfo=NY)  # the service was down at 5:30
    first = build_scheduler(config_of(config_path), config_path, url)
    first.get_job("scrape").modify(next_run_time=missed)  # stays paused, as the service leaves it
    again = build_scheduler(config_of(config_path), config_path, url)
    assert again.get_job("scrape").next_run_time == missed  # resumed, it runs once within the grace
    changed = write_config(tmp_path, PORTAL,
                           extra=SCHEDULE.replace('scrape: "30 5 * * *"', 'scrape: "0 4 * * *"'))
    third = build_scheduler(config_of(changed), changed, url)
    assert third.get_job("scrape").next_run_time.hour == 4
