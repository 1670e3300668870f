"""Outreach recorded (issue 32): the weekly list filled in and read back, one attempt by hand,
each recorded once, gone with an erased case."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from zoneinfo import ZoneInfo

import openpyxl
import yaml
import pytest
from sqlalchemy import text
from typer.testing import CliRunner

from evictwatch.commands.app import app
from evictwatch.config import parse_config
from notify.outreach import Filters, outreach_rows
from notify.rows import list_columns, rows_csv, rows_xlsx
from notify.urgency import CourtClock, CourtClocks
from pipeline.prepare import prepare
from pipeline.store.contact_summary import outreach_summary
from pipeline.store.contacts import Attempt, Method, Result, attempts_on, clean_note, record_attempts
from pipeline.store.erasure.erase import erase
from scraper.base import Court
from scraper.courts import get_source
from scraper.courts.va_gdc.vocab import VOCABULARY as VA_GDC
from scraper.records import Hearing
from tests.test_store import record
from tests.web_support import fill

CONFIG = """\
http: {user_agent: "evictwatch-test (ops@example.org)"}
courts:
  - {id: alexandria, source: va-gdc, code: "510", base_url: "http://127.0.0.1:9/gdcourts/"}
  - {id: arlington, source: va-gdc, code: "013", base_url: "http://127.0.0.1:9/gdcourts/"}
partners:
  - {name: Alexandria Legal Aid, emails: [intake@example.org], filters: {courts: [alexandria]}}
  - {name: Arlington Tenants, emails: [union@example.org], filters: {courts: [arlington]}}
"""
PARTNER = "Alexandria Legal Aid"


@pytest.fixture
def listed(tmp_path, store):
    """The partner's weekly list of the filled store (its 40 Alexandria cases), as a workbook."""
    (tmp_path / "config.yaml").write_text(CONFIG, encoding="utf-8")
    fill(store)
    config = parse_config(yaml.safe_load(CONFIG), "test")
    names = {c.id: c.display_name for c in config.courts}
    clock = CourtClock(dt.datetime(2026, 11, 27, 7, 0, tzinfo=ZoneInfo("America/New_York")), set_aside_days=10)
    rows = outreach_rows(store, Filters(courts=frozenset({"alexandria"})), clocks=CourtClocks(clock),
                         new_since=dt.datetime(2026, 1, 1, tzinfo=dt.timezone.utc), opted_out=set(),
                         portal={"alexandria": "https://portal.example.invalid/gdcourts/"})
    assert len(rows) == 40
    return store, rows, list_columns(names, street=False), names


def _cli(tmp_path, store, *args):
    return CliRunner().invoke(app, ["--config", str(tmp_path / "config.yaml"), "--db", str(store.engine.url), *args])


