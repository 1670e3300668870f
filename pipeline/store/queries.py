"""Read models over the store: the export's derived columns, one case's file, landlord groups."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Engine, and_, exists, func, select
from sqlalchemy.orm import aliased

from pipeline.store.handle import Database
from pipeline.store import models as m
from pipeline.store.rows import CASES, EVENTS, EVICTION, HEARINGS, load_records
from scraper.records import CaseRecord

LANDLORDS = m.Landlord.__table__
ALIASES = m.LandlordAlias.__table__


def _prior_cases():
    """Earlier matters against the same household (a re-filing of one matter is not a prior case)."""
    earlier = aliased(CASES)
    return (select(func.count(func.distinct(earlier.c.matter_key)))
            .where(earlier.c.household_hash == CASES.c.household_hash, earlier.c.filed_date < CASES.c.filed_date,
                   earlier.c.court_id == CASES.c.court_id, earlier.c.matter_key != CASES.c.matter_key)
            .scalar_subquery())


def _hearing_after_judgment():
    """A hearing dated after the judgment (a motion to set it aside, often): the status stays the
    judgment's, and this says a hearing follows."""
    return (exists().where(HEARINGS.c.case_id == CASES.c.id, CASES.c.judgment_date.is_not(None),
                           HEARINGS.c.date > CASES.c.judgment_date))


def derived_columns():
    return (CASES.c.id, CASES.c.status, CASES.c.household_key, LANDLORDS.c.canonical_name.label("landlord"),
            LANDLORDS.c.id.label("landlord_id"), _prior_cases().label("prior_cases"), CASES.c.continuances,
            CASES.c.first_hearing_default, CASES.c.days_to_first_hearing, CASES.c.days_judgment_to_writ,
            CASES.c.closed, CASES.c.matter_key, CASES.c.household_hash, CASES.c.any_default,
            _hearing_after_judgment().label("hearing_after_judgment"))


def joined(query):
    return (query.select_from(CASES.outerjoin(ALIASES, ALIASES.c.key == CASES.c.landlord_key)
                              .outerjoin(LANDLORDS, LANDLORDS.c.id == ALIASES.c.landlord_id)))


def derived(row: Any) -> dict[str, Any]:
    return {
        "status": row.status,
        "landlord": row.landlord,
        "household": row.household_key,
        "prior_cases": row.prior_cases or 0,
        "flags": {
            "continuances": row.continuances,
            "first_hearing_default": row.first_hearing_default,
            "days_to_first_hearing": row.days_to_first_hearing,
            "days_judgment_to_writ": row.days_judgment_to_writ,
            "hearing_after_judgment": bool(row.hearing_after_judgment),
        },
    }


def iter_export(db: Database, court_id: str | None = None,
                evictions_only: bool = False) -> Iterator[tuple[CaseRecord, dict[str, Any]]]:
    """Every stored case with its derived columns, in court and case-number order (not the
    anonymous remains of cases erased by law: only the report's figures count those)."""
    engine = db.engine
    query = (joined(select(*derived_columns())).where(CASES.c.erased_at.is_(None))
             .order_by(CASES.c.court_id, CASES.c.case_number))
    if court_id:
        query = query.where(CASES.c.court_id == court_id)
    if evictions_only:
        query = query.where(CASES.c.kind == EVICTION)
    yield from _with_records(engine, query)


def export_dict(record: CaseRecord, derived: dict[str, Any]) -> dict[str, Any]:
    """A case in the documented export schema: the record's fields and what the pipeline derived."""
    return {**record.export_dict(), **derived}


def exported(db: Database, case_ids: list[int]) -> dict[int, dict[str, Any]]:
    """These cases in the export schema, by id."""
    query = joined(select(*derived_columns())).where(CASES.c.id.in_(case_ids))
    return {d["_id"]: export_dict(record, {k: v for k, v in d.items() if k != "_id"})
            for record, d in _with_records(db.engine, query, with_id=True)}


def _with_records(engine: Engine, query, *, with_id: bool = False) -> Iterator[tuple[CaseRecord, dict[str, Any]]]:
    with engine.connect() as conn:
        rows = list(conn.execute(query))
        for start in range(0, len(rows), 500):
            chunk = rows[start:start + 500]
            records = load_records(conn, [r.id for r in chunk])
            for row in chunk:
                yield records[row.id], ({**derived(row), "_id": row.id} if with_id else derived(row))


