"""Rendering the outreach list and alert digest: hostile names stay inert in CSV, XLSX, HTML, text."""

from __future__ import annotations

import csv
import dataclasses
import io
import re
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal

import openpyxl
import pytest
from jinja2 import UndefinedError

from notify.listlayout import in_body_order
from notify.render import (
    COLUMNS,
    AlertItem,
    CourtName,
    OutreachRow,
    courts_text,
    environment,
    neutralize,
    render_alerts,
    render_outreach,
    rows_csv,
    rows_xlsx,
)
from notify.urgency import Tier

AT = datetime(2026, 11, 27, 14, 0, tzinfo=UTC)
COURTS = {"alexandria": CourtName("Alexandria General District Court", "unlawful detainer")}
PORTAL = "https://portal.example.invalid/gdcourts/"
HOSTILE = [
    '=HYPERLINK("http://x","y")', "+1", "-2", "@SUM(A1)", "\tTAB", "\rCR",
    "<script>alert(1)</script>", 'Tom & Jerry "quoted"', "SMITH\r\nBcc: x@y", "PEÑA, JOSÉ", "MUÑOZ",
]
FORMULAS = HOSTILE[:6]


def row(n: int, name: str, *, amount: Decimal | None = None, hearing: date | None = date(2026, 12, 1),
        attorney: str | None = None) -> OutreachRow:
    case = f"GV26{n:06d}-00"
    return OutreachRow(
        court="Alexandria", case_number=case, filed_date=date(2026, 11, 2), hearing_date=hearing,
        hearing_time=time(9, 30) if hearing else None, courtroom="2B" if hearing else None,
        hearing_type="Return" if hearing else None, defendants=(name,), zip5="22304",
        street="123 MAIN ST", landlord=name, filed_as=name, amount=amount, status="hearing_scheduled",
        continuances=1, prior_cases=2, attorney=attorney, lookup_url=PORTAL,
    )


ROWS = [row(i + 1, name, amount=Decimal(1250) if i == 0 else None) for i, name in enumerate(HOSTILE)]


def csv_records(data: bytes) -> list[list[str]]:
    assert data.startswith(b"\xef\xbb\xbf")
    return list(csv.reader(io.StringIO(data.decode("utf-8-sig"), newline="")))


def col(header: str) -> int:
    return [h for h, _ in COLUMNS].index(header)


@pytest.mark.parametrize("text", FORMULAS + ["\nLF", " =1+1", "\uff1dSUM(A1)"])
def test_neutralize_prefixes_formula_starts(text):
    assert neutralize(text) == "'" + text


@pytest.mark.parametrize("text", ["PEÑA, JOSÉ", "Tom & Jerry", "", "1250.00", "a=b", "O'BRIEN"])
def test_neutralize_leaves_ordinary_text(text):
    assert neutralize(text) == text


def test_csv_neutralizes_flattens_and_keeps_accents():
    records = csv_records(rows_csv(ROWS))
    assert records[0] == [h for h, _ in COLUMNS]
    body = records[1:]
    assert len(body) == len(ROWS)  # a CR/LF inside a name does not add a record
    names = [r[col("Defendants")] for r in body]
    for name in names[:len(FORMULAS)]:
        assert name.startswith("'")
    for r in body:
        for cell in r:
            assert not cell.startswith(("=", "+", "-", "@", "\t", "\r"))
            assert "\r" not in cell and "\n" not in cell
    assert names[0] == "'=HYPERLINK(\"http://x\",\"y\")"
    assert names[8] == "SMITH Bcc: x@y"
    assert names[9] == "PEÑA, JOSÉ" and names[10] == "MUÑOZ"
    assert names[7] == 'Tom & Jerry "quoted"'
    first = body[0]
    assert first[col("Filed")] == "2026-11-02" and first[col("Next hearing")] == "2026-12-01"
    assert first[col("Time")] == "09:30"
    assert first[col("Amount")] == "1250.00"
    assert all(r[col("Amount")] == "" for r in body[1:])  # no judgment yet: blank, not 0
    assert first[col("Attorney")] == ""


def test_csv_joins_defendants_and_neutralizes_the_cell():
    two = row(1, "x")
    two = OutreachRow(**{**{f: getattr(two, f) for f in two.__slots__}, "defendants": ("=A1", "MUÑOZ")})
    records = csv_records(rows_csv([two]))
    assert records[1][col("Defendants")] == "'=A1; MUÑOZ"


