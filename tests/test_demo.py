"""The README's first command, as a newcomer runs it: `evictwatch demo`."""

from __future__ import annotations

import csv
import datetime as dt
import email
import email.policy
import gzip
import io
import json
import re
import sqlite3
from collections import Counter
from pathlib import Path

import openpyxl
import pytest
from typer.testing import CliRunner

from evictwatch.commands.app import app
from evictwatch.jobs.erasure import _eml_text
from tests.sim_dockets import court_years_made_once


@pytest.fixture(autouse=True)
def _court_years_made_once():
    """The demo runs three times, each with simulators of its own: they make their court-years once."""
    with court_years_made_once():
        yield


def check_list_email(path: Path) -> None:
    """A partner's weekly list reads in a mail program: the HTML (as sent, CRLF) under 100,000
    bytes, one table row a case shown, every case in the CSV and XLSX, the lookup a hyperlink."""
    message = email.message_from_bytes(path.read_bytes(), policy=email.policy.default)
    html = message.get_body(("html",)).get_content()
    assert len(html.encode("utf-8")) + html.count("\n") < 100_000  # with the CRLF line ends it is sent with
    parts = {p.get_filename().rsplit(".", 1)[1]: p.get_payload(decode=True) for p in message.iter_attachments()}
    records = list(csv.DictReader(io.StringIO(parts["csv"].decode("utf-8-sig"), newline="")))
    sheet = openpyxl.load_workbook(io.BytesIO(parts["xlsx"])).active
    assert sheet.max_row == len(records) + 1
    header = [c.value for c in sheet[1]]
    link = sheet.cell(row=2, column=header.index("Look it up") + 1)
    assert link.hyperlink is not None and link.hyperlink.target.startswith("https://")
    shown = [r["Case number"] for r in records if r["Case number"] in html]
    left = re.search(r"(\d+) more (?:is|are) only in the attachments", html)
    assert len(shown) == len(records) - (int(left.group(1)) if left else 0)
    assert html.count('<tr valign="top"') == len(shown)


