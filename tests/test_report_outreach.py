"""The weekly report's outreach section (issue 32): for the cases filed 8-12 weeks before the
report week, who partners reached before the first hearing and how those cases ended against
the others', with the warning that the groups differ in more than outreach."""

from __future__ import annotations

import datetime as dt
import json
import re

from pipeline.store.contacts import Attempt, Method, Result, record_attempts
from reports.render import render_report
from reports.weekly import build_report
from tests.report_fixture import REPORT_WEEK, TODAY, populate

AT = dt.datetime(2026, 11, 30, tzinfo=dt.timezone.utc)


def render(store) -> tuple[str, dict]:
    report = build_report(store, REPORT_WEEK, health_courts=["alexandria", "arlington"], today=TODAY)
    page = render_report(report, generated_at=dt.datetime(2026, 11, 30, 8, tzinfo=dt.timezone.utc),
                         names={"alexandria": "Alexandria", "arlington": "Arlington"}, covers="eviction cases")
    return page, json.loads(re.search(r'id="report-data">(.*?)</script>', page, re.S).group(1))


def test_no_outreach_recorded_says_so_and_how_to_record_it(store):
    populate(store)
    page, data = render(store)
    assert data["outreach"]["attempted_before_first_hearing"] == 0 and data["outreach"]["cases"] > 30
    assert "No outreach is recorded for the" in page and "evictwatch outreach import" in page


def test_the_report_counts_reached_and_not_reached_cases_of_the_outcome_weeks(store):
    records = populate(store)
    page, data = render(store)
    since, until = (dt.date.fromisoformat(d) for d in (data["outreach"]["since"], data["outreach"]["until"]))
    cases = sorted((r for r in records if r.case_type == "Unlawful Detainer" and since <= r.filed_date <= until),
                   key=lambda r: r.case_number)
    reached, unanswered = cases[:6], cases[6:10]
    record_attempts(store, "Legal Aid", [
        *(Attempt(r.court, r.case_number, r.filed_date + dt.timedelta(days=2), Method.CALL, Result.REACHED)
          for r in reached),
        *(Attempt(r.court, r.case_number, r.filed_date + dt.timedelta(days=3), Method.CALL, Result.NO_ANSWER)
          for r in unanswered),
        Attempt(reached[0].court, reached[0].case_number, reached[0].filed_date + dt.timedelta(days=4),
                Method.CALL, Result.ASSISTANCE_PAID, "private note")], recorded_by="test", at=AT)
    page, data = render(store)
    o = data["outreach"]
    assert (o["cases"], o["attempted_before_first_hearing"], o["reached_before_first_hearing"]) == (len(cases), 10, 6)
    assert o["median_days_filing_to_first_contact"] == 2.0 and o["households_helped"] == 1
    assert o["reached"]["cases"] == 6 and o["not_reached"]["cases"] == len(cases) - 6
    section = page.split('id="outreach"')[1].split("<h2")[0]
    assert f"Of the {len(cases)} cases filed {since} to {until}, partners tried to reach the tenants of 10" in section
    assert "reached 6" in section and "not the effect of reaching them" in section
    row = re.search(r"<tr><td>All</td><td>(\d+)</td><td>(\d+)</td></tr>", section)
    assert row.groups() == ("6", str(len(cases) - 6))
    assert "private note" not in page
