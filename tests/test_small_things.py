"""Issue 28, points 5 and 7: a dry run that previews the real run, and the small things a person
trips on at the command line (a path given as --db, an unknown partner or case number, a docket
asked for a day the court does not sit, plurals, the demo's log)."""

from __future__ import annotations

import datetime as dt
import json
import stat
from pathlib import Path
from types import SimpleNamespace

from typer.testing import CliRunner

from evictwatch.commands.app import app
from notify.deliver import Channel, Content, DeliveryKey, Planned, deliver_all
from notify.message import build_message
from notify.transport import OutboxTransport
from pipeline.prepare import prepare
from pipeline.store.ledger import DeliveryState, Ledger
from scraper.base import Court
from scraper.courts import get_source
from scraper.courts.va_gdc.vocab import VOCABULARY
from scraper.records import Hearing
from tests.test_cli import _populated
from tests.test_store import record

runner = CliRunner()
COURT = ('courts:\n  - {id: alexandria, source: va-gdc, code: "510", '
         'base_url: "https://portal.example.invalid/gdcourts/"}\n')
KEY = DeliveryKey("Legal Aid", "weekly_list", "2026-W49")


def _config(tmp_path: Path, partners: str = "") -> Path:
    path = tmp_path / "c.yaml"
    path.write_text('http: {user_agent: "t (ops@example.org)"}\n' f'notify: {{outbox: "{tmp_path}/outbox"}}\n'
                    + (f"partners:\n{partners}" if partners else "") + COURT)
    return path


def _files(folder: Path) -> list[Path]:
    return sorted(p for p in folder.rglob("*") if p.is_file()) if folder.exists() else []


# ------------------------------------------------------------------------------------ dry run
def test_a_dry_run_after_the_real_send_says_nothing_would_go_and_writes_nothing(tmp_path: Path):
    url = _populated(tmp_path)
    config = _config(tmp_path, "  - {name: Everyone, emails: [all@example.org], receives: [weekly_list]}\n")
    base = ["--config", str(config), "--db", url, "notify", "--week", "2026-W49", "--today", "2026-11-30"]
    dry_folder = tmp_path / "outbox-dry-run"
    preview = runner.invoke(app, [*base, "--dry-run"])
    assert preview.exit_code == 0 and "Everyone (weekly_list): dry_run, 0 cases ->" in preview.stdout
    assert [p.suffix for p in _files(dry_folder)] == [".eml"]  # its own e-mail, nothing else
    sent = runner.invoke(app, base)
    assert "Everyone (weekly_list): sent" in sent.stdout
    before = _files(dry_folder)
    again = runner.invoke(app, [*base, "--dry-run"])
    assert again.exit_code == 0, again.output
    # What the real run would say ("already_sent"), not "dry_run, 0 cases".
    assert "Everyone (weekly_list): already_sent, 0 cases: already sent — nothing would go" in again.stdout
    assert "dry_run" not in again.stdout and _files(dry_folder) == before
    assert runner.invoke(app, [*base, "--dry-run", "--resend", "Everyone|weekly_list|2026-W49"]).exit_code == 2


def _message(key: DeliveryKey):
    return lambda: build_message(key=str(key), sender="watch@example.org", to=["intake@example.org"],
                                 subject="Outreach", text="rows", html="<p>rows</p>", domain="evictwatch.test")


def test_a_dry_run_reads_the_log_as_the_real_run_does_and_changes_nothing(store, tmp_path: Path):
    ledger = Ledger(store.engine)
    real = Channel(OutboxTransport(tmp_path / "outbox"), "outbox", local_outbox=True)
    dry = Channel(OutboxTransport(tmp_path / "outbox-dry-run"), "dry-run", dry_run=True)
    built: list[str] = []

    def planned(key: DeliveryKey) -> Planned:
        def prepare() -> Content:
            built.append(str(key))  # a report would be written here: never for what would not go
            return Content(3, _message(key))
        return Planned(key, prepare)

    deliver_all([planned(KEY)], ledger=ledger, channel=real)
    held, left_sending, never_written = (DeliveryKey("Legal Aid", "urgent_alerts", f"2026-11-30.{n}") for n in (1, 2, 3))
    for key, target in ((held, None), (left_sending, tmp_path / "outbox" / "written.eml"),
                        (never_written, tmp_path / "outbox" / "never-written.eml")):
        ledger.intend(key, message_id=f"<{key.period}@evictwatch.test>", transport="outbox", rows=4,
                      target=str(target) if target else None)
    ledger.outcome(held, DeliveryState.UNKNOWN, error="lost after DATA")
    (tmp_path / "outbox" / "written.eml").write_bytes(b"handed over")
    built.clear()
    states = {str(r.key): (r.outcome.state, r.outcome.detail) for r in deliver_all(
        [planned(k) for k in (KEY, held, left_sending, never_written)], ledger=ledger, channel=dry)}
    assert states[str(KEY)] == ("already_sent", "already sent — nothing would go")
    assert states[str(left_sending)] == ("already_sent", "already sent — nothing would go")  # its file settles it
    assert states[str(held)][0] == "held" and "--resend" in states[str(held)][1]  # as the real run says
    assert states[str(never_written)][0] == "dry_run"  # the real run sends it: previewed
    assert built == [str(never_written)] and len(_files(tmp_path / "outbox-dry-run")) == 1
    assert [ledger.get(k).state for k in (KEY, held, left_sending, never_written)] == [
        "sent", "unknown", "sending", "sending"]  # the dry run recorded nothing


