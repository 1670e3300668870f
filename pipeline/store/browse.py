"""Eviction cases a page at a time, filtered: the read API a person browses the store with.

The newest filings first. Pages are keyed, not numbered: a page ends with the key of its last
case (filed date, then the store's id) and the next page starts after it, so a case stored while
someone pages through neither repeats a row nor hides one. Cases erased by law are never shown.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, replace
from typing import Any

from sqlalchemy import and_, bindparam, exists, false, func, or_, select, tuple_, union, update

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
    `landlord_keys` are alternatives: a case is selected by either (one search field)."""

    courts: tuple[str, ...] = ()  # a partner's courts, for its users
    zip5: str | None = None  # any defendant's ZIP code
    zips: tuple[str, ...] = ()  # a partner's ZIP codes: the first tenant's (cases.zip5) is one of them
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
    landlord_keys: tuple[str, ...] = ()  # or a plaintiff spelling of these keys (`landlord_spellings` finds them)
    by_name_or_landlord: bool = False  # only what `names` or `landlord_keys` find: none when both are empty


@dataclass(frozen=True, slots=True)
class PageKey:
    """Where a page ended: the next one starts after this case."""

    filed_date: dt.date
    case_id: int


@dataclass(frozen=True, slots=True)
class CasePage:
    cases: tuple[CaseView, ...]
    next: PageKey | None  # None: this was the last page


def needs_groups(where: CaseFilter) -> bool:
    """Whether `conditions(where)` name the landlord group tables (joined to the cases)."""
    return bool(where.landlords) or where.landlord_id is not None


def conditions(where: CaseFilter) -> list:
    selected = [CASES.c.kind == EVICTION, CASES.c.erased_at.is_(None)]
    if where.courts:
        selected.append(CASES.c.court_id.in_(sorted(set(where.courts))))
    # A ZIP code, a name or a landlord picks a few cases out of many: the cases are found from the
    # parties' and spellings' indexes (IN), not by testing every case in filing order (EXISTS).
    if where.zip5:
        selected.append(CASES.c.id.in_(select(PARTIES.c.case_id).where(PARTIES.c.role == "defendant",
                                                                        PARTIES.c.zip5 == where.zip5)))
    if where.zips:
        selected.append(CASES.c.zip5.in_(sorted(set(where.zips))))
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
    # A name or a landlord: the case ids either finds, one IN over their union (an OR of two INs
    # makes PostgreSQL test every case in filing order against both).
    either = []
    if where.names:
        either.append(select(PARTIES.c.case_id).where(PARTIES.c.role == "defendant", or_(*[
            and_(PARTIES.c.last_fold == name.last,
                 *([PARTIES.c.first_fold.startswith(name.first_prefix, autoescape=True)] if name.first_prefix else []))
            for name in where.names])))
    if where.landlord_keys:
        filed = CASES.alias("filed")  # not the outer query's cases
        either.append(select(filed.c.id).where(filed.c.landlord_key.in_(sorted(set(where.landlord_keys)))))
    if either:
        selected.append(CASES.c.id.in_(union(*either) if len(either) > 1 else either[0]))
    elif where.by_name_or_landlord:
        selected.append(false())
    return selected


MOST_SPELLINGS = 2000


def landlord_spellings(db: Database, text: str, key_part: str | None = None) -> tuple[str, ...] | None:
    """The keys of the plaintiff spellings a search for `text` means: those of a landlord group
    whose name holds it, and those holding `key_part` (the text folded as a landlord key is).
    Found first, on the small spellings table, so the cases are then looked up by key: a planner
    cannot guess how few spellings a `LIKE '%…%'` matches. Fewer than 3 characters mean no
    landlord; None: more than MOST_SPELLINGS match (too broad to be a landlord sought)."""
    text = text.strip()
    found = [ALIASES.c.landlord_id.in_(select(LANDLORDS.c.id).where(
        LANDLORDS.c.canonical_name.icontains(text, autoescape=True)))] if len(text) >= 3 else []
    if key_part and len(key_part) >= 3:
        found.append(ALIASES.c.key.contains(key_part, autoescape=True))
    if not found:
        return ()
    with db.engine.connect() as conn:
        keys = conn.execute(select(ALIASES.c.key).where(or_(*found)).limit(MOST_SPELLINGS + 1)).scalars().all()
    return None if len(keys) > MOST_SPELLINGS else tuple(sorted(keys))


def case_page(db: Database, where: CaseFilter = CaseFilter(), *, size: int = 50,
              after: PageKey | None = None) -> CasePage:
    """One page of the cases `where` selects, newest filing first, starting after `after`."""
    if not 1 <= size <= MAX_PAGE_SIZE:
        raise ValueError(f"a page holds 1 to {MAX_PAGE_SIZE} cases, not {size}")
    # A name or a landlord: each alternative's page is found on its own and the two merged. In one
    # query PostgreSQL joins a landlord's ten thousand cases by scanning all cases; alone, it reads
    # the newest of them from the filing-date index and stops at the page's end.
    ways = [replace(where, landlord_keys=()), replace(where, names=())] \
        if where.names and where.landlord_keys else [where]
    found: dict[int, Any] = {}
    with db.engine.connect() as conn:
        for way in ways:
            selected = conditions(way)
            if after is not None:
                selected.append(or_(CASES.c.filed_date < after.filed_date,
                                    and_(CASES.c.filed_date == after.filed_date, CASES.c.id < after.case_id)))
            keys = (joined(select(CASES.c.id, CASES.c.filed_date, CASES.c.court_id, CASES.c.case_number))
                    .where(*selected).order_by(CASES.c.filed_date.desc(), CASES.c.id.desc()).limit(size + 1))
            found.update((r.id, r) for r in conn.execute(keys))
    rows = sorted(found.values(), key=lambda r: (r.filed_date, r.id), reverse=True)[:size + 1]
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
