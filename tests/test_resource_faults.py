"""Resource faults say what happened and leave a clean state: a read-only database answers the
commands that only read, a database another program keeps locked is named with its holder, a
full disk ends the run with the reason and sends every due message once, when there is room.

The read-only and full-disk tests mount a file system of their own (a read-only bind mount, a
small tmpfs) in a private mount namespace (`unshare -m`), which needs root.
"""

from __future__ import annotations

import sqlite3
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from sqlalchemy import event

from evictwatch.jobs.cycle import run_cycle
from evictwatch.jobs.erasure import remove_files_naming
from notify.deliver import Channel, Content, Planned, deliver_all
from notify.message import build_message
from notify.transport import DeliveryUnreachable, OutboxTransport
from pipeline.store import db
from pipeline.store.faults import Fault, classify
from pipeline.store.ledger import DeliveryKey, Ledger
from pipeline.store.repo import Store
from pipeline.store.runlog import RunLog
from tests.ops_support import ARLINGTON, START, _started, cli, config_of, start_sim, write_config

PYTHON = sys.executable
UNREACHED = "http://127.0.0.1:9/gdcourts/"  # the commands here never reach a court


def _namespaces_available() -> bool:
    try:
        return subprocess.run(["unshare", "-m", "true"], capture_output=True, timeout=30).returncode == 0
    except (OSError, subprocess.TimeoutExpired):
        return False


needs_mounts = pytest.mark.skipif(not _namespaces_available(), reason="needs root for a private mount namespace")


def _database(folder: Path) -> Path:
    path = folder / "data" / "evictwatch.db"
    engine = db.make_engine(f"sqlite:///{path}")
    db.upgrade(engine)
    engine.dispose()  # closed: nothing of this process keeps the file open
    return path


def _in_namespace(folder: Path, script: str) -> subprocess.CompletedProcess:
    """A shell script in a private mount namespace, in `folder`, with `ew` the CLI."""
    preamble = f'ew() {{ "{PYTHON}" -m evictwatch.commands.app "$@"; }}\nset -u\n'
    return subprocess.run(["unshare", "-m", "bash", "-c", preamble + textwrap.dedent(script)], cwd=folder,
                          capture_output=True, text=True, timeout=240)


@needs_mounts
def test_a_read_only_database_answers_reading_commands_and_writing_ones_say_why(tmp_path):
    write_config(tmp_path, UNREACHED, court=ARLINGTON)
    data = _database(tmp_path).parent
    done = _in_namespace(tmp_path, f"""
        mount --bind {data} {data} && mount -o remount,bind,ro {data} || exit 99
        for command in status "case GV26000001-00" landlords "export cases" "report --week 2026-W45 --out elsewhere" \
                "archive page GV26000001-00" "optout list" "notify --dry-run" scrape purge run "optout add --case X"; do
            ew $command > out.txt 2> err.txt
            echo "$command|$?|$(grep -c Traceback err.txt)|$(grep -c 'cannot be written here' err.txt)"
        done
        ew report --week 2026-W45 > out.txt 2> err.txt  # into the archive beside the database
        echo "report into the archive|$?|$(grep -c Traceback err.txt)|$(grep -c "{data}/reports.* cannot be written" err.txt)"
    """)
    assert done.returncode == 0, done.stderr
    results = {line.split("|")[0]: line.split("|")[1:] for line in done.stdout.splitlines()}
    for reading in ("status", "case GV26000001-00", "landlords", "export cases", "report --week 2026-W45 --out elsewhere",
                    "archive page GV26000001-00", "optout list", "notify --dry-run"):
        code, tracebacks, refused = results[reading]  # `case` and `archive page`: no such case, exit 1
        assert code in ("0", "1") and tracebacks == "0" and refused == "0", (reading, results[reading])
    for writing in ("scrape", "purge", "run", "optout add --case X"):
        assert results[writing] == ["2", "0", "1"], (writing, results[writing])
    assert results["report into the archive"] == ["2", "0", "1"]  # the folder it names is the one refused
    assert (tmp_path / "outbox-dry-run").exists() and list((tmp_path / "elsewhere").glob("*.html"))


_HOLDER = textwrap.dedent("""
    import sqlite3, sys, time
    conn = sqlite3.connect(sys.argv[1], isolation_level=None)
    if sys.argv[2] == "exclusive":
        conn.execute("PRAGMA locking_mode=EXCLUSIVE")
    conn.execute("BEGIN EXCLUSIVE")
    conn.execute("UPDATE alembic_version SET version_num = version_num")
    print("holding", flush=True)
    sys.stdin.readline()
    conn.execute("ROLLBACK")
""")