def test_xlsx_has_no_formulas_real_dates_and_numeric_amounts():
    wb = openpyxl.load_workbook(io.BytesIO(rows_xlsx(ROWS)))
    ws = wb.active
    header = [c.value for c in ws[1]]
    assert header == [h for h, _ in COLUMNS]
    assert all(c.font.bold for c in ws[1]) and ws.freeze_panes == "A2"
    for line in ws.iter_rows():
        for cell in line:
            assert cell.data_type != "f"
            assert not (isinstance(cell.value, str) and cell.value.startswith("="))
    data = list(ws.iter_rows(min_row=2, values_only=True))
    assert len(data) == len(ROWS)
    names = [r[col("Defendants")] for r in data]
    assert all(n.startswith("'") for n in names[:len(FORMULAS)])
    assert names[9] == "PEÑA, JOSÉ" and names[10] == "MUÑOZ" and names[8] == "SMITH Bcc: x@y"
    first = data[0]
    assert isinstance(first[col("Filed")], datetime) and first[col("Filed")].date() == date(2026, 11, 2)
    assert first[col("Next hearing")].date() == date(2026, 12, 1)
    assert first[col("Amount")] == 1250 and isinstance(first[col("Amount")], (int, float))
    assert ws.cell(row=2, column=col("Amount") + 1).number_format == "#,##0.00"
    assert all(r[col("Amount")] is None for r in data[1:])
    assert first[col("Continuances")] == 1 and first[col("Prior cases")] == 2
    text_cells = [ws.cell(row=r, column=col("Defendants") + 1) for r in range(2, len(ROWS) + 2)]
    assert all(c.data_type == "s" for c in text_cells)
    assert all(ws.column_dimensions[letter].width >= 8 for letter in "ABCDEFGHIJKLMNOPQR")


def test_xlsx_is_deterministic():
    assert rows_xlsx(ROWS, generated_at=AT) == rows_xlsx(ROWS, generated_at=AT)


def test_html_escapes_and_keeps_accents():
    out = render_outreach("Legal Aid Justice Center", "2026-W48", ROWS, courts=COURTS, generated_at=AT)
    assert "<script>" not in out.html and "&lt;script&gt;" in out.html
    assert "Tom &amp; Jerry &#34;quoted&#34;" in out.html
    assert "PEÑA, JOSÉ" in out.html and "MUÑOZ" in out.html
    assert "$1,250.00" in out.html and "$0" not in out.html and "0.00" not in out.html.replace("1,250.00", "")
    assert '<a href="https://portal.example.invalid/gdcourts/"' in out.html
    assert 'name="viewport"' in out.html  # the layout inline; <style> holds only media queries for narrow screens
    assert all(b.strip().startswith("@media") for b in re.findall(r"<style>(.*?)</style>", out.html, re.S))
    assert out.subject == f"Eviction outreach list 2026-W48: {len(ROWS)} cases (Legal Aid Justice Center)"
    assert out.filename_stem == "eviction-outreach-2026-w48-legal-aid-justice-center"


def test_text_keeps_layout_and_order():
    out = render_outreach("LAJC", "2026-W48", ROWS, courts=COURTS, generated_at=AT)
    assert "\r" not in out.text
    lines = out.text.split("\n")
    case_lines = [ln for ln in lines if "GV26" in ln]
    assert len(case_lines) == len(ROWS)  # one line a case: a CR/LF in a name does not break it
    assert "SMITH Bcc: x@y" in case_lines[8] and "PEÑA, JOSÉ" in case_lines[9]
    assert not any(ln.startswith("Bcc:") for ln in lines)
    positions = [out.text.index(r.case_number) for r in ROWS]
    assert positions == sorted(positions)
    assert "Tue 2026-12-01 · Courtroom 2B" in out.text
    assert "9:30 AM Return  GV26000001-00  '=HYPERLINK" not in out.text  # text is not a spreadsheet
    assert "Amount: $1,250.00" in out.text and "Attorney: none" in out.text
    assert PORTAL in out.text


