"""Weekly lists end to end: store -> outreach rows -> rendered e-mail -> outbox, exactly once."""

from __future__ import annotations

import csv
import datetime as dt
import io
from email import message_from_bytes, policy

from evictwatch.config import parse_config
from evictwatch.jobs.lists import send_weekly_lists
from evictwatch.jobs.mail import outbox_files
from pipeline.ingest import refresh_landlords
from pipeline.landlords import LandlordOverrides
from pipeline.prepare import prepare
from pipeline.store.ledger import Ledger
from scraper.records import Hearing, Party
from tests.test_store import record
from scraper.courts.va_gdc.vocab import VOCABULARY as VA_GDC

TODAY = dt.date(2026, 11, 30)  # Monday of 2026-W49


def populate(store):
    store.ensure_court("alexandria", "va-gdc", "510", "https://portal.example.invalid/gdcourts/")
    upcoming = (Hearing(date=dt.date(2026, 12, 3), time=dt.time(9, 30), type="Return", courtroom="COURTROOM 2B"),)
    cases = [
        record(case_number="GV26000501-00", matter_key="GV26000501", judgment=None, hearings=upcoming,
               defendants=(Party(name="PEÑA, JOSÉ", address="ALEXANDRIA, VA 22304", attorney="NONE"),)),
        record(case_number="GV26000502-00", matter_key="GV26000502", judgment=None, hearings=upcoming,
               defendants=(Party(name='=HYPERLINK("http://x","y")', address="ALEXANDRIA, VA 22311"),)),
        record(case_number="GV26000503-00", matter_key="GV26000503", judgment=None,
               hearings=(Hearing(date=dt.date(2026, 11, 2), result="Dismissed"),),
               defendants=(Party(name="CLOSED, CASE", address="ALEXANDRIA, VA 22304"),)),
    ]
    store.save([prepare(r, TODAY, "America/New_York", VA_GDC) for r in cases])
    refresh_landlords(store, LandlordOverrides.empty())


def config(tmp_path):
    cfg = parse_config({
        "http": {"user_agent": "t (ops@example.org)"},
        "notify": {"outbox": str(tmp_path / "outbox"), "sender": "Watch <watch@example.org>"},
        "partners": [{"name": "Everyone", "emails": ["all@example.org"]},
                     {"name": "Only 22304", "emails": ["z@example.org"], "filters": {"zips": ["22304"]}}],
        "courts": [{"id": "alexandria", "source": "va-gdc", "fips": "510",
                    "base_url": "https://portal.example.invalid/gdcourts/"}],
    }, "test")
    return cfg


def attachment_rows(message, suffix):
    part = next(p for p in message.iter_attachments() if p.get_filename().endswith(suffix))
    return list(csv.DictReader(io.StringIO(part.get_content().decode("utf-8-sig")
                                           if isinstance(part.get_content(), bytes) else part.get_content())))


def test_each_partner_gets_its_filtered_list_once(store, tmp_path):
    populate(store)
    cfg = config(tmp_path)
    results = {r.partner: r for r in send_weekly_lists(cfg, store, week="2026-W49")}
    assert {p: r.outcome.state for p, r in results.items()} == {"Everyone": "sent", "Only 22304": "sent"}
    assert results["Everyone"].rows == 2 and results["Only 22304"].rows == 1  # the dismissed case is closed
    files = outbox_files(cfg)
    assert len(files) == 2
    again = send_weekly_lists(cfg, store, week="2026-W49")
    assert {r.outcome.state for r in again} == {"already_sent"} and len(outbox_files(cfg)) == 2

    everyone = message_from_bytes(results["Everyone"].path and open(results["Everyone"].path, "rb").read(),
                                  policy=policy.default)
    assert everyone["To"] == "all@example.org"
    rows = attachment_rows(everyone, ".csv")
    numbers = [r[next(k for k in r if "case" in k.lower())] for r in rows]
    assert numbers == ["GV26000501-00", "GV26000502-00"]
    flat = ";".join(",".join(r.values()) for r in rows)
    assert "PEÑA, JOSÉ" in flat and "'=HYPERLINK" in flat
    html = everyone.get_body(("html",)).get_content()
    assert "PEÑA, JOSÉ" in html


def test_opted_out_households_never_appear(store, tmp_path):
    populate(store)
    cfg = config(tmp_path)
    Ledger(store.engine).opt_out("NAME|PENA|JOSE|22304", "GV26000501-00", "asked by phone")
    results = {r.partner: r for r in send_weekly_lists(cfg, store, week="2026-W49")}
    assert results["Everyone"].rows == 1 and results["Only 22304"].rows == 0


def test_dry_run_touches_no_ledger(store, tmp_path):
    populate(store)
    cfg = config(tmp_path)
    results = send_weekly_lists(cfg, store, week="2026-W49", dry_run=True)
    assert all(r.outcome.state == "dry_run" for r in results)
    assert len(list((tmp_path / "outbox-dry-run").rglob("*.eml"))) == 2
    assert Ledger(store.engine).get("Everyone|weekly_list|2026-W49") is None
    assert outbox_files(cfg) == []
