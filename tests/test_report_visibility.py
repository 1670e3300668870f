"""The report is honest about weeks it cannot see whole: a week whose filings have not all had
their first hearing scraped yet is provisional, one before the scrapes reached back is partial."""

from __future__ import annotations

import datetime as dt

from sqlmodel import Session

from pipeline.prepare import prepare
from pipeline.store import db
from pipeline.store import models as m
from pipeline.store.coverage import percentile, visibility
from pipeline.store.repo import Store
from reports.render import render_report, summary_text
from reports.weekly import build_report
from scraper.base import Court
from scraper.courts import get_source
from scraper.courts.va_gdc.vocab import VOCABULARY
from scraper.records import Hearing
from tests.test_store import record

AS_OF = dt.date(2026, 11, 27)  # a Friday; the scrape looked 13 days ahead, to 2026-12-10
LAG = 28                        # every case's first hearing comes 4 weeks after its filing


def make_store(tmp_path) -> Store:
    engine = db.make_engine(f"sqlite:///{tmp_path / 'seen.db'}")
    db.upgrade(engine)
    store = Store(engine)
    store.ensure_court(Court("alexandria", get_source("va-gdc"), "510", "https://portal.example.invalid/gdcourts/"))
    cases = []
    for n, filed in enumerate(dt.date(2026, 8, 3) + dt.timedelta(days=d) for d in range(0, 112, 2)):
        hearing = filed + dt.timedelta(days=LAG)
        if not dt.date(2026, 10, 1) <= hearing <= dt.date(2026, 12, 10):
            continue  # what a scrape of those hearing dates finds
        cases.append(record(case_number=f"GV26{n:06d}-00", matter_key=f"GV26{n:06d}", filed_date=filed, judgment=None,
                            hearings=(Hearing(date=hearing, time=dt.time(9, 0), type="Return"),)))
    store.save([prepare(r, AS_OF, "America/New_York", VOCABULARY) for r in cases])
    at = dt.datetime(2026, 11, 27, 6, tzinfo=dt.timezone.utc)
    with Session(engine) as session:
        session.add(m.ScrapeRun(court_id="alexandria", started_at=at, finished_at=at, since=dt.date(2026, 10, 1),
                                until=dt.date(2026, 12, 10), outcome="ok", as_of=AS_OF))
        session.commit()
    return store


def test_percentiles_are_nearest_rank():
    assert percentile({}, 0.9) is None
    assert percentile({14: 1}, 0.1) == 14 and percentile({14: 1}, 0.9) == 14
    histogram = {10: 1, 11: 1, 12: 1, 13: 1, 14: 1, 15: 1, 16: 1, 17: 1, 18: 1, 40: 1}
    assert percentile(histogram, 0.9) == 18 and percentile(histogram, 0.1) == 10
    assert percentile({20: 89, 35: 11}, 0.9) == 35 and percentile({20: 90, 35: 10}, 0.9) == 20


def test_what_the_store_can_see_is_measured_from_its_cases_and_scrapes(tmp_path):
    store = make_store(tmp_path)
    [seen] = visibility(store, ["alexandria"])
    assert (seen.lag_p10, seen.lag_p90, seen.look_ahead) == (LAG, LAG, 13)
    assert seen.seen_from == dt.date(2026, 9, 3) and seen.seen_until == dt.date(2026, 11, 12)
    assert seen.final_from(dt.date(2026, 11, 22)) == dt.date(2026, 12, 7)
    assert visibility(store, ["nowhere"]) == []


