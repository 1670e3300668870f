"""The hearing-day docket sheet: the store's hearings of the day, by courtroom, printable."""

from __future__ import annotations

import datetime as dt
import re
import stat

from sqlalchemy import text
from typer.testing import CliRunner

from evictwatch.commands.app import app
from notify.docket import docket_rows, render_docket
from notify.render import CourtName
from pipeline.ingest import refresh_landlords
from pipeline.landlords import LandlordOverrides
from pipeline.prepare import prepare
from pipeline.store.ledger import Ledger
from pipeline.store.notices import heard_on
from scraper.base import Court
from scraper.courts import get_source
from scraper.courts.va_gdc.vocab import VOCABULARY
from scraper.records import Hearing, Party
from tests.test_store import record

DAY = dt.date(2026, 12, 2)
TODAY = dt.date(2026, 12, 1)
COURTS = {"alexandria": CourtName("Alexandria General District Court", "unlawful detainer")}
HOSTILE = "<script>alert(1)</script> & O'NEIL"


def populate(store) -> None:
    store.ensure_court(Court("alexandria", get_source("va-gdc"), "510", "https://portal.example.invalid/gdcourts/"))
    cases = []
    for n, (room, time, name) in enumerate([("COURTROOM 2B", dt.time(9, 30), "PEÑA, JOSÉ"),
                                             ("COURTROOM 2A", dt.time(9, 0), HOSTILE),
                                             ("COURTROOM 2A", dt.time(11, 0), "SMITH, ANA"),
                                             ("COURTROOM 2C", dt.time(10, 0), "OPTED, OUT")]):
        cases.append(record(case_number=f"GV26000{n + 1:03d}-00", matter_key=f"GV26000{n + 1:03d}", judgment=None,
                            defendants=(Party(name=name, address=f"ALEXANDRIA, VA 2230{n + 1}", attorney="NONE"),),
                            hearings=(Hearing(date=DAY - dt.timedelta(days=21), result="Continued", type="Return",
                                              courtroom=room),
                                      Hearing(date=DAY, time=time, type="Trial", courtroom=room))))
    cases.append(record(case_number="GV26000099-00", matter_key="GV26000099", judgment=None,  # another day
                        hearings=(Hearing(date=DAY + dt.timedelta(days=1), time=dt.time(9, 0), type="Return"),)))
    store.save([prepare(r, TODAY, "America/New_York", VOCABULARY) for r in cases])
    refresh_landlords(store, LandlordOverrides.empty())
    opted = next(c for c in heard_on(store, DAY) if c.case_number == "GV26000004-00")
    Ledger(store.engine).opt_out(opted.household, case_number=opted.case_number, reason="asked")


def test_the_sheet_holds_the_days_hearings_by_courtroom_and_time(store):
    populate(store)
    with store.engine.connect() as conn:
        expected = [tuple(r) for r in conn.execute(text(
            "SELECT h.courtroom, c.case_number FROM hearings h JOIN cases c ON c.id = h.case_id "
            "WHERE h.date = :d AND c.kind = 'eviction' AND c.case_number <> 'GV26000004-00' "
            "ORDER BY h.courtroom, h.time"), {"d": DAY})]
    rows = docket_rows(heard_on(store, DAY), DAY, opted_out=Ledger(store.engine).opted_out_households())
    assert [(r.courtroom, r.case_number) for r in rows] == expected  # the opted-out household is left out
    assert [r.case_number for r in rows] == ["GV26000002-00", "GV26000003-00", "GV26000001-00"]
    first = rows[0]
    assert first.continuances == 1 and first.status_text == "Continued" and first.attorney is None
    html = render_docket(rows, day=DAY, courts=COURTS, generated_at=dt.datetime(2026, 12, 1, 17, tzinfo=dt.UTC),
                         zones={"alexandria": "America/New_York"})
    assert "<script>alert" not in html and "&lt;script&gt;alert(1)&lt;/script&gt; &amp; O&#39;NEIL" in html
    # When it was made, in the court's own time (not the server's UTC).
    assert "PEÑA, JOSÉ" in html and "Wednesday 2026-12-02" in html and "generated Tue 2026-12-01 12:00 PM EST" in html
    assert re.findall(r'data-courtroom="([^"]+)"', html) == ["COURTROOM 2A", "COURTROOM 2B"]
    assert html.count('<td class="notes"></td>') == 3 and "OPTED, OUT" not in html
    empty = render_docket([], day=DAY, courts=COURTS, generated_at=dt.datetime(2026, 12, 1, tzinfo=dt.UTC))
    assert "No eviction hearings are set for this day." in empty


