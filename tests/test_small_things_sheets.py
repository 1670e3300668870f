"""Issue 28, point 7, on paper and in a calendar app: the docket sheet's columns, page numbers and
one header; the calendar's past hearings with their own result, the court's time and the lookup."""

from __future__ import annotations

import datetime as dt
import re
import zlib
from decimal import Decimal

from icalendar import Calendar

from evictwatch.jobs.docket import print_pdf
from notify.calendar import hearings_calendar
from notify.docket import DocketRow, render_docket
from notify.render import CourtName
from pipeline.prepare import prepare
from pipeline.store.notices import eviction_cases
from scraper.base import Court
from scraper.courts import get_source
from scraper.courts.va_gdc.vocab import VOCABULARY
from scraper.records import Hearing, Judgment, Party
from tests.test_store import record

DAY = dt.date(2026, 12, 2)
COURTS = {"alexandria": CourtName("Alexandria General District Court", "unlawful detainer"),
          "travis-jp5": CourtName("Travis County Justice of the Peace, Precinct Five", "eviction")}
ZONES = {"alexandria": "America/New_York", "travis-jp5": "America/Chicago"}
HOUSEHOLDS = [("RODRIGUEZ-HERNANDEZ, MARIA GUADALUPE", "RODRIGUEZ-HERNANDEZ, JOSE LUIS", "ALL OTHER OCCUPANTS"),
              ("MORGAN, ABDUL T", "LONG, JAMES"), ("SMITH, DOROTHY E",)]


def _rows() -> list[DocketRow]:
    """Two Virginia courtrooms and an Odyssey precinct whose location is the court itself."""
    rows = []
    for n in range(36):
        texas = n >= 24
        rows.append(DocketRow(
            court="travis-jp5" if texas else "alexandria", courtroom="Precinct Five" if texas else f"COURTROOM 2{'AB'[n % 2]}",
            time=dt.time(9 + n % 3, 30), hearing_type="Eviction Hearing" if texas else "Return",
            case_number=f"J5-CV-26-{n:06d}" if texas else f"GV26{n:06d}-00", defendants=HOUSEHOLDS[n % 3],
            zip5="78741" if texas else "22304", landlord="ORCHARD RIDGE APARTMENTS LLC",
            filed_as="ORCHARD RIDGE APTS, L.L.C. T/A ORCHARD RIDGE", amount=Decimal("12480.55") if n % 2 else None,
            status_text="Hearing set", continuances=n % 3, prior_cases=1, attorney=None))
    return rows


def _pdf_page_texts(pdf: bytes) -> list[str]:
    """Each page's text, read through the fonts' ToUnicode maps (Chromium writes glyph ids)."""
    streams = []
    for raw in re.findall(rb"stream\r?\n(.*?)\r?\nendstream", pdf, re.S):
        try:
            streams.append(zlib.decompress(raw))
        except zlib.error:
            continue
    maps = []
    for data in (s for s in streams if b"begincmap" in s):
        table: dict[int, str] = {}
        for block in re.findall(rb"beginbfchar(.*?)endbfchar", data, re.S):
            for src, dst in re.findall(rb"<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>", block):
                table[int(src, 16)] = bytes.fromhex(dst.decode()).decode("utf-16-be")
        for block in re.findall(rb"beginbfrange(.*?)endbfrange", data, re.S):
            for low, high, dst in re.findall(rb"<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>", block):
                for offset, code in enumerate(range(int(low, 16), int(high, 16) + 1)):
                    table[code] = chr(int(dst, 16) + offset)
        maps.append(table)
    pages = []
    for data in (s for s in streams if b"Tj" in s):
        glyphs = [int(h[i:i + 4], 16) for h in re.findall(rb"<([0-9A-Fa-f]+)>\s*Tj", data) for i in range(0, len(h), 4)]
        pages.append(" | ".join("".join(m.get(g, "") for g in glyphs) for m in maps))  # each font's reading
    return pages


