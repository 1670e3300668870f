"""Eviction cases a page at a time, filtered: the read API a person browses the store with.

The newest filings first. Pages are keyed, not numbered: a page ends with the key of its last
case (filed date, then the store's id) and the next page starts after it, so a case stored while
someone pages through neither repeats a row nor hides one. Cases erased by law are never shown.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import and_, exists, func, or_, select

from pipeline.store.handle import Database
from pipeline.store.notices import CaseView, case_view_query, case_views
from pipeline.store.queries import ALIASES, joined
from pipeline.store.rows import CASES, EVICTION, PARTIES

MAX_PAGE_SIZE = 500


@dataclass(frozen=True, slots=True)
class CaseFilter:
    """Which eviction cases; every field left empty means no limit on it."""

    courts: tuple[str, ...] = ()  # a partner's courts, for its users
    zip5: str | None = None  # any defendant's ZIP code
    landlord_id: int | None = None  # the landlord group (every spelling it was filed under)
    filed_since: dt.date | None = None
    filed_until: dt.date | None = None
    open_only: bool = False  # only cases the pipeline has not judged closed


@dataclass(frozen=True, slots=True)
class PageKey:
    """Where a page ended: the next one starts after this case."""

    filed_date: dt.date
    case_id: int


@dataclass(frozen=True, slots=True)
class CasePage:
    cases: tuple[CaseView, ...]
    next: PageKey | None  # None: this was the last page


def _conditions(where: CaseFilter) -> list:
    conditions = [CASES.c.kind == EVICTION, CASES.c.erased_at.is_(None)]
    if where.courts:
        conditions.append(CASES.c.court_id.in_(sorted(set(where.courts))))
    if where.zip5:
        conditions.append(exists().where(PARTIES.c.case_id == CASES.c.id, PARTIES.c.role == "defendant",
                                         PARTIES.c.zip5 == where.zip5))
    if where.landlord_id is not None:
        conditions.append(ALIASES.c.landlord_id == where.landlord_id)
    if where.filed_since is not None:
        conditions.append(CASES.c.filed_date >= where.filed_since)
    if where.filed_until is not None:
        conditions.append(CASES.c.filed_date <= where.filed_until)
    if where.open_only:
        conditions.append(or_(CASES.c.closed.is_(False), CASES.c.closed.is_(None)))
    return conditions


def case_page(db: Database, where: CaseFilter = CaseFilter(), *, size: int = 50,
              after: PageKey | None = None) -> CasePage:
    """One page of the cases `where` selects, newest filing first, starting after `after`."""
    if not 1 <= size <= MAX_PAGE_SIZE:
        raise ValueError(f"a page holds 1 to {MAX_PAGE_SIZE} cases, not {size}")
    conditions = _conditions(where)
    if after is not None:
        conditions.append(or_(CASES.c.filed_date < after.filed_date,
                              and_(CASES.c.filed_date == after.filed_date, CASES.c.id < after.case_id)))
    keys = (joined(select(CASES.c.id, CASES.c.filed_date, CASES.c.court_id, CASES.c.case_number))
            .where(*conditions).order_by(CASES.c.filed_date.desc(), CASES.c.id.desc()).limit(size + 1))
    with db.engine.connect() as conn:
        rows = list(conn.execute(keys))
    shown, more = rows[:size], len(rows) > size
    if not shown:
        return CasePage((), None)
    views = {(v.court, v.case_number): v
             for v in case_views(db.engine, case_view_query().where(CASES.c.id.in_([r.id for r in shown])))}
    cases = tuple(views[(r.court_id, r.case_number)] for r in shown)
    last = shown[-1]
    return CasePage(cases, PageKey(last.filed_date, last.id) if more else None)


def count_cases(db: Database, where: CaseFilter = CaseFilter()) -> int:
    """How many cases `where` selects (every page together)."""
    query = joined(select(func.count())).where(*_conditions(where))
    with db.engine.connect() as conn:
        return int(conn.execute(query).scalar_one())
