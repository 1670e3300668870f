"""Aggregates for the weekly trend report, each computed by SQL over the store.

Every function takes the eviction cases of `courts` (empty: every court). Dates are the
court's own (filed, hearing, judgment, writ dates as the page shows them). The indexes that
keep these fast on a million cases are declared in migration 0005.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import Date, Engine, Integer, and_, case, cast, func, literal, or_, select
from sqlalchemy.sql.elements import ColumnElement

from pipeline.store.handle import Database
from pipeline.store import models as m
from pipeline.store.notices import UNREPRESENTED
from pipeline.store.rows import CASES, EVICTION, HEARINGS, JUDGMENTS, PARTIES

LANDLORDS = m.Landlord.__table__
ALIASES = m.LandlordAlias.__table__
RUNS = m.ScrapeRun.__table__
COURTS = m.CourtRow.__table__
JUDGMENT_RESULTS = ("judgment", "default_judgment")
# Outcome of a case, by its status, for the "cases filed 8-12 weeks ago" chart (in stacking order).
OUTCOMES = {
    "writ_executed": "Removed (writ executed)",
    "writ_issued": "Writ issued",
    "judgment_plaintiff": "Judgment for landlord",
    "satisfied": "Judgment satisfied",
    "appealed": "Appealed",
    "judgment_defendant": "Judgment for tenant",
    "dismissed": "Dismissed / non-suited",
    "non_suited": "Dismissed / non-suited",
    "filed": "Pending",
    "hearing_scheduled": "Pending",
    "continued": "Pending",
}


@dataclass(frozen=True)
class WeekFigures:
    new_filings: int
    hearings_held: int
    judgments_possession: int
    default_judgments: int
    judgments_at_hearing: int  # hearings whose result was a judgment (default or not): the default rate's base
    dismissals: int
    writs_issued: int
    writs_executed: int
    principal_total_cents: int
    principal_median_cents: int | None
    cases_heard: int = 0         # cases with a hearing held this week: the representation share's base
    cases_heard_represented: int = 0  # ... of them, with an attorney of record for a tenant

    @property
    def default_rate(self) -> float | None:
        return self.default_judgments / self.judgments_at_hearing if self.judgments_at_hearing else None

    @property
    def represented_rate(self) -> float | None:
        return self.cases_heard_represented / self.cases_heard if self.cases_heard else None


@dataclass(frozen=True)
class OpenMoney:
    """Open cases as of now: what the landlords' judgments standing add up to."""

    judged: int                  # open cases with a judgment for the landlord
    judged_with_amount: int      # ... of them, with a principal on the judgment
    principal_total_cents: int
    principal_median_cents: int | None
    without_amount: int          # open cases with no amount yet (before judgment the court shows none)


@dataclass(frozen=True)
class Filer:
    landlord: str
    filings: int
    share: float
    judgments: int
    writs: int
    serial: int  # cases beyond the first against the same household, within the period


@dataclass(frozen=True)
class CourtHealth:
    court_id: str
    last_ok_as_of: dt.date | None
    last_ok_finished: dt.datetime | None
    runs: int
    failed_runs: int
    pages: int
    layout_errors: int
    unknown_values: int


def _eviction(courts: Sequence[str]) -> list[ColumnElement[bool]]:
    where = [CASES.c.kind == EVICTION]
    if courts:
        where.append(CASES.c.court_id.in_(list(courts)))
    return where


def _count(engine: Engine, query) -> int:
    with engine.connect() as conn:
        return int(conn.execute(query).scalar() or 0)