def test_body_groups_by_hearing_day_and_courtroom_and_attachments_keep_the_bodys_order():
    rows = [row(3, "C", hearing=date(2026, 12, 5)), row(1, "A", hearing=date(2026, 12, 1)),
            row(2, "B", hearing=None), row(4, "D", hearing=date(2026, 12, 1))]
    rows[3] = dataclasses.replace(rows[3], courtroom="1A", hearing_time=time(11, 0))
    out = render_outreach("P", "2026-W48", rows, courts=COURTS, generated_at=AT)
    # Day by day, a day's courtrooms in order, cases with no hearing last; the attachments alike.
    expected = ["GV26000004-00", "GV26000001-00", "GV26000003-00", "GV26000002-00"]
    assert [r[col("Case number")] for r in csv_records(out.csv)[1:]] == expected
    ws = openpyxl.load_workbook(io.BytesIO(out.xlsx)).active
    assert [ws.cell(row=i, column=col("Case number") + 1).value for i in (2, 3, 4, 5)] == expected
    titles = ["Tue 2026-12-01 · Courtroom 1A", "Tue 2026-12-01 · Courtroom 2B", "Sat 2026-12-05 · Courtroom 2B",
              "No hearing set yet"]
    for body in (out.html, out.text):
        assert [body.index(n) for n in expected] == sorted(body.index(n) for n in expected)
        assert [body.index(t) for t in titles] == sorted(body.index(t) for t in titles)
    assert "Filed 2026-11-02" in out.text and "Act now" not in out.html and "ACT NOW" not in out.text
    # One table row a case, the lookup a link on the case number.
    assert out.html.count("<tr valign=\"top\"") == len(rows)
    assert f'<a href="{PORTAL}" style="color:#0645ad;">GV26000001-00</a>' in out.html


def urgent(n: int, *tiers: Tier, hearing: date | None = date(2026, 12, 10), since: date | None = None,
           attorney: str | None = None) -> OutreachRow:
    return dataclasses.replace(row(n, f"T{n}", hearing=hearing, attorney=attorney), tiers=tiers,
                               default_on=since if Tier.DEFAULT_JUDGMENT in tiers else None,
                               set_aside_until=since + timedelta(days=10) if Tier.DEFAULT_JUDGMENT in tiers else None,
                               writ_on=since if Tier.WRIT_ISSUED in tiers else None)


def test_the_urgent_tiers_come_first_hearings_then_defaults_then_writs():
    rows = [row(1, "plain", hearing=date(2026, 12, 1)),
            urgent(2, Tier.HEARING_SOON, hearing=date(2026, 12, 2)),
            urgent(3, Tier.DEFAULT_JUDGMENT, hearing=None, since=date(2026, 11, 25)),
            urgent(4, Tier.WRIT_ISSUED, hearing=None, since=date(2026, 11, 27)),
            urgent(5, Tier.WRIT_ISSUED, hearing=None, since=date(2026, 11, 24)),
            urgent(6, Tier.HEARING_SOON, hearing=date(2026, 12, 1), attorney="COUNSEL, A"),
            urgent(7, Tier.DEFAULT_JUDGMENT, hearing=None, since=date(2026, 11, 23))]
    out = render_outreach("P", "2026-W48", rows, courts=COURTS, generated_at=AT)
    # Tier 1 (those without a lawyer first, whatever the day), 2 (the window closing first), 3 (the oldest writ).
    order = ["GV26000002-00", "GV26000006-00", "GV26000007-00", "GV26000003-00", "GV26000005-00",
             "GV26000004-00", "GV26000001-00"]
    for body in (out.html, out.text):
        assert [body.index(n) for n in order] == sorted(body.index(n) for n in order)
        assert body.index("Tue 2026-12-01 · Courtroom 2B") > body.index("GV26000004-00")  # the rest follow
    assert "ACT NOW 1: HEARING WITHIN 3 COURT DAYS (2)" in out.text and "1 without a lawyer first." in out.text
    assert "Act now 2: Default judgment, set-aside window open (2)" in out.html
    assert ("Act now: 2 hearings within 3 court days; 2 default judgments inside the set-aside window; 2 writs of "
            "eviction issued, not executed.") in out.text
    assert "Writ of eviction issued Tue 2026-11-24, not executed" in out.text
    assert "Default judgment Mon 2026-11-23, set-aside window open until Thu 2026-12-03" in out.text
    assert "Wed 2026-12-02 9:30 AM - Courtroom 2B, Return  GV26000002-00" in out.text
    records = csv_records(out.csv)
    assert records[0][-5:] == ["Act now", "Outreach date", "Outreach method", "Outreach result", "Outreach note"]  # appended: the other columns keep their places
    assert [r[col("Case number")] for r in records[1:]] == order  # the body's order
    assert [r[col("Act now")] for r in records[1:]] == [
        "Hearing within 3 court days", "Hearing within 3 court days", "Default judgment, set-aside window open",
        "Default judgment, set-aside window open", "Writ of eviction issued, not executed",
        "Writ of eviction issued, not executed", ""]


