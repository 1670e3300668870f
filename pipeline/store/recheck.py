"""The store's side of a run's re-check plan: which stored cases a run must look at again.

`pipeline.plan` decides full or incremental and asks these; the windows are `RecheckRules`
(see that module's docstring for what each case is looked at again for).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from sqlalchemy import and_, exists, func, or_, select

from pipeline.store.handle import Database
from pipeline.store.models import ScrapeRun
from pipeline.store.rows import CASES, HEARINGS, JUDGMENTS

PRESENCE = "still at the court?"


@dataclass(frozen=True)
class RecheckRules:
    recent_days: int = 14
    upcoming_days: int = 14
    judgment_days: int = 30
    writ_days: int = 60
    appeal_days: int = 10
    satisfaction_days: int = 180
    vanish_days: int = 28  # a closed case still holding tenants' data: is it still at the court?
    presence_per_run: int = 300  # at most this many of those lookups a run, the longest unchecked first


def watched_closed(db: Database, court_id: str, numbers: Iterable[str]) -> dict[str, bool]:
    """Of these case numbers, the ones the court has stored, each with whether it is closed."""
    wanted = sorted(set(numbers))
    if not wanted:
        return {}
    query = select(CASES.c.case_number, CASES.c.closed).where(CASES.c.court_id == court_id,
                                                              CASES.c.case_number.in_(wanted))
    with db.engine.connect() as conn:
        return {number: bool(closed) for number, closed in conn.execute(query)}


def recheck_due(db: Database, court_id: str, today: dt.date, rules: RecheckRules,
                last_run: dt.date | None = None) -> dict[str, str]:
    # Whatever was already past at the last run was looked at then: windows reach back to the
    # last run (never further than the rule's own limit), so no change falls between runs.
    since_last = (min(last_run, today) if last_run else today) - dt.timedelta(days=1)
    recent = max(today - dt.timedelta(days=rules.recent_days), since_last)
    judged_since = since_last - dt.timedelta(days=rules.judgment_days)
    writ_since = since_last - dt.timedelta(days=rules.writ_days)
    open_case = and_(CASES.c.court_id == court_id, or_(CASES.c.closed.is_(False), CASES.c.closed.is_(None)))
    near = select(CASES.c.case_number).where(open_case, exists().where(
        HEARINGS.c.case_id == CASES.c.id,
        HEARINGS.c.date.between(recent, today + dt.timedelta(days=rules.upcoming_days))))
    other = HEARINGS.alias("other_hearings")
    last_hearing = select(func.max(other.c.date)).where(other.c.case_id == CASES.c.id).scalar_subquery()
    unheard = select(CASES.c.case_number).where(open_case, exists().where(
        HEARINGS.c.case_id == CASES.c.id, HEARINGS.c.date == last_hearing, HEARINGS.c.date < today,
        HEARINGS.c.result.is_(None)))
    judged = CASES.join(JUDGMENTS, JUDGMENTS.c.case_id == CASES.c.id)
    no_writ = (select(CASES.c.case_number).select_from(judged).where(
        open_case, JUDGMENTS.c.judgment_code == "plaintiff", JUDGMENTS.c.writ_issued_date.is_(None),
        CASES.c.judgment_date >= judged_since))
    writ_out = (select(CASES.c.case_number).select_from(judged).where(
        open_case, JUDGMENTS.c.writ_issued_date >= writ_since, JUDGMENTS.c.writ_executed_date.is_(None)))
    appealable = (select(CASES.c.case_number).select_from(judged).where(
        CASES.c.court_id == court_id, CASES.c.status.in_(("judgment_plaintiff", "judgment_defendant")),
        CASES.c.judgment_date >= since_last - dt.timedelta(days=rules.appeal_days)))
    unpaid = (select(CASES.c.case_number, CASES.c.judgment_date).select_from(judged).where(
        CASES.c.court_id == court_id, JUDGMENTS.c.judgment_code == "plaintiff",
        or_(JUDGMENTS.c.satisfied.is_(None), JUDGMENTS.c.satisfied.is_(False)),
        CASES.c.status.not_in(("dismissed", "non_suited", "satisfied")),
        CASES.c.judgment_date >= today - dt.timedelta(days=rules.satisfaction_days)))
    due: dict[str, str] = {}
    # Closed cases still named here are looked up now and then: a court that expunges or seals
    # a case stops showing it, and then so must evictwatch. Each every `vanish_days`, counted
    # on the court's own calendar from its last hearing (so the checks spread as cases close);
    # one the portal said it no longer has is asked again on a later day to be sure.
    held = and_(CASES.c.court_id == court_id, CASES.c.closed.is_(True), CASES.c.purged_at.is_(None),
                CASES.c.erased_at.is_(None))
    check_before = today - dt.timedelta(days=rules.vanish_days)
    ended = select(func.max(other.c.date)).where(other.c.case_id == CASES.c.id).scalar_subquery()
    anchor = func.coalesce(CASES.c.presence_checked_on, ended, CASES.c.filed_date)
    # Bounded, so that the first run after an upgrade (every old closed case due) spreads the
    # lookups over days instead of sending them all at once.
    presence = (select(CASES.c.case_number).where(held, or_(
        and_(CASES.c.missing_since.is_not(None), CASES.c.missing_since < today),
        and_(CASES.c.missing_since.is_(None), anchor <= check_before)))
        .order_by(CASES.c.missing_since.is_(None), anchor, CASES.c.id).limit(rules.presence_per_run))
    # Courts post once a day: a second run on the same day only looks at the day's hearings.
    new_day = last_run is None or last_run < today
    todays = select(CASES.c.case_number).where(open_case, exists().where(
        HEARINGS.c.case_id == CASES.c.id, HEARINGS.c.date == today))
    daily = (("writ not yet executed", writ_out), ("judgment without a writ", no_writ),
             ("judgment still open to appeal", appealable),
             ("last hearing shows no result", unheard), ("hearing near today", near),
             (PRESENCE, presence))
    with db.engine.connect() as conn:
        for reason, query in (daily if new_day else (("hearing today", todays),)):
            for number in conn.execute(query).scalars():
                due.setdefault(number, reason)
        for number, judged_on in conn.execute(unpaid):
            if _weekly_turn(judged_on, since_last + dt.timedelta(days=1), today):
                due.setdefault(number, "weekly look at an unpaid judgment")
    return due


def _weekly_turn(anchor: dt.date, after: dt.date, until: dt.date) -> bool:
    """Did a weekly anniversary of `anchor` fall in (after, until]? Spreads slow re-checks over
    the week without remembering when each case was last opened."""
    days = (until - after).days
    return days >= 7 or any((after + dt.timedelta(days=k) - anchor).days % 7 == 0 for k in range(1, days + 1))


def known_numbers(db: Database, court_id: str) -> list[str]:
    with db.engine.connect() as conn:
        return list(conn.execute(select(CASES.c.case_number).where(CASES.c.court_id == court_id)).scalars())


def last_ok_run_day(db: Database, court_id: str) -> dt.date | None:
    """The day the court's last successful scrape ran as of (None: it never had one)."""
    query = (select(ScrapeRun.as_of, ScrapeRun.started_at)
             .where(ScrapeRun.court_id == court_id, ScrapeRun.outcome == "ok")
             .order_by(ScrapeRun.id.desc()).limit(1))
    with db.engine.connect() as conn:
        row = conn.execute(query).first()
    if row is None:
        return None
    return row[0] or row[1].date()