def week_figures(db: Database, monday: dt.date, courts: Sequence[str] = ()) -> WeekFigures:
    engine = db.engine
    sunday = monday + dt.timedelta(days=6)
    cases = _eviction(courts)
    in_week = lambda col: col.between(monday, sunday)  # noqa: E731
    hearing_case = CASES.join(HEARINGS, HEARINGS.c.case_id == CASES.c.id)
    judged = CASES.join(JUDGMENTS, JUDGMENTS.c.case_id == CASES.c.id)

    def hearings_with(results: Sequence[str] | None):
        query = select(func.count()).select_from(hearing_case).where(*cases, in_week(HEARINGS.c.date))
        if results is None:
            return query.where(HEARINGS.c.result_code.is_not(None), HEARINGS.c.result_code != "pending")
        return query.where(HEARINGS.c.result_code.in_(list(results)))

    for_possession = [*cases, in_week(CASES.c.judgment_date), JUDGMENTS.c.judgment_code == "plaintiff",
                      or_(JUDGMENTS.c.possession.is_(None), JUDGMENTS.c.possession.is_(True))]
    with_principal = [*cases, in_week(CASES.c.judgment_date), JUDGMENTS.c.judgment_code == "plaintiff",
                      JUDGMENTS.c.principal_cents.is_not(None)]
    heard = (select(HEARINGS.c.case_id).select_from(hearing_case)
             .where(*cases, in_week(HEARINGS.c.date), HEARINGS.c.result_code.is_not(None),
                    HEARINGS.c.result_code != "pending").distinct().subquery())
    represented = select(PARTIES.c.case_id).where(
        PARTIES.c.role == "defendant",
        func.upper(func.trim(func.coalesce(PARTIES.c.attorney, ""))).not_in(sorted(UNREPRESENTED)))
    return WeekFigures(
        cases_heard=_count(engine, select(func.count()).select_from(heard)),
        cases_heard_represented=_count(engine, select(func.count()).select_from(heard)
                                       .where(heard.c.case_id.in_(represented))),
        new_filings=_count(engine, select(func.count()).select_from(CASES).where(*cases, in_week(CASES.c.filed_date))),
        hearings_held=_count(engine, hearings_with(None)),
        judgments_possession=_count(engine, select(func.count()).select_from(judged).where(*for_possession)),
        default_judgments=_count(engine, hearings_with(["default_judgment"])),
        judgments_at_hearing=_count(engine, hearings_with(JUDGMENT_RESULTS)),
        dismissals=_count(engine, hearings_with(["dismissed", "non_suit"])),
        writs_issued=_count(engine, select(func.count()).select_from(judged).where(
            *cases, in_week(JUDGMENTS.c.writ_issued_date))),
        writs_executed=_count(engine, select(func.count()).select_from(judged).where(
            *cases, in_week(JUDGMENTS.c.writ_executed_date))),
        principal_total_cents=_count(engine, select(func.sum(JUDGMENTS.c.principal_cents)).select_from(judged)
                                     .where(*with_principal)),
        principal_median_cents=_median(engine, JUDGMENTS.c.principal_cents, judged, with_principal),
    )


def open_money(db: Database, courts: Sequence[str] = ()) -> OpenMoney:
    engine = db.engine
    open_cases = [*_eviction(courts), CASES.c.closed.is_not(True)]
    judged = CASES.join(JUDGMENTS, JUDGMENTS.c.case_id == CASES.c.id)
    for_landlord = [*open_cases, JUDGMENTS.c.judgment_code == "plaintiff"]
    with_amount = [*for_landlord, JUDGMENTS.c.principal_cents.is_not(None)]
    no_amount = (select(func.count()).select_from(CASES.outerjoin(JUDGMENTS, JUDGMENTS.c.case_id == CASES.c.id))
                 .where(*open_cases, JUDGMENTS.c.principal_cents.is_(None)))
    return OpenMoney(
        judged=_count(engine, select(func.count()).select_from(judged).where(*for_landlord)),
        judged_with_amount=_count(engine, select(func.count()).select_from(judged).where(*with_amount)),
        principal_total_cents=_count(engine, select(func.sum(JUDGMENTS.c.principal_cents)).select_from(judged)
                                     .where(*with_amount)),
        principal_median_cents=_median(engine, JUDGMENTS.c.principal_cents, judged, with_amount),
        without_amount=_count(engine, no_amount),
    )


