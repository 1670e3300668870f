"""The dashboard's outreach figures and cost estimate (issue 32): the task force sees every
partner's outreach as counts, a legal-aid user its own organisation's; no note ever shows."""

from __future__ import annotations

import datetime as dt
import re

import pytest

from pipeline.store.accounts import Role
from pipeline.store.contacts import Attempt, Method, Result, record_attempts
from tests.web_support import USERS, make_site

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
    assert "0 with an amount, 0 without one (left out, never guessed)" in text and "$" not in text.split("The cost to stop")[1].split("</ul>")[0]
