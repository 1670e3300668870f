from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from typer.testing import CliRunner

from evictwatch.commands.app import app
from pipeline.store import db
from scraper.base import Court
from scraper.courts import get_source
from scraper.courts.va_gdc.vocab import VOCABULARY as VA_GDC

REPO = Path(__file__).resolve().parents[1]
GOLDEN = REPO / "tests" / "golden" / "va-gdc"
runner = CliRunner()


def test_parse_prints_the_export_schema():
    result = runner.invoke(app, ["parse", "va-gdc", str(GOLDEN / "hand-detail-judgment-writ.html")])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["court"] is None
    assert data["case_number"] == "GV26001234-00"
    assert data["judgment"]["principal"] == "12480.55"
    assert data["hearings"][1]["time"] == "13:30"
    assert set(data) == {"court", "case_number", "filed_date", "case_type", "plaintiffs", "defendants",
                         "hearings", "judgment", "appeal"}
    assert set(data["hearings"][0]) == {"date", "time", "result", "type", "courtroom", "judicial_officer"}


def test_parse_names_page_and_field_on_a_layout_change():
    result = runner.invoke(app, ["parse", "va-gdc", str(GOLDEN / "hand-detail-no-hearing-section.html")])
    assert result.exit_code == 1
    assert "hand-detail-no-hearing-section.html" in result.stderr
    assert "Hearing Information" in result.stderr


def test_bad_config_exits_2_with_file_and_key(tmp_path: Path):
    bad = tmp_path / "bad.yaml"
    bad.write_text('http: {user_agent: "x (ops@example.org)"}\ncourts:\n  - {id: a, source: va-gdc, fips: "51", '
                   'base_url: "https://portal.example.invalid/gdcourts/"}\n')
    result = runner.invoke(app, ["--config", str(bad), "--db", f"sqlite:///{tmp_path}/x.db", "scrape"])
    assert result.exit_code == 2
    assert str(bad) in result.stderr and "courts[0].fips" in result.stderr
    assert "Traceback" not in result.output + result.stderr


def test_unknown_court_exits_2(tmp_path: Path):
    result = runner.invoke(app, ["--db", f"sqlite:///{tmp_path}/x.db", "scrape", "--court", "nowhere"])
    assert result.exit_code == 2
    assert "nowhere" in result.stderr and "alexandria" in result.stderr


def test_db_upgrade_and_empty_export(tmp_path: Path):
    url = f"sqlite:///{tmp_path}/x.db"
    result = runner.invoke(app, ["--db", url, "db", "upgrade"])
    assert result.exit_code == 0 and f"revision {db.head_revision()}" in result.stdout
    result = runner.invoke(app, ["--db", url, "export", "cases", "--format", "csv"])
    assert result.exit_code == 0
    assert result.stdout.splitlines()[0].startswith("court,case_number,filed_date,case_type,plaintiffs")


def test_parse_says_what_a_page_is_when_it_is_not_a_case():
    result = runner.invoke(app, ["parse", "va-gdc", str(GOLDEN / "hand-rate-limit.html")])
    assert result.exit_code == 1
    assert "rate limited page" in result.stderr and "layout" not in result.stderr


def test_no_enabled_court_is_a_config_error(tmp_path: Path):
    config = tmp_path / "c.yaml"
    config.write_text('http: {user_agent: "x (ops@example.org)"}\ncourts:\n  - {id: a, source: va-gdc, fips: "510", '
                      'base_url: "https://portal.example.invalid/gdcourts/", enabled: false}\n')
    result = runner.invoke(app, ["--config", str(config), "--db", f"sqlite:///{tmp_path}/x.db", "scrape"])
    assert result.exit_code == 2 and "enabled: false" in result.stderr


def archived_page_db(tmp_path: Path) -> tuple[str, bytes]:
    """A database whose archive holds one case page (GV26001234-00): its URL and the page."""
    import datetime as dt

    from pipeline.store import db
    from pipeline.store.repo import Store
    from scraper.records import RawPage

    url = f"sqlite:///{tmp_path}/x.db"
    engine = db.make_engine(url)
    db.upgrade(engine)
    body = (GOLDEN / "hand-detail-judgment-writ.html").read_bytes()
    Store(engine).archive_page(RawPage(court_id="alexandria", url="https://x/caseSearch.do", method="GET",
                                       request_key="case=GV26001234-00", kind="case_detail",
                                       fetched_at=dt.datetime.now(dt.timezone.utc), status=200, body=body,
                                       case_number="GV26001234-00"))
    return url, body