def test_only_the_configured_https_portal_is_ever_linked():
    planted = dataclasses.replace(ROWS[0], case_number="GV1 https://evil.example/x")
    for portal in ("", "http://portal.example.invalid/", PORTAL):
        out = render_outreach("P", "2026-W48", [dataclasses.replace(planted, lookup_url=portal)], courts=COURTS,
                              generated_at=AT)
        assert 'href="https://evil.example' not in out.html
        assert ('href="' + PORTAL + '"' in out.html) == (portal == PORTAL)
    item = AlertItem("Alexandria", "GV1 https://evil.example/x", "writ_issued", date(2026, 11, 28), ("A",), None,
                     None, "http://portal.example.invalid/")
    assert "evil.example/x</a>" not in render_alerts("P", "2026-W48", [item], courts=COURTS, generated_at=AT).html


def crlf_size(html: str) -> int:
    from notify.listlayout import sent_size

    assert sent_size(html) >= len(html.encode("utf-8")) + html.count("\n")  # as sent: QP, CRLF line ends
    return sent_size(html)


def test_a_long_alert_digest_keeps_under_the_budget_most_urgent_first():
    items = [AlertItem("Alexandria", f"GV26{i:06d}-00", "writ_issued" if i < 350 else "hearing_tomorrow_unrepresented",
                       date(2026, 11, 28), (f"TENANT {i}, A LONG NAME",), "22304", "LANDLORD LLC", PORTAL,
                       hearing_time=time(9, 30), courtroom="2B", hearing_type="Return") for i in range(400)]
    out = render_alerts("P", "2026-W48", items, courts=COURTS, generated_at=AT)
    assert crlf_size(out.html) < 100_000
    ordered = items[350:] + items[:350]  # the hearings' tier first, whatever order they came in
    shown = [i.case_number for i in ordered if i.case_number in out.html]
    assert shown == [i.case_number for i in ordered[:len(shown)]] and 50 < len(shown) < 400
    rest = 400 - len(shown)
    assert (f"shows the {len(shown)} most urgent of 400 alerts. {rest} more are only in the attachments"
            in out.html.replace("\n", " "))
    assert f"In this e-mail: 50 hearings next court day without a lawyer; {len(shown) - 50} of 350 writs" in out.text
    assert f"{rest} more are only in the attachments" in out.text
    records = csv_records(out.csv)
    assert len(records) == 401 and [r[6] for r in records[1:]] == [i.case_number for i in ordered]


def test_a_tier_alone_over_the_budget_says_so_at_the_top():
    items = [AlertItem("alexandria", f"GV26{i:06d}-00", "hearing_tomorrow_unrepresented", date(2026, 11, 30),
                       (f"TENANT {i}, A LONG NAME",), "22304", "LANDLORD LLC", PORTAL, hearing_time=time(9, 30),
                       courtroom="2B", hearing_type="Return") for i in range(400)]
    items.append(AlertItem("alexandria", "GV26999999-00", "writ_executed", date(2026, 11, 27), ("GONE, A",), "22304",
                           None, PORTAL))
    out = render_alerts("P", "2026-11-27.1", items, courts=COURTS, generated_at=AT)
    shown = sum(1 for i in items if i.case_number in out.html)
    top = out.text.split("\n1. ")[0]
    assert (f"The 400 hearings next court day without a lawyer alone are more than one e-mail can hold: it shows "
            f"the first {shown}. The other {401 - shown} of the 401 alerts are only in the attachments") in top
    assert "GV26999999-00" not in out.html and f"In this e-mail: {shown} of 400 hearings" in top


def test_a_long_list_keeps_the_html_under_the_budget_with_the_most_urgent_cases_and_says_how_many_more():
    days = [date(2026, 12, 1) + timedelta(days=i % 20) for i in range(600)]
    rows = [dataclasses.replace(row(i, f"TENANT {i}, A LONG NAME", hearing=d), courtroom=f"{i % 3 + 1}A")
            for i, d in enumerate(sorted(days))]
    rows[590] = dataclasses.replace(rows[590], tiers=(Tier.WRIT_ISSUED,), writ_on=date(2026, 11, 27))
    out = render_outreach("P", "2026-W48", rows, courts=COURTS, generated_at=AT)
    assert crlf_size(out.html) < 100_000
    ordered = in_body_order(rows)
    shown = [r.case_number for r in ordered if r.case_number in out.html]
    assert 100 < len(shown) < 600
    left_out = 600 - len(shown)
    assert f"shows the {len(shown)} most urgent of 600 cases. {left_out} more are only in the attachments" in out.html
    assert f"{left_out} more cases are in the attachments" in out.text
    assert shown[0] == rows[590].case_number  # a writ is shown however late its hearing
    assert shown == [r.case_number for r in ordered[:len(shown)]]  # then the nearest hearings, from the top
    assert len(csv_records(out.csv)) == 601
    assert openpyxl.load_workbook(io.BytesIO(out.xlsx)).active.max_row == 601
    short = render_outreach("P", "2026-W48", rows[:50], courts=COURTS, generated_at=AT)
    assert "only in the attachments" not in short.html and all(r.case_number in short.html for r in rows[:50])


