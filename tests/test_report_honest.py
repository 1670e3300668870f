"""The weekly report is honest about what is not yet known: a past scrape window's banner says
what was scraped, comparisons and charts only where the store has the weeks, medians that can
still move are marked, court systems are not pooled, and times read in the readers' zone."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal

import pytest
from sqlmodel import Session

from evictwatch.config import load_config, parse_config
from evictwatch.jobs.report import make_report, readers_zone
from pipeline.prepare import prepare
from pipeline.store import db
from pipeline.store import models as m
from pipeline.store.repo import Store
from reports.render import charted_from, render_report, summary_text
from reports.weekly import build_report
from scraper.base import Court
from scraper.courts import get_source
from scraper.courts.tyler_odyssey.vocab import VOCABULARY as ODYSSEY
from scraper.courts.va_gdc.vocab import VOCABULARY as VA_GDC
from scraper.records import Hearing, Judgment, Party
from tests.report_fixture import REPORT_WEEK, TODAY, populate
from tests.test_report_cli import write_config
from tests.test_store import record

GENERATED = dt.datetime(2026, 12, 6, 12, tzinfo=dt.UTC)
LAG = 28  # every case's first hearing comes 4 weeks after its filing


def new_store(tmp_path, name: str = "honest.db") -> Store:
    engine = db.make_engine(f"sqlite:///{tmp_path / name}")
    db.upgrade(engine)
    store = Store(engine)
    store.ensure_court(Court("alexandria", get_source("va-gdc"), "510", "https://portal.example.invalid/gdcourts/"))
    return store


def add_run(store: Store, court: str, since: dt.date, until: dt.date, as_of: dt.date) -> None:
    at = dt.datetime(as_of.year, as_of.month, as_of.day, 6, tzinfo=dt.UTC)
    with Session(store.engine) as session:
        session.add(m.ScrapeRun(court_id=court, started_at=at, finished_at=at, since=since, until=until,
                                outcome="ok", as_of=as_of))
        session.commit()


def scraped_cases(store: Store, since: dt.date, until: dt.date, as_of: dt.date) -> None:
    """Cases filed every other day, each found only if its hearing fell in the scraped window."""
    cases = []
    for n, filed in enumerate(dt.date(2026, 7, 6) + dt.timedelta(days=d) for d in range(0, 140, 2)):
        hearing = filed + dt.timedelta(days=LAG)
        if since <= hearing <= until:
            cases.append(record(case_number=f"GV26{n:06d}-00", matter_key=f"GV26{n:06d}", filed_date=filed,
                                judgment=None, hearings=(Hearing(date=hearing, time=dt.time(9, 0), type="Return"),)))
    store.save([prepare(r, as_of, "America/New_York", VA_GDC) for r in cases])
    add_run(store, "alexandria", since, until, as_of)


@pytest.mark.parametrize("window, week, covered, needed", [
    # An explicit --since/--until scrape on 2026-12-06 of hearing dates that ended two months earlier.
    ((dt.date(2026, 8, 1), dt.date(2026, 10, 9), dt.date(2026, 12, 6)), "2026-W37", "2026-10-09", "2026-10-11"),
    # Scrapes that looked ahead, but stopped on 2026-10-01: the day they would have seen it has passed.
    ((dt.date(2026, 9, 1), dt.date(2026, 10, 14), dt.date(2026, 10, 1)), "2026-W40", "2026-10-14", "2026-11-01"),
])
def test_a_past_window_says_what_was_scraped_not_a_forecast(tmp_path, window, week, covered, needed):
    store = new_store(tmp_path)
    scraped_cases(store, *window)
    report = build_report(store, week, health_courts=["alexandria"], today=dt.date(2026, 12, 6))
    [court] = report.provisional
    assert (court.covered_until.isoformat(), court.needed_until.isoformat(), court.final_from) == (
        covered, needed, None)
    html = render_report(report, generated_at=GENERATED, names={"alexandria": "Alexandria GDC"},
                         covers="eviction cases")
    banner = re.search(r'id="provisional-week">(.*?)</section>', html, re.S).group(1)
    assert f"in Alexandria GDC, not final: scraped only to {covered}" in banner
    assert f"once hearing dates through {needed} are scraped" in banner
    assert "final from about" not in banner and "days ahead" not in banner and "−" not in banner
    assert f"not final: scraped only to {covered}" in summary_text(report, "Alexandria GDC",
                                                                   {"alexandria": "Alexandria GDC"})


def test_scrapes_that_look_ahead_still_forecast_the_day_the_week_is_final(tmp_path):
    store = new_store(tmp_path)
    scraped_cases(store, dt.date(2026, 9, 1), dt.date(2026, 12, 19), dt.date(2026, 12, 6))
    report = build_report(store, "2026-W48", health_courts=["alexandria"], today=dt.date(2026, 12, 6))
    [court] = report.provisional
    assert court.look_ahead == 13 and court.final_from == dt.date(2026, 11, 29) + dt.timedelta(days=LAG - 13)
    html = render_report(report, generated_at=GENERATED, names={}, covers="eviction cases")
    assert "it should be final from about 2026-12-14" in html and "scraped only to" not in html


def test_a_young_store_compares_and_charts_only_the_weeks_it_has(tmp_path):
    store = new_store(tmp_path)
    store.save([prepare(record(), dt.date(2026, 11, 27), "America/New_York", VA_GDC)])  # filed 2026-09-01
    report = build_report(store, "2026-W47", health_courts=["alexandria"], today=dt.date(2026, 11, 27))
    assert all(h.year_ago is None for h in report.headlines)
    assert charted_from(report) == report.history_mondays.index(dt.date(2026, 8, 31)) == 40
    html = render_report(report, generated_at=GENERATED, names={}, covers="eviction cases")
    assert "vs a year ago" not in html and "No data yet" not in html
    # The charts start at the first filing's week: no empty band of weeks without data.
    filings = re.search(r'id="chart-filings">(.*?)</figure>', html, re.S).group(1)
    assert "Aug 31" in filings and "Jul " not in filings and "No data" not in filings
    assert "<title>Weekly eviction filings over the 12 weeks since Aug 31, 2026," in filings
    assert "from 2026-08-31 to 2026-11-22" in html
    # A comparison only where both weeks have a value (a week without hearings has no default rate).
    compared = [h for h in report.headlines if h.value is not None and h.previous_week is not None]
    assert 0 < len(compared) < len(report.headlines) and html.count('<div class="cmp">vs last week') == len(compared)
    assert "Filings over the 12 weeks since Aug 31, 2026" in html and "last 52 weeks" not in html
    text_ = summary_text(report, "Alexandria GDC")
    assert "vs a year ago" not in text_ and "–;" not in text_ and "vs last week +0" in text_


def judged_store(tmp_path) -> Store:
    """A judgment every weekday since June; its writ comes 10, 20 or 30 days later, seen only by
    the last scrape (2026-11-30): the latest judgments' slower writs are not there yet."""
    store = new_store(tmp_path)
    seen, cases, n = dt.date(2026, 11, 30), [], 0
    day = dt.date(2026, 6, 1)
    while day <= dt.date(2026, 11, 27):
        if day.weekday() < 5:
            n += 1
            writ = day + dt.timedelta(days=10 * (1 + n % 3))
            cases.append(record(
                case_number=f"GV26{n:06d}-00", matter_key=f"GV26{n:06d}", filed_date=day - dt.timedelta(days=21),
                hearings=(Hearing(date=day, time=dt.time(9, 0), result="Judgment", type="Return"),),
                judgment=Judgment(judgment="Plaintiff", principal=Decimal("900.00"), possession=True,
                                  writ_issued_date=writ if writ <= seen else None)))
        day += dt.timedelta(days=1)
    store.save([prepare(r, seen, "America/New_York", VA_GDC) for r in cases])
    add_run(store, "alexandria", dt.date(2026, 5, 1), dt.date(2026, 12, 13), seen)
    return store