def test_the_command_prints_one_page_a_courtroom_to_pdf_and_keeps_the_files_private(store, tmp_path):
    populate(store)
    config = tmp_path / "c.yaml"
    config.write_text('http: {user_agent: "t (o@example.org)"}\n'
                      'courts:\n  - {id: alexandria, source: va-gdc, fips: "510", '
                      'base_url: "https://portal.example.invalid/gdcourts/"}\n')
    result = CliRunner().invoke(app, ["--config", str(config), "--db", str(store.engine.url), "docket",
                                      "--today", TODAY.isoformat(), "--out", str(tmp_path / "sheets")])
    assert result.exit_code == 0, result.output
    assert "docket 2026-12-02: 3 hearings in 2 courtrooms" in result.stdout  # the next court day by default
    html_path, pdf_path = tmp_path / "sheets" / "docket-2026-12-02.html", tmp_path / "sheets" / "docket-2026-12-02.pdf"
    for path in (html_path, pdf_path):
        assert stat.S_IMODE(path.stat().st_mode) == 0o600
    pdf = pdf_path.read_bytes()
    assert pdf.startswith(b"%PDF-") and len(re.findall(rb"/Type\s*/Page[^s]", pdf)) == 2  # a page a courtroom
    from playwright.sync_api import sync_playwright

    from scraper.browser import CHROMIUM_ARGS

    with sync_playwright() as pw:  # rendered as a browser shows it: every courtroom, every case
        browser = pw.chromium.launch(executable_path="/usr/bin/chromium", headless=True, args=CHROMIUM_ARGS)
        try:
            page = browser.new_page()
            page.set_content(html_path.read_text(encoding="utf-8"))
            rooms = page.locator("section h1").all_inner_texts()
            cases = page.locator("td.case").all_inner_texts()
        finally:
            browser.close()
    assert [r.rsplit("· ", 1)[1] for r in rooms] == ["COURTROOM 2A", "COURTROOM 2B"]
    assert cases == ["GV26000002-00", "GV26000003-00", "GV26000001-00"]
    friday = CliRunner().invoke(app, ["--config", str(config), "--db", str(store.engine.url), "docket", "--today",
                                      "2026-11-27", "--no-pdf", "--out", str(tmp_path / "sheets")])
    assert "docket 2026-11-30" in friday.stdout  # Friday's sheet is Monday's
    assert not (tmp_path / "sheets" / "docket-2026-11-30.pdf").exists()


