"""The weekly trend report's content: figures, series and tables for one ISO week.

Every number comes from pipeline.store.trends (SQL over the store); this module only picks
the weeks, computes changes and moving averages, and says what looks wrong with the data.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field


from pipeline.store import trends
from pipeline.store.contact_summary import OutreachSummary, outreach_summary
from pipeline.store.coverage import (COMPLETE, NO_DATA, PARTIAL, PROVISIONAL, Visibility, percentile,  # noqa: F401
                                     visibility, week_state)
from pipeline.store.repo import Store
from pipeline.store.trends import CourtHealth, Filer, OpenMoney, WeekFigures

HISTORY_WEEKS = 52
OUTCOME_WEEKS = (12, 8)  # cases filed 12 to 8 weeks before the report week: their outcomes are mature
ZIP_WEEKS = 4
# The judgment-to-writ lag is measured on judgments at least this old, whose slow writs have had
# time to be issued: measured on all of them, the latest judgments' missing writs would shorten it.
WRIT_LAG_HORIZON_DAYS = 90
OUTCOME_ORDER = ("Removed (writ executed)", "Writ issued", "Judgment for landlord", "Judgment satisfied",
                 "Appealed", "Judgment for tenant", "Dismissed / non-suited", "Pending")

# (key, label, unit): the headline figures, in the order they are shown.
HEADLINES = [
    ("new_filings", "New eviction filings", "count"),
    ("hearings_held", "Hearings held", "count"),
    ("judgments_possession", "Judgments for possession", "count"),
    ("default_judgments", "Default judgments", "count"),
    ("default_rate", "Default rate", "rate"),
    ("represented_rate", "Tenants with an attorney of record", "rate"),
    ("dismissals", "Dismissals and non-suits", "count"),
    ("writs_issued", "Writs of eviction issued", "count"),
    ("writs_executed", "Writs executed (removals)", "count"),
    ("principal_total", "Judgment principal, total", "money"),
    ("principal_median", "Judgment principal, median", "money"),
]
# Figures counted by filing date: incomplete while the week's filings cannot all be seen yet.
BY_FILING = frozenset({"new_filings"})



@dataclass(frozen=True)
class Headline:
    key: str
    label: str
    unit: str
    value: float | None
    previous_week: float | None
    year_ago: float | None
    # For figures counted by filing date: how complete each of the three weeks is (else COMPLETE).
    states: tuple[str, str, str] = (COMPLETE, COMPLETE, COMPLETE)


@dataclass(frozen=True)
class ProvisionalCourt:
    """A court whose filings of the report week are not all visible yet, and why."""

    court_id: str
    lag_p90: int           # 90% of its cases get a first hearing within this many days of filing
    look_ahead: int | None  # ... while its scrapes look this many days ahead (None: no day recorded)
    covered_until: dt.date  # the last hearing date scraped
    needed_until: dt.date   # the hearing dates a scrape must reach to see the week's filings whole
    # When scrapes looking as far ahead as the latest will have seen the whole week; None when
    # they will not on their own: the latest window ended before its own day, or the day is past.
    final_from: dt.date | None


@dataclass(frozen=True)
class CourtGroup:
    """The courts of one court system, when a report pools several: cards and ZIP codes of
    their own (rates, medians and ZIP codes of different systems do not add up)."""

    courts: tuple[str, ...]
    headlines: list[Headline]
    zips: list[tuple[str, int]]


@dataclass(frozen=True)
class WeeklyReport:
    period: str
    monday: dt.date
    sunday: dt.date
    courts: tuple[str, ...]  # empty: every court
    as_of: dt.date  # the day the data is judged fresh against
    headlines: list[Headline]
    history_mondays: list[dt.date]
    weekly_filings: list[int | None]  # None: a week before the store's first filing (no data, not zero)
    moving_average: list[float | None]  # over complete weeks only
    week_states: list[str]  # per history week: NO_DATA, PARTIAL, PROVISIONAL or COMPLETE
    weekly_removals: list[int | None]  # writs executed per week
    provisional: list[ProvisionalCourt]  # empty: the report week's filings are all visible
    open_money: OpenMoney
    outcome_labels: list[str]
    outcomes: list[dict[str, int]]
    outcome_weeks: tuple[dt.date, dt.date]
    zips: list[tuple[str, int]]
    zip_since: dt.date
    median_to_hearing: list[float | None]
    median_to_writ: list[float | None]
    to_hearing_final: list[bool]  # per week: False while not all of its filings are seen (the median moves)
    to_writ_final: list[bool]     # per week: False while its judgments' slower writs can still come
    writ_lag_p90: int | None      # 90% of writs come within this many days of the judgment
    writs_seen_until: dt.date     # the day the scrapes last looked at the cases' writs
    filers_total: int
    filers: list[Filer]
    filers_since: dt.date
    health: list[CourtHealth]
    warnings: list[str] = field(default_factory=list)
    groups: list[CourtGroup] = field(default_factory=list)  # empty: the courts are of one court system
    outreach: OutreachSummary | None = None  # the outcome weeks' cases: who partners reached, how they ended


def week_monday(period: str) -> dt.date:
    year, week = period.split("-W")
    return dt.date.fromisocalendar(int(year), int(week), 1)


def _values(f: WeekFigures) -> dict[str, float | None]:
    return {
        "new_filings": f.new_filings, "hearings_held": f.hearings_held,
        "judgments_possession": f.judgments_possession, "default_judgments": f.default_judgments,
        "default_rate": f.default_rate, "dismissals": f.dismissals, "writs_issued": f.writs_issued,
        "writs_executed": f.writs_executed, "represented_rate": f.represented_rate,
        "principal_total": f.principal_total_cents / 100,
        "principal_median": f.principal_median_cents / 100 if f.principal_median_cents is not None else None,
    }


def moving_average(values: Sequence[int | None], window: int = 4) -> list[float | None]:
    """The mean of each `window` weeks; None where any of them has no data."""
    out: list[float | None] = []
    for i in range(len(values)):
        part = values[i - window + 1:i + 1] if i >= window - 1 else [None]
        out.append(None if any(v is None for v in part) else sum(part) / window)  # type: ignore[arg-type]
    return out


def _provisional(views: Sequence[Visibility], sunday: dt.date, today: dt.date) -> list[ProvisionalCourt]:
    out = []
    for v in views:
        if v.seen_until is None or sunday <= v.seen_until or v.lag_p90 is None or v.covered_until is None:
            continue
        final = v.final_from(sunday)
        if v.look_ahead is None or v.look_ahead <= 0 or final is None or final <= today:
            final = None  # no scrape that is due will reach those hearing dates: only a scrape of them will
        out.append(ProvisionalCourt(v.court_id, v.lag_p90, v.look_ahead, v.covered_until,
                                    sunday + dt.timedelta(days=v.lag_p90), final))
    return out


def _headlines(store: Store, monday: dt.date, courts: Sequence[str], views: Sequence[Visibility]) -> list[Headline]:
    """The week's figures against the week before and the week 52 weeks earlier."""
    earliest = trends.first_filed(store, courts)

    def figures(day: dt.date) -> dict[str, float | None]:
        if earliest is None or day + dt.timedelta(days=6) < earliest:
            return dict.fromkeys(key for key, _, _ in HEADLINES)  # before the store's data: unknown, not zero
        return _values(trends.week_figures(store, day, courts))

    compared = (monday, monday - dt.timedelta(days=7), monday - dt.timedelta(days=364))
    now, before, year_ago = (figures(d) for d in compared)
    states = tuple(week_state(d, earliest, views) for d in compared)
    return [Headline(key, label, unit, now[key], before[key], year_ago[key],
                     states if key in BY_FILING else (COMPLETE,) * 3)  # type: ignore[arg-type]
            for key, label, unit in HEADLINES]


