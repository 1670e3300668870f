"""The workspace's outreach (issue 32): the filled-in list sent back, the dashboard's outreach figures and cost estimate: the task force sees every
partner's outreach as counts, a legal-aid user its own organisation's; no note ever shows."""

from __future__ import annotations

import datetime as dt
import io
import re

import openpyxl
import pytest

from pipeline.store.accounts import Role
from pipeline.store.contacts import Attempt, Method, Result, attempts_on, record_attempts
from tests.web_support import USERS, csrf_of, make_site

RANGE = {"since": "2026-09-01", "until": "2026-11-27"}
AT = dt.datetime(2026, 11, 1, tzinfo=dt.timezone.utc)


@pytest.fixture
def site(store):
    site = make_site(store)
    # Alexandria cases 1 and 2 (first hearings Sep 23 and 24), Arlington's case 3 (Sep 25).
    record_attempts(store, "Alexandria Legal Aid", [
        Attempt("alexandria", "GV26000001-00", dt.date(2026, 9, 10), Method.CALL, Result.REACHED, "SECRET NOTE"),
        Attempt("alexandria", "GV26000002-00", dt.date(2026, 9, 12), Method.CALL, Result.NO_ANSWER),
        Attempt("alexandria", "GV26000002-00", dt.date(2026, 10, 1), Method.CALL, Result.REACHED),  # after the hearing
    ], recorded_by="aid@legal-aid.example.org", at=AT)
    record_attempts(store, "Arlington Tenants", [
        Attempt("arlington", "GV26000003-00", dt.date(2026, 9, 8), Method.DOOR, Result.ADVICE_GIVEN, "SECRET TOO")],
        recorded_by="aid@arlington-aid.example.org", at=AT)
    return site


def figure(text: str, label: str) -> str:
    return re.search(rf"<li>{re.escape(label)}: (?:<strong>)?([^<]+)", text).group(1)


def test_the_task_force_sees_every_partners_outreach_as_counts(site):
    text = site.signed_in(USERS[Role.TASK_FORCE]).get("/dashboard", params=RANGE).text
    assert "Of the 60 eviction cases filed in these dates:" in text
    assert figure(text, "attempted before the first hearing") == "3"
    assert figure(text, "reached before the first hearing") == "2"
    assert figure(text, "median days from filing to first contact") == "8"  # 8, 9 and 5 days
    assert figure(text, "households helped (advice, a lawyer, rental assistance)") == "1"
    assert "SECRET" not in text and "not the effect of reaching them" in text


def test_a_legal_aid_user_sees_its_own_organisations_outreach_only(site):
    text = site.signed_in(USERS[Role.LEGAL_AID]).get("/dashboard", params=RANGE).text
    assert "Of the 40 eviction cases filed in these dates:" in text
    assert figure(text, "attempted before the first hearing by your organisation") == "2"
    assert figure(text, "reached before the first hearing") == "1"
    assert figure(text, "households helped (advice, a lawyer, rental assistance)") == "0"
    assert "SECRET" not in text


def test_the_cost_to_stop_says_why_there_is_no_estimate_and_its_assumptions(site):
    text = site.signed_in(USERS[Role.TASK_FORCE]).get("/dashboard", params=RANGE).text
    assert "The cost to stop the coming evictions" in text
    # Filings but not one judgment yet: no amount is made up.
    assert "No estimate: no recent judgment for the landlord has a principal the court published" in text
    assert "0 with an amount, 0 without one (left out, never guessed)" in text
    assert "$" not in text.split("The cost to stop")[1].split("<ul")[0]


def upload(client, name: str, data: bytes):
    token = csrf_of(client.get("/outreach").text)
    return client.post("/outreach", data={"csrf_token": token}, files={"file": (name, data)})


def filled_list() -> bytes:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["Court", "Case number", "Tenants", "Outreach date", "Outreach method", "Outreach result",
                  "Outreach note"])
    sheet.append(["alexandria", "GV26000004-00", "X", dt.date(2026, 9, 10), "Call", "Reached", "spoke, will come"])
    sheet.append(["Alexandria", "GV26000005-00", "X", "2026-09-11", "door knock", "no answer", None])
    sheet.append(["alexandria", "GV26000007-00", "X", "next week", "call", "reached", None])
    sheet.append(["alexandria", "GV26000008-00", "X", None, None, None, None])
    sheet.append(["arlington", "GV26000003-00", "X", "2026-09-11", "call", "reached", None])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def test_a_legal_aid_user_sends_the_filled_in_list_back_once(site):
    client = site.signed_in(USERS[Role.LEGAL_AID])
    first = upload(client, "Alexandria_Legal_Aid_weekly_list_2026-W37.xlsx", filled_list())
    assert first.status_code == 200, first.text
    assert "2 added, 0 already recorded, 1 skipped, 2 unreadable (below)" in first.text
    assert re.search(r"<td>4</td><td>Outreach date</td><td>&#39;next week&#39; is not a date", first.text)
    assert re.search(r"<td>6</td><td>Court</td><td>&#39;arlington&#39; is none of this partner", first.text)
    [reached] = attempts_on(site.store, "Alexandria Legal Aid", "alexandria", "GV26000004-00")
    assert (reached.method, reached.result, reached.note) == (Method.CALL, Result.REACHED, "spoke, will come")
    assert attempts_on(site.store, "Arlington Tenants", "arlington", "GV26000003-00")[0].note == "SECRET TOO"  # untouched
    again = upload(client, "Alexandria_Legal_Aid_weekly_list_2026-W37.xlsx", filled_list())
    assert "0 added, 2 already recorded, 1 skipped" in again.text
    with site.store.engine.connect() as conn:
        by = conn.exec_driver_sql("SELECT DISTINCT recorded_by FROM contact_attempts WHERE case_number = "
                                  "'GV26000005-00'").scalars().all()
    assert by == [USERS[Role.LEGAL_AID]]


def test_an_upload_that_is_not_a_list_is_refused_with_what_to_send(site):
    client = site.signed_in(USERS[Role.LEGAL_AID])
    assert upload(client, "notes.txt", b"hello").status_code == 400
    wrong = upload(client, "list.csv", "Name,Phone\nA,1\n".encode())
    assert wrong.status_code == 400 and "no column &#39;Case number&#39;" in wrong.text
    unsigned = client.post("/outreach", files={"file": ("list.csv", b"Case number\n")})
    assert unsigned.status_code == 403  # no CSRF token
    huge = client.post("/outreach", content=b"x" * 10, headers={"content-length": str(7 * 1024 * 1024),
                                                                  "content-type": "multipart/form-data; boundary=b"})
    assert huge.status_code == 413  # refused by its declared length, before a byte is read
    analyst = site.signed_in(USERS[Role.TASK_FORCE])
    assert analyst.post("/outreach", files={"file": ("list.csv", b"Case number\n")}).status_code == 403


def test_the_task_force_sees_no_outreach_for_a_handful_of_cases(site):
    one_day = {"since": "2026-09-02", "until": "2026-09-02"}  # one case: its household's outreach
    text = site.signed_in(USERS[Role.TASK_FORCE]).get("/dashboard", params=one_day).text
    assert "Too few cases in these dates and places to show outreach" in text
    assert "attempted before the first hearing" not in text
    own = site.signed_in(USERS[Role.LEGAL_AID]).get("/dashboard", params=one_day).text
    assert figure(own, "reached before the first hearing") == "1"  # its own work, shown to it
