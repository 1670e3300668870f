"""The Virginia simulator publishes a day's filings through the business day, each at its own
moment (issue 33: freshness is measured from publication to storing)."""

from __future__ import annotations

import datetime as dt

from scraper.courts.va_gdc.sim.docket import PUBLISHED_FROM, Docket, published_after

DAY = dt.date(2026, 11, 4)  # a Wednesday


def test_todays_filings_are_listed_once_published_and_all_of_them_by_the_end_of_the_day():
    docket = Docket(5, DAY)
    filed_today = [f for f in docket.court_year("510", 2026).cases if f.filed == DAY and f.hearings]
    assert len(filed_today) >= 5
    moments = sorted(published_after(f.case_number) for f in filed_today)
    assert PUBLISHED_FROM <= moments[0] < moments[-1] <= dt.timedelta(hours=16, minutes=30)
    noon = dt.datetime.combine(DAY, dt.time(12))

    def listed(case) -> bool:
        day = case.hearings[0].date
        return any(r.case_number == case.case_number for r, _ in docket.hearing_rows("510", day))

    docket.set_now(noon)
    seen = {f.case_number for f in filed_today if listed(f)}
    assert seen == {f.case_number for f in filed_today
                    if published_after(f.case_number) <= dt.timedelta(hours=12)}
    assert 0 < len(seen) < len(filed_today)
    docket.set_now(dt.datetime.combine(DAY, dt.time(17)))
    assert all(listed(f) for f in filed_today)
    docket.set_today(DAY)  # a day without a time: the whole day is out, as before
    assert all(listed(f) for f in filed_today)
