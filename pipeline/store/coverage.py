"""Which filing days the store can see whole, measured from the store itself.

evictwatch finds a case when one of its hearings falls in a scrape's window of hearing dates.
A case filed on day d gets its first hearing some days later (the court's hearing lag), so the
filings of a day are all seen only once the scrapes have covered the hearing dates that follow
it by the lag: the last days' filings keep appearing for weeks, and the days long before the
first scrape are seen only in part. With the lag's 10th and 90th percentiles (from the cases'
own filing and first-hearing dates) and the hearing dates the successful scrapes covered:

    seen_from  = covered_from  - p10    filings from here on: at least 90% seen
    seen_until = covered_until - p90    filings up to here: at least 90% seen

The lags are measured on the cases filed inside the covered span and at least MAX_LAG_DAYS
before its end, whose first hearings fell inside it however long they took: counting the
latest filings too would leave out their slow cases and make the court look faster than it is.
Of those, the last LAG_WINDOW_DAYS of filings: the court's present pace, and a bounded read on
a store that holds years (all of a million cases' lags took seconds).
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import func, select

from pipeline.store.handle import Database
from pipeline.store import models as m
from pipeline.store.rows import CASES, EVICTION

RUNS = m.ScrapeRun.__table__
# How much of a week's filings the store can see.
NO_DATA, PARTIAL, PROVISIONAL, COMPLETE = "no data", "partial", "provisional", "complete"
MAX_LAG_DAYS = 70  # longer than any court's wait for a first hearing (Virginia: 2-5 weeks)
LAG_WINDOW_DAYS = 365


@dataclass(frozen=True)
class Visibility:
    court_id: str
    lag_p10: int | None          # days from filing to first hearing, 10th percentile
    lag_p90: int | None          # ... and 90th
    covered_from: dt.date | None  # the earliest hearing date a successful scrape covered
    covered_until: dt.date | None  # the latest
    look_ahead: int | None        # how far past its own day the latest successful scrape looked

    @property
    def seen_from(self) -> dt.date | None:
        if self.covered_from is None or self.lag_p10 is None:
            return None
        return self.covered_from - dt.timedelta(days=self.lag_p10)

    @property
    def seen_until(self) -> dt.date | None:
        if self.covered_until is None or self.lag_p90 is None:
            return None
        return self.covered_until - dt.timedelta(days=self.lag_p90)

    def final_from(self, day: dt.date) -> dt.date | None:
        """When a scrape looking as far ahead as the latest one will have seen `day`'s filings."""
        if self.lag_p90 is None or self.look_ahead is None:
            return None
        return day + dt.timedelta(days=self.lag_p90 - self.look_ahead)


def percentile(histogram: dict[int, int], share: float) -> int | None:
    """The nearest-rank percentile of values given as {value: count}."""
    total = sum(histogram.values())
    if not total:
        return None
    rank, seen = max(1, math.ceil(share * total - 1e-9)), 0
    for value in sorted(histogram):
        seen += histogram[value]
        if seen >= rank:
            return value
    return max(histogram)


def visibility(db: Database, court_ids: Sequence[str]) -> list[Visibility]:
    """Per court (with any eviction case or successful scrape), what its filings' visibility is."""
    engine = db.engine
    ok = RUNS.c.outcome == "ok"
    span_query = (select(RUNS.c.court_id, func.min(RUNS.c.since), func.max(RUNS.c.until))
                  .where(ok, RUNS.c.court_id.in_(list(court_ids))).group_by(RUNS.c.court_id))
    with engine.connect() as conn:
        spans = {court_id: (since, until) for court_id, since, until in conn.execute(span_query)}
        ahead = {}
        for court_id in spans:
            latest = conn.execute(select(RUNS.c.as_of, RUNS.c.until).where(ok, RUNS.c.court_id == court_id,
                                                                            RUNS.c.as_of.is_not(None))
                                  .order_by(RUNS.c.finished_at.desc().nulls_last(), RUNS.c.id.desc())
                                  .limit(1)).first()
            ahead[court_id] = (latest[1] - latest[0]).days if latest else None
        lags = {court_id: _lags(conn, court_id, spans.get(court_id)) for court_id in court_ids}
    out = []
    for court_id in court_ids:
        if not lags[court_id] and court_id not in spans:
            continue
        since, until = spans.get(court_id, (None, None))
        out.append(Visibility(court_id, percentile(lags[court_id], 0.10), percentile(lags[court_id], 0.90),
                              since, until, ahead.get(court_id)))
    return out


def _lags(conn, court_id: str, span: tuple[dt.date, dt.date] | None) -> dict[int, int]:
    """{days from filing to first hearing: cases}, over the filings whose lags all fit the span
    (all of the court's cases when it holds none such yet)."""
    where = [CASES.c.kind == EVICTION, CASES.c.court_id == court_id,
             CASES.c.days_to_first_hearing.is_not(None), CASES.c.days_to_first_hearing >= 0]
    query = select(CASES.c.days_to_first_hearing, func.count()).group_by(CASES.c.days_to_first_hearing)
    if span is not None:
        last = span[1] - dt.timedelta(days=MAX_LAG_DAYS)
        fitting = conn.execute(query.where(*where, CASES.c.filed_date.between(
            max(span[0], last - dt.timedelta(days=LAG_WINDOW_DAYS)), last))).all()
        if fitting:
            return {int(days): int(n) for days, n in fitting}
    return {int(days): int(n) for days, n in conn.execute(query.where(*where)).all()}


def visibility_mark(db: Database) -> tuple:
    """Changes whenever `visibility` may: a scrape run finishing well (a run is stored when it
    starts and marked ok when it ends), or a case stored. Cheap: the runs table and one index."""
    ok = RUNS.c.outcome == "ok"
    with db.engine.connect() as conn:
        runs = conn.execute(select(func.count(), func.max(RUNS.c.finished_at)).where(ok)).one()
        return (*runs, conn.execute(select(func.max(CASES.c.id))).scalar())


def week_state(monday: dt.date, earliest: dt.date | None, views: Sequence[Visibility]) -> str:
    """How much of a week's filings the store can see: none before its first filing; provisional
    while the scrapes have not looked far enough ahead for the week's first hearings; partial
    when the week came before the scrapes reached back."""
    sunday = monday + dt.timedelta(days=6)
    if earliest is None or sunday < earliest:
        return NO_DATA
    if any(v.seen_until is not None and sunday > v.seen_until for v in views):
        return PROVISIONAL
    if any(v.seen_from is not None and monday < v.seen_from for v in views):
        return PARTIAL
    return COMPLETE