# ----------------------------------------------------------------------- options and lookups
def test_a_path_given_as_db_says_the_url_to_write_instead(tmp_path: Path):
    for given, wanted in (("data/demo.db", "--db sqlite:///data/demo.db"),
                          (f"{tmp_path}/x.db", f"--db sqlite:///{tmp_path}/x.db")):
        result = runner.invoke(app, ["--db", given, "landlords"])
        assert result.exit_code == 2 and wanted in result.stderr, result.output
        assert "Traceback" not in result.output and not (tmp_path / "data").exists()
    garbage = runner.invoke(app, ["--db", "nosuchdialect://x/y", "landlords"])
    assert garbage.exit_code == 2 and "not a database URL" in garbage.stderr


def test_an_unknown_partner_lists_the_configured_ones(tmp_path: Path):
    url = _populated(tmp_path)
    config = _config(tmp_path, "  - {name: Legal Aid, emails: [a@example.org]}\n"
                               "  - {name: Tenant Union, emails: [u@example.org]}\n")
    for command in (["notify", "--partner", "Legal Aide", "--dry-run"], ["calendar", "--partner", "Legal Aide"],
                    ["watch", "review", "--partner", "Legal Aide"]):
        result = runner.invoke(app, ["--config", str(config), "--db", url, *command])
        assert result.exit_code == 2, (command, result.output)
        assert "no partner named 'Legal Aide'" in result.stderr
        assert "configured: 'Legal Aid', 'Tenant Union'" in result.stderr


def test_an_unknown_case_number_lists_the_stored_numbers_like_it(store, tmp_path: Path):
    store.ensure_court(Court("alexandria", get_source("va-gdc"), "510", "https://portal.example.invalid/gdcourts/"))
    store.save([prepare(record(case_number=n, matter_key="GV26003866"), dt.date(2026, 11, 27), "America/New_York",
                        VOCABULARY) for n in ("GV26003866-00", "GV26003866-01")]
               + [prepare(record(case_number="GV26003867-00", matter_key="GV26003867"), dt.date(2026, 11, 27),
                          "America/New_York", VOCABULARY)])
    url = str(store.engine.url)
    for typed in ("GV26003866", "gv26003866-02"):
        result = runner.invoke(app, ["--db", url, "case", typed])
        assert result.exit_code == 1
        assert "stored numbers like it: GV26003866-00, GV26003866-01" in result.stderr, result.stderr
    nothing = runner.invoke(app, ["--db", url, "case", "GV99"])
    assert nothing.exit_code == 1 and "like it" not in nothing.stderr
    found = runner.invoke(app, ["--db", url, "case", "gv26003866-01", "--json"])
    assert found.exit_code == 0 and json.loads(found.stdout)[0]["case_number"] == "GV26003866-01"


# --------------------------------------------------------------------------------- the docket
def _one_hearing_store(store, day: dt.date) -> str:
    store.ensure_court(Court("alexandria", get_source("va-gdc"), "510", "https://portal.example.invalid/gdcourts/"))
    store.save([prepare(record(judgment=None, hearings=(Hearing(date=day, time=dt.time(9, 30), type="Return",
                                                                courtroom="COURTROOM 2B"),)),
                        dt.date(2026, 12, 1), "America/New_York", VOCABULARY)])
    return str(store.engine.url)


