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
from scraper.base import Court
from scraper.courts import get_source
from scraper.records import Hearing, Party
from tests.test_store import record
from scraper.courts.va_gdc.vocab import VOCABULARY as VA_GDC

TODAY = dt.date(2026, 11, 30)  # Monday of 2026-W49


def populate(store):
    store.ensure_court(Court("alexandria", get_source("va-gdc"), "510", "https://portal.example.invalid/gdcourts/"))
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


def test_what_cannot_wait_is_on_the_list_in_its_tier(store):
    """A hearing through the third court day, a default judgment inside its set-aside window (10
    days in Virginia) and a writ out and not executed (14 days) put a case in its tier, even a
    case not new and with no hearing ahead: what counts is the case's state at the list's moment,
    not when evictwatch learned of it. A hearing earlier that morning is nobody's next hearing."""
    from decimal import Decimal
    from zoneinfo import ZoneInfo

    from notify.outreach import Filters, outreach_rows
    from notify.urgency import CourtClock, CourtClocks, Tier
    from scraper.records import Judgment

    store.ensure_court(Court("alexandria", get_source("va-gdc"), "510", "https://portal.example.invalid/gdcourts/"))
    last_list = dt.datetime(2026, 11, 23, 12, 0, tzinfo=dt.timezone.utc)

    def writ(issued):
        return Judgment(judgment="Plaintiff", principal=Decimal("900.00"), possession=True, writ_issued_date=issued)

    def on(day, hour):
        return (Hearing(date=day, time=dt.time(hour, 30), type="Return"),)

    heard = Hearing(date=dt.date(2026, 11, 2), result="Judgment", type="Return")
    cases = [
        record(case_number="GV26000601-00", matter_key="GV26000601", hearings=(heard,), judgment=writ(dt.date(2026, 11, 26))),
        record(case_number="GV26000602-00", matter_key="GV26000602", hearings=(heard,), judgment=writ(dt.date(2026, 11, 20))),
        record(case_number="GV26000603-00", matter_key="GV26000603",
               hearings=(Hearing(date=dt.date(2026, 11, 25), result="Default Judgment", type="Return"),),
               judgment=Judgment(judgment="Plaintiff", possession=True)),
        record(case_number="GV26000604-00", matter_key="GV26000604", judgment=None,
               hearings=on(dt.date(2026, 12, 2), 9)),
        record(case_number="GV26000605-00", matter_key="GV26000605", judgment=None,
               hearings=on(dt.date(2026, 12, 3), 9)),
        record(case_number="GV26000606-00", matter_key="GV26000606", hearings=(heard,), judgment=writ(dt.date(2026, 10, 20))),
        record(case_number="GV26000607-00", matter_key="GV26000607",
               hearings=(Hearing(date=dt.date(2026, 11, 2), result="Default Judgment", type="Return"),),
               judgment=Judgment(judgment="Plaintiff", possession=True)),
        record(case_number="GV26000608-00", matter_key="GV26000608", judgment=None, hearings=on(TODAY, 6)),
        record(case_number="GV26000609-00", matter_key="GV26000609", judgment=None, hearings=on(TODAY, 9)),
    ]
    store.save([prepare(r, TODAY, "America/New_York", VA_GDC) for r in cases],
               now=dt.datetime(2026, 11, 2, tzinfo=dt.timezone.utc))  # all seen long before the last list
    seven = CourtClock(dt.datetime.combine(TODAY, dt.time(7, 0), tzinfo=ZoneInfo("America/New_York")),
                       set_aside_days=10)
    rows = outreach_rows(store, Filters(), clocks=CourtClocks(seven), new_since=last_list, opted_out=set(),
                         portal={"alexandria": "https://portal.example.invalid/gdcourts/"})
    found = {r.case_number: (r.tiers, r.default_on or r.writ_on, r.hearing_date) for r in rows}
    assert found == {
        "GV26000609-00": ((Tier.HEARING_SOON,), None, TODAY),  # 9:30 this morning: ahead of the 7:00 list
        "GV26000604-00": ((Tier.HEARING_SOON,), None, dt.date(2026, 12, 2)),  # the third court day
        "GV26000603-00": ((Tier.DEFAULT_JUDGMENT,), dt.date(2026, 11, 25), None),
        "GV26000602-00": ((Tier.WRIT_ISSUED,), dt.date(2026, 11, 20), None),  # dated before the last list
        "GV26000601-00": ((Tier.WRIT_ISSUED,), dt.date(2026, 11, 26), None),
        "GV26000605-00": ((), None, dt.date(2026, 12, 3)),  # on the list for its hearing, not urgent
    }  # 606's writ is 41 days old, 607's default 28 days, 608 heard at 6:30: neither new nor near, off the list
    assert list(found) == [r.case_number for r in rows]  # the body's order
    assert next(r for r in rows if r.case_number == "GV26000603-00").set_aside_until == dt.date(2026, 12, 5)
    evening = CourtClocks(CourtClock(seven.now.replace(hour=17), set_aside_days=10))
    later = {r.case_number: r for r in outreach_rows(store, Filters(), clocks=evening, new_since=last_list,
                                                     opted_out=set(), portal={})}
    assert "GV26000609-00" not in later  # its hearing has passed by 17:00: not shown as next
    no_window = CourtClocks(CourtClock(seven.now))  # a court system that states no set-aside window
    assert "GV26000603-00" not in {r.case_number for r in outreach_rows(
        store, Filters(), clocks=no_window, new_since=last_list, opted_out=set(), portal={})}


