"""The church question (issue 32): expected filings until a day times the judgment principal
the courts published, every assumption printed, never an amount no court published."""

from __future__ import annotations

import datetime as dt
import json
import statistics
from collections import Counter

import pytest
from typer.testing import CliRunner

from evictwatch.commands.app import app
from pipeline.store.estimates import TRAILING_WEEKS, cost_to_stop
from tests.report_fixture import TODAY, filled_store

UNTIL = dt.date(2026, 12, 31)
CONFIG = """\
http: {user_agent: "evictwatch-test (ops@example.org)"}
courts:
  - {id: alexandria, source: va-gdc, code: "510", base_url: "http://127.0.0.1:9/gdcourts/", name: Alexandria GDC}
  - {id: arlington, source: va-gdc, code: "013", base_url: "http://127.0.0.1:9/gdcourts/"}
"""


@pytest.fixture(params=["sqlite", "postgresql"])
def filled(request, sqlite_url):
    return filled_store(request, sqlite_url)


def expected_principals(records, since: dt.date, courts: set[str]) -> list[float]:
    """Judgments for the landlord (for possession unless the court said no) entered in [since, TODAY]."""
    amounts = []
    for r in records:
        if r.court not in courts or r.case_type != "Unlawful Detainer" or r.judgment is None:
            continue
        judged = [h.date for h in r.hearings if h.result in ("Default Judgment", "Judgment")]
        j = r.judgment
        if j.judgment == "Plaintiff" and j.possession is not False and judged and since <= judged[-1] <= TODAY:
            amounts.append(float(j.principal))
    return amounts


@pytest.mark.parametrize("courts", [["alexandria"], ["alexandria", "arlington"]])
def test_the_estimate_is_the_trailing_weeks_filings_times_the_published_principal(filled, courts):
    store, records, _ = filled
    estimate = cost_to_stop(store, TODAY, UNTIL, courts)
    this_monday = TODAY - dt.timedelta(days=TODAY.weekday())
    mondays = [this_monday - dt.timedelta(weeks=n) for n in range(TRAILING_WEEKS, 0, -1)]
    per_week = Counter(r.filed_date - dt.timedelta(days=r.filed_date.weekday()) for r in records
                       if r.court in courts and r.case_type == "Unlawful Detainer")
    assert estimate.weeks == [(m, per_week[m]) for m in mondays]  # the fixture's scrapes saw every week whole
    counts = [per_week[m] for m in mondays]
    weeks_ahead = (UNTIL - TODAY).days / 7
    assert estimate.expected_filings == pytest.approx(statistics.fmean(counts) * weeks_ahead)
    assert (estimate.low_filings, estimate.high_filings) == pytest.approx((min(counts) * weeks_ahead,
                                                                           max(counts) * weeks_ahead))
    amounts = expected_principals(records, mondays[0], set(courts))
    assert estimate.judgments_with_amount == len(amounts) > 20
    assert estimate.median_principal == pytest.approx(statistics.median(amounts))
    assert estimate.mean_principal == pytest.approx(statistics.fmean(amounts))
    assert estimate.at_median == pytest.approx(estimate.expected_filings * statistics.median(amounts))
    assert estimate.at_median_low < estimate.at_median < estimate.at_median_high


def test_the_command_prints_every_assumption_and_json(filled, tmp_path):
    _, _, url = filled
    (tmp_path / "config.yaml").write_text(CONFIG)
    base = ["--config", str(tmp_path / "config.yaml"), "--db", url, "estimate", "cost-to-stop",
            "--until", UNTIL.isoformat(), "--today", TODAY.isoformat(), "--court", "alexandria"]
    text = CliRunner().invoke(app, base)
    assert text.exit_code == 0, text.output
    assert "from 2026-12-01 to 2026-12-31 (4.4 weeks), Alexandria GDC:" in text.stdout
    assert "expected filings:" in text.stdout and "at the median judgment principal ($" in text.stdout
    for said in ("the average of the 12 most recent weeks whose filings are all seen", "quietest, or the busiest",
                 "without one (left out, never guessed)", "many end otherwise", "principal only"):
        assert said in text.stdout
    data = json.loads(CliRunner().invoke(app, [*base, "--json"]).stdout)
    assert len(data["weeks"]) == 12 and data["at_median"] > 0 and len(data["assumptions"]) == 6
    wrong = CliRunner().invoke(app, [*base[:-4], "--today", "2027-01-02"])
    assert wrong.exit_code == 2 and "is not after" in wrong.output


def test_no_published_amount_no_estimate(store):
    estimate = cost_to_stop(store, TODAY, UNTIL, ["alexandria"])
    assert estimate.weeks == [] and not estimate.estimated and estimate.at_median is None
    assert "no week's filings are all seen yet" in estimate.assumptions()[0]