def test_a_docket_on_a_court_holiday_says_so_and_writes_no_sheet(store, tmp_path: Path):
    url = _one_hearing_store(store, dt.date(2026, 12, 2))
    config = _config(tmp_path)
    sheets = tmp_path / "sheets"
    for day, why in (("2026-12-25", "a public holiday in its state"), ("2026-12-26", "a Saturday")):
        result = runner.invoke(app, ["--config", str(config), "--db", url, "docket", "--date", day, "--no-pdf",
                                     "--out", str(sheets)])
        assert result.exit_code == 2, result.output
        assert f"does not sit ({why})" in result.stderr and "evictwatch docket --date 2026-12-28" in result.stderr
    assert not sheets.exists()
    # One hearing in one courtroom, said in the singular.
    one = runner.invoke(app, ["--config", str(config), "--db", url, "docket", "--date", "2026-12-02", "--no-pdf",
                              "--out", str(sheets)])
    assert one.exit_code == 0 and "docket 2026-12-02: 1 hearing in 1 courtroom\n" in one.stdout
    empty = runner.invoke(app, ["--config", str(config), "--db", url, "docket", "--date", "2026-12-03", "--no-pdf",
                                "--out", str(sheets)])
    assert "0 hearings in 0 courtrooms (the court has set none for this day)" in empty.stdout


def test_a_docket_on_a_closed_day_with_hearings_set_is_written_with_a_note(store, tmp_path: Path):
    url = _one_hearing_store(store, dt.date(2026, 12, 24))  # the court set hearings on a day it is said closed
    config = tmp_path / "c.yaml"
    config.write_text('http: {user_agent: "t (ops@example.org)"}\n' + COURT.replace("}\n", ", closed_days: [2026-12-24]}\n"))
    result = runner.invoke(app, ["--config", str(config), "--db", url, "docket", "--date", "2026-12-24", "--no-pdf",
                                 "--out", str(tmp_path / "sheets")])
    assert result.exit_code == 0 and "1 hearing in 1 courtroom" in result.stdout
    assert "does not sit (a day it is closed (courts[].closed_days))" in result.stderr


# ----------------------------------------------------------------------------------- the demo
def test_the_demo_logs_to_a_file_unless_verbose(tmp_path: Path, monkeypatch):
    import logging

    from evictwatch.jobs import demo
    from evictwatch.jobs.demo_outreach import DemoOutreach
    from evictwatch.jobs.letters import LettersRun
    from pipeline.store.contact_summary import OutreachSummary

    monkeypatch.chdir(tmp_path)

    def fake_demo(config_path, db_url, today, seed, *, console, run):
        logging.getLogger("evictwatch.jobs.scrape").info("court scraped", extra={"court": "alexandria", "new": 3})
        console.print(demo.rate_note(), highlight=False)
        sheet = SimpleNamespace(day=dt.date(2026, 11, 30), hearings=1, html_path=Path("data/d.html"), pdf_path=None)
        watch = SimpleNamespace(rows=1, matched=SimpleNamespace(confident=1, review=0, by_number=0))
        return SimpleNamespace(cases=1, by_court={"Alexandria": 1}, new=1, updated=0, unchanged=0, erased=0,
                               db_path=Path("data/demo.db"), csv_path=Path("data/demo-cases.csv"),
                               report_path=Path("data/reports/2026-W47.html"), docket=sheet, calendars={},
                               watch=watch, watch_list=Path("data/watch-list-demo.csv"), emails=[],
                               config_file=Path("data/demo-config.yaml"), ok=True, accounts=[],
                               outreach=DemoOutreach("Texas", LettersRun(dt.date(2026, 11, 20)), None, None,
                                                     OutreachSummary(dt.date(2026, 9, 4), today, 0, 0, 0, None, 0)))
    monkeypatch.setattr(demo, "run_demo", fake_demo)
    quiet = runner.invoke(app, ["demo", "--today", "2026-11-27"])
    assert quiet.exit_code == 0, quiet.output
    assert "court scraped" not in quiet.stderr and "log: data/demo.log" in quiet.stdout
    assert "(1 hearing, to print)" in quiet.stdout and "watch list (1 row)" in quiet.stdout
    # Why the summary shows a rate no court would get.
    assert "up to 200 requests a second" in quiet.stderr and "a real court is asked 1 a second by default" in quiet.stderr
    log = tmp_path / "data" / "demo.log"
    [event] = [json.loads(line) for line in log.read_text(encoding="utf-8").splitlines()]
    assert (event["event"], event["court"], event["new"]) == ("court scraped", "alexandria", 3)
    assert stat.S_IMODE(log.stat().st_mode) == 0o600
    loud = runner.invoke(app, ["--verbose", "demo", "--today", "2026-11-27"])
    assert loud.exit_code == 0 and "court scraped" in loud.stderr and "log: data/demo.log" not in loud.stdout
    assert len(log.read_text(encoding="utf-8").splitlines()) == 1  # nothing more went to the file
