"""Command-line defects an adversarial review found: private files, unknown courts, killed scrapes."""

from __future__ import annotations

import datetime as dt
import stat
from pathlib import Path

import pytest
from sqlmodel import Session
from typer.testing import CliRunner

from evictwatch.commands.app import app
from pipeline.store import db
from pipeline.store import models as m
from pipeline.store.repo import Store
from scraper.courts import get_source
from tests.test_cli import _populated, archived_page_db

runner = CliRunner()


def test_archive_page_out_is_private_and_a_missing_folder_is_a_clear_error(tmp_path: Path):
    url, body = archived_page_db(tmp_path)
    saved = tmp_path / "page.html"
    saved.write_text("older")
    saved.chmod(0o644)
    assert runner.invoke(app, ["--db", url, "archive", "page", "GV26001234-00", "--out", str(saved)]).exit_code == 0
    assert saved.read_bytes() == body and stat.S_IMODE(saved.stat().st_mode) == 0o600
    missing = runner.invoke(app, ["--db", url, "archive", "page", "GV26001234-00", "--out",
                                  str(tmp_path / "no" / "such" / "page.html")])
    assert missing.exit_code == 2 and "cannot write" in missing.stderr


def test_an_unknown_court_id_is_an_error_naming_the_configured_ones(tmp_path: Path):
    url = _populated(tmp_path)
    config = tmp_path / "c.yaml"
    config.write_text('http: {user_agent: "x (ops@example.org)"}\ncourts:\n  - {id: alexandria, source: va-gdc, '
                      'fips: "510", base_url: "https://portal.example.invalid/gdcourts/"}\n')
    for command in (["export", "cases"], ["landlords"]):
        wrong = runner.invoke(app, ["--config", str(config), "--db", url, *command, "--court", "alexandira"])
        assert wrong.exit_code == 2 and "alexandira" in wrong.stderr and "configured: alexandria" in wrong.stderr
        right = runner.invoke(app, ["--config", str(config), "--db", url, *command, "--court", "alexandria"])
        assert right.exit_code == 0 and right.stdout.strip()


def test_a_command_taking_the_run_lock_closes_a_killed_scrape(tmp_path: Path):
    url, _ = archived_page_db(tmp_path)
    store = Store(db.make_engine(url))
    scrape_id = store.start_run("alexandria", dt.date(2026, 11, 1), dt.date(2026, 11, 30))  # then kill -9
    result = runner.invoke(app, ["--db", url, "purge", "--dry-run"])
    assert result.exit_code == 0, result.output
    with Session(store.engine) as session:
        assert session.get(m.ScrapeRun, scrape_id).outcome == "abandoned"


def test_a_full_database_disk_fails_the_court_in_one_line_and_the_next_run_recovers(tmp_path: Path, monkeypatch):
    import sqlite3

    from sqlalchemy.exc import OperationalError

    from pipeline.store import repo
    from pipeline.store.runlog import RunLog
    from tests.test_integration_sim import SINCE, assert_same_cases, db_cases, scrape, sim_config, truth_cases

    sim = get_source("va-gdc").simulator(seed=11, today=SINCE)
    running = sim.start(host="127.0.0.1", port=0)
    try:
        config = sim_config(running.base_url)
        engine = db.make_engine(f"sqlite:///{tmp_path}/full.db")
        db.upgrade(engine)
        store = Store(engine)
        real_save = repo.Store.save

        def disk_full(self, *args, **kwargs):
            raise OperationalError("INSERT INTO cases ...", {"name": "PEÑA"}, sqlite3.OperationalError(
                "database or disk is full"))
        monkeypatch.setattr(repo.Store, "save", disk_full)
        [outcome] = scrape(config, store, since=SINCE, until=SINCE, today=SINCE)
        assert not outcome.ok and outcome.error == "OperationalError: database or disk is full"
        assert [s.outcome for s in RunLog(engine).scrapes("alexandria")] == ["failed"]
        monkeypatch.setattr(repo.Store, "save", real_save)
        [again] = scrape(config, store, since=SINCE, until=SINCE, today=SINCE)
        assert again.ok, again.error
        assert_same_cases(db_cases(store), truth_cases(sim, SINCE, SINCE))
    finally:
        running.stop()


COURT = 'courts:\n  - {id: alexandria, source: va-gdc, code: "510", base_url: "https://portal.example.invalid/gdcourts/"}\n'


@pytest.mark.parametrize("args", [["landlords"], ["status"], ["case", "GV26000001-00"], ["export", "cases"], ["docket"],
                                  ["report", "--week", "2026-W47"], ["optout", "list"],
                                  ["notify", "--dry-run", "--week", "2026-W48"]])
def test_a_command_that_only_reads_refuses_a_database_that_is_not_there(tmp_path: Path, args):
    config = tmp_path / "config.yaml"
    config.write_text('http: {user_agent: "x (ops@example.org)"}\n' + COURT)
    typo = tmp_path / "data" / "dmeo.db"
    result = CliRunner().invoke(app, ["--config", str(config), "--db", f"sqlite:///{typo}", *args])
    assert result.exit_code == 2, result.output
    assert f"no database at {typo}" in result.stderr and "evictwatch scrape" in result.stderr
    assert not typo.exists()  # and nothing was made


def test_commands_that_write_still_make_the_database(tmp_path: Path):
    config = tmp_path / "config.yaml"
    config.write_text('http: {user_agent: "x (ops@example.org)"}\n' + COURT)
    fresh = tmp_path / "data" / "new.db"
    result = CliRunner().invoke(app, ["--config", str(config), "--db", f"sqlite:///{fresh}", "db", "upgrade"])
    assert result.exit_code == 0 and fresh.exists()
    result = CliRunner().invoke(app, ["--config", str(config), "--db", f"sqlite:///{fresh}", "landlords"])
    assert result.exit_code == 0