@pytest.mark.parametrize("mode", ["writer", "exclusive"])
def test_a_database_another_program_keeps_locked_is_named_with_its_holder(tmp_path, mode):
    write_config(tmp_path, UNREACHED, court=ARLINGTON)
    path = _database(tmp_path)
    holder = subprocess.Popen([PYTHON, "-c", _HOLDER, str(path), mode], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                              text=True)
    _started.append(holder)
    try:
        assert holder.stdout.readline().strip() == "holding"
        url = f"sqlite:///{path}?timeout=1"  # this test waits one second, not the default thirty
        run = cli(tmp_path, "--db", url, "run")
        _, run_err = run.communicate(timeout=120)
        status = cli(tmp_path, "--db", url, "status")
        _, status_err = status.communicate(timeout=120)
    finally:
        holder.communicate("\n", timeout=30)
    assert run.returncode == 1, run_err
    assert f"stayed locked by another program" in run_err and f"pid {holder.pid}" in run_err
    assert "Traceback" not in run_err + status_err
    if mode == "writer":  # a writer leaves readers be (the write-ahead log): status answers
        assert status.returncode in (0, 1) and "locked" not in status_err
    else:  # a program that keeps the file to itself: status says who
        assert status.returncode == 1 and f"pid {holder.pid}" in status_err


@needs_mounts
@pytest.mark.parametrize("room_kib", [0, 450])
def test_a_full_disk_ends_the_run_with_the_reason_and_every_due_message_goes_once_when_there_is_room(
        tmp_path, room_kib):
    sim, running = start_sim()
    try:
        write_config(tmp_path, running.base_url, court=ARLINGTON)
        scrape = cli(tmp_path, "scrape", "--today", START.isoformat())
        _, err = scrape.communicate(timeout=180)
        assert scrape.returncode == 0, err
        done = _full_disk_runs(tmp_path, room_kib)
    finally:
        running.stop()
    _check_full_disk_runs(tmp_path, done)


def _full_disk_runs(folder: Path, room_kib: int) -> subprocess.CompletedProcess:
    """A run on a 2 MiB disk with `room_kib` left, then one after room is made."""
    mount = folder / "small"
    mount.mkdir()
    return _in_namespace(folder, f"""
        mount -t tmpfs -o size=2m tmpfs {mount} || exit 99
        cp -r config.yaml data {mount}/ && cd {mount}
        free=$(df -k --output=avail . | tail -1)
        dd if=/dev/zero of=filler bs=1k count=$((free - {room_kib})) 2>/dev/null
        mkdir -p {folder}/after
        ew run --today {START.isoformat()} > {folder}/after/full.out 2> {folder}/after/full.err; echo "full|$?"
        rm filler
        ew run --today {START.isoformat()} > {folder}/after/again.out 2> {folder}/after/again.err; echo "again|$?"
        cp -r data outbox {folder}/after/
    """)


def _check_full_disk_runs(tmp_path: Path, done: subprocess.CompletedProcess) -> None:
    assert done.returncode == 0, done.stderr
    codes = dict(line.split("|") for line in done.stdout.splitlines())
    after = tmp_path / "after"
    full_err = (after / "full.err").read_text()
    assert codes["full"] == "1" and "Traceback" not in full_err, full_err
    store = Store(db.make_engine(f"sqlite:///{after / 'data' / 'evictwatch.db'}"))
    runs = RunLog(store.engine).runs()
    first = [r for r in runs if r.id == min(r.id for r in runs)][0] if len(runs) > 1 else None
    if first is not None:  # the full run got as far as the run log: it ended failed or was closed, with why
        assert first.outcome in ("failed", "abandoned") and first.error_text
    else:  # it could not even start: the command said why
        assert "is full" in full_err
    assert codes["again"] == "0", (after / "again.err").read_text()
    with store.engine.connect() as conn:
        deliveries = dict(conn.exec_driver_sql("SELECT key, state FROM deliveries").all())
    assert deliveries and set(deliveries.values()) == {"sent"}  # none held, none left failed
    files = sorted(p.name for p in (after / "outbox").rglob("*.eml"))
    assert len(files) == len(set(files)) == len(deliveries)  # each due message once


