"""Eviction cases a page at a time, filtered: the read API a person browses the store with.

The newest filings first. Pages are keyed, not numbered: a page ends with the key of its last
case (filed date, then the store's id) and the next page starts after it, so a case stored while
someone pages through neither repeats a row nor hides one. Cases erased by law are never shown.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import and_, bindparam, exists, func, or_, select, tuple_, update

from pipeline.store.handle import Database
from pipeline.store.notices import CaseView, case_view_query, case_views
from pipeline.store.queries import ALIASES, LANDLORDS, exported, joined
from pipeline.store.rows import CASES, EVICTION, JUDGMENTS, PARTIES

MAX_PAGE_SIZE = 500


@dataclass(frozen=True, slots=True)
class NameSought:
    """A tenant's name as searched: a defendant's folded last name, and the start of the first."""

    last: str
    first_prefix: str | None = None


@dataclass(frozen=True, slots=True)
class CaseFilter:
    """Which eviction cases; every field left empty means no limit on it. `names` and
    `landlord_text` are alternatives: a case is selected by either (one search field)."""

    courts: tuple[str, ...] = ()  # a partner's courts, for its users
    zip5: str | None = None  # any defendant's ZIP code
    zips: tuple[str, ...] = ()  # a partner's ZIP codes: the first tenant's is one of them
    statuses: tuple[str, ...] = ()  # a partner's statuses
    min_principal_cents: int | None = None  # a partner's amounts: a case without one yet is kept
    max_principal_cents: int | None = None
    landlords: tuple[str, ...] = ()  # a partner's landlords: the group or the plaintiff as filed (upper case)
    landlord_id: str | None = None  # the landlord group (every spelling it was filed under)
    filed_since: dt.date | None = None
    filed_until: dt.date | None = None
    open_only: bool = False  # only cases the pipeline has not judged closed
    case_number: str | None = None  # exactly this number (any court of `courts`)
    names: tuple[NameSought, ...] = ()  # a defendant of any of these names (pipeline.linkage folds them)
    landlord_text: str | None = None  # a landlord group or a plaintiff whose name holds this text


@dataclass(frozen=True, slots=True)
class PageKey:
    """Where a page ended: the next one starts after this case."""

    filed_date: dt.date
    case_id: int


@dataclass(frozen=True, slots=True)
class CasePage:
    cases: tuple[CaseView, ...]
    next: PageKey | None  # None: this was the last page


def conditions(where: CaseFilter) -> list:
    selected = [CASES.c.kind == EVICTION, CASES.c.erased_at.is_(None)]
    if where.courts:
        selected.append(CASES.c.court_id.in_(sorted(set(where.courts))))
    if where.zip5:
        selected.append(exists().where(PARTIES.c.case_id == CASES.c.id, PARTIES.c.role == "defendant",
                                         PARTIES.c.zip5 == where.zip5))
    if where.zips:
        selected.append(exists().where(PARTIES.c.case_id == CASES.c.id, PARTIES.c.role == "defendant",
                                       PARTIES.c.position == 0, PARTIES.c.zip5.in_(sorted(set(where.zips)))))
    if where.statuses:
        selected.append(CASES.c.status.in_(sorted(set(where.statuses))))
    # Before judgment the amount is unknown: such cases stay, as on the partner's lists.
    if where.min_principal_cents is not None:
        selected.append(~exists().where(JUDGMENTS.c.case_id == CASES.c.id,
                                        JUDGMENTS.c.principal_cents < where.min_principal_cents))
    if where.max_principal_cents is not None:
        selected.append(~exists().where(JUDGMENTS.c.case_id == CASES.c.id,
                                        JUDGMENTS.c.principal_cents > where.max_principal_cents))
    if where.landlords:
        names = sorted(set(where.landlords))
        selected.append(or_(func.upper(LANDLORDS.c.canonical_name).in_(names),
                            exists().where(PARTIES.c.case_id == CASES.c.id, PARTIES.c.role == "plaintiff",
                                           PARTIES.c.position == 0, func.upper(PARTIES.c.name).in_(names))))
    if where.landlord_id is not None:
        selected.append(ALIASES.c.landlord_id == where.landlord_id)
    if where.filed_since is not None:
        selected.append(CASES.c.filed_date >= where.filed_since)
    if where.filed_until is not None:
        selected.append(CASES.c.filed_date <= where.filed_until)
    if where.open_only:
        selected.append(or_(CASES.c.closed.is_(False), CASES.c.closed.is_(None)))
    if where.case_number:
        selected.append(CASES.c.case_number == where.case_number.strip().upper())
    either = [exists().where(PARTIES.c.case_id == CASES.c.id, PARTIES.c.role == "defendant",
                             PARTIES.c.last_fold == name.last,
                             *([PARTIES.c.first_fold.startswith(name.first_prefix, autoescape=True)]
                               if name.first_prefix else []))
              for name in where.names]
    if where.landlord_text:
        text = where.landlord_text.strip()
        either.append(or_(LANDLORDS.c.canonical_name.icontains(text, autoescape=True),
                          exists().where(PARTIES.c.case_id == CASES.c.id, PARTIES.c.role == "plaintiff",
                                         PARTIES.c.name.icontains(text, autoescape=True))))
    if either:
        selected.append(or_(*either))
    return selected


def case_page(db: Database, where: CaseFilter = CaseFilter(), *, size: int = 50,
              after: PageKey | None = None) -> CasePage:
    """One page of the cases `where` selects, newest filing first, starting after `after`."""
    if not 1 <= size <= MAX_PAGE_SIZE:
        raise ValueError(f"a page holds 1 to {MAX_PAGE_SIZE} cases, not {size}")
    selected = conditions(where)
    if after is not None:
        selected.append(or_(CASES.c.filed_date < after.filed_date,
                            and_(CASES.c.filed_date == after.filed_date, CASES.c.id < after.case_id)))
    keys = (joined(select(CASES.c.id, CASES.c.filed_date, CASES.c.court_id, CASES.c.case_number))
            .where(*selected).order_by(CASES.c.filed_date.desc(), CASES.c.id.desc()).limit(size + 1))
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
    query = joined(select(func.count())).where(*conditions(where))
    with db.engine.connect() as conn:
        return int(conn.execute(query).scalar_one())


def unfolded_people(db: Database, *, limit: int) -> list[tuple[int, str, str | None]]:
    """Parties named as people whose names were stored before they were folded for search."""
    query = (select(PARTIES.c.id, PARTIES.c.last_name, PARTIES.c.first_name)
             .where(PARTIES.c.kind == "person", PARTIES.c.last_name.is_not(None), PARTIES.c.last_fold.is_(None))
             .order_by(PARTIES.c.id).limit(limit))
    with db.engine.connect() as conn:
        return [tuple(r) for r in conn.execute(query)]


def set_name_folds(db: Database, folds: list[tuple[int, str, str]]) -> None:
    """(party id, last, first) folded; an empty last name marks a name that folds to nothing."""
    with db.engine.begin() as conn:
        conn.execute(update(PARTIES).where(PARTIES.c.id == bindparam("party_id"))
                     .values(last_fold=bindparam("last"), first_fold=bindparam("first")),
                     [{"party_id": i, "last": last, "first": first} for i, last, first in folds])


def case_in(db: Database, where: CaseFilter, court: str, number: str) -> CaseView | None:
    """The case `number` of `court` when `where` selects it (a partner's own), else None."""
    query = case_view_query().where(*conditions(where), CASES.c.court_id == court,
                                    CASES.c.case_number == number.strip().upper())
    return next(iter(case_views(db.engine, query)), None)


def household_cases(db: Database, where: CaseFilter, household_key: str) -> list[CaseView]:
    """Every case of a household that `where` selects, newest filing first."""
    query = case_view_query().where(*conditions(where), CASES.c.household_key == household_key)
    return sorted(case_views(db.engine, query), key=lambda v: v.filed_date, reverse=True)


def filings_by_day(db: Database, where: CaseFilter) -> dict[dt.date, int]:
    """How many of the cases `where` selects were filed each day (figures only, no case)."""
    query = (joined(select(CASES.c.filed_date, func.count())).where(*conditions(where))
             .group_by(CASES.c.filed_date))
    with db.engine.connect() as conn:
        return {day: int(n) for day, n in conn.execute(query)}


def top_filers(db: Database, where: CaseFilter, *, limit: int = 10) -> list[tuple[str, int]]:
    """The landlord groups that filed the most of the cases `where` selects (a filing whose
    plaintiff is in no group counts under its name as filed)."""
    filer = func.coalesce(LANDLORDS.c.canonical_name, CASES.c.landlord_key, "(unknown)")
    query = (joined(select(filer.label("filer"), func.count().label("n"))).where(*conditions(where))
             .group_by(filer).order_by(func.count().desc(), filer).limit(limit))
    with db.engine.connect() as conn:
        return [(name, int(n)) for name, n in conn.execute(query)]


def top_zips(db: Database, where: CaseFilter, *, limit: int = 10) -> list[tuple[str, int]]:
    """The first tenants' ZIP codes with the most of the cases `where` selects."""
    first = (select(PARTIES.c.case_id, PARTIES.c.zip5).where(PARTIES.c.role == "defendant", PARTIES.c.position == 0)
             .subquery())
    query = (joined(select(first.c.zip5, func.count().label("n")))
             .join(first, first.c.case_id == CASES.c.id).where(*conditions(where), first.c.zip5.is_not(None))
             .group_by(first.c.zip5).order_by(func.count().desc(), first.c.zip5).limit(limit))
    with db.engine.connect() as conn:
        return [(zip5, int(n)) for zip5, n in conn.execute(query)]


def cases_among(db: Database, where: CaseFilter, pairs: list[tuple[str, str]]) -> list[CaseView]:
    """The cases of these (court, number) pairs that `where` selects, newest filing first."""
    found: list[CaseView] = []
    for start in range(0, len(pairs), 400):
        chunk = pairs[start:start + 400]
        query = case_view_query().where(*conditions(where), tuple_(CASES.c.court_id, CASES.c.case_number).in_(chunk))
        found.extend(case_views(db.engine, query))
    return sorted(found, key=lambda v: (v.filed_date, v.case_number), reverse=True)


@dataclass(frozen=True, slots=True)
class ChangeKey:
    """Where a page of changes ended: the next starts after this case's last change."""

    changed_at: dt.datetime
    case_id: int


@dataclass(frozen=True, slots=True)
class ChangesPage:
    cases: tuple[dict, ...]  # in the export schema (`evictwatch export cases`)
    next: ChangeKey | None


def changes_page(db: Database, where: CaseFilter, *, since: dt.datetime | None = None,
                 after: ChangeKey | None = None, size: int = 100) -> ChangesPage:
    """The cases `where` selects that changed since `since`, oldest change first, a page at a
    time (a partner's system polls with the key of the last page it read)."""
    if not 1 <= size <= MAX_PAGE_SIZE:
        raise ValueError(f"a page holds 1 to {MAX_PAGE_SIZE} cases, not {size}")
    selected = conditions(where)
    if since is not None:
        selected.append(CASES.c.last_changed_at >= since)
    if after is not None:
        selected.append(or_(CASES.c.last_changed_at > after.changed_at,
                            and_(CASES.c.last_changed_at == after.changed_at, CASES.c.id > after.case_id)))
    keys = (joined(select(CASES.c.id, CASES.c.last_changed_at)).where(*selected)
            .order_by(CASES.c.last_changed_at, CASES.c.id).limit(size + 1))
    with db.engine.connect() as conn:
        rows = list(conn.execute(keys))
    shown = rows[:size]
    found = exported(db, [r.id for r in shown]) if shown else {}
    last = shown[-1] if shown else None
    return ChangesPage(tuple(found[r.id] for r in shown),
                       ChangeKey(last.last_changed_at, last.id) if last is not None and len(rows) > size else None)


def exported_case(db: Database, where: CaseFilter, court: str, number: str) -> dict | None:
    """The case `number` of `court` in the export schema, when `where` selects it."""
    with db.engine.connect() as conn:
        case_id = conn.execute(joined(select(CASES.c.id)).where(
            *conditions(where), CASES.c.court_id == court, CASES.c.case_number == number.strip().upper())).scalar()
    return exported(db, [case_id])[case_id] if case_id is not None else None