def court_systems(db: Database, courts: Sequence[str] = ()) -> dict[str, str]:
    """Each court's court system (its `source`), for these courts (none: every court with an
    eviction case). A report pooling several systems is split by it."""
    engine = db.engine
    query = select(COURTS.c.id, COURTS.c.source)
    if courts:
        query = query.where(COURTS.c.id.in_(list(courts)))
    else:
        query = query.where(COURTS.c.id.in_(select(CASES.c.court_id).where(CASES.c.kind == EVICTION).distinct()))
    with engine.connect() as conn:
        return {court_id: source for court_id, source in conn.execute(query)}


def writ_lags(db: Database, judged_by: dt.date, courts: Sequence[str] = ()) -> dict[int, int]:
    """{days from judgment to writ: cases}, over the judgments entered by `judged_by` (all of
    them when none is that old): the slow writs of recent judgments are not issued yet."""
    engine = db.engine
    where = [*_eviction(courts), CASES.c.days_judgment_to_writ.is_not(None), CASES.c.days_judgment_to_writ >= 0]
    query = select(CASES.c.days_judgment_to_writ, func.count()).group_by(CASES.c.days_judgment_to_writ)
    with engine.connect() as conn:
        old = conn.execute(query.where(*where, CASES.c.judgment_date <= judged_by)).all()
        found = old or conn.execute(query.where(*where)).all()
    return {int(days): int(n) for days, n in found}


def first_filed(db: Database, courts: Sequence[str] = ()) -> dt.date | None:
    """The earliest filed date in the store: weeks before it have no data, not zero filings."""
    engine = db.engine
    with engine.connect() as conn:
        return conn.execute(select(func.min(CASES.c.filed_date)).where(*_eviction(courts))).scalar()