def test_archive_page_returns_the_page_as_fetched(tmp_path: Path):
    url, body = archived_page_db(tmp_path)
    result = runner.invoke(app, ["--db", url, "archive", "page", "gv26001234-00"])
    assert result.exit_code == 0 and result.stdout.encode() == body
    saved = tmp_path / "page.html"
    assert runner.invoke(app, ["--db", url, "archive", "page", "GV26001234-00", "--out", str(saved)]).exit_code == 0
    assert saved.read_bytes() == body
    missing = runner.invoke(app, ["--db", url, "archive", "page", "GV26000000-00"])
    assert missing.exit_code == 1 and "no archived page" in missing.stderr


def _populated(tmp_path: Path) -> str:
    import datetime as dt

    from pipeline.prepare import prepare
    from pipeline.store import db
    from pipeline.store.repo import Store
    from pipeline.ingest import refresh_landlords
    from pipeline.landlords import LandlordOverrides
    from tests.test_store import record

    url = f"sqlite:///{tmp_path}/x.db"
    engine = db.make_engine(url)
    db.upgrade(engine)
    store = Store(engine)
    store.ensure_court(Court("alexandria", get_source("va-gdc"), "510", "https://portal.example.invalid/gdcourts/"))
    first = record(case_number="GV25000777-00", matter_key="GV25000777", filed_date=dt.date(2025, 3, 3),
                   plaintiffs=(record().plaintiffs[0].model_copy(update={"name": "ORCHARD RIDGE APARTMENTS, L.L.C."}),))
    store.save([prepare(r, dt.date(2026, 11, 27), "America/New_York", VA_GDC) for r in (first, record())])
    refresh_landlords(store, LandlordOverrides.empty())
    return url


def test_export_carries_what_the_pipeline_derived(tmp_path: Path):
    url = _populated(tmp_path)
    result = runner.invoke(app, ["--db", url, "export", "cases"])
    rows = [json.loads(line) for line in result.stdout.splitlines()]
    later = next(r for r in rows if r["case_number"] == "GV26000123-00")
    assert later["status"] == "writ_issued" and later["prior_cases"] == 1
    assert later["household"] == "NAME|PENA|MARISOL|22304"
    assert later["landlord"] == next(r for r in rows if r["case_number"] == "GV25000777-00")["landlord"]
    assert set(later["flags"]) == {"continuances", "first_hearing_default", "days_to_first_hearing",
                                   "days_judgment_to_writ", "hearing_after_judgment"}
    csv_out = runner.invoke(app, ["--db", url, "export", "cases", "--format", "csv"]).stdout
    assert ",writ_issued," in csv_out and ",NAME|PENA|MARISOL|22304,1," in csv_out


def test_case_and_landlords_commands(tmp_path: Path):
    url = _populated(tmp_path)
    shown = runner.invoke(app, ["--db", url, "case", "GV26000123-00"])
    assert shown.exit_code == 0, shown.output
    assert "writ_issued" in shown.stdout and "GV25000777-00" in shown.stdout and "first_seen" in shown.stdout
    # In words: no Python values, no raw household key, no status code where a person reads it.
    assert "judgment: Plaintiff; possession granted; principal $12,480.55, costs $86.00" in shown.stdout
    assert " True" not in shown.stdout and "None" not in shown.stdout and "NAME|" not in shown.stdout
    assert "no other number" in shown.stdout
    data = json.loads(runner.invoke(app, ["--db", url, "case", "GV26000123-00", "--json"]).stdout)
    assert data[0]["timeline"][0]["event"].startswith("filed") and data[0]["changes"][0]["kind"] == "first_seen"
    assert runner.invoke(app, ["--db", url, "case", "GV26999999-00"]).exit_code == 1
    groups = json.loads(runner.invoke(app, ["--db", url, "landlords", "--json"]).stdout)
    assert groups[0]["cases"] == 2 and len(groups[0]["aliases"]) == 2