def test_status_counts_the_e_mails_sent_and_pending_by_kind(store, tmp_path):
    from sqlalchemy import update
    from sqlmodel import Session
    from typer.testing import CliRunner

    from evictwatch.commands.app import app
    from evictwatch.commands.status import status_report
    from pipeline.store import models as m

    populate(store)
    cfg = config(tmp_path)
    send_weekly_lists(cfg, store, week="2026-W49")
    sent_at = dt.datetime(2026, 11, 30, 8, 0, tzinfo=dt.timezone.utc)  # the ledger's clock is the wall's
    with Session(store.engine) as session:
        session.execute(update(m.Delivery).values(updated_at=sent_at, created_at=sent_at))
        session.add(m.Delivery(key="Everyone|urgent_alerts|2026-11-30.1", partner="Everyone", kind="urgent_alerts",
                               period="2026-11-30.1", state="failed", message_id="<x@y>", transport="outbox",
                               created_at=sent_at, updated_at=sent_at))
        session.add(m.Delivery(key="operators|operator_held|2026-11-30", partner="operators", kind="operator_held",
                               period="2026-11-30", state="unknown", message_id="<z@y>", transport="outbox",
                               created_at=sent_at, updated_at=sent_at))
        session.commit()
    that_week = status_report(cfg, store, today=dt.date(2026, 12, 1))["emails"]
    assert that_week == [
        {"kind": "operator_held", "sent": 0, "sent_last_7_days": 0, "last_sent": None, "failed": 0, "held": 1},
        {"kind": "urgent_alerts", "sent": 0, "sent_last_7_days": 0, "last_sent": None, "failed": 1, "held": 0},
        {"kind": "weekly_list", "sent": 2, "sent_last_7_days": 2, "last_sent": "2026-11-30T08:00:00+00:00",
         "failed": 0, "held": 0},
    ]
    later = {e["kind"]: e for e in status_report(cfg, store, today=dt.date(2026, 12, 14))["emails"]}
    assert later["weekly_list"]["sent"] == 2 and later["weekly_list"]["sent_last_7_days"] == 0
    config_file = tmp_path / "c.yaml"
    config_file.write_text('http: {user_agent: "t (o@example.org)"}\n'
                           f'notify: {{outbox: "{tmp_path}/outbox"}}\n'
                           'courts:\n  - {id: alexandria, source: va-gdc, fips: "510", '
                           'base_url: "https://portal.example.invalid/gdcourts/"}\n')
    shown = CliRunner().invoke(app, ["--config", str(config_file), "--db", str(store.engine.url), "status",
                                     "--today", "2026-12-01"])
    lines = [" ".join(ln.replace("│", " ").split()) for ln in shown.stdout.splitlines()]
    assert "weekly lists 2 2 2026-11-30 08:00 0 0" in lines
    assert "urgent alerts 0 0 never 1 0" in lines and "to operators: held 0 0 never 0 1" in lines
