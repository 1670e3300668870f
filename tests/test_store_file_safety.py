"""The SQLite file is never touched behind SQLite's back, and its lock is the file's own.

A long-running process (the scheduler) writes while other commands open and close the same
database: no write-ahead log is deleted under it, no write is lost, no e-mail goes out twice.
The run lock is one per database file, whatever link or relative path names it.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path

from sqlalchemy import text

from pipeline.store.locks import RunLockHeld, run_lock
from pipeline.store.repo import Store
from pipeline.store import db
from tests.ops_support import ARLINGTON, START, _started, cli, start_sim, write_config

_SCHEDULER_LIKE = textwrap.dedent("""
    import datetime as dt, json, os, sys
    from evictwatch.jobs.scheduler import run_job

    config_path, url = sys.argv[1], sys.argv[2]
    for job, day in json.loads(sys.argv[3]):
        code = run_job(job, config_path, url, today=dt.date.fromisoformat(day))
        print(json.dumps({"job": job, "code": code}), flush=True)
        sys.stdin.readline()  # the other process opens and closes the store meanwhile
    links = []
    for fd in os.listdir("/proc/self/fd"):
        try:
            links.append(os.readlink(f"/proc/self/fd/{fd}"))
        except OSError:
            pass
    print(json.dumps({"open": [link for link in links if "evictwatch.db" in link]}), flush=True)
""")


def _outbox(folder: Path) -> set[str]:
    return {str(p.relative_to(folder)) for p in (folder / "outbox").rglob("*.eml")}


def test_another_command_beside_the_scheduler_loses_none_of_its_writes_and_sends_nothing_twice(tmp_path):
    sim, running = start_sim()
    try:
        config_path = write_config(tmp_path, running.base_url, court=ARLINGTON)
        url = f"sqlite:///{tmp_path / 'data' / 'evictwatch.db'}"
        tuesday = START + dt.timedelta(days=1)
        jobs = [("scrape", START.isoformat()), ("weekly", START.isoformat()), ("alerts", tuesday.isoformat())]
        script = tmp_path / "scheduler_like.py"
        script.write_text(_SCHEDULER_LIKE)
        scheduler = subprocess.Popen([sys.executable, str(script), str(config_path), url, json.dumps(jobs)],
                                     cwd=tmp_path, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                     stderr=subprocess.PIPE, text=True,
                                     env={**os.environ, "PYTHONPATH": str(Path(__file__).parents[1])})
        _started.append(scheduler)  # stopped by the conftest's teardown if this test fails first
        for job, _ in jobs:
            done = json.loads(scheduler.stdout.readline())
            assert done == {"job": job, "code": 0}, scheduler.stderr.read() if scheduler.poll() else done
            # Between two jobs: another process opens the database and closes it again.
            status = cli(tmp_path, "status")
            status.communicate(timeout=120)
            assert status.returncode in (0, 1)
            scheduler.stdin.write("\n")
            scheduler.stdin.flush()
        still_open = json.loads(scheduler.stdout.readline())["open"]
        scheduler.communicate(timeout=60)
    finally:
        running.stop()
    assert not [link for link in still_open if "(deleted)" in link], still_open
    engine = db.make_engine(url)
    with engine.connect() as conn:
        runs = conn.execute(text("SELECT trigger FROM runs ORDER BY id")).scalars().all()
        sent = conn.execute(text("SELECT count(*) FROM deliveries WHERE state = 'sent'")).scalar_one()
    assert runs == ["scheduler:scrape", "scheduler:weekly", "scheduler:alerts"]  # every job's run kept
    assert sent >= 3  # lists, the report, alert digests
    before = _outbox(tmp_path)
    again = cli(tmp_path, "notify", "--partner", "Legal Aid", "--today", tuesday.isoformat())
    out, err = again.communicate(timeout=120)
    assert again.returncode == 0, err
    assert _outbox(tmp_path) == before  # what the scheduler sent is known to have been sent


def test_making_the_engine_again_leaves_the_process_its_locks(tmp_path):
    """The mechanism alone: a process writes, makes its engine again (as each scheduled job did),
    another process opens and closes the database, the first writes again."""
    path = tmp_path / "ew.db"
    engine = db.make_engine(f"sqlite:///{path}")
    with engine.begin() as conn:
        conn.execute(text("CREATE TABLE t (x INTEGER)"))
        conn.execute(text("INSERT INTO t VALUES (1)"))
    assert db.make_engine(f"sqlite:///{path}") is engine  # one engine per database while it is held
    other = subprocess.run([sys.executable, "-c", "import sqlite3, sys; c = sqlite3.connect(sys.argv[1]); "
                            "c.execute('SELECT count(*) FROM t').fetchall(); c.close()", str(path)], timeout=60)
    assert other.returncode == 0
    with engine.begin() as conn:
        conn.execute(text("INSERT INTO t VALUES (2)"))
    assert os.path.exists(f"{path}-wal")  # still this process's, not deleted by the other's close
    check = subprocess.run([sys.executable, "-c", "import sqlite3, sys; c = sqlite3.connect(sys.argv[1]); "
                            "print(c.execute('SELECT count(*) FROM t').fetchone()[0])", str(path)],
                           capture_output=True, text=True, timeout=60)
    assert check.stdout.strip() == "2"
    assert oct(path.stat().st_mode & 0o777) == "0o600"


def test_one_run_lock_per_database_file_whatever_path_names_it(tmp_path):
    (tmp_path / "data").mkdir()
    (tmp_path / "alias").mkdir()
    real = tmp_path / "data" / "ew.db"
    (tmp_path / "alias" / "ew.db").symlink_to(real)
    direct = Store.open(f"sqlite:///{real}")
    direct.upgrade()
    through_link = Store.open(f"sqlite:///{tmp_path / 'alias' / 'ew.db'}")
    with run_lock(direct):
        try:
            with run_lock(through_link):
                raise AssertionError("the lock was taken twice through a link to the same file")
        except RunLockHeld as exc:
            assert str(real) + ".lock" in str(exc)
    assert not (tmp_path / "alias" / "ew.db.lock").exists()


def test_a_second_run_through_a_link_to_the_database_exits_3(tmp_path):
    write_config(tmp_path, "http://127.0.0.1:9/gdcourts/", court=ARLINGTON)  # never reached: the lock comes first
    (tmp_path / "alias").mkdir()
    real = tmp_path / "data" / "evictwatch.db"
    real.parent.mkdir()
    db.upgrade(db.make_engine(f"sqlite:///{real}"))
    (tmp_path / "alias" / "ew.db").symlink_to(real)
    with run_lock(Store.open(f"sqlite:///{real}")):  # the first run
        second = cli(tmp_path, "--db", f"sqlite:///{tmp_path / 'alias' / 'ew.db'}", "run")
        out, err = second.communicate(timeout=120)
    assert second.returncode == 3, err
    assert "another evictwatch run holds" in err and "Traceback" not in err