def test_a_filled_in_list_imports_once_and_its_blank_rows_are_skipped(tmp_path, listed):
    store, rows, columns, _ = listed
    sheet_bytes = rows_xlsx(rows, columns=columns)
    book = openpyxl.load_workbook(io.BytesIO(sheet_bytes))
    sheet = book.active
    header = [c.value for c in sheet[1]]
    assert header[-4:] == ["Outreach date", "Outreach method", "Outreach result", "Outreach note"]
    lists = {tuple(v.sqref.ranges)[0].coord.split(":")[0][0]: v.formula1 for v in sheet.data_validations.dataValidation}
    assert "Door knock" not in str(lists) and '"letter,call,text,door knock' in str(lists)  # the drop-downs
    col = {name: header.index(name) + 1 for name in header}
    for i in range(2, 22):  # 20 rows filled in: 10 reached, 10 not answered
        filed = sheet.cell(row=i, column=col["Filed"]).value  # an Excel date; two days later, before the hearing
        sheet.cell(row=i, column=col["Outreach date"], value=filed + dt.timedelta(days=2))
        sheet.cell(row=i, column=col["Outreach method"], value="Call")
        sheet.cell(row=i, column=col["Outreach result"], value="reached" if i < 12 else "No Answer")
        sheet.cell(row=i, column=col["Outreach note"], value="left voicemail\u202e at 5pm" if i == 2 else None)
    filled = tmp_path / "list.xlsx"
    book.save(filled)
    first = _cli(tmp_path, store, "outreach", "import", "--partner", PARTNER, str(filled))
    assert first.exit_code == 0, first.output
    assert "20 added, 0 already recorded, 20 skipped" in first.stdout
    again = _cli(tmp_path, store, "outreach", "import", "--partner", PARTNER, str(filled))
    assert "0 added, 20 already recorded, 20 skipped" in again.stdout
    summary = _cli(tmp_path, store, "outreach", "summary", "--partner", PARTNER, "--since", "2026-09-01",
                   "--until", "2026-11-27", "--json")
    figures = json.loads(summary.stdout)
    assert (figures["cases"], figures["attempted_before_first_hearing"], figures["reached_before_first_hearing"]) \
        == (40, 20, 10)
    assert figures["median_days_filing_to_first_contact"] == 2 and figures["households_helped"] == 0
    assert figures["reached"]["cases"] == 10 and figures["not_reached"]["cases"] == 30
    assert figures["reached"]["pending"] == 10 and figures["provisional"] is True
    words = _cli(tmp_path, store, "outreach", "summary", "--since", "2026-09-01", "--until", "2026-11-27").stdout
    assert "reached before the first hearing: 10 of 60 (17%)" in words and "not the effect" in words
    number = sheet.cell(row=2, column=col["Case number"]).value
    [attempt] = attempts_on(store, PARTNER, "alexandria", number)
    assert (attempt.method, attempt.result, attempt.note) == (Method.CALL, Result.REACHED, "left voicemail at 5pm")
    assert attempts_on(store, "Arlington Tenants", "alexandria", number) == []  # another partner's view
    # Gone with the case when the law erases it.
    with store.engine.connect() as conn:
        case_id = conn.execute(text("SELECT id FROM cases WHERE case_number = :n"), {"n": number}).scalar_one()
    erase(store, [case_id], "expunged", today=dt.date(2026, 11, 27))
    with store.engine.connect() as conn:
        assert conn.execute(text("SELECT count(*) FROM contact_attempts WHERE case_number = :n"),
                            {"n": number}).scalar_one() == 0
        assert conn.execute(text("SELECT count(*) FROM contact_attempts")).scalar_one() == 19


def test_unreadable_rows_are_named_by_row_and_column_and_the_others_recorded(tmp_path, listed):
    store, rows, columns, names = listed
    records = list(csv.DictReader(io.StringIO(rows_csv(rows, columns).decode("utf-8-sig"), newline="")))
    fills = [("2026-11-20", "letter", "sent"), ("20/11/2026", "call", "reached"), ("2026-11-20", "pigeon", "sent"),
             ("2026-11-20", "door", "perhaps"), ("2099-01-01", "text", "reached"), ("2026-11-19", "Door knock",
                                                                                     "Wrong address or number")]
    for row, (day, method, result) in zip(records, fills):
        row.update({"Outreach date": day, "Outreach method": method, "Outreach result": result})
    records[6].update({"Outreach date": "2026-11-20", "Outreach method": "call", "Outreach result": "reached",
                       "Court": "Nowhere Court"})
    records[7].update({"Outreach date": "2026-11-20", "Outreach method": "call", "Outreach result": "reached",
                       "Court": "", "Case number": records[7]["Case number"].lower()})  # one court holds it
    path = tmp_path / "list.csv"
    with path.open("w", newline="", encoding="utf-8-sig") as fh:
        writer = csv.DictWriter(fh, fieldnames=list(records[0]))
        writer.writeheader()
        writer.writerows(records)
    done = _cli(tmp_path, store, "outreach", "import", "--partner", PARTNER, str(path))
    assert done.exit_code == 0, done.output
    assert "3 added, 0 already recorded, 32 skipped, 5 unreadable" in done.stdout
    for said in ("row 3, column 'Outreach date': '20/11/2026' is not a date", "row 4, column 'Outreach method'",
                 "row 5, column 'Outreach result': 'perhaps'", "row 6, column 'Outreach date': 2099-01-01 is after "
                 "today", "row 8, column 'Court': 'Nowhere Court' is none of this partner's courts"):
        assert said in done.stderr, said
    assert names["alexandria"] in records[0]["Court"]  # the list names its courts as configured