def test_a_list_whose_first_tier_alone_is_over_the_budget_says_so_at_the_top():
    rows = [urgent(i, Tier.HEARING_SOON, hearing=date(2026, 12, 1)) for i in range(500)]
    rows.append(urgent(900, Tier.WRIT_ISSUED, hearing=None, since=date(2026, 11, 20)))
    out = render_outreach("P", "2026-W48", rows, courts=COURTS, generated_at=AT)
    assert crlf_size(out.html) < 100_000
    shown = sum(1 for r in rows if r.case_number in out.html)
    top = out.text[:out.text.index("ACT NOW 1")]
    assert (f"The 500 hearings within 3 court days alone are more than one e-mail can hold: it shows the first "
            f"{shown} of them. The other {501 - shown} of the 501 cases are only in the attachments") in top
    assert f"Act now: 500 hearings within 3 court days ({shown} shown here); 1 writ of eviction issued" in top
    assert "GV26000900-00" not in out.html and f"ACT NOW 1: HEARING WITHIN 3 COURT DAYS ({shown} of 500)" in out.text


def test_the_xlsx_lookup_is_a_real_hyperlink_and_the_csv_says_where_and_what():
    out = render_outreach("P", "2026-W48", ROWS[:2], courts=COURTS, generated_at=AT)
    ws = openpyxl.load_workbook(io.BytesIO(out.xlsx)).active
    cell = ws.cell(row=2, column=col("Look it up") + 1)
    assert cell.hyperlink is not None and cell.hyperlink.target == PORTAL
    assert cell.value == f"{PORTAL} — case GV26000001-00" and cell.data_type == "s"
    assert csv_records(out.csv)[1][col("Look it up")] == f"{PORTAL} — case GV26000001-00"
    no_portal = dataclasses.replace(ROWS[0], lookup_url="")
    ws = openpyxl.load_workbook(io.BytesIO(rows_xlsx([no_portal]))).active
    assert ws.cell(row=2, column=col("Look it up") + 1).hyperlink is None


def test_empty_list_renders():
    out = render_outreach("P", "2026-W48", [], courts=COURTS, generated_at=AT, note="Only ZIP 22304.")
    assert out.subject == "Eviction outreach list 2026-W48: 0 cases (P)"
    assert "No cases this week" in out.html and "No cases this week" in out.text
    assert "Only ZIP 22304." in out.html and "Only ZIP 22304." in out.text
    assert csv_records(out.csv) == [[h for h, _ in COLUMNS]]
    assert openpyxl.load_workbook(io.BytesIO(out.xlsx)).active.max_row == 1


def test_single_case_subject_and_note_is_escaped():
    out = render_outreach("P", "2026-W48", ROWS[:1], courts=COURTS, generated_at=AT, note="<b>ZIP</b> & court")
    assert out.subject == "Eviction outreach list 2026-W48: 1 case (P)"
    assert "&lt;b&gt;ZIP&lt;/b&gt; &amp; court" in out.html and "<b>ZIP" in out.text


def test_subject_cannot_carry_header_breaks():
    out = render_outreach("Evil\r\nBcc: x@y", "2026-W48\n", ROWS[:1], courts=COURTS, generated_at=AT)
    assert "\r" not in out.subject and "\n" not in out.subject
    assert "/" not in out.filename_stem and out.filename_stem.isascii()


def test_strict_undefined_is_on():
    env = environment()
    with pytest.raises(UndefinedError):
        env.get_template("outreach.html.j2").render(partner="P")
    with pytest.raises(UndefinedError):
        env.get_template("alerts.txt.j2").render()
    assert env.from_string("{{ x }}").render(x="<i>") == "&lt;i&gt;"  # unknown names escape too


