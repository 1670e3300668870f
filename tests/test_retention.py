"""Retention removes exactly the tenant data it should, and no number the task force reads changes."""

from __future__ import annotations

import datetime as dt
import gzip
import os
import stat

from sqlalchemy import text

from evictwatch.config import parse_config
from evictwatch.jobs.erasure import apply_retention
from pipeline.store.repo import Store
from pipeline.store import db
from pipeline.store.queries import iter_export
from reports.render import report_data
from reports.weekly import build_report
from tests.report_fixture import REPORT_WEEK, TODAY, populate

NOW = dt.datetime(2026, 11, 30, 12, tzinfo=dt.timezone.utc)
OLD = dt.datetime(2025, 6, 1, tzinfo=dt.timezone.utc)
# The law's day for these tests: before any of the fixture's cases could be expunged, so that what
# is seen here is the generic retention alone (the expungement clock: tests/test_erasure.py).
LAW_DAY = dt.date(2024, 7, 1)


def config(tmp_path):
    return parse_config({"http": {"user_agent": "t (o@example.org)"}, "notify": {"outbox": str(tmp_path / "outbox")},
                         "courts": [{"id": "alexandria", "source": "va-gdc", "fips": "510",
                                     "base_url": "https://portal.example.invalid/gdcourts/"}]}, "test")


def rows(engine, sql, **params):
    with engine.connect() as conn:
        return conn.execute(text(sql), params).all()


def add_raw_page(engine, court, number, fetched):
    with engine.begin() as conn:
        conn.execute(text("INSERT INTO raw_pages (court_id, url, method, request_key, kind, status, case_number, "
                          "content_hash, body_gz, fetched_at) VALUES (:c, 'http://127.0.0.1/x', 'GET', :k, :kind, 200, "
                          ":n, :h, :b, :f)"),
                     {"c": court, "k": f"k{number}{fetched}", "kind": "case_detail" if number else "results",
                      "n": number, "h": f"h{number}{fetched}", "b": gzip.compress(b"<html>TENANT</html>"), "f": fetched})