def _median(engine: Engine, value, from_, where) -> int | None:
    ranked = (select(value.label("v"), func.row_number().over(order_by=value).label("rn"),
                     func.count().over().label("n")).select_from(from_).where(*where).subquery())
    query = select(func.avg(ranked.c.v)).where(ranked.c.rn.in_([(ranked.c.n + 1) // 2, (ranked.c.n + 2) // 2]))
    with engine.connect() as conn:
        found = conn.execute(query).scalar()
    return None if found is None else int(round(float(found)))


def _week_index(engine: Engine, column, first_monday: dt.date):
    """Whole weeks from `first_monday` to `column` (a date), in the engine's SQL dialect."""
    if engine.dialect.name == "sqlite":
        return cast((func.julianday(column) - func.julianday(first_monday.isoformat())) / 7, Integer)
    return (column - cast(literal(first_monday), Date)) // 7


def weekly_filings(db: Database, first_monday: dt.date, weeks: int, courts: Sequence[str] = ()) -> list[int]:
    """Filings per week, for `weeks` weeks starting on `first_monday` (zeros included)."""
    engine = db.engine
    return _weekly_counts(engine, CASES.c.filed_date, CASES, first_monday, weeks, courts)


def weekly_removals(db: Database, first_monday: dt.date, weeks: int, courts: Sequence[str] = ()) -> list[int]:
    """Writs executed (tenants removed) per week, by the writ's executed date."""
    engine = db.engine
    return _weekly_counts(engine, JUDGMENTS.c.writ_executed_date,
                          CASES.join(JUDGMENTS, JUDGMENTS.c.case_id == CASES.c.id), first_monday, weeks, courts)


def _weekly_counts(engine: Engine, date_column, from_, first_monday: dt.date, weeks: int,
                   courts: Sequence[str]) -> list[int]:
    last = first_monday + dt.timedelta(days=7 * weeks - 1)
    week = _week_index(engine, date_column, first_monday).label("week")
    query = (select(week, func.count()).select_from(from_)
             .where(*_eviction(courts), date_column.between(first_monday, last)).group_by(week))
    counts = [0] * weeks
    with engine.connect() as conn:
        for index, count in conn.execute(query):
            counts[int(index)] += count
    return counts


def weekly_medians(db: Database, date_column, value_column, first_monday: dt.date, weeks: int,
                   courts: Sequence[str] = ()) -> list[float | None]:
    """Per week of `date_column`, the median of `value_column` (None for a week without values).

    Day counts repeat a lot, so the median is read off each week's histogram: cases are
    grouped by (day, value) once, and the running totals run over those few groups, not over
    every case."""
    engine = db.engine
    last = first_monday + dt.timedelta(days=7 * weeks - 1)
    by_day = (select(date_column.label("day"), value_column.label("v"), func.count().label("n"))
              .where(*_eviction(courts), date_column.between(first_monday, last), value_column.is_not(None))
              .group_by(date_column, value_column).subquery())
    week = _week_index(engine, by_day.c.day, first_monday)
    by_week = (select(week.label("week"), by_day.c.v, func.sum(by_day.c.n).label("n"))
               .group_by(week, by_day.c.v).subquery())
    running = (select(by_week.c.week, by_week.c.v,
                      cast(func.sum(by_week.c.n).over(partition_by=by_week.c.week, order_by=by_week.c.v),
                           Integer).label("upto"),
                      cast(func.sum(by_week.c.n).over(partition_by=by_week.c.week), Integer).label("total"))
               .subquery())
    # The lower and upper middle of each week (the same value when its count is odd).
    lower = func.min(case((running.c.upto >= (running.c.total + 1) // 2, running.c.v)))
    upper = func.min(case((running.c.upto >= (running.c.total + 2) // 2, running.c.v)))
    query = select(running.c.week, lower, upper).group_by(running.c.week)
    medians: list[float | None] = [None] * weeks
    with engine.connect() as conn:
        for index, low, high in conn.execute(query):
            medians[int(index)] = (low + high) / 2
    return medians


def days_to_first_hearing(db: Database, first_monday, weeks, courts=()) -> list[float | None]:
    return weekly_medians(db, CASES.c.filed_date, CASES.c.days_to_first_hearing, first_monday, weeks, courts)


def days_judgment_to_writ(db: Database, first_monday, weeks, courts=()) -> list[float | None]:
    return weekly_medians(db, CASES.c.judgment_date, CASES.c.days_judgment_to_writ, first_monday, weeks, courts)


def outcomes_by_filing_week(db: Database, first_monday: dt.date, weeks: int,
                            courts: Sequence[str] = ()) -> list[dict[str, int]]:
    """For each filing week, how many of its cases stand at each outcome (OUTCOMES labels)."""
    engine = db.engine
    last = first_monday + dt.timedelta(days=7 * weeks - 1)
    week = _week_index(engine, CASES.c.filed_date, first_monday).label("week")
    query = (select(week, CASES.c.status, func.count()).where(*_eviction(courts),
                                                              CASES.c.filed_date.between(first_monday, last))
             .group_by(week, CASES.c.status))
    found: list[dict[str, int]] = [{} for _ in range(weeks)]
    with engine.connect() as conn:
        for index, status, count in conn.execute(query):
            label = OUTCOMES.get(status or "", "Pending")
            found[int(index)][label] = found[int(index)].get(label, 0) + count
    return found


def filings_by_zip(db: Database, since: dt.date, until: dt.date, courts: Sequence[str] = ()) -> list[tuple[str, int]]:
    """Filings by the first defendant's ZIP code, most first ('unknown' when the page gives none)."""
    engine = db.engine
    zip5 = func.coalesce(PARTIES.c.zip5, "unknown").label("zip5")
    query = (select(zip5, func.count()).select_from(CASES.outerjoin(PARTIES, and_(
                PARTIES.c.case_id == CASES.c.id, PARTIES.c.role == "defendant", PARTIES.c.position == 0)))
             .where(*_eviction(courts), CASES.c.filed_date.between(since, until))
             .group_by(zip5).order_by(func.count().desc(), zip5))
    with engine.connect() as conn:
        return [(z, n) for z, n in conn.execute(query)]


def top_filers(db: Database, since: dt.date, until: dt.date, courts: Sequence[str] = (),
               limit: int = 10) -> tuple[int, list[Filer]]:
    """The landlord groups that filed most in [since, until], and the period's total filings.

    Two steps keep it fast on a million cases: filings are counted per plaintiff spelling and
    summed per group to find the top groups; only their cases are then looked at closely."""
    engine = db.engine
    where = [*_eviction(courts), CASES.c.filed_date.between(since, until)]
    per_key = (select(CASES.c.landlord_key.label("key"), func.count().label("n")).where(*where)
               .group_by(CASES.c.landlord_key).subquery())
    group = func.coalesce(ALIASES.c.landlord_id, "")
    ranking = (select(group.label("landlord_id"), func.sum(per_key.c.n).label("n"))
               .select_from(per_key.outerjoin(ALIASES, ALIASES.c.key == per_key.c.key))
               .group_by(group).subquery())
    with engine.connect() as conn:
        total = int(conn.execute(select(func.count()).select_from(CASES).where(*where)).scalar() or 0)
        top = conn.execute(select(ranking.c.landlord_id, ranking.c.n)
                           .order_by(ranking.c.n.desc(), ranking.c.landlord_id)).all()
        # Every group tied with the last of the top ones is a candidate: ties are then ordered by name.
        cut = top[limit - 1][1] if len(top) >= limit else 0
        ids = [landlord_id for landlord_id, n in top if n >= cut][:limit * 5]
        # Cases without a known landlord group ("") can only be picked out after the join.
        wanted = group.in_(ids) if "" in ids else CASES.c.landlord_key.in_(
            select(ALIASES.c.key).where(ALIASES.c.landlord_id.in_(ids)))
        household = func.coalesce(CASES.c.household_hash, CASES.c.matter_key)
        judged = case((JUDGMENTS.c.judgment_code == "plaintiff", 1), else_=0)
        writ = case((JUDGMENTS.c.writ_issued_date.is_not(None), 1), else_=0)
        details = (select(group, func.count(), func.sum(judged), func.sum(writ),
                          func.count(func.distinct(CASES.c.matter_key)) - func.count(func.distinct(household)))
                   .select_from(CASES.outerjoin(ALIASES, ALIASES.c.key == CASES.c.landlord_key)
                                .outerjoin(JUDGMENTS, JUDGMENTS.c.case_id == CASES.c.id))
                   .where(*where, wanted).group_by(group))
        found = {r[0]: r for r in conn.execute(details)}
        names = dict(conn.execute(select(LANDLORDS.c.id, LANDLORDS.c.canonical_name)
                                  .where(LANDLORDS.c.id.in_(ids))).all())
    filers = [Filer(names.get(lid) or "(unknown landlord)", int(r[1]), r[1] / total if total else 0.0,
                    int(r[2] or 0), int(r[3] or 0), int(r[4] or 0)) for lid, r in found.items()]
    # Ties in filings go by name, as a reader expects.
    return total, sorted(filers, key=lambda f: (-f.filings, f.landlord))[:limit]


def court_health(db: Database, court_ids: Sequence[str], since: dt.date, until: dt.date) -> list[CourtHealth]:
    """Per court: its last successful scrape, and the runs whose day (as_of) falls in [since, until]."""
    engine = db.engine
    out = []
    with engine.connect() as conn:
        for court_id in court_ids:
            last = conn.execute(select(RUNS.c.as_of, RUNS.c.finished_at).where(
                RUNS.c.court_id == court_id, RUNS.c.outcome == "ok").order_by(
                RUNS.c.finished_at.desc()).limit(1)).first()
            failed = case((RUNS.c.outcome == "failed", 1), else_=0)
            runs = conn.execute(select(
                func.count(), func.sum(failed), func.sum(RUNS.c.result_pages + RUNS.c.detail_pages),
                func.sum(RUNS.c.layout_errors), func.sum(func.coalesce(RUNS.c.unknown_values, 0)))
                .where(RUNS.c.court_id == court_id, RUNS.c.as_of.between(since, until))).one()
            out.append(CourtHealth(court_id, last[0] if last else None, last[1] if last else None,
                                   int(runs[0] or 0), int(runs[1] or 0), int(runs[2] or 0), int(runs[3] or 0),
                                   int(runs[4] or 0)))
    return out