def test_alerts_digest():
    items = [
        AlertItem("Alexandria", "GV26000001-00", "writ_issued", date(2026, 11, 28), ("=cmd|' /C calc'!A0",),
                  "22304", "ORCHARD <b>", PORTAL),
        AlertItem("Alexandria", "GV26000002-00", "hearing_tomorrow_unrepresented", date(2026, 11, 28),
                  ("PEÑA, JOSÉ", "MUÑOZ"), None, None, PORTAL,
                  hearing_time=time(9, 30), courtroom="2B", hearing_type="Return"),
        AlertItem("Alexandria", "GV26000003-00", "default_judgment", None, ("SMITH\r\nBcc: x@y",), "22311",
                  None, ""),
    ]
    out = render_alerts("LAJC", "2026-W48", items, courts=COURTS, generated_at=AT)
    assert out.subject == "URGENT: 3 eviction alerts 2026-W48 (LAJC)"
    assert "Writ of possession issued" in out.html and "Hearing next court day, no attorney of record" in out.text
    assert "ORCHARD &lt;b&gt;" in out.html and "PEÑA, JOSÉ; MUÑOZ" in out.html
    assert "\r" not in out.text and "SMITH Bcc: x@y" in out.text
    records = csv_records(out.csv)
    assert records[0][:6] == ["Alert", "Date", "Time", "Courtroom", "Hearing type", "Court"]
    # By tier: the unrepresented hearing, the default judgment, the writ.
    assert [r[6] for r in records[1:]] == ["GV26000002-00", "GV26000003-00", "GV26000001-00"]
    assert records[3][7].startswith("'=cmd") and records[2][1] == ""
    assert records[1][2:5] == ["09:30", "2B", "Return"]  # a hearing alert says when and where
    assert "Hearing next court day, no attorney of record - Sat 2026-11-28 9:30 AM, Courtroom 2B, Return" in out.text
    assert "9:30 AM &middot; Courtroom 2B, Return" in out.html
    ws = openpyxl.load_workbook(io.BytesIO(out.xlsx)).active
    assert all(c.data_type != "f" for line in ws.iter_rows() for c in line)
    assert isinstance(ws["B2"].value, datetime) and ws["B3"].value is None
    assert out.filename_stem == "eviction-alerts-2026-w48-lajc"


def test_no_alerts_is_not_urgent():
    out = render_alerts("LAJC", "2026-W48", [], courts=COURTS, generated_at=AT)
    assert not out.subject.startswith("URGENT") and "No alerts" in out.html and "No alerts" in out.text


def test_the_list_names_its_courts_from_config_with_their_own_term():
    row = dataclasses.replace(ROWS[0], court="alexandria")
    out = render_outreach("P", "2026-W48", [row], courts=COURTS, generated_at=AT)
    assert "of eviction filed in Alexandria General District Court (unlawful detainer). First" in out.text
    assert "Virginia" not in out.text + out.html and "General District Court records" not in out.text
    both = {**COURTS, "travis-jp1": CourtName("Travis County JP Precinct One", "eviction")}
    assert courts_text(list(both.values())) == ("Alexandria General District Court (unlawful detainer) and "
                                                "Travis County JP Precinct One")
    assert courts_text([]) == "the courts evictwatch watches"
    only_virginia = render_outreach("P", "2026-W48", [row], courts=both, generated_at=AT)  # a ZIP filter, say
    assert "filed in Alexandria General District Court (unlawful detainer). First" in only_virginia.text
    assert "Travis" in render_outreach("P", "2026-W48", [], courts=both, generated_at=AT).text
    hostile = {"x": CourtName("Court\r\nBcc: x@y <b>", "eviction")}
    rendered = render_alerts("P", "2026-11-27.1", [], courts=hostile, generated_at=AT)
    assert "<b>" not in rendered.html and "\r" not in rendered.text and "Court Bcc: x@y" in rendered.text


def test_statuses_read_in_words_where_people_read_them():
    row = dataclasses.replace(ROWS[0], status="judgment_plaintiff",
                              status_text="Judgment for landlord (default); a hearing follows (a motion?)")
    out = render_outreach("P", "2026-W48", [row], courts=COURTS, generated_at=AT)
    assert "· Judgment for landlord (default); a hearing follows (a motion?) ·" in out.text
    assert "judgment_plaintiff" not in out.text + out.html
    assert "Judgment for landlord (default)" in rows_csv([row]).decode("utf-8-sig")