def test_purge_removes_exactly_the_old_closed_cases_tenant_data(store, tmp_path):
    populate(store)
    engine = store.engine
    closed = rows(engine, "SELECT id, court_id, case_number FROM cases WHERE closed = :t ORDER BY id", t=True)
    old, recent = closed[::2], closed[1::2]  # half of the closed cases closed long ago
    open_case = rows(engine, "SELECT id, court_id, case_number FROM cases WHERE closed = :f LIMIT 1", f=False)[0]
    with engine.begin() as conn:
        conn.execute(text("UPDATE cases SET last_changed_at = :old WHERE id IN (%s)" % ",".join(str(r[0]) for r in old)),
                     {"old": OLD})
        conn.execute(text("INSERT INTO case_events (case_id, kind, field, old_value, new_value, seen_at) VALUES "
                          "(:c, 'party_added', 'defendant', NULL, 'TENANT ADDED, ANA', :t)"), {"c": old[0][0], "t": OLD})
    for case_id, court, number in (old[0], recent[0], open_case):
        add_raw_page(engine, court, number, OLD)
    add_raw_page(engine, "alexandria", None, OLD)              # an old hearing-day list: goes
    add_raw_page(engine, "alexandria", None, NOW)              # a recent one: stays
    before_report = report_data(build_report(Store(engine), REPORT_WEEK, health_courts=["alexandria"], today=TODAY))
    before_prior = {r.case_number: d["prior_cases"] for r, d in iter_export(Store(engine))}
    outbox = tmp_path / "outbox" / "2025-01-01"
    outbox.mkdir(parents=True)
    (outbox / "old.eml").write_text("To: x\n\nTENANT")
    os.utime(outbox / "old.eml", (OLD.timestamp(), OLD.timestamp()))
    (outbox / "new.eml").write_text("To: x\n\nTENANT")

    names_before = rows(engine, "SELECT id, name FROM parties ORDER BY id")
    dry = apply_retention(config(tmp_path), store, now=NOW, dry_run=True, today=LAW_DAY)
    assert sorted(dry.plan.case_ids) == [r[0] for r in old] and not dry.done
    assert dry.plan.raw_pages == 2 and dry.plan.events == 1 and [p.name for p in dry.outbox_files] == ["old.eml"]
    assert rows(engine, "SELECT id, name FROM parties ORDER BY id") == names_before  # a dry run changes nothing

    apply_retention(config(tmp_path), store, now=NOW, today=LAW_DAY)
    purged_ids = {r[0] for r in old}
    for case_id, name, address, street, zip5, last in rows(
            engine, "SELECT case_id, name, address, street, zip5, last_name FROM parties WHERE role = 'defendant'"):
        if case_id in purged_ids:
            assert (name, address, street, last) == ("(removed)", None, None, None) and zip5  # ZIP stays
        else:
            assert name != "(removed)"
    for case_id, key, hashed, purged_at, details in rows(
            engine, "SELECT id, household_key, household_hash, purged_at, details_json FROM cases"):
        assert (key == hashed and purged_at is not None) == (case_id in purged_ids)
        if case_id in purged_ids:
            assert "services" not in details
    assert rows(engine, "SELECT new_value FROM case_events WHERE kind = 'party_added'") == [(None,)]
    kept_pages = sorted((n or "") for (n,) in rows(engine, "SELECT case_number FROM raw_pages"))
    assert kept_pages == sorted(["", recent[0][2], open_case[2]])
    assert not (outbox / "old.eml").exists() and (outbox / "new.eml").exists()
    # Nothing the task force or a partner reads has changed.
    after_report = report_data(build_report(Store(engine), REPORT_WEEK, health_courts=["alexandria"], today=TODAY))
    assert after_report == before_report
    assert {r.case_number: d["prior_cases"] for r, d in iter_export(Store(engine))} == before_prior
    again = apply_retention(config(tmp_path), store, now=NOW, today=LAW_DAY)
    assert again.plan.case_ids == [] and again.plan.raw_pages == 0
    # A purged case the court changed later (and that has been quiet since) is written back whole
    # by the next scrape; retention takes it again.
    back = old[0][0]
    with engine.begin() as conn:
        conn.execute(text("UPDATE cases SET purged_at = :p, last_changed_at = :c WHERE id = :i"),
                     {"p": OLD - dt.timedelta(days=30), "c": OLD, "i": back})
        conn.execute(text("UPDATE parties SET name = 'TENANT BACK, ANA' WHERE case_id = :i AND role = 'defendant'"),
                     {"i": back})
    assert apply_retention(config(tmp_path), store, now=NOW, today=LAW_DAY).plan.case_ids == [back]
    assert rows(engine, "SELECT count(*) FROM parties WHERE name = 'TENANT BACK, ANA'") == [(0,)]


def test_the_database_file_is_the_owners_alone(tmp_path):
    engine = db.make_engine(f"sqlite:///{tmp_path / 'new' / 'evictwatch.db'}")
    db.upgrade(engine)
    assert stat.S_IMODE(os.stat(tmp_path / "new" / "evictwatch.db").st_mode) == 0o600


def test_status_and_purge_commands(store, tmp_path):
    import json

    from typer.testing import CliRunner

    from evictwatch.commands.app import app

    populate(store)
    config_file = tmp_path / "c.yaml"
    config_file.write_text('http: {user_agent: "t (o@example.org)"}\n'
                           f'notify: {{outbox: "{tmp_path}/outbox"}}\n'
                           'courts:\n  - {id: alexandria, source: va-gdc, fips: "510", '
                           'base_url: "https://portal.example.invalid/gdcourts/"}\n'
                           '  - {id: arlington, source: va-gdc, fips: "013", '
                           'base_url: "https://portal.example.invalid/gdcourts/"}\n')
    base = ["--config", str(config_file), "--db", str(store.engine.url)]
    runner = CliRunner()
    status = runner.invoke(app, [*base, "status", "--json", "--today", "2026-11-30"])
    data = json.loads(status.stdout)
    assert status.exit_code == 1 and data["healthy"] is False  # a failed scrape in the fixture's run log
    courts = {c["court"]: c for c in data["courts"]}
    assert courts["alexandria"]["last_outcome"] == "failed" and courts["alexandria"]["last_ok_day"] == "2026-11-24"
    assert courts["alexandria"]["days_since_ok"] == 6 and courts["alexandria"]["open_cases"] > 0
    table = runner.invoke(app, [*base, "status", "--today", "2026-11-30"])
    assert "alexandria" in table.stdout and "Alarms raised: 0" in table.stdout
    dry = runner.invoke(app, [*base, "purge", "--dry-run"])
    assert dry.exit_code == 0 and "would remove: 0 defendants" in dry.stdout  # nothing closed a year ago yet
