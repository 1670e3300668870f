"""Canvass sheets by building (issue 32): a week's new filings grouped by the landlord's
trading-as name within its group, with the address and units staff gave in properties.yaml."""

from __future__ import annotations

import datetime as dt
import re
import stat

from typer.testing import CliRunner

from evictwatch.commands.app import app
from pipeline.landlords import LandlordOverrides
from pipeline.prepare import prepare
from pipeline.ingest import refresh_landlords
from scraper.base import Court
from scraper.courts import get_source
from scraper.courts.va_gdc.vocab import VOCABULARY as VA_GDC
from scraper.records import CaseRecord, Hearing, Party

MONDAY = dt.date(2026, 11, 23)
CONFIG = """\
http: {user_agent: "evictwatch-test (ops@example.org)"}
courts:
  - {id: alexandria, source: va-gdc, code: "510", base_url: "http://127.0.0.1:9/gdcourts/", name: Alexandria GDC}
partners:
  - {name: Tenant Organizers, emails: [door@example.org]}
"""
PLAINTIFFS = ["BRADDOCK OWNER LLC T/A THE BRADDOCK", "BRADDOCK OWNER LLC T/A THE BRADDOCK",
              "BRADDOCK OWNER LLC T/A THE BRADDOCK", "BRADDOCK OWNER LLC T/A MONROE TERRACE", "SMITH, JOHN",
              "BRADDOCK OWNER LLC T/A THE BRADDOCK"]


def case(n: int, filed: dt.date, plaintiff: str) -> CaseRecord:
    return CaseRecord(
        court="alexandria", case_number=f"GV26{n:06d}-00", matter_key=f"GV26{n:06d}", filed_date=filed,
        case_type="Unlawful Detainer", plaintiffs=(Party(name=plaintiff, address="ALEXANDRIA, VA 22314"),),
        defendants=(Party(name=f"TENANT{n}, PAT", address="ALEXANDRIA, VA 22314"),),
        hearings=(Hearing(date=filed + dt.timedelta(days=21 + n % 2), time=dt.time(9), type="Return"),))


def test_the_weeks_filings_by_building_with_staffs_addresses_and_units(store, tmp_path):
    store.ensure_court(Court("alexandria", get_source("va-gdc"), "510", "https://portal.example.invalid/gdcourts/"))
    records = [case(n, MONDAY + dt.timedelta(days=n % 5), p) for n, p in enumerate(PLAINTIFFS, start=1)]
    records.append(case(9, MONDAY - dt.timedelta(days=3), PLAINTIFFS[0]))  # the week before: not on the sheet
    store.save([prepare(r, MONDAY + dt.timedelta(days=7), "America/New_York", VA_GDC) for r in records])
    refresh_landlords(store, LandlordOverrides.empty())
    with store.engine.connect() as conn:  # a household that asked not to be contacted is not on the sheet
        household = conn.exec_driver_sql("SELECT household_key FROM cases WHERE case_number = 'GV26000002-00'").scalar()
    store.ledger.opt_out(household, "GV26000002-00")
    (tmp_path / "config.yaml").write_text(CONFIG)
    (tmp_path / "properties.yaml").write_text(
        "properties:\n  - {trading_as: The Braddock, address: '1200 Braddock Pl, Alexandria, VA 22314', units: 200}\n")
    args = ["--config", str(tmp_path / "config.yaml"), "--db", str(store.engine.url), "canvass",
            "--partner", "Tenant Organizers", "--week", "2026-W48", "--out", str(tmp_path / "sheets")]
    done = CliRunner().invoke(app, args)
    assert done.exit_code == 0, done.output
    assert "canvass sheet for 2026-W48: 5 cases in 3 buildings (1 without an address in properties.yaml)" in done.stdout
    html = (tmp_path / "sheets" / "canvass-2026-W48.html").read_text(encoding="utf-8")
    sections = re.findall(r"<h2>(.*?)</h2>\s*<div class=\"facts\">(.*?)</div>", html)
    assert sections[0][0] == "THE BRADDOCK (BRADDOCK OWNER LLC)"
    assert sections[0][1].startswith("3 filings this week · 1200 Braddock Pl, Alexandria, VA 22314 · 1.5 per 100 "
                                     "units (200 units) · first hearings")
    assert [s[0] for s in sections[1:]] == ["MONROE TERRACE (BRADDOCK OWNER LLC)", "SMITH, JOHN (no building named)"]
    assert "GV26000009-00" not in html and "TENANT1, PAT" in html and "TENANT2" not in html
    assert "Buildings with no street address in properties.yaml: MONROE TERRACE" in html
    pdf = tmp_path / "sheets" / "canvass-2026-W48.pdf"
    assert pdf.read_bytes().startswith(b"%PDF-")
    assert stat.S_IMODE(pdf.stat().st_mode) == 0o600
    (tmp_path / "properties.yaml").write_text("properties:\n  - {trading_as: X, address: Y, units: many}\n")
    refused = CliRunner().invoke(app, args)
    assert refused.exit_code == 2 and "`units` is a whole number above 0" in refused.output