def test_medians_of_weeks_whose_writs_are_still_coming_are_marked(tmp_path):
    store = judged_store(tmp_path)
    report = build_report(store, "2026-W48", health_courts=["alexandria"], today=dt.date(2026, 11, 30))
    assert (report.writ_lag_p90, report.writs_seen_until) == (30, dt.date(2026, 11, 30))
    final = dict(zip(report.history_mondays, report.to_writ_final))
    # Final once the week's last judgment has had the 30 days 90% of writs take.
    assert final[dt.date(2026, 10, 19)] and not final[dt.date(2026, 10, 26)]
    assert all(final[d] for d in report.history_mondays if d <= dt.date(2026, 10, 19))
    assert not any(final[d] for d in report.history_mondays if d >= dt.date(2026, 10, 26))
    medians = dict(zip(report.history_mondays, report.median_to_writ))
    assert medians[dt.date(2026, 11, 9)] < medians[dt.date(2026, 9, 7)] == 20  # why they are marked
    html = render_report(report, generated_at=GENERATED, names={}, covers="eviction cases")
    days = re.search(r'id="chart-days">(.*?)</figure>', html, re.S).group(1)
    assert "Judgment to writ, writs still coming (reads low)" in days
    assert "Hollow points are not final yet." in days and "90% of writs come within 30 days" in days
    assert "writs have not come yet" in days


def test_medians_all_final_carry_no_mark(tmp_path):
    store = judged_store(tmp_path)
    report = build_report(store, "2026-W38", health_courts=["alexandria"], today=dt.date(2026, 11, 30))
    assert all(report.to_writ_final) and all(report.to_hearing_final)
    html = render_report(report, generated_at=GENERATED, names={}, covers="eviction cases")
    assert "still coming" not in html and "Hollow points" not in html


