"""The workspace dashboard's figures for any cases a `CaseFilter` selects: counts, never a case.

Each is one GROUP BY over `ix_cases_dashboard` (kind, filed date, court, erased, status,
landlord spelling, first tenant's ZIP), so a dashboard of a year of a million-case store is
counted from the index, not the table. The landlord group tables are joined only when the
filter names a group.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import replace

from sqlalchemy import func, select

from pipeline.store.browse import CaseFilter, conditions, needs_groups
from pipeline.store.handle import Database
from pipeline.store.queries import ALIASES, LANDLORDS, joined
from pipeline.store.rows import CASES, JUDGMENTS
from pipeline.store.contact_summary import StatusCount, attempts_query, status_counting
from pipeline.store.trends import OUTCOMES


def _counting(query, where: CaseFilter):
    return (joined(query) if needs_groups(where) else query.select_from(CASES)).where(*conditions(where))


def filings_and_outcomes(db: Database, where: CaseFilter
                         ) -> tuple[dict[dt.date, int], dict[str, int], list[StatusCount]]:
    """How many of the cases `where` selects were filed each day, where they stand now (by the
    report's outcome labels), and by status how many there are and how many have a tenant's
    attorney of record (the outreach summary's every case): one pass over the index for all."""
    query = (_counting(status_counting(select(CASES.c.filed_date)), where)
             .group_by(CASES.c.filed_date, CASES.c.status))
    per_day: dict[dt.date, int] = {}
    standing: dict[str, int] = {}
    by_status: dict[str | None, list[int]] = {}
    with db.engine.connect() as conn:
        for day, status, n, lawyered in conn.execute(query):
            label = OUTCOMES.get(status or "", "Pending")
            per_day[day] = per_day.get(day, 0) + int(n)
            standing[label] = standing.get(label, 0) + int(n)
            counts = by_status.setdefault(status, [0, 0])
            counts[0] += int(n)
            counts[1] += int(lawyered or 0)
    return per_day, standing, [(status, n, lawyered) for status, (n, lawyered) in by_status.items()]


def outreach_attempts(db: Database, where: CaseFilter, partner: str | None) -> list:
    """The attempts on the cases `where` selects, as pipeline.store.contact_summary.summarize reads them."""
    with db.engine.connect() as conn:
        return conn.execute(attempts_query(_counting(select(), where), partner)).all()


def removals_by_day(db: Database, where: CaseFilter, since: dt.date, until: dt.date) -> dict[dt.date, int]:
    """Writs executed (tenants removed) each day from `since` to `until`, in the cases `where`
    selects whatever their filing date: a removal counts in the week it happened."""
    anyday = replace(where, filed_since=None, filed_until=None)
    query = (_counting(select(JUDGMENTS.c.writ_executed_date, func.count()), anyday)
             .join_from(CASES, JUDGMENTS, JUDGMENTS.c.case_id == CASES.c.id)
             .where(JUDGMENTS.c.writ_executed_date.between(since, until))
             .group_by(JUDGMENTS.c.writ_executed_date))
    with db.engine.connect() as conn:
        return {day: int(n) for day, n in conn.execute(query)}


def top_filers(db: Database, where: CaseFilter, *, limit: int = 10) -> list[tuple[str, int]]:
    """The landlord groups that filed the most of the cases `where` selects (a filing whose
    plaintiff is in no group counts under its spelling's key). Counted per spelling first, from
    the index; the spellings are then summed per group."""
    per_key = (_counting(select(CASES.c.landlord_key.label("key"), func.count().label("n")), where)
               .group_by(CASES.c.landlord_key).subquery())
    filer = func.coalesce(LANDLORDS.c.canonical_name, per_key.c.key, "(unknown)")
    total = func.sum(per_key.c.n)
    query = (select(filer.label("filer"), total.label("n"))
             .select_from(per_key.outerjoin(ALIASES, ALIASES.c.key == per_key.c.key)
                          .outerjoin(LANDLORDS, LANDLORDS.c.id == ALIASES.c.landlord_id))
             .group_by(filer).order_by(total.desc(), filer).limit(limit))
    with db.engine.connect() as conn:
        return [(name, int(n)) for name, n in conn.execute(query)]


def top_zips(db: Database, where: CaseFilter, *, limit: int = 10) -> list[tuple[str, int]]:
    """The first tenants' ZIP codes with the most of the cases `where` selects."""
    n = func.count()
    query = (_counting(select(CASES.c.zip5, n), where).where(CASES.c.zip5.is_not(None))
             .group_by(CASES.c.zip5).order_by(n.desc(), CASES.c.zip5).limit(limit))
    with db.engine.connect() as conn:
        return [(zip5, int(count)) for zip5, count in conn.execute(query)]