def test_the_printed_sheet_numbers_its_pages_fits_names_and_says_the_court_once():
    from playwright.sync_api import sync_playwright

    from scraper.browser import CHROMIUM_ARGS

    html = render_docket(_rows(), day=DAY, courts=COURTS, zones=ZONES,
                         generated_at=dt.datetime(2026, 12, 1, 22, 5, tzinfo=dt.UTC))
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path="/usr/bin/chromium", headless=True, args=CHROMIUM_ARGS)
        try:
            page = browser.new_page(viewport={"width": 980, "height": 700})  # landscape Letter less its margins
            page.emulate_media(media="print")
            page.set_content(html)
            titles = page.locator("section h1").all_inner_texts()
            subs = page.locator("section .sub").all_inner_texts()
            # Lines per tenant cell, against the names it holds (one a line).
            cells = page.evaluate("""() => [...document.querySelectorAll('td.tenants')].map(td => {
                const text = document.createRange();
                text.selectNodeContents(td);  // the names' own height, not the row's
                const lines = text.getBoundingClientRect().height / parseFloat(getComputedStyle(td).lineHeight);
                return [Math.round(lines), td.innerText.split('\\n').length];
            })""")
            overflowing = page.evaluate("""() => [...document.querySelectorAll('td')]
                .filter(td => td.scrollWidth > td.clientWidth + 1).map(td => td.innerText)""")
        finally:
            browser.close()
    assert titles == ["Eviction hearings · Alexandria General District Court · COURTROOM 2A",
                      "Eviction hearings · Alexandria General District Court · COURTROOM 2B",
                      "Eviction hearings · Travis County Justice of the Peace, Precinct Five"]  # not "... Five · Precinct Five"
    assert "generated Tue 2026-12-01 5:05 PM EST" in subs[0] and "generated Tue 2026-12-01 4:05 PM CST" in subs[2]
    # A name takes at most two lines (a household of three long names: not four or five lines each).
    assert cells and all(lines <= 2 * names for lines, names in cells), cells
    assert max(lines for lines, names in cells if names == 1) == 1
    assert overflowing == []  # no case number or amount runs into the next column
    pdf = print_pdf(html, "/usr/bin/chromium")
    pages = _pdf_page_texts(pdf)
    total = len(re.findall(rb"/Type\s*/Page[^s]", pdf))
    assert total >= 3 and len(pages) == total
    for number, text in enumerate(pages, start=1):
        assert f"page {number} of {total}" in text and "Eviction hearings Wednesday 2026-12-02" in text


def test_a_calendars_past_hearing_carries_its_own_result_the_courts_time_and_the_lookup(store):
    store.ensure_court(Court("alexandria", get_source("va-gdc"), "510", "https://portal.example.invalid/gdcourts/"))
    today = dt.date(2026, 12, 1)
    judged = record(case_number="GV26000601-00", matter_key="GV26000601",
                    defendants=(Party(name="PEÑA, JOSÉ", address="ALEXANDRIA, VA 22304", attorney="NONE"),),
                    hearings=(Hearing(date=dt.date(2026, 11, 10), time=dt.time(9, 0), result="Continued", type="Return",
                                      courtroom="COURTROOM 2B"),
                              Hearing(date=dt.date(2026, 11, 24), time=dt.time(9, 30), result="Default Judgment",
                                      type="Return", courtroom="COURTROOM 2B")),
                    judgment=Judgment(judgment="Plaintiff", possession=True))
    waiting = record(case_number="GV26000602-00", matter_key="GV26000602", judgment=None,
                     hearings=(Hearing(date=dt.date(2026, 11, 26), time=dt.time(9, 0), type="Return"),  # no result yet
                               Hearing(date=dt.date(2026, 12, 8), time=dt.time(13, 30), type="Trial",
                                       courtroom="COURTROOM 2A")))
    store.save([prepare(r, today, "America/New_York", VOCABULARY) for r in (judged, waiting)])
    cal = Calendar.from_ical(hearings_calendar(
        eviction_cases(store), partner="Volunteers", since=today - dt.timedelta(days=30),
        until=today + dt.timedelta(days=30), courts=COURTS, zones=ZONES, revisions={}, today=today,
        generated_at=dt.datetime(2026, 12, 1, 12, tzinfo=dt.UTC),
        portals={"alexandria": "https://eapps.courts.state.va.us/gdcourts/"}).to_ical())
    events = {str(e["UID"]).split("@")[0]: e for e in cal.walk("VEVENT")}
    text = {uid: str(e["DESCRIPTION"]) for uid, e in events.items()}
    # The case stands at a judgment now; its first hearing was continued, and says so.
    assert "Result: Continued" in text["alexandria.GV26000601-00.hearing-1"]
    assert "Judgment for landlord" not in text["alexandria.GV26000601-00.hearing-1"]
    assert "Result: Default judgment" in text["alexandria.GV26000601-00.hearing-2"]
    assert "Result: No result recorded yet" in text["alexandria.GV26000602-00.hearing-1"]
    upcoming = text["alexandria.GV26000602-00.hearing-2"]
    assert "Status: Hearing set" in upcoming and "Result:" not in upcoming
    # Where to look the case up, as the lists say it, and as the event's link; the start in the court's zone.
    assert str(events["alexandria.GV26000602-00.hearing-2"]["DTSTART"].params["TZID"]) == "America/New_York"
    assert "Look it up: https://eapps.courts.state.va.us/gdcourts/ — case GV26000602-00" in upcoming
    assert str(events["alexandria.GV26000602-00.hearing-2"]["URL"]) == "https://eapps.courts.state.va.us/gdcourts/"
    assert str(events["alexandria.GV26000602-00.hearing-2"]["LOCATION"]) == \
        "Alexandria General District Court, COURTROOM 2A"