def test_partners_get_the_next_court_days_sheet_once_with_their_filters(store, tmp_path):
    from email import message_from_bytes, policy

    from evictwatch.config import parse_config
    from evictwatch.jobs.docket import is_docket_due, send_docket_sheets
    from evictwatch.jobs.mail import outbox_files

    populate(store)
    config = parse_config({
        "http": {"user_agent": "t (ops@example.org)"},
        "notify": {"outbox": str(tmp_path / "outbox"), "sender": "Watch <watch@example.org>"},
        "partners": [{"name": "Volunteers", "emails": ["v@example.org"], "receives": ["docket_sheet"],
                      "filters": {"zips": ["22301", "22302"]}},
                     {"name": "Lists only", "emails": ["l@example.org"]}],
        "courts": [{"id": "alexandria", "source": "va-gdc", "code": "510",
                    "base_url": "https://portal.example.invalid/gdcourts/"}],
    }, "test")
    evening = dt.datetime(2026, 12, 1, 17, 0, tzinfo=dt.UTC)
    [sent] = send_docket_sheets(config, store, today=TODAY, now=evening)
    assert (sent.partner, sent.outcome.state, sent.rows) == ("Volunteers", "sent", 2)  # its two ZIP codes
    assert str(sent.key) == "Volunteers|docket_sheet|2026-12-02"
    message = message_from_bytes(open(sent.path, "rb").read(), policy=policy.default)
    assert message["Subject"] == "Eviction hearings Wed 2026-12-02: 2 (Volunteers)"
    parts = {p.get_filename(): p.get_payload(decode=True) for p in message.iter_attachments()}
    assert parts["eviction-docket-2026-12-02.pdf"].startswith(b"%PDF-")
    page = parts["eviction-docket-2026-12-02.html"].decode("utf-8")
    assert "GV26000001-00" in page and "GV26000002-00" in page and "GV26000003-00" not in page
    again = send_docket_sheets(config, store, today=TODAY, now=evening)
    assert [r.outcome.state for r in again] == ["already_sent"] and len(outbox_files(config)) == 1
    partner = config.partners[0]
    assert not is_docket_due(partner, evening.replace(hour=16, minute=59)) and is_docket_due(partner, evening)


def test_notify_sends_the_sheet_when_asked_and_with_the_rest_once_it_is_due(store, tmp_path):
    populate(store)
    config = tmp_path / "c.yaml"
    config.write_text('http: {user_agent: "t (o@example.org)"}\n'
                      f'notify: {{outbox: "{tmp_path}/outbox"}}\n'
                      'partners:\n  - {name: Volunteers, emails: [v@example.org], receives: [docket_sheet], '
                      'docket_time: "17:00"}\n'
                      'courts:\n  - {id: alexandria, source: va-gdc, fips: "510", '
                      'base_url: "https://portal.example.invalid/gdcourts/"}\n')
    base = ["--config", str(config), "--db", str(store.engine.url), "notify", "--today", TODAY.isoformat()]
    first = CliRunner().invoke(app, [*base, "--kind", "docket_sheet"])
    assert first.exit_code == 0, first.output
    assert "Volunteers (docket_sheet): sent, 3 hearings" in first.stdout
    again = CliRunner().invoke(app, base)  # a given day is all due: the sheet is not sent twice
    assert "Volunteers (docket_sheet): already_sent" in again.stdout
    resent = CliRunner().invoke(app, [*base, "--resend", "Volunteers|docket_sheet|2026-12-02"])
    assert "Volunteers (docket_sheet): sent, 3 hearings" in resent.stdout, resent.output


def test_old_docket_sheets_go_with_the_old_e_mails(store, tmp_path):
    import os

    from evictwatch.config import load_config
    from evictwatch.jobs.docket import make_docket
    from evictwatch.jobs.erasure import apply_retention

    populate(store)
    path = tmp_path / "c.yaml"
    path.write_text('http: {user_agent: "t (o@example.org)"}\n'
                    'courts:\n  - {id: alexandria, source: va-gdc, fips: "510", '
                    'base_url: "https://portal.example.invalid/gdcourts/"}\n')
    config = load_config(path)
    now = dt.datetime(2026, 12, 1, 12, tzinfo=dt.UTC)
    old = make_docket(config, store, DAY, out=config.dockets_path(), pdf=False, now=now).html_path
    fresh = make_docket(config, store, DAY + dt.timedelta(days=1), out=config.dockets_path(), pdf=False, now=now).html_path
    aged = (now - dt.timedelta(days=config.retention.outbox_days + 1)).timestamp()
    os.utime(old, (aged, aged))
    result = apply_retention(config, store, now=now)
    assert result.outbox_files == [old] and not old.exists() and fresh.exists()
