"""Every number in the weekly report equals SQL written independently here, on both backends."""

from __future__ import annotations

import datetime as dt
import json
import re
import statistics
from scraper.base import Court
from scraper.courts import get_source
from collections import Counter

import pytest
from sqlalchemy import text

from pipeline.store.repo import Store
from reports.render import render_report
from reports.weekly import HISTORY_WEEKS, build_report
from tests.report_fixture import HOSTILE_LANDLORD, MONDAY, REPORT_WEEK, TODAY, filled_store

UD = "c.case_type = 'Unlawful Detainer'"
JUDGED = "h.result IN ('Judgment', 'Default Judgment')"


@pytest.fixture(params=["sqlite", "postgresql"])
def report_store(request, sqlite_url):
    return filled_store(request, sqlite_url)[0]


def scalar(engine, sql, **params):
    with engine.connect() as conn:
        return conn.execute(text(sql), params).scalar()


def rows(engine, sql, **params):
    """Rows with dates as dates (SQLite's text SQL returns them as strings)."""
    def value(v):
        return dt.date.fromisoformat(v) if isinstance(v, str) and re.fullmatch(r"\d{4}-\d{2}-\d{2}", v) else v
    with engine.connect() as conn:
        return [tuple(value(v) for v in row) for row in conn.execute(text(sql), params).all()]


def week_by_hand(engine, monday):
    a, b = monday, monday + dt.timedelta(days=6)
    hearing = f"FROM hearings h JOIN cases c ON c.id = h.case_id WHERE {UD} AND h.date BETWEEN :a AND :b"
    plaintiff = ("FROM hearings h JOIN cases c ON c.id = h.case_id JOIN judgments j ON j.case_id = c.id "
                 f"WHERE {UD} AND h.date BETWEEN :a AND :b AND {JUDGED} AND upper(j.judgment) LIKE '%PLAINTIFF%'")
    defaults = scalar(engine, f"SELECT count(*) {hearing} AND h.result = 'Default Judgment'", a=a, b=b)
    judged = scalar(engine, f"SELECT count(*) {hearing} AND {JUDGED}", a=a, b=b)
    principals = [r[0] for r in rows(engine, f"SELECT j.principal_cents {plaintiff} AND j.principal_cents IS NOT NULL",
                                     a=a, b=b)]
    heard = rows(engine, f"SELECT DISTINCT c.id {hearing} AND coalesce(h.result, '') <> ''", a=a, b=b)
    with_lawyer = {r[0] for r in rows(engine, "SELECT case_id, attorney FROM parties WHERE role = 'defendant'")
                   if (r[1] or "").strip().upper() not in ("", "NONE", "PRO SE", "SELF-REPRESENTED")}
    return {
        "new_filings": scalar(engine, f"SELECT count(*) FROM cases c WHERE {UD} AND c.filed_date BETWEEN :a AND :b",
                              a=a, b=b),
        "hearings_held": scalar(engine, f"SELECT count(*) {hearing} AND coalesce(h.result, '') <> ''", a=a, b=b),
        "judgments_possession": scalar(engine, f"SELECT count(*) {plaintiff} AND (j.possession IS NULL OR j.possession)",
                                       a=a, b=b),
        "default_judgments": defaults,
        "default_rate": defaults / judged if judged else None,
        "represented_rate": sum(r[0] in with_lawyer for r in heard) / len(heard) if heard else None,
        "dismissals": scalar(engine, f"SELECT count(*) {hearing} AND h.result IN ('Dismissed', 'Non-suit')", a=a, b=b),
        "writs_issued": scalar(engine, "SELECT count(*) FROM judgments j JOIN cases c ON c.id = j.case_id "
                                       f"WHERE {UD} AND j.writ_issued_date BETWEEN :a AND :b", a=a, b=b),
        "writs_executed": scalar(engine, "SELECT count(*) FROM judgments j JOIN cases c ON c.id = j.case_id "
                                         f"WHERE {UD} AND j.writ_executed_date BETWEEN :a AND :b", a=a, b=b),
        "principal_total": sum(principals) / 100,
        "principal_median": round(statistics.median(principals)) / 100 if principals else None,
    }


def test_headline_figures_and_their_comparisons(report_store):
    engine = report_store.engine
    report = build_report(Store(engine), REPORT_WEEK, health_courts=["alexandria", "arlington"], today=TODAY)
    got = {h.key: (h.value, h.previous_week, h.year_ago) for h in report.headlines}
    for index, monday in enumerate((MONDAY, MONDAY - dt.timedelta(days=7), MONDAY - dt.timedelta(days=364))):
        expected = week_by_hand(engine, monday)
        for key, value in expected.items():
            assert got[key][index] == pytest.approx(value), (key, monday)
    for key, values in got.items():  # the fixture exercises every figure
        assert any(v for v in values), key