def two_systems(tmp_path) -> Store:
    store = new_store(tmp_path)
    store.ensure_court(Court("travis-jp5", get_source("tyler-odyssey"), "", "https://portal.example.invalid/odyssey/"))
    filed, hearing = dt.date(2026, 11, 17), (Hearing(date=dt.date(2026, 12, 1), time=dt.time(9, 0), type="Return"),)
    va = [record(case_number=f"GV26{n:06d}-00", matter_key=f"GV26{n:06d}", filed_date=filed, judgment=None,
                 hearings=hearing) for n in range(3)]
    tx = [record(court="travis-jp5", case_number=f"J5-CV-26-{n:06d}", matter_key=f"J5-CV-26-{n:06d}",
                 filed_date=filed, case_type="Eviction", judgment=None, hearings=hearing,
                 defendants=(Party(name=f"TENANT{n}, ANA", address="AUSTIN, TX 78701"),)) for n in range(2)]
    store.save([prepare(r, dt.date(2026, 11, 27), "America/New_York", VA_GDC) for r in va]
               + [prepare(r, dt.date(2026, 11, 27), "America/Chicago", ODYSSEY) for r in tx])
    for court in ("alexandria", "travis-jp5"):
        add_run(store, court, dt.date(2026, 11, 1), dt.date(2026, 12, 31), dt.date(2026, 11, 27))
    return store


def test_courts_of_different_systems_get_their_own_cards_and_zip_codes(tmp_path):
    store = two_systems(tmp_path)
    report = build_report(store, "2026-W47", health_courts=["alexandria", "travis-jp5"],
                          today=dt.date(2026, 11, 27))
    assert report.headlines[0].value == 5  # the pooled figure stays in the data
    assert [g.courts for g in report.groups] == [("alexandria",), ("travis-jp5",)]
    assert [g.headlines[0].value for g in report.groups] == [3, 2]
    assert [g.zips for g in report.groups] == [[("22304", 3)], [("78701", 2)]]
    names = {"alexandria": "Alexandria GDC", "travis-jp5": "Travis JP 5"}
    html = render_report(report, generated_at=GENERATED, names=names, covers="eviction cases")
    assert re.findall(r'<h3 class="group">([^<]+)</h3>', html) == ["Alexandria GDC", "Travis JP 5"] * 2
    assert html.count('data-metric="new_filings"') == 2
    virginia = re.search(r'id="chart-zips-1">(.*?)</figure>', html, re.S).group(1)
    texas = re.search(r'id="chart-zips-2">(.*?)</figure>', html, re.S).group(1)
    assert "22304" in virginia and "78701" not in virginia and "78701" in texas and "22304" not in texas
    assert "va-gdc" not in html and "tyler" not in html.lower()
    text_ = summary_text(report, "all courts", names)
    assert "\nAlexandria GDC:\n  New eviction filings: 3" in text_ and "\nTravis JP 5:\n  New eviction filings: 2" in text_
    # One court system (a partner's filter, or the fixture's two Virginia courts): no split.
    one = build_report(store, "2026-W47", courts=["travis-jp5"], health_courts=["travis-jp5"],
                       today=dt.date(2026, 11, 27))
    assert one.groups == [] and 'id="chart-zips"' in render_report(one, generated_at=GENERATED, names=names,
                                                                   covers="eviction cases")


def test_the_archived_report_reads_in_local_time_and_says_what_its_scrapes_count(store, tmp_path):
    populate(store)
    config = load_config(write_config(tmp_path))
    report, path = make_report(config, store, REPORT_WEEK, today=TODAY,
                               now=dt.datetime(2026, 11, 30, 7, tzinfo=dt.UTC))
    html = path.read_text()
    assert report.groups == [] and html.count('<h3 class="group">') == 0  # both courts are Virginia's
    assert "Generated 2026-11-30 02:00 EST" in html and "as of 2026-11-30 02:00 EST" in html
    assert "2026-11-24 <span class=\"sub\">(finished 01:00 EST)</span>" in html
    assert "UTC" not in html and "07:00" not in html
    assert "Scrapes run Nov 23–Nov 29" in html and "Scrapes this week" not in html
    assert "Last successful scrape (any day)" in html
    # The store holds the week a year earlier: compared wherever both weeks have a value.
    year_ago = [h for h in report.headlines if h.value is not None and h.year_ago is not None]
    assert len(year_ago) >= 8 and html.count('<div class="cmp">vs a year ago') == len(year_ago)


def test_the_readers_zone_is_the_courts_own_when_they_share_one():
    config = parse_config({
        "http": {"user_agent": "t (o@example.org)"}, "schedule": {"timezone": "America/Denver"},
        "courts": [{"id": "alexandria", "source": "va-gdc", "fips": "510",
                    "base_url": "https://portal.example.invalid/gdcourts/"},
                   {"id": "travis", "source": "tyler-odyssey", "base_url": "https://portal.example.invalid/od/"}]},
        "x.yaml")
    assert readers_zone(config, ["travis"]).key == "America/Chicago"
    assert readers_zone(config, ["alexandria"]).key == "America/New_York"
    assert readers_zone(config, ["alexandria", "travis"]).key == "America/Denver"
