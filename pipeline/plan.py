"""Which cases a run must look at again, so that a quiet day costs a fraction of a full scrape.

A full scrape walks every hearing date of the window and opens every eviction case listed.
An incremental run walks only the hearing dates where new filings can appear (from the last
successful run on: a new case's return hearing is weeks ahead) and opens:

- cases it has never stored (new filings),
- open cases with a hearing in the recent past (a result may be posted) or the near future
  (a continuance or a dismissal may be entered), or whose last hearing still shows no result,
- judgments for possession without a writ, entered in the last `judgment_days`,
- writs of eviction issued in the last `writ_days` and not yet executed.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from sqlalchemy import and_, exists, func, or_, select

from pipeline.store.repo import Store
from pipeline.store.rows import CASES, HEARINGS, JUDGMENTS


@dataclass(frozen=True)
class RecheckRules:
    recent_days: int = 14
    upcoming_days: int = 14
    judgment_days: int = 30
    writ_days: int = 60


@dataclass
class Plan:
    mode: str  # full | incremental
    list_since: dt.date
    list_until: dt.date
    known: frozenset[str] = frozenset()
    due: dict[str, str] = field(default_factory=dict)  # case number -> why it is looked at again

    def wants(self, case_number: str) -> bool:
        return self.mode == "full" or case_number not in self.known or case_number in self.due


def plan_court(store: Store, court_id: str, since: dt.date, until: dt.date, today: dt.date,
               rules: RecheckRules = RecheckRules(), *, full: bool = False) -> Plan:
    known = frozenset(_known_numbers(store, court_id))
    last_ok = _last_ok_run_day(store, court_id)
    if full or not known or last_ok is None:
        return Plan("full", since, until, known)
    list_since = min(max(since, last_ok - dt.timedelta(days=1)), today)
    return Plan("incremental", list_since, until, known, recheck_due(store, court_id, today, rules))


def recheck_due(store: Store, court_id: str, today: dt.date, rules: RecheckRules) -> dict[str, str]:
    due: dict[str, str] = {}
    open_case = and_(CASES.c.court_id == court_id, or_(CASES.c.closed.is_(False), CASES.c.closed.is_(None)))
    near = select(CASES.c.case_number).where(open_case, exists().where(
        HEARINGS.c.case_id == CASES.c.id,
        HEARINGS.c.date.between(today - dt.timedelta(days=rules.recent_days),
                                today + dt.timedelta(days=rules.upcoming_days))))
    other = HEARINGS.alias("other_hearings")
    last_hearing = select(func.max(other.c.date)).where(other.c.case_id == CASES.c.id).scalar_subquery()
    unheard = select(CASES.c.case_number).where(open_case, exists().where(
        HEARINGS.c.case_id == CASES.c.id, HEARINGS.c.date == last_hearing, HEARINGS.c.date < today,
        HEARINGS.c.result.is_(None)))
    no_writ = select(CASES.c.case_number).where(
        open_case, CASES.c.status == "judgment_plaintiff",
        CASES.c.judgment_date >= today - dt.timedelta(days=rules.judgment_days))
    writ_out = (select(CASES.c.case_number).join(JUDGMENTS, JUDGMENTS.c.case_id == CASES.c.id)
                .where(open_case, CASES.c.status == "writ_issued",
                       JUDGMENTS.c.writ_issued_date >= today - dt.timedelta(days=rules.writ_days)))
    with store.engine.connect() as conn:
        for reason, query in (("writ not yet executed", writ_out), ("judgment without a writ", no_writ),
                              ("last hearing shows no result", unheard), ("hearing near today", near)):
            for number in conn.execute(query).scalars():
                due.setdefault(number, reason)
    return due


def _known_numbers(store: Store, court_id: str) -> list[str]:
    with store.engine.connect() as conn:
        return list(conn.execute(select(CASES.c.case_number).where(CASES.c.court_id == court_id)).scalars())


def _last_ok_run_day(store: Store, court_id: str) -> dt.date | None:
    from pipeline.store.models import ScrapeRun

    query = (select(ScrapeRun.as_of, ScrapeRun.started_at)
             .where(ScrapeRun.court_id == court_id, ScrapeRun.outcome == "ok")
             .order_by(ScrapeRun.id.desc()).limit(1))
    with store.engine.connect() as conn:
        row = conn.execute(query).first()
    if row is None:
        return None
    return row[0] or row[1].date()
