"""Hostile party names, from the portal's pages to every output: they come out neutralized.

The Virginia simulator names some tenants with spreadsheet formulas, markup, a CR/LF that
would forge a mail header and right-to-left overrides (`Docket(hostile_names=True)`). A whole
`evictwatch run` scrapes them and sends the weekly list, the alerts, the report, the docket
sheet and writes the calendar feed; then every e-mail, attachment and file is read back: no
formula a spreadsheet would run, no markup a browser would render, no forged header line, no
bidirectional control.
"""

from __future__ import annotations

import csv
import datetime as dt
import email
import io
from email import policy
from pathlib import Path

import openpyxl
import pytest

from evictwatch.config import load_config
from evictwatch.jobs.cycle import run_cycle
from evictwatch.jobs.docket import make_docket, next_docket_day
from pipeline.store.repo import Store
from scraper.courts import get_source
from scraper.courts.va_gdc.sim.docket import HOSTILE_NAMES
from tests.ops_support import fast_governor, open_store

MONDAY = dt.date(2026, 11, 2)
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
BIDI = ("\u202e", "\u202c", "\u200f", "\u2066")


@pytest.fixture
def hostile_site(tmp_path):
    sim = get_source("va-gdc").simulator(seed=5, today=MONDAY, hostile_names=True)
    running = sim.start(host="127.0.0.1", port=0)
    (tmp_path / "config.yaml").write_text(
        'http: {user_agent: "evictwatch-test (ops@example.org)", max_concurrency_per_host: 4}\n'
        'scrape: {window: {look_back_days: 3, look_ahead_days: 14}, browser_check: false}\n'
        'notify: {outbox: outbox, operators: [ops@example.org]}\n'
        'reports: {folder: reports, dockets_folder: dockets}\n'
        'partners:\n'
        '  - {name: Legal Aid, emails: [intake@example.org], docket_time: "00:00", calendar_file: calendars/aid.ics,\n'
        '     receives: [weekly_list, urgent_alerts, weekly_report, docket_sheet, calendar]}\n'
        f'courts:\n  - {{id: alexandria, source: va-gdc, code: "510", base_url: "{running.base_url}", '
        'rate_limit_per_s: 50}\n', encoding="utf-8")
    yield tmp_path
    running.stop()


def _parts(folder: Path):
    """(file name, content type, text or bytes) of every part of every e-mail in the outbox."""
    for path in sorted((folder / "outbox").rglob("*.eml")):
        message = email.message_from_bytes(path.read_bytes(), policy=policy.default)
        for header, value in message.items():
            yield path.name, "header", f"{header}: {value}"
        for part in message.walk():
            if part.is_multipart():
                continue
            yield path.name, part.get_content_type(), part.get_content()


def _cells(content_type: str, content) -> list[str]:
    if content_type == "text/csv":
        return [cell for row in csv.reader(io.StringIO(content)) for cell in row]
    if content_type.endswith("spreadsheetml.sheet"):
        book = openpyxl.load_workbook(io.BytesIO(content))
        return [str(cell.value) for sheet in book for row in sheet.iter_rows() for cell in row
                if cell.value is not None and (cell.data_type == "f" or isinstance(cell.value, str))]
    return []


@pytest.mark.timeout(240)
def test_hostile_names_come_out_of_every_output_neutralized(hostile_site):
    config = load_config(hostile_site / "config.yaml")
    store: Store = open_store(hostile_site)
    result = run_cycle(config, store, today=MONDAY, governor=fast_governor(config))
    assert result.exit_code == 0
    stored = {p.name for r in store.iter_cases() for p in r.defendants}
    for marker in ("=HYPERLINK(", "<script>", "CARTER Bcc:"):  # the CR/LF folded to a space
        assert any(marker in n for n in stored), marker
    assert not any(c in n for n in stored for c in BIDI + ("\r", "\n"))  # the parser drops those

    seen = {"csv": 0, "xlsx": 0, "html": 0}
    for name, content_type, content in _parts(hostile_site):
        text = content if isinstance(content, str) else ""
        assert not any(c in text for c in BIDI), f"{name} {content_type}: a bidirectional control"
        if content_type == "header":
            assert "evil.example" not in text, f"{name}: a name forged a header: {text[:120]}"
            continue
        for cell in _cells(content_type, content):
            seen["csv" if content_type == "text/csv" else "xlsx"] += "HYPERLINK" in cell
            assert not cell.startswith(FORMULA_STARTS), f"{name} {content_type}: a formula cell {cell[:60]!r}"
        if content_type == "text/html":
            assert "<script>alert(1)" not in text and "<b>BOLD</b>" not in text, f"{name}: markup from a name"
            seen["html"] += "&lt;script&gt;alert(1)" in text
    assert all(seen.values()), seen  # the names did reach a CSV, a spreadsheet and a page

    day = next_docket_day(config, MONDAY)
    assert make_docket(config, store, day, out=hostile_site / "dockets", pdf=False).hearings  # as `evictwatch docket`
    feeds = list((hostile_site / "calendars").glob("*.ics"))
    sheets = list((hostile_site / "dockets").glob("*.html"))
    reports = list((hostile_site / "reports").rglob("*.html"))
    assert feeds and sheets and reports
    for path in feeds + sheets + reports:
        text = path.read_text(encoding="utf-8")
        assert not any(c in text for c in BIDI), path.name
        assert "<script>alert(1)" not in text and "<b>BOLD</b>" not in text, path.name
        assert not any(line.lower().startswith("bcc:") for line in text.splitlines()), path.name
    assert any("CARTER" in path.read_text(encoding="utf-8") for path in feeds + sheets)
    assert len(HOSTILE_NAMES) >= 6