def hearing_soon(db: Database, court_id: str, numbers: list[str], today: dt.date, until: dt.date) -> set[str]:
    """Of these cases, those with a hearing from today to `until`."""
    found: set[str] = set()
    query = (select(CASES.c.case_number).where(CASES.c.court_id == court_id, exists().where(
        HEARINGS.c.case_id == CASES.c.id, HEARINGS.c.date.between(today, until))))
    with db.engine.connect() as conn:
        for start in range(0, len(numbers), 500):  # below every database's limit on bound values
            found.update(conn.execute(query.where(CASES.c.case_number.in_(numbers[start:start + 500]))).scalars())
    return found


def walk_cost(db: Database, court_id: str, mode: str) -> float | None:
    """Requests a hearing date is expected to cost the court, from its last good scrapes: the
    result pages a date took, and the cases opened for the first time (a full scrape opens every
    case it lists; an incremental one the new filings). None before the court has a good scrape
    (of a full one, for a full walk)."""
    query = (select(ScrapeRun.mode, ScrapeRun.since, ScrapeRun.until, ScrapeRun.result_pages, ScrapeRun.detail_pages,
                    ScrapeRun.new_cases, ScrapeRun.days_walked)
             .where(ScrapeRun.court_id == court_id, ScrapeRun.outcome == "ok")
             .order_by(ScrapeRun.id.desc()).limit(20))
    with db.engine.connect() as conn:
        runs = conn.execute(query).all()
    if not runs:
        return None
    days = lambda run: max(1, run.days_walked or (run.until - run.since).days + 1)  # noqa: E731
    pages = runs[0].result_pages / days(runs[0])
    same = next((run for run in runs if run.mode == mode), None)
    if mode == "full":
        return None if same is None else pages + same.detail_pages / days(same)
    return pages + (same.new_cases / days(same) if same is not None else 0.0)