def test_the_run_log_refusing_its_end_on_a_full_disk_is_a_disk_full_fault_and_the_next_run_closes_it(tmp_path):
    config_path = write_config(tmp_path, UNREACHED, court=ARLINGTON, operators=False)
    engine = db.make_engine(f"sqlite:///{tmp_path / 'data' / 'evictwatch.db'}")
    db.upgrade(engine)
    store = Store(engine)

    def full(conn, cursor, statement, *_):
        if statement.lstrip().upper().startswith("UPDATE RUNS") and "runs.id = ?" in statement:  # the run's end
            raise sqlite3.OperationalError("database or disk is full")

    event.listen(engine, "before_cursor_execute", full)
    try:
        with pytest.raises(Exception) as raised:
            run_cycle(config_of(config_path), store, today=START, steps=())
    finally:
        event.remove(engine, "before_cursor_execute", full)
    assert classify(raised.value) is Fault.DISK_FULL
    [left] = RunLog(engine).runs()
    assert left.outcome == "running"
    run_cycle(config_of(config_path), store, today=START, steps=())
    assert [r.outcome for r in RunLog(engine).runs()] == ["ok", "abandoned"]


def test_a_delivery_whose_intent_cannot_be_recorded_is_not_left_sending(store, tmp_path):
    key = DeliveryKey("Legal Aid", "weekly_list", "2026-W45")
    message = build_message(key=str(key), sender="watch@example.org", to=["intake@example.org"], subject="list",
                            text="rows", html=None, domain="evictwatch.test")
    planned = [Planned(key, lambda: Content(1, lambda: message, cases=[("arlington", "GV26000001-00")]))]
    channel = Channel(OutboxTransport(tmp_path / "outbox"), "outbox")

    def full(conn, cursor, statement, *_):
        if "case_recipients" in statement and statement.lstrip().upper().startswith("INSERT"):
            raise sqlite3.OperationalError("database or disk is full")

    event.listen(store.engine, "before_cursor_execute", full)
    try:
        [first] = deliver_all(planned, ledger=Ledger(store.engine), channel=channel)
    finally:
        event.remove(store.engine, "before_cursor_execute", full)
    assert first.outcome.state == "failed" and Ledger(store.engine).get(key) is None  # as if never tried
    [again] = deliver_all(planned, ledger=Ledger(store.engine), channel=channel)
    assert again.outcome.state == "sent" and Ledger(store.engine).recipients("arlington", "GV26000001-00") == [
        "Legal Aid"]


def test_erasure_settles_a_delivery_left_sending_before_it_deletes_the_file(store, tmp_path):
    """Once the file is gone nothing could tell it was handed over: it is settled as sent first."""
    config = config_of(write_config(tmp_path, UNREACHED, court=ARLINGTON))
    key = DeliveryKey("Legal Aid", "weekly_list", "2026-W45")
    message = build_message(key=str(key), sender="watch@example.org", to=["intake@example.org"], subject="list",
                            text="GV26000001-00", html=None, domain="evictwatch.test")
    outbox = OutboxTransport(config.outbox_path())
    path = outbox.send(message)
    ledger = Ledger(store.engine)
    ledger.intend(key, message_id=message["Message-ID"], transport="outbox", rows=1, target=path)
    assert remove_files_naming(config, [("arlington", "GV26000001-00")], ledger) == [Path(path)]
    assert not Path(path).exists() and ledger.get(key).state == "sent"


def test_a_delivery_that_did_not_go_out_fails_the_run_with_why(tmp_path, monkeypatch):
    config_path = write_config(tmp_path, UNREACHED, court=ARLINGTON, operators=False)
    engine = db.make_engine(f"sqlite:///{tmp_path / 'data' / 'evictwatch.db'}")
    db.upgrade(engine)

    def unreachable(self, message):
        raise DeliveryUnreachable("cannot write the outbox: No space left on device")

    monkeypatch.setattr(OutboxTransport, "send", unreachable)
    result = run_cycle(config_of(config_path), Store(engine), today=START, steps=("lists",))
    assert result.exit_code == 1 and "deliveries: 1 not sent" in result.error
    assert "No space left on device" in RunLog(engine).runs()[0].error_text
    monkeypatch.undo()
    assert run_cycle(config_of(config_path), Store(engine), today=START, steps=("lists",)).exit_code == 0
    assert Ledger(engine).get(DeliveryKey("Legal Aid", "weekly_list", "2026-W45")).state == "sent"


def test_a_dry_run_takes_no_lock_and_closes_no_run(tmp_path):
    """It previews: nothing but its own e-mails is written, not even the lock file or a run's end."""
    write_config(tmp_path, UNREACHED, court=ARLINGTON)
    path = _database(tmp_path)
    engine = db.make_engine(f"sqlite:///{path}")
    RunLog(engine).start(START, "cli", 999999, "elsewhere")  # a run another process may still be in
    dry = cli(tmp_path, "notify", "--dry-run", "--today", START.isoformat())
    _, err = dry.communicate(timeout=120)
    assert dry.returncode == 0, err
    assert not Path(f"{path}.lock").exists()
    assert [r.outcome for r in RunLog(engine).runs()] == ["running"]
    assert list((tmp_path / "outbox-dry-run").rglob("*.eml"))
