"""A landlord group as the workspace shows it: the spellings it filed under, its filings over
time, how often they ended in a judgment or a writ, and its serial filings (figures only)."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import distinct, func, select

from pipeline.store.browse import CaseFilter, conditions
from pipeline.store.handle import Database
from pipeline.store.queries import LANDLORDS, joined
from pipeline.store.rows import CASES, JUDGMENTS, PARTIES


@dataclass(frozen=True, slots=True)
class LandlordView:
    id: str
    name: str
    spellings: tuple[str, ...]  # the plaintiffs' names as filed
    filings: int
    judgments: int  # for the landlord
    writs_issued: int
    writs_executed: int
    serial: int  # filings beyond the first against the same household
    by_month: tuple[tuple[str, int], ...]  # (YYYY-MM, filings)


def landlords_filing(db: Database, where: CaseFilter, *, limit: int = 100) -> list[tuple[str, str, int]]:
    """(group id, name, filings) of the groups with the most of the cases `where` selects."""
    query = (joined(select(LANDLORDS.c.id, LANDLORDS.c.canonical_name, func.count().label("n")))
             .where(*conditions(where), LANDLORDS.c.id.is_not(None))
             .group_by(LANDLORDS.c.id, LANDLORDS.c.canonical_name)
             .order_by(func.count().desc(), LANDLORDS.c.canonical_name).limit(limit))
    with db.engine.connect() as conn:
        return [(i, name, int(n)) for i, name, n in conn.execute(query)]


def landlord_view(db: Database, landlord_id: str, where: CaseFilter) -> LandlordView | None:
    """The group's figures over the cases `where` selects; None for no such group."""
    mine = CaseFilter(**{**{name: getattr(where, name) for name in where.__slots__}, "landlord_id": landlord_id})
    selected = conditions(mine)
    with db.engine.connect() as conn:
        name = conn.execute(select(LANDLORDS.c.canonical_name).where(LANDLORDS.c.id == landlord_id)).scalar()
        if name is None:
            return None
        spellings = conn.execute(joined(select(PARTIES.c.name).distinct())
                                 .join(PARTIES, PARTIES.c.case_id == CASES.c.id)
                                 .where(*selected, PARTIES.c.role == "plaintiff", PARTIES.c.position == 0)
                                 .order_by(PARTIES.c.name).limit(50)).scalars().all()
        filings = conn.execute(joined(select(func.count())).where(*selected)).scalar_one()
        judged = joined(select(func.count())).join(JUDGMENTS, JUDGMENTS.c.case_id == CASES.c.id).where(*selected)
        judgments = conn.execute(judged.where(JUDGMENTS.c.judgment_code == "plaintiff")).scalar_one()
        issued = conn.execute(judged.where(JUDGMENTS.c.writ_issued_date.is_not(None))).scalar_one()
        executed = conn.execute(judged.where(JUDGMENTS.c.writ_executed_date.is_not(None))).scalar_one()
        households = conn.execute(joined(select(func.count(distinct(CASES.c.household_hash))))
                                  .where(*selected, CASES.c.household_hash.is_not(None))).scalar_one()
        with_household = conn.execute(joined(select(func.count()))
                                      .where(*selected, CASES.c.household_hash.is_not(None))).scalar_one()
        days = conn.execute(joined(select(CASES.c.filed_date, func.count())).where(*selected)
                            .group_by(CASES.c.filed_date)).all()
    months: dict[str, int] = {}
    for day, n in days:
        months[day.strftime("%Y-%m")] = months.get(day.strftime("%Y-%m"), 0) + int(n)
    return LandlordView(landlord_id, name, tuple(spellings), int(filings), int(judgments), int(issued), int(executed),
                        int(with_household) - int(households), tuple(sorted(months.items())))

