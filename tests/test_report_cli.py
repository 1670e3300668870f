"""`evictwatch report` writes the archive; partners who receive the report get it once."""

from __future__ import annotations

import datetime as dt
import re
from email import message_from_bytes, policy

from typer.testing import CliRunner

from evictwatch.commands.app import app
from evictwatch.config import parse_config
from evictwatch.jobs.report import send_weekly_reports
from tests.report_fixture import REPORT_WEEK, TODAY, populate

runner = CliRunner()


def write_config(tmp_path):
    path = tmp_path / "c.yaml"
    path.write_text(
        'http: {user_agent: "t (ops@example.org)"}\n'
        f'notify: {{outbox: "{tmp_path}/outbox"}}\n'
        f'reports: {{folder: "{tmp_path}/archive"}}\n'
        'partners:\n  - {name: Task force, emails: [tf@example.org], receives: [weekly_report]}\n'
        '  - {name: Alexandria only, emails: [a@example.org], receives: [weekly_report], '
        'filters: {courts: [alexandria]}}\n'
        '  - {name: Lists only, emails: [l@example.org]}\n'
        'courts:\n  - {id: alexandria, source: va-gdc, fips: "510", base_url: "https://portal.example.invalid/gdcourts/"}\n'
        '  - {id: arlington, source: va-gdc, fips: "013", base_url: "https://portal.example.invalid/gdcourts/"}\n')
    return path


def test_report_command_writes_the_archive_newest_first(store, tmp_path):
    populate(store)
    base = ["--config", str(write_config(tmp_path)), "--db", str(store.engine.url)]
    older = runner.invoke(app, [*base, "report", "--week", "2026-W47", "--today", "2026-11-30"])
    assert older.exit_code == 0, older.output
    latest = runner.invoke(app, [*base, "report", "--today", "2026-11-30"])  # default: the last full week
    assert latest.exit_code == 0 and f"report {REPORT_WEEK}:" in latest.stdout
    assert "stale" in latest.stderr  # the data warnings are printed too
    one = runner.invoke(app, [*base, "report", "--week", REPORT_WEEK, "--court", "alexandria", "--today", "2026-11-30"])
    assert one.exit_code == 0
    archive = tmp_path / "archive"
    assert sorted(p.name for p in archive.glob("*.html")) == [
        "2026-W47.html", "2026-W48-alexandria.html", "2026-W48.html", "index.html"]
    index = (archive / "index.html").read_text()
    assert re.findall(r'href="([^"]+)"', index) == ["2026-W48.html", "2026-W48-alexandria.html", "2026-W47.html"]
    assert runner.invoke(app, [*base, "report", "--week", "48"]).exit_code == 2
    assert runner.invoke(app, [*base, "report", "--court", "nowhere"]).exit_code == 2


def test_partners_get_their_courts_report_once(store, tmp_path):
    populate(store)
    from evictwatch.config import load_config

    config = load_config(write_config(tmp_path))
    now = dt.datetime(2026, 11, 30, 7, tzinfo=dt.UTC)
    results = {r.partner: r for r in send_weekly_reports(config, store, week=REPORT_WEEK, today=TODAY, now=now)}
    assert set(results) == {"Task force", "Alexandria only"}
    assert {r.outcome.state for r in results.values()} == {"sent"}
    message = message_from_bytes(open(results["Alexandria only"].path, "rb").read(), policy=policy.default)
    assert message["Subject"] == f"Eviction trends {REPORT_WEEK} for Alexandria only (alexandria)"
    [attachment] = list(message.iter_attachments())
    assert attachment.get_filename() == f"eviction-trends-{REPORT_WEEK}-alexandria.html"
    html = attachment.get_content()
    assert "<svg" in html and "alexandria" in html
    body = message.get_body(("plain",)).get_content()
    assert "New eviction filings:" in body and "stale" in body
    again = send_weekly_reports(config, store, week=REPORT_WEEK, today=TODAY, now=now)
    assert {r.outcome.state for r in again} == {"already_sent"}
    assert len(list((tmp_path / "outbox").rglob("*.eml"))) == 2


def test_report_config_is_validated():
    import pytest

    from evictwatch.config import ConfigError

    with pytest.raises(ConfigError, match="reports.stale_after_days"):
        parse_config({"http": {"user_agent": "t (o@example.org)"}, "reports": {"stale_after_days": -1},
                      "courts": [{"id": "a", "source": "va-gdc", "fips": "510",
                                  "base_url": "https://portal.example.invalid/gdcourts/"}]}, "x.yaml")


def test_notify_sends_the_last_full_weeks_report_and_dry_run_leaves_the_archive(store, tmp_path):
    populate(store)
    base = ["--config", str(write_config(tmp_path)), "--db", str(store.engine.url)]
    dry = runner.invoke(app, [*base, "notify", "--kind", "weekly_report", "--week", "2026-W49", "--dry-run",
                              "--today", "2026-11-30"])
    assert dry.exit_code == 0 and "dry_run" in dry.stdout
    assert not (tmp_path / "archive").exists()  # the archive only ever holds real reports
    written = [p for p in (tmp_path / "outbox-dry-run").rglob("*") if p.is_file()]
    assert written and all(p.suffix == ".eml" for p in written)  # a dry run writes only its own e-mails
    assert not (tmp_path / "outbox-dry-run" / "reports").exists()
    sent = runner.invoke(app, [*base, "notify", "--kind", "weekly_report", "--week", "2026-W49",
                               "--today", "2026-11-30"])
    assert sent.exit_code == 0 and sent.stdout.count("(weekly_report): sent") == 2
    names = sorted(p.name for p in (tmp_path / "outbox").rglob("*.eml"))
    assert all("weekly_report_2026-W48" in n for n in names)  # the week before the list's week
    assert runner.invoke(app, [*base, "report", "--week", "2026-W60"]).exit_code == 2