@dataclass
class CaseFile:
    record: CaseRecord
    derived: dict[str, Any]
    matter_numbers: list[str]
    household_cases: list[tuple[str, str, str | None]]  # (case number, filed date, status) other cases
    events: list[dict[str, Any]]


def case_files(db: Database, case_number: str, court_id: str | None = None) -> list[CaseFile]:
    engine = db.engine
    query = joined(select(*derived_columns(), CASES.c.court_id)).where(CASES.c.case_number == case_number)
    if court_id:
        query = query.where(CASES.c.court_id == court_id)
    files = []
    with engine.connect() as conn:
        for row in conn.execute(query).all():
            record = load_records(conn, [row.id])[row.id]
            matter = conn.execute(select(CASES.c.case_number).where(
                CASES.c.court_id == row.court_id, CASES.c.matter_key == row.matter_key)
                .order_by(CASES.c.case_number)).scalars().all()
            household = conn.execute(select(CASES.c.case_number, CASES.c.filed_date, CASES.c.status).where(
                and_(CASES.c.household_hash == row.household_hash, CASES.c.id != row.id))
                .order_by(CASES.c.filed_date)).all() if row.household_hash else []
            events = conn.execute(select(EVENTS).where(EVENTS.c.case_id == row.id)
                                  .order_by(EVENTS.c.seen_at, EVENTS.c.id)).mappings().all()
            files.append(CaseFile(record, derived(row), list(matter),
                                  [(n, d.isoformat(), s) for n, d, s in household], [dict(e) for e in events]))
    return files


def landlord_groups(db: Database, court_id: str | None = None) -> list[dict[str, Any]]:
    """Landlord groups with their case counts (in one court, or everywhere) and aliases."""
    engine = db.engine
    counts = (select(ALIASES.c.landlord_id, func.count(CASES.c.id).label("cases"))
              .select_from(CASES.join(ALIASES, ALIASES.c.key == CASES.c.landlord_key)))
    if court_id:
        counts = counts.where(CASES.c.court_id == court_id)
    counts = counts.group_by(ALIASES.c.landlord_id).subquery()
    query = (select(LANDLORDS.c.id, LANDLORDS.c.canonical_name, counts.c.cases)
             .join(counts, counts.c.landlord_id == LANDLORDS.c.id)
             .order_by(counts.c.cases.desc(), LANDLORDS.c.canonical_name))
    names = (select(ALIASES.c.landlord_id, m.PartyRow.__table__.c.name).distinct()
             .select_from(m.PartyRow.__table__.join(CASES, CASES.c.id == m.PartyRow.__table__.c.case_id)
                          .join(ALIASES, ALIASES.c.key == CASES.c.landlord_key))
             .where(m.PartyRow.__table__.c.role == "plaintiff", m.PartyRow.__table__.c.position == 0))
    with engine.connect() as conn:
        aliases: dict[str, list[str]] = {}
        for landlord_id, name in conn.execute(names):
            aliases.setdefault(landlord_id, []).append(name)
        return [{"id": r.id, "landlord": r.canonical_name, "cases": r.cases,
                 "aliases": sorted(aliases.get(r.id, []))} for r in conn.execute(query)]


def household_case_count(db: Database, household_key: str) -> int:
    engine = db.engine
    with engine.connect() as conn:
        return int(conn.execute(select(func.count()).where(CASES.c.household_key == household_key)).scalar() or 0)


def case_number_candidates(db: Database, typed: str, court_id: str | None = None, limit: int = 10) -> list[str]:
    """Stored case numbers a person may have meant by `typed` (a number not stored as typed): those
    that begin with it (GV26003866 -> GV26003866-00, -01), and the numbers of a stored matter it
    begins with (GV26003866-02 -> GV26003866-00, -01). Never the remains of an erased case."""
    engine = db.engine
    typed = typed.strip().upper()
    if len(typed) < 4:  # a letter or two would list the whole court
        return []
    stored_matter = and_(func.length(CASES.c.matter_key) >= 4,
                         func.substr(typed, 1, func.length(CASES.c.matter_key)) == CASES.c.matter_key)
    query = (select(CASES.c.case_number).distinct()
             .where(CASES.c.erased_at.is_(None), CASES.c.case_number != typed,
                    CASES.c.case_number.startswith(typed, autoescape=True) | stored_matter)
             .order_by(CASES.c.case_number).limit(limit))
    if court_id:
        query = query.where(CASES.c.court_id == court_id)
    with engine.connect() as conn:
        return list(conn.execute(query).scalars())