def test_a_week_not_yet_seen_whole_is_provisional_and_says_so(tmp_path):
    store = make_store(tmp_path)
    report = build_report(store, "2026-W47", health_courts=["alexandria"], today=AS_OF)
    states = dict(zip(report.history_mondays, report.week_states))
    assert states[dt.date(2026, 11, 16)] == "provisional" and states[dt.date(2026, 11, 9)] == "provisional"
    assert states[dt.date(2026, 11, 2)] == "complete" and states[dt.date(2026, 9, 7)] == "complete"
    assert states[dt.date(2026, 8, 31)] == "partial"  # filed before 09-03: first heard before the scrapes reach
    assert states[dt.date(2026, 8, 24)] == "no data"
    # The moving average runs over complete weeks only.
    averaged = [m for m, v in zip(report.history_mondays, report.moving_average) if v is not None]
    assert averaged and min(averaged) == dt.date(2026, 9, 28) and max(averaged) == dt.date(2026, 11, 2)
    [court] = report.provisional
    assert (court.lag_p90, court.look_ahead, court.covered_until, court.final_from) == (
        LAG, 13, dt.date(2026, 12, 10), dt.date(2026, 12, 7))
    filings = report.headlines[0]
    assert filings.key == "new_filings" and filings.states == ("provisional", "provisional", "no data")
    assert all(h.states == ("complete",) * 3 for h in report.headlines[1:])

    html = render_report(report, generated_at=dt.datetime(2026, 11, 27, 7, tzinfo=dt.UTC),
                         names={"alexandria": "Alexandria GDC"}, covers="eviction cases")
    assert 'id="provisional-week"' in html
    assert ("in Alexandria GDC, 90% of cases get their first hearing within 28 days of filing, while the scrapes "
            "look 13 days ahead (to 2026-12-10); it should be final from about 2026-12-07") in html
    assert '<span class="tag">provisional</span>' in html and ", provisional</span>" in html
    assert "Report week (provisional)" in html and "Not all of its filings visible yet" in html
    text_ = summary_text(report, "Alexandria GDC", {"alexandria": "Alexandria GDC"})
    # None of the week's filings has had a hearing in the window yet: 0, and why, not "check the scrapes".
    assert "New eviction filings: 0, provisional; vs last week" in text_ and "Week 2026-W47 is provisional" in text_
    assert "No eviction filings were found" not in text_ + html


def test_a_week_seen_whole_carries_no_banner(tmp_path):
    store = make_store(tmp_path)
    report = build_report(store, "2026-W44", health_courts=["alexandria"], today=AS_OF)
    assert report.provisional == [] and report.week_states[-1] == "complete"
    html = render_report(report, generated_at=dt.datetime(2026, 11, 27, 7, tzinfo=dt.UTC), names={},
                         covers="eviction cases")
    assert 'id="provisional-week"' not in html and '<span class="tag">' not in html


def test_the_lag_is_measured_on_filings_whose_slow_cases_had_time_to_be_seen(tmp_path):
    engine = db.make_engine(f"sqlite:///{tmp_path / 'lag.db'}")
    db.upgrade(engine)
    store = Store(engine)
    store.ensure_court(Court("alexandria", get_source("va-gdc"), "510", "https://portal.example.invalid/gdcourts/"))
    cases, n = [], 0
    for filed, lag, count in ((dt.date(2026, 9, 10), 40, 1), (dt.date(2026, 9, 14), 14, 8),
                              (dt.date(2026, 11, 20), 14, 20)):  # November's slow cases are not seen yet
        for _ in range(count):
            n += 1
            cases.append(record(case_number=f"GV26{n:06d}-00", matter_key=f"GV26{n:06d}", filed_date=filed,
                                judgment=None, hearings=(Hearing(date=filed + dt.timedelta(days=lag),
                                                                 time=dt.time(9, 0), type="Return"),)))
    store.save([prepare(r, AS_OF, "America/New_York", VOCABULARY) for r in cases])
    at = dt.datetime(2026, 11, 27, 6, tzinfo=dt.timezone.utc)
    with Session(engine) as session:
        session.add(m.ScrapeRun(court_id="alexandria", started_at=at, finished_at=at, since=dt.date(2026, 9, 1),
                                until=dt.date(2026, 12, 10), outcome="ok", as_of=AS_OF))
        session.commit()
    [seen] = visibility(Store(engine), ["alexandria"])
    assert seen.lag_p90 == 40  # over all 29 cases it would read 14
    assert percentile({40: 1, 14: 28}, 0.9) == 14