@pytest.mark.timeout(240)  # the demo runs twice (scrapes of two courts, a PDF, the report) plus its checks
def test_demo_creates_then_updates_its_database(tmp_path: Path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    runner = CliRunner()
    first = runner.invoke(app, ["demo", "--today", "2026-11-27"])
    assert first.exit_code == 0, first.output + first.stderr
    count = int(re.search(r"eviction cases in the demo database: (\d+)", first.stdout).group(1))
    assert count > 600  # fifteen weeks of hearings in a court with ~65 filings a week, and a small JP precinct
    virginia = int(re.search(r"Alexandria General District Court: (\d+)", first.stdout).group(1))
    texas = int(re.search(r"Travis County Justice of the Peace, Precinct Five: (\d+)", first.stdout).group(1))
    assert virginia > 300 and texas > 20 and virginia + texas == count
    assert "database: data/demo.db" in first.stdout
    # Its summary reads in one piece: the log went to a file, and the rate it shows is explained.
    assert '{"ts"' not in first.stderr and '"event":' in (tmp_path / "data" / "demo.log").read_text(encoding="utf-8")
    assert "log: data/demo.log" in first.stdout and "a real court is asked 1 a second by default" in first.stderr
    assert (tmp_path / "data" / "demo.db").exists()
    with open(tmp_path / "data" / "demo-cases.csv", newline="", encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    assert len(rows) == count
    assert {(r["court"], r["case_type"]) for r in rows} == {("alexandria", "Unlawful Detainer"),
                                                           ("travis-jp5", "Eviction")}

    emails = sorted((tmp_path / "data" / "outbox").rglob("*.eml"))
    lists = [e for e in emails if "_weekly_list_" in e.name]
    alerts = [e for e in emails if "_urgent_alerts_" in e.name]
    reports = [e for e in emails if "_weekly_report_" in e.name]
    dockets = [e for e in emails if "_docket_sheet_" in e.name]
    watches = [e for e in emails if "_watch_matches_" in e.name]
    eligible = [e for e in emails if "_expungement_eligible_" in e.name]
    assert len(lists) == 3 and len(alerts) == 2 and len(reports) == 1 and len(dockets) == 1 and len(watches) == 1
    assert len(eligible) == 1 and len(emails) == 9
    assert "sent," in first.stdout
    # No e-mail points at the demo's local simulators, gone once it ends: the real portals instead.
    mail = "\n".join(str(part.get_content()) for e in emails
                     for part in email.message_from_bytes(e.read_bytes(), policy=email.policy.default).walk()
                     if part.get_content_type() in ("text/plain", "text/html", "text/csv"))
    assert "127.0.0.1" not in mail and "https://eapps.courts.state.va.us/gdcourts/" in mail
    for path in lists:
        check_list_email(path)
    page = (tmp_path / "data" / "reports" / "2026-W47.html").read_text(encoding="utf-8")
    # The demo looks 13 days ahead, return hearings come 2-5 weeks after filing: its week is provisional.
    assert 'id="provisional-week"' in page and '<span class="tag">provisional</span>' in page
    data = json.loads(re.search(r'id="report-data">(.*?)</script>', page, re.S).group(1))
    states = dict(zip(data["history_mondays"], data["week_states"]))
    assert states["2026-11-16"] == "provisional" and states["2025-11-24"] == "no data"
    assert all(n is None for n, s in zip(data["weekly_filings"], data["week_states"]) if s == "no data")
    assert sum(s == "complete" for s in data["week_states"]) >= 8  # what the window covers is whole
    # The outcome weeks (filed 8-12 weeks before the report week) lie inside what the window sees whole.
    assert all(states[day] == "complete" for day in states if data["outcome_weeks"][0] <= day <= data["outcome_weeks"][1])
    assert "weekly trend report:" in first.stdout and "2026-W47.html" in first.stdout
    # Friday's docket sheet is Monday's, as HTML and PDF.
    assert re.search(r"docket sheet for 2026-11-30 \([1-9]\d* hearings", first.stdout)
    assert (tmp_path / "data" / "dockets" / "docket-2026-11-30.pdf").read_bytes().startswith(b"%PDF-")
    sheet = (tmp_path / "data" / "dockets" / "docket-2026-11-30.html").read_text(encoding="utf-8")
    assert "Precinct Five · Precinct Five" not in sheet and "Travis County Justice of the Peace, Precinct Five" in sheet
    feed = (tmp_path / "data" / "calendars" / "alexandria-legal-aid-demo.ics").read_bytes()
    assert feed.startswith(b"BEGIN:VCALENDAR") and feed.count(b"BEGIN:VEVENT") > 50
    assert "calendar feed of Alexandria Legal Aid (demo)" in first.stdout
    # The third partner's own list, matched: confident matches and matches for a person to review.
    found = re.search(r"watch list \(8 rows\): data/watch-list-demo.csv -> (\d+) confident, (\d+) to review, "
                      r"1 by case number", first.stdout)
    assert found and int(found.group(1)) >= 2 and int(found.group(2)) >= 2, first.stdout
    digest = email.message_from_bytes(watches[0].read_bytes(), policy=email.policy.default)
    text = digest.get_body(("plain",)).get_content()
    assert "New match (confident)" in text and "New match (to review)" in text and "by case number" in text
    assert "Oyelaran" not in text  # never sued: no match
    # Its partners and courts, for the commands a person runs on its data afterwards; no public portal in it.
    written = (tmp_path / "data" / "demo-config.yaml").read_text(encoding="utf-8")
    assert "Rental Assistance Program (demo)" in written and "https://" not in written
    review = runner.invoke(app, ["--config", "data/demo-config.yaml", "watch", "review"])
    assert review.exit_code == 0 and "to review: answer with evictwatch watch review" in review.stdout
    check_the_workspace_on_the_demo(first.stdout, rows)
    check_the_texas_partners_outreach(tmp_path, first.stdout)
    again = runner.invoke(app, ["demo", "--today", "2026-11-27"])
    assert again.exit_code == 0 and "already_sent" in again.stdout and "nothing_new, 0 alerts" in again.stdout
    assert "legal-aid@demo.example.org (legal_aid): its password was shown by the first demo run" in again.stdout
    assert sorted((tmp_path / "data" / "outbox").rglob("*.eml")) == emails  # never twice
    written = int(re.search(r"letters: \d+ for (\d+) cases", first.stdout).group(1))
    assert f"no letter, written to before: {written}" in again.stdout and "-> 0 added, 8 already recorded" in again.stdout

    # Weeks later (past expungement dates) the same database is updated, never duplicated.
    second = runner.invoke(app, ["demo", "--today", LATER.isoformat()])
    assert len(list((tmp_path / "data" / "outbox").rglob("*_weekly_list_*.eml"))) == 6  # the next week's lists
    assert second.exit_code == 0, second.output + second.stderr
    assert re.search(r"this run: \d+ new, [1-9]\d* updated", second.stdout)
    later = int(re.search(r"eviction cases in the demo database: (\d+)", second.stdout).group(1))
    assert later > count
    with open(tmp_path / "data" / "demo-cases.csv", newline="", encoding="utf-8") as fh:
        numbers = [r["case_number"] for r in csv.DictReader(fh)]
    assert len(numbers) == len(set(numbers)) == later
    # What the court erased is gone from everything the demo keeps.
    check_nothing_left_of_expunged_cases(tmp_path, runner)


LATER = dt.date(2027, 1, 8)


def check_the_texas_partners_outreach(tmp_path: Path, said: str) -> None:
    """Its letters where the simulated county publishes streets, its list filled in and read back."""
    found = re.search(r"letters: (\d+) for (\d+) cases", said)
    assert found and int(found.group(2)) >= 3, said
    run = tmp_path / "data" / "letters" / "Texas_Tenant_Legal_Aid__demo_" / "2026-11-27"
    assert (run / "letters.pdf").read_bytes().startswith(b"%PDF-")
    with open(run / "mail-house.csv", newline="", encoding="utf-8-sig") as fh:
        assert len(list(csv.DictReader(fh))) == int(found.group(1))
    assert "data/outreach-filled-demo.xlsx -> 8 added, 0 already recorded" in said
    attempted = re.search(r"attempted before the first hearing: (\d+) of (\d+)", said)
    reached = re.search(r"reached before the first hearing: (\d+) of", said)
    assert attempted and int(attempted.group(1)) >= 8 and reached and int(reached.group(1)) == 4, said
    assert "not the effect of reaching them" in said


def check_nothing_left_of_expunged_cases(tmp_path: Path, runner) -> None:
    from scraper.courts.va_gdc.sim.docket import Docket
    from tests.expunge_support import expunged_truth, named

    # Its dismissals seen at the first run (2026-11-27); no second run confirms a vanished case.
    gone, names = expunged_truth(Docket(1, LATER), "510", LATER, seen_by=dt.date(2026, 11, 27), settled_days=400)
    database = tmp_path / "data" / "demo.db"
    with sqlite3.connect(database) as conn:  # the Texas court's tenants come from another pool of names
        texans = [n for (n,) in conn.execute("SELECT upper(p.name) FROM parties p JOIN cases c ON c.id = p.case_id "
                                             "WHERE c.court_id != 'alexandria'")]
    names = {n for n in names if not any(n in t for t in texans)}
    assert gone and names
    exported = runner.invoke(app, ["--db", "sqlite:///data/demo.db", "export", "cases", "--format", "csv"]).stdout
    assert not gone & set(re.findall(r"GV\d{8}-\d{2}", exported)) and not named(exported, names)
    raw = b"".join(p.read_bytes() for p in (database, database.with_name("demo.db-wal")) if p.exists())
    assert not named(raw.decode("utf-8", "replace"), names)
    with sqlite3.connect(database) as conn:
        pages = "\n".join(gzip.decompress(b).decode("utf-8", "replace")
                          for (b,) in conn.execute("SELECT body_gz FROM raw_pages"))
        given = {n for (n,) in conn.execute("SELECT case_number FROM case_recipients")}
    assert not named(pages, names) and not gone & set(re.findall(r"GV\d{8}-\d{2}", pages)) and not gone & given
    mails = sorted((tmp_path / "data" / "outbox").rglob("*.eml"))
    recalls = [m for m in mails if "_recall_" in m.name]
    assert recalls  # the legal aid partner had some of them in its calendar feed, docket sheets or alerts
    recalled = Counter(n for m in recalls for n in set(re.findall(r"GV\d{8}-\d{2}", _eml_text(m))))
    assert max(recalled.values()) == 1
    for mail in mails:
        text = _eml_text(mail)
        assert not named(text, names), mail.name
        if mail not in recalls:
            assert not gone & set(re.findall(r"GV\d{8}-\d{2}", text)), mail.name
    # The month's eligibility list holds exactly the cases of the store the tenant can still petition.
    from evictwatch.courts import stored_laws
    from pipeline.erasure import petition_eligible
    from pipeline.store import db
    from pipeline.store.repo import Store

    store = Store(db.make_engine(f"sqlite:///{database}"))
    [latest] = [m for m in mails if "_expungement_eligible_2027-01" in m.name]
    parts = {p.get_filename(): p for p in email.message_from_bytes(latest.read_bytes(), policy=email.policy.default)
             .iter_attachments()}
    [csv_part] = [p for name, p in parts.items() if name.endswith(".csv")]
    listed = {r["Case number"] for r in csv.DictReader(io.StringIO(csv_part.get_payload(decode=True).decode("utf-8-sig")))}
    assert listed and listed == {c.case_number for c in petition_eligible(store, stored_laws(store))}


def check_the_workspace_on_the_demo(printed: str, rows: list[dict]) -> None:
    """The accounts the demo printed open the workspace on its data (served as the demo says)."""
    from starlette.testclient import TestClient

    from evictwatch.config import load_config
    from evictwatch.jobs.web import workspace
    from pipeline.store.repo import Store
    from tests.web_support import csrf_of
    from web.app import create_app

    assert "the workspace: evictwatch --config data/demo-config.yaml serve" in printed
    passwords = dict(re.findall(r"  (\S+@demo\.example\.org) \(\w+\): password (\S+) \(shown once\)", printed))
    assert set(passwords) == {"legal-aid@demo.example.org", "task-force@demo.example.org"}
    config = load_config(Path("data/demo-config.yaml"))
    client = TestClient(create_app(workspace(config, Store.open(config.database.url))), follow_redirects=False)
    form = client.get("/sign-in")
    signed = client.post("/sign-in", data={"email": "legal-aid@demo.example.org", "csrf_token": csrf_of(form.text),
                                           "password": passwords["legal-aid@demo.example.org"], "next": ""})
    assert signed.status_code == 303
    tenant = next(r for r in rows if r["court"] == "alexandria" and r["defendants"])
    found = client.get("/search", params={"q": tenant["case_number"]})
    assert found.status_code == 200 and f'/cases/alexandria/{tenant["case_number"]}' in found.text