def test_notify_and_optout_commands(tmp_path: Path):
    url = _populated(tmp_path)
    config = tmp_path / "c.yaml"
    config.write_text(
        'http: {user_agent: "t (ops@example.org)"}\n'
        f'notify: {{outbox: "{tmp_path}/outbox"}}\n'
        'partners:\n  - {name: Everyone, emails: [all@example.org]}\n'
        'courts:\n  - {id: alexandria, source: va-gdc, fips: "510", '
        'base_url: "https://portal.example.invalid/gdcourts/"}\n')
    base = ["--config", str(config), "--db", url]
    dry = runner.invoke(app, [*base, "notify", "--week", "2026-W49", "--today", "2026-11-30", "--dry-run"])
    assert dry.exit_code == 0 and "dry_run" in dry.stdout
    first = runner.invoke(app, [*base, "notify", "--week", "2026-W49", "--today", "2026-11-30"])
    assert first.exit_code == 0 and "Everyone (weekly_list): sent" in first.stdout and ".eml" in first.stdout
    again = runner.invoke(app, [*base, "notify", "--week", "2026-W49"])
    assert "already_sent" in again.stdout
    assert len(list((tmp_path / "outbox").rglob("*.eml"))) == 1
    assert runner.invoke(app, [*base, "notify", "--week", "week 49"]).exit_code == 2

    added = runner.invoke(app, [*base, "optout", "add", "--case", "GV26000123-00", "--reason", "asked"])
    assert added.exit_code == 0 and "NAME|PENA|MARISOL|22304" in added.stdout
    listed = runner.invoke(app, [*base, "optout", "list"])
    assert "GV26000123-00" in listed.stdout and "asked" in listed.stdout
    assert runner.invoke(app, [*base, "optout", "remove", "1"]).exit_code == 0
    assert runner.invoke(app, [*base, "optout", "remove", "1"]).exit_code == 1


def test_csv_export_neutralizes_formula_cells():
    from evictwatch.jobs.export import csv_row
    from scraper.records import Party
    from tests.test_store import record

    rec = record(defendants=(Party(name='=HYPERLINK("http://x","y")', address="@SUM(A1)"),))
    row = csv_row(rec, {"status": "filed", "landlord": "-1 LLC", "household": None, "prior_cases": 0, "flags": {}})
    assert row["defendants"].startswith("'=") and row["defendant_addresses"].startswith("'@")
    assert row["landlord"] == "'-1 LLC"


def test_a_failed_court_is_reported_to_the_operators_once(tmp_path: Path):
    import datetime as dt
    from email import message_from_bytes, policy

    from scraper.courts import get_source

    sim = get_source("va-gdc").simulator(seed=3, today=dt.date(2026, 11, 27), faults="layout=results-header")
    running = sim.start(host="127.0.0.1", port=0)
    try:
        config = tmp_path / "c.yaml"
        config.write_text(
            'http: {user_agent: "t (ops@example.org)", max_attempts: 2}\n'
            'scrape: {browser_check: false}\n'
            f'notify: {{outbox: "{tmp_path}/outbox", operators: [ops@example.org]}}\n'
            f'courts:\n  - {{id: alexandria, source: va-gdc, fips: "510", base_url: "{running.base_url}", '
            'rate_limit_per_s: 50}\n')
        result = runner.invoke(app, ["--config", str(config), "--db", f"sqlite:///{tmp_path}/x.db", "scrape",
                                     "--today", "2026-11-27", "--since", "2026-11-23", "--until", "2026-11-24"])
    finally:
        running.stop()
    assert result.exit_code == 1 and "operators told: sent" in result.stderr
    [told] = list((tmp_path / "outbox").rglob("*.eml"))
    message = message_from_bytes(told.read_bytes(), policy=policy.default)
    assert message["To"] == "ops@example.org" and "alexandria" in message["Subject"]
    assert "Layout" in message.get_body(("plain",)).get_content()


def test_sim_passes_a_simulators_own_switches_through_by_their_declaration():
    from evictwatch.commands.common import simulator_options
    from scraper.base import SimOption

    declared = (SimOption("--captcha", "captcha", bool, "show a CAPTCHA"),
                SimOption("--cap", "result_cap", int, "most results a search shows", default=200))
    assert simulator_options(declared, []) == {"result_cap": 200}
    assert simulator_options(declared, ["--captcha", "--cap", "5"]) == {"captcha": True, "result_cap": 5}
    assert simulator_options(declared, ["--cap=7"]) == {"result_cap": 7}
    for args, message in ((["--nope"], "unknown option '--nope'; this simulator's own: --captcha (show a CAPTCHA)"),
                          (["--cap"], "--cap needs a value"), (["--cap", "x"], "--cap takes a whole number, got 'x'"),
                          (["--captcha=1"], "--captcha is a switch")):
        with pytest.raises(ValueError, match=re.escape(message)):
            simulator_options(declared, args)
    result = runner.invoke(app, ["sim", "va-gdc", "--port", "0", "--captcha"])
    assert result.exit_code == 2 and "va-gdc simulator: unknown option '--captcha'" in result.stderr
    assert "--verification-code" in result.stderr


def test_help_shows_switches_without_a_type():
    for args in (["notify", "--help"], ["scrape", "--help"], ["run", "--help"], ["--help"]):
        result = runner.invoke(app, args)
        assert result.exit_code == 0 and "<bool>" not in result.output, args
    assert "  --dry-run " in runner.invoke(app, ["notify", "--help"]).output