def test_series_tables_and_health(report_store):
    engine = report_store.engine
    report = build_report(Store(engine), REPORT_WEEK, health_courts=["alexandria", "arlington"], today=TODAY)
    first = MONDAY - dt.timedelta(days=7 * (HISTORY_WEEKS - 1))
    weeks = [first + dt.timedelta(days=7 * i) for i in range(HISTORY_WEEKS)]
    assert report.weekly_filings == [
        scalar(engine, f"SELECT count(*) FROM cases c WHERE {UD} AND c.filed_date BETWEEN :a AND :b",
               a=w, b=w + dt.timedelta(days=6)) for w in weeks]

    def week_of(day):
        return (day - first).days // 7

    # Median days from filing to the first hearing, by filing week, from the hearings themselves.
    to_hearing: dict[int, list[int]] = {}
    for filed, first_hearing in rows(engine, f"SELECT c.filed_date, min(h.date) FROM cases c JOIN hearings h ON "
                                             f"h.case_id = c.id WHERE {UD} AND c.filed_date >= :a GROUP BY c.id, "
                                             "c.filed_date", a=first):
        to_hearing.setdefault(week_of(filed), []).append((first_hearing - filed).days)
    assert report.median_to_hearing == [statistics.median(to_hearing[i]) if i in to_hearing else None
                                        for i in range(HISTORY_WEEKS)]
    to_writ: dict[int, list[int]] = {}
    for judged, writ in rows(engine, "SELECT h.date, j.writ_issued_date FROM hearings h JOIN cases c ON c.id = "
                                     f"h.case_id JOIN judgments j ON j.case_id = c.id WHERE {UD} AND {JUDGED} AND "
                                     "j.writ_issued_date IS NOT NULL AND h.date BETWEEN :a AND :b",
                             a=first, b=MONDAY + dt.timedelta(days=6)):
        to_writ.setdefault(week_of(judged), []).append((writ - judged).days)
    assert report.median_to_writ == [statistics.median(to_writ[i]) if i in to_writ else None
                                     for i in range(HISTORY_WEEKS)]

    zips = rows(engine, "SELECT p.zip5, count(*) FROM cases c JOIN parties p ON p.case_id = c.id AND p.role = "
                        f"'defendant' AND p.position = 0 WHERE {UD} AND c.filed_date BETWEEN :a AND :b "
                        "GROUP BY p.zip5", a=MONDAY - dt.timedelta(days=21), b=MONDAY + dt.timedelta(days=6))
    assert report.zips == sorted([(z, n) for z, n in zips], key=lambda r: (-r[1], r[0]))[:15]

    out_first = MONDAY - dt.timedelta(days=84)
    statuses = rows(engine, f"SELECT c.filed_date, c.status FROM cases c WHERE {UD} AND c.filed_date BETWEEN :a AND :b",
                    a=out_first, b=out_first + dt.timedelta(days=34))
    assert sum(sum(week.values()) for week in report.outcomes) == len(statuses)
    removed = Counter((filed - out_first).days // 7 for filed, status in statuses if status == "writ_executed")
    assert [week.get("Removed (writ executed)", 0) for week in report.outcomes] == [removed[i] for i in range(5)]

    total = scalar(engine, f"SELECT count(*) FROM cases c WHERE {UD} AND c.filed_date BETWEEN :a AND :b",
                   a=first, b=MONDAY + dt.timedelta(days=6))
    filers = rows(engine, "SELECT l.canonical_name, count(*), sum(CASE WHEN j.judgment_code = 'plaintiff' THEN 1 "
                          "ELSE 0 END), sum(CASE WHEN j.writ_issued_date IS NOT NULL THEN 1 ELSE 0 END), "
                          "count(DISTINCT c.matter_key) - count(DISTINCT coalesce(c.household_key, c.matter_key)) "
                          "FROM cases c JOIN landlord_aliases a ON a.key = c.landlord_key JOIN landlords l ON "
                          "l.id = a.landlord_id LEFT JOIN judgments j ON j.case_id = c.id "
                          f"WHERE {UD} AND c.filed_date BETWEEN :a AND :b GROUP BY l.canonical_name",
                  a=first, b=MONDAY + dt.timedelta(days=6))
    expected = sorted(filers, key=lambda r: (-r[1], r[0]))[:10]
    assert report.filers_total == total
    assert [(f.landlord, f.filings, f.judgments, f.writs, f.serial) for f in report.filers] == [
        tuple(r) for r in expected]
    assert any(f.serial > 0 for f in report.filers)

    assert report.weekly_removals == [
        scalar(engine, "SELECT count(*) FROM judgments j JOIN cases c ON c.id = j.case_id "
                       f"WHERE {UD} AND j.writ_executed_date BETWEEN :a AND :b", a=w, b=w + dt.timedelta(days=6))
        for w in weeks]
    assert any(report.weekly_removals)
    # The fixture's scrapes saw all its cases: every week with data is complete.
    assert set(report.week_states) == {"complete"} and report.provisional == []
    money = report.open_money
    standing = [r[0] for r in rows(engine, "SELECT j.principal_cents FROM cases c JOIN judgments j ON j.case_id = c.id "
                                           f"WHERE {UD} AND NOT c.closed AND j.judgment_code = 'plaintiff'")]
    amounts = [p for p in standing if p is not None]
    assert (money.judged, money.judged_with_amount) == (len(standing), len(amounts)) and amounts
    assert money.principal_total_cents == sum(amounts)
    assert money.principal_median_cents == round(statistics.median(amounts))
    assert money.without_amount == scalar(
        engine, "SELECT count(*) FROM cases c LEFT JOIN judgments j ON j.case_id = c.id "
                f"WHERE {UD} AND NOT c.closed AND j.principal_cents IS NULL") > 0

    health = {h.court_id: h for h in report.health}
    assert health["alexandria"].last_ok_as_of == dt.date(2026, 11, 24)
    assert (health["alexandria"].runs, health["alexandria"].failed_runs, health["alexandria"].layout_errors) == (2, 1, 2)
    assert health["alexandria"].pages == 68 and health["arlington"].runs == 0
    warnings = " ".join(report.warnings)
    assert "arlington's data is stale" in warnings and "1 of 2 scrapes this week failed" in warnings


def test_the_page_shows_the_numbers_and_escapes_names(report_store):
    report = build_report(report_store.engine, REPORT_WEEK, health_courts=["alexandria", "arlington"], today=TODAY)
    html = render_report(report, generated_at=dt.datetime(2026, 11, 30, 7, tzinfo=dt.UTC),
                         names={"alexandria": "Alexandria <GDC>"}, covers="eviction cases in Alexandria <GDC>")
    data = json.loads(re.search(r'<script type="application/json" id="report-data">(.*?)</script>', html,
                                re.S).group(1))
    assert data["headlines"]["new_filings"]["value"] == report.headlines[0].value
    card = re.search(r'data-metric="new_filings">.*?class="value">([^<]+)<', html, re.S).group(1)
    assert card == f"{report.headlines[0].value:,.0f}"
    assert HOSTILE_LANDLORD in [f.landlord for f in report.filers]
    assert "<script>alert" not in html and "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; CO LLC" in html
    assert html.count("<svg") == 5 and "http://" not in html.replace("http://www.w3.org", "")
    # Courts by their configured names, escaped; no court system written into the page.
    assert "<td>Alexandria &lt;GDC&gt;</td>" in html and "<td>arlington</td>" in html
    assert "Counts are of eviction cases in Alexandria &lt;GDC&gt;, by each court" in html
    assert "General District" not in html and "unlawful detainer" not in html


def test_an_empty_store_draws_no_data_yet_without_warnings():
    import datetime as dt
    import warnings

    from reports import charts

    mondays = [dt.date(2026, 11, 2) + dt.timedelta(weeks=i) for i in range(4)]
    with warnings.catch_warnings(record=True) as seen:
        warnings.simplefilter("always")
        outcome = charts.outcomes_chart(["W1", "W2"], [{}, {}], ["Pending"])
        days = charts.median_days_chart(mondays, [None] * 4, [None] * 4)
        filings = charts.weekly_filings_chart(mondays, [None] * 4, [None] * 4)
    assert not [w for w in seen if "matplotlib" in w.filename], [str(w.message) for w in seen]
    assert "No data yet" in filings
    assert "No data yet" in outcome and "No data yet" in days and "-0.04" not in outcome + days


def test_weeks_before_the_first_filing_are_no_data_not_zero(tmp_path):
    import datetime as dt

    from pipeline.prepare import prepare
    from pipeline.store import db
    from pipeline.store.repo import Store
    from reports.render import render_report
    from scraper.courts.va_gdc.vocab import VOCABULARY
    from tests.test_store import record

    engine = db.make_engine(f"sqlite:///{tmp_path / 'young.db'}")
    db.upgrade(engine)
    store = Store(engine)
    store.ensure_court(Court("alexandria", get_source("va-gdc"), "510", "https://portal.example.invalid/gdcourts/"))
    case = record()  # filed 2026-09-01: the store's data begins that week
    store.save([prepare(case, dt.date(2026, 11, 27), "America/New_York", VOCABULARY)])
    report = build_report(Store(engine), "2026-W47", health_courts=["alexandria"], today=dt.date(2026, 11, 27))
    first_week = next(i for i, m in enumerate(report.history_mondays) if m + dt.timedelta(days=6) >= case.filed_date)
    assert first_week > 30 and all(n is None for n in report.weekly_filings[:first_week])
    assert report.weekly_filings[first_week] == 1 and report.weekly_filings[-1] == 0
    assert all(a is None for a in report.moving_average[:first_week + 3])
    # A report week before the store's first filing: no data, not zero filings.
    early = build_report(Store(engine), "2026-W30", health_courts=["alexandria"], today=dt.date(2026, 11, 27))
    assert early.history_mondays[-1] == dt.date(2026, 7, 20) and set(early.weekly_filings) == {None}
    html = render_report(early, generated_at=dt.datetime(2026, 11, 30, tzinfo=dt.UTC), names={}, covers="eviction cases")
    assert "No data yet" in html and "vs last week" not in html