def test_one_attempt_is_added_by_hand_once_and_a_wrong_one_says_why(tmp_path, listed):
    store, rows, _, _ = listed
    number = rows[0].case_number
    args = ["outreach", "add", "--partner", PARTNER, "--case", number.lower(), "--method", "door",
            "--result", "advice given", "--date", "2026-11-20", "--note", "spoke at the door\n=1+1"]
    first = _cli(tmp_path, store, *args)
    assert first.exit_code == 0 and f"alexandria {number}: recorded (door, advice_given, 2026-11-20)" in first.stdout
    assert "already recorded" in _cli(tmp_path, store, *args).stdout
    [attempt] = attempts_on(store, PARTNER, "alexandria", number)
    assert attempt.note == "spoke at the door =1+1"
    for wrong, said in (({"--method": "pigeon"}, "--method 'pigeon'"), ({"--result": "maybe"}, "--result 'maybe'"),
                        ({"--case": "GV99999999-00"}, "not a stored eviction case"),
                        ({"--court": "arlington"}, "not one of Alexandria Legal Aid's courts"),
                        ({"--date": "2099-01-01"}, "is after today")):
        changed = list(args)
        for option, value in wrong.items():
            if option in changed:
                changed[changed.index(option) + 1] = value
            else:
                changed += [option, value]
        answer = _cli(tmp_path, store, *changed)
        assert answer.exit_code == 2 and said in answer.output, (wrong, answer.output)


def test_a_note_is_kept_on_one_line_without_control_or_bidi_characters():
    assert clean_note("a\tb\r\nc\u202ed\u2066e\x00f") == "a b c d e f"
    assert clean_note("  \n ") is None and len(clean_note("x" * 2000)) == 1000


def test_the_summary_counts_attempts_before_the_first_hearing_and_outcomes_by_group(store_on_both):
    store = store_on_both
    store.ensure_court(Court("alexandria", get_source("va-gdc"), "510", "https://portal.example.invalid/gdcourts/"))
    heard = (Hearing(date=dt.date(2026, 9, 29), type="Return"),)
    cases = {  # number: (record changes, attempts)
        "GV26000001-00": ({"judgment": None, "hearings": heard},  # reached the day before its hearing: helped
                          [(dt.date(2026, 9, 28), Result.ADVICE_GIVEN)]),
        "GV26000002-00": ({"judgment": None, "hearings": heard},  # reached after it: not before the hearing
                          [(dt.date(2026, 9, 30), Result.REACHED), (dt.date(2026, 9, 5), Result.NO_ANSWER)]),
        "GV26000003-00": ({"judgment": None, "hearings": ()}, [(dt.date(2026, 9, 3), Result.REPRESENTED)]),
        "GV26000004-00": ({}, []),  # writ issued, a tenant's attorney: represented, for the landlord
    }
    store.save([prepare(record(case_number=n, matter_key=n[:10], **changes), dt.date(2026, 11, 27),
                        "America/New_York", VA_GDC) for n, (changes, _) in cases.items()])
    record_attempts(store, PARTNER, [Attempt("alexandria", n, day, Method.CALL, result)
                                     for n, (_, tried) in cases.items() for day, result in tried],
                    recorded_by="test", at=dt.datetime(2026, 11, 27, tzinfo=dt.timezone.utc))
    with store.engine.begin() as conn:
        conn.execute(text("UPDATE parties SET attorney = 'DOE, COUNSEL' WHERE role = 'defendant' AND position = 0 "
                          "AND case_id = (SELECT id FROM cases WHERE case_number = 'GV26000004-00')"))
    s = outreach_summary(store, dt.date(2026, 9, 1), dt.date(2026, 9, 30), courts=["alexandria"], partner=PARTNER)
    assert (s.cases, s.attempted_before_first_hearing, s.reached_before_first_hearing) == (4, 3, 2)
    assert s.median_days_filing_to_first_contact == 4  # 27, 4 and 2 days
    assert s.households_helped == 1  # cases 1 and 3 are one household (the same tenant): counted once
    assert (s.reached.cases, s.reached.represented, s.reached.pending) == (2, 1, 2)
    assert (s.not_reached.cases, s.not_reached.represented, s.not_reached.judgment_for_landlord) == (2, 1, 1)
    assert outreach_summary(store, dt.date(2026, 9, 1), dt.date(2026, 9, 30), partner="Nobody").attempted_before_first_hearing == 0