def _court_groups(store: Store, monday: dt.date, courts: Sequence[str], health_courts: Sequence[str],
                  views: Sequence[Visibility], zip_since: dt.date) -> list[CourtGroup]:
    """One group per court system (as the store records each court's source), when there are several."""
    systems = trends.court_systems(store, courts)
    if not courts:
        systems.update(trends.court_systems(store, health_courts))
    by_system: dict[str, list[str]] = {}
    for court_id, system in systems.items():
        by_system.setdefault(system, []).append(court_id)
    if len(by_system) < 2:
        return []
    sunday = monday + dt.timedelta(days=6)
    groups = []
    for ids in sorted(tuple(sorted(found)) for found in by_system.values()):
        groups.append(CourtGroup(ids, _headlines(store, monday, ids, [v for v in views if v.court_id in ids]),
                                 trends.filings_by_zip(store, zip_since, sunday, ids)[:15]))
    return groups


def _writs_seen_until(health: Sequence[CourtHealth], today: dt.date) -> dt.date:
    """The day the scrapes last looked at the courts' cases (the stalest court's), at most today."""
    scraped = [c.last_ok_as_of for c in health if c.last_ok_as_of is not None]
    return min([today, *scraped])


def build_report(store: Store, period: str, *, courts: Sequence[str] = (), health_courts: Sequence[str],
                 today: dt.date, stale_after_days: int = 3) -> WeeklyReport:
    monday = week_monday(period)
    sunday = monday + dt.timedelta(days=6)
    courts = tuple(sorted(courts))
    earliest = trends.first_filed(store, courts)
    views = visibility(store, list(courts or health_courts))
    headlines = _headlines(store, monday, courts, views)

    first = monday - dt.timedelta(days=7 * (HISTORY_WEEKS - 1))
    mondays = [first + dt.timedelta(days=7 * i) for i in range(HISTORY_WEEKS)]
    week_states = [week_state(m, earliest, views) for m in mondays]
    counted = trends.weekly_filings(store, first, HISTORY_WEEKS, courts)
    filings = [None if state == NO_DATA else n for state, n in zip(week_states, counted)]
    removals = [None if state == NO_DATA else n
                for state, n in zip(week_states, trends.weekly_removals(store, first, HISTORY_WEEKS, courts))]
    complete = [n if state == COMPLETE else None for state, n in zip(week_states, filings)]
    out_first = monday - dt.timedelta(days=7 * OUTCOME_WEEKS[0])
    out_last = out_first + dt.timedelta(days=7 * (OUTCOME_WEEKS[0] - OUTCOME_WEEKS[1]) + 6)
    if earliest is not None and out_first < earliest <= out_last:
        out_first = earliest - dt.timedelta(days=earliest.weekday())  # no bars for weeks before the data
    out_weeks = (out_last - out_first).days // 7 + 1
    zip_since = monday - dt.timedelta(days=7 * (ZIP_WEEKS - 1))
    filers_total, filers = trends.top_filers(store, first, sunday, courts)
    as_of = min(today, sunday)
    health = trends.court_health(store, list(health_courts), monday, sunday)
    writs_seen_until = _writs_seen_until(health, today)
    writ_lag_p90 = percentile(trends.writ_lags(
        store, writs_seen_until - dt.timedelta(days=WRIT_LAG_HORIZON_DAYS), courts), 0.90)
    return WeeklyReport(
        period=period, monday=monday, sunday=sunday, courts=courts, as_of=as_of, headlines=headlines,
        history_mondays=mondays, weekly_filings=filings, moving_average=moving_average(complete),
        week_states=week_states, weekly_removals=removals, provisional=_provisional(views, sunday, today),
        open_money=trends.open_money(store, courts),
        outcome_labels=[(out_first + dt.timedelta(days=7 * i)).strftime("%b %d") for i in range(out_weeks)],
        outcomes=trends.outcomes_by_filing_week(store, out_first, out_weeks, courts),
        outcome_weeks=(out_first, out_last),
        zips=trends.filings_by_zip(store, zip_since, sunday, courts)[:15], zip_since=zip_since,
        median_to_hearing=trends.days_to_first_hearing(store, first, HISTORY_WEEKS, courts),
        median_to_writ=trends.days_judgment_to_writ(store, first, HISTORY_WEEKS, courts),
        to_hearing_final=[state in (COMPLETE, NO_DATA) for state in week_states],
        to_writ_final=[writ_lag_p90 is None or m + dt.timedelta(days=6 + writ_lag_p90) <= writs_seen_until
                       for m in mondays],
        writ_lag_p90=writ_lag_p90, writs_seen_until=writs_seen_until,
        filers_total=filers_total, filers=filers, filers_since=first, health=health,
        warnings=data_warnings(health, as_of, stale_after_days, filings[-1], week_states[-1] == PROVISIONAL),
        groups=_court_groups(store, monday, courts, health_courts, views, zip_since),
        outreach=outreach_summary(store, out_first, out_last, courts=list(courts) or None),
    )


def data_warnings(health: Sequence[CourtHealth], as_of: dt.date, stale_after_days: int,
                  week_filings: int | None, provisional: bool = False) -> list[str]:
    """What makes this week's numbers untrustworthy, in words a reader can act on."""
    warnings = []
    for court in health:
        if court.last_ok_as_of is None:
            warnings.append(f"Court {court.court_id} has never been scraped successfully: its cases are missing.")
        elif (as_of - court.last_ok_as_of).days > stale_after_days:
            warnings.append(f"Court {court.court_id}'s data is stale: its last successful scrape covered "
                            f"{court.last_ok_as_of.isoformat()}, {(as_of - court.last_ok_as_of).days} days before "
                            f"{as_of.isoformat()}.")
        if court.failed_runs:
            warnings.append(f"Court {court.court_id}: {court.failed_runs} of {court.runs} scrapes this week failed; "
                            "figures may be incomplete.")
        if court.layout_errors:
            warnings.append(f"Court {court.court_id}: {court.layout_errors} pages could not be read this week "
                            "(layout errors); those cases are missing or out of date.")
    if health and not week_filings and not provisional:  # none found (0), or no data at all yet (None)
        warnings.append("No eviction filings were found for this week: check that the scrapes ran.")
    return warnings
