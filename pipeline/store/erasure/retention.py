"""Retention: what is kept of a case closed long ago, and the removal of the rest.

For each case closed (as the pipeline judged it) and unchanged since before the cutoff, the
defendants' names, name parts and addresses are removed (ZIP code and state stay, for the
trends), the household key is replaced by its one-way hash (the household's cases stay linked,
nobody is named), the service and garnishment details are dropped, names in its change history
are blanked, and its archived raw pages are deleted. Landlords (plaintiffs), counts, dates,
outcomes and amounts stay, so every aggregate in the trend report is unchanged.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass

from sqlalchemy import Engine, and_, delete, func, or_, select, tuple_, update

from pipeline.store.handle import Database
from pipeline.store import models as m
from pipeline.store.rows import CASES, EVENTS, JUDGMENTS, PARTIES, utc_now

RAW = m.RawPageRow.__table__
REMOVED = "(removed)"
_PERSONAL_PARTY_COLUMNS = ("address", "norm_name", "last_name", "first_name", "last_fold", "first_fold",
                           "middle_name", "suffix", "trade_name", "care_of", "street", "unit", "city", "dba")
_KEPT_DETAILS = ("reports", "appeal")


@dataclass(frozen=True)
class PurgePlan:
    cutoff: dt.datetime
    case_ids: list[int]
    defendants: int
    events: int
    raw_pages: int


def plan_purge(db: Database, cutoff: dt.datetime) -> PurgePlan:
    """The closed cases not changed since `cutoff` whose tenant data is still there, and what goes."""
    engine = db.engine
    ids = _due(engine, cutoff)
    with engine.connect() as conn:
        defendants = events = raw = 0
        for chunk in _chunks(ids):
            defendants += conn.execute(select(func.count()).select_from(PARTIES).where(
                PARTIES.c.case_id.in_(chunk), PARTIES.c.role == "defendant")).scalar() or 0
            events += conn.execute(select(func.count()).select_from(EVENTS).where(
                EVENTS.c.case_id.in_(chunk), EVENTS.c.kind.in_(("party_added", "party_removed")),
                EVENTS.c.field == "defendant")).scalar() or 0
            raw += conn.execute(select(func.count()).select_from(RAW).where(_raw_of(conn, chunk))).scalar() or 0
    # Raw pages of cases purged earlier (fetched again since) go too, and old hearing-day lists
    # (they name every tenant on the docket; they are only kept for re-parsing).
    raw += _raw_of_purged_count(engine)
    with engine.connect() as conn:
        raw += conn.execute(select(func.count()).select_from(RAW).where(
            RAW.c.case_number.is_(None), RAW.c.fetched_at < cutoff)).scalar() or 0
    return PurgePlan(cutoff, ids, defendants, events, raw)


def purge(db: Database, plan: PurgePlan) -> PurgePlan:
    engine = db.engine
    now = utc_now()
    with engine.begin() as conn:
        for chunk in _chunks(plan.case_ids):
            conn.execute(update(PARTIES).where(PARTIES.c.case_id.in_(chunk), PARTIES.c.role == "defendant")
                         .values(name=REMOVED, **dict.fromkeys(_PERSONAL_PARTY_COLUMNS)))
            conn.execute(update(EVENTS).where(EVENTS.c.case_id.in_(chunk),
                                              EVENTS.c.kind.in_(("party_added", "party_removed")),
                                              EVENTS.c.field == "defendant").values(old_value=None, new_value=None))
            # Free-text judgment fields may name people too.
            conn.execute(update(JUDGMENTS).where(JUDGMENTS.c.case_id.in_(chunk))
                         .values(other_awarded=None, further_case_information=None))
            conn.execute(update(EVENTS).where(EVENTS.c.case_id.in_(chunk), EVENTS.c.kind == "judgment",
                                              EVENTS.c.field.in_(("other_awarded", "further_case_information")))
                         .values(old_value=None, new_value=None))
            for case_id, details in conn.execute(select(CASES.c.id, CASES.c.details_json).where(CASES.c.id.in_(chunk))):
                kept = {k: v for k, v in json.loads(details or "{}").items() if k in _KEPT_DETAILS}
                conn.execute(update(CASES).where(CASES.c.id == case_id).values(
                    details_json=json.dumps(kept), household_key=CASES.c.household_hash, purged_at=now))
        if plan.case_ids:
            conn.execute(m.PurgeCount.__table__.insert().values(at=now, reason="retention", cases=len(plan.case_ids)))
        _delete_raw_of_purged(conn)
        delete_raw_pages(conn, select(RAW.c.id).where(RAW.c.case_number.is_(None), RAW.c.fetched_at < plan.cutoff)
                    .scalar_subquery())
    return plan


def _due(engine: Engine, cutoff: dt.datetime) -> list[int]:
    # A purged case seen changed since (a late satisfaction, say) was written back whole: again.
    query = (select(CASES.c.id).where(CASES.c.closed.is_(True), CASES.c.last_changed_at < cutoff,
                                      or_(CASES.c.purged_at.is_(None), CASES.c.last_changed_at > CASES.c.purged_at))
             .order_by(CASES.c.id))
    with engine.connect() as conn:
        return list(conn.execute(query).scalars())


def _raw_of(conn, chunk: list[int]):
    keys = conn.execute(select(CASES.c.court_id, CASES.c.case_number).where(CASES.c.id.in_(chunk))).all()
    return tuple_(RAW.c.court_id, RAW.c.case_number).in_([tuple(k) for k in keys]) if keys else RAW.c.id.is_(None)


def _purged_keys():
    return select(CASES.c.court_id, CASES.c.case_number).where(CASES.c.purged_at.is_not(None))


def _raw_of_purged_count(engine: Engine) -> int:
    purged = _purged_keys().subquery()
    with engine.connect() as conn:
        return conn.execute(select(func.count()).select_from(RAW.join(purged, and_(
            RAW.c.court_id == purged.c.court_id, RAW.c.case_number == purged.c.case_number)))).scalar() or 0


def _delete_raw_of_purged(conn) -> None:
    purged = _purged_keys().subquery()
    delete_raw_pages(conn, select(RAW.c.id).select_from(RAW.join(purged, and_(
        RAW.c.court_id == purged.c.court_id, RAW.c.case_number == purged.c.case_number))).scalar_subquery())


def delete_raw_pages(conn, doomed) -> None:
    # Rows that point at those pages keep their data, not the pointer.
    conn.execute(update(CASES).where(CASES.c.raw_page_id.in_(doomed)).values(raw_page_id=None))
    conn.execute(update(EVENTS).where(EVENTS.c.raw_page_id.in_(doomed)).values(raw_page_id=None))
    conn.execute(delete(RAW).where(RAW.c.id.in_(doomed)))


def _chunks(ids: list[int], size: int = 500):
    for start in range(0, len(ids), size):
        yield ids[start:start + size]
