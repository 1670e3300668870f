"""A week's new eviction filings grouped by building, for organizers who knock on doors where the
court publishes no street: by the landlord's trading-as name ("… T/A THE BRADDOCK", most often a
building's name) within its landlord group."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from sqlalchemy import select

from pipeline.store.handle import Database
from pipeline.store.notices import case_view_query, case_views
from pipeline.store.rows import CASES, EVICTION, PARTIES
from pipeline.store.statuses import CLOSED

NO_TRADE_NAME = ""


@dataclass(frozen=True, slots=True)
class CanvassCase:
    court: str
    case_number: str
    filed_date: dt.date
    first_hearing: dt.date | None
    tenants: tuple[str, ...]
    zip5: str | None


@dataclass
class Building:
    trading_as: str  # NO_TRADE_NAME: the landlord filed under no trading-as name
    landlord: str  # the landlord group's name
    cases: list[CanvassCase] = field(default_factory=list)

    @property
    def hearing_days(self) -> list[dt.date]:
        return sorted({c.first_hearing for c in self.cases if c.first_hearing})


def buildings(db: Database, courts: list[str], since: dt.date, until: dt.date, *, zips: frozenset[str] = frozenset(),
              opted_out: set[str] = frozenset()) -> list[Building]:
    """The open eviction cases of `courts` filed in [since, until] (a first tenant in `zips`, when
    given; no household in `opted_out`), by trading-as name and landlord group, the groups with
    most filings first."""
    query = case_view_query().where(CASES.c.kind == EVICTION, CASES.c.court_id.in_(sorted(courts)),
                                    CASES.c.filed_date.between(since, until))
    views = list(case_views(db.engine, query))
    trade = select(CASES.c.court_id, CASES.c.case_number, PARTIES.c.trade_name).select_from(
        PARTIES.join(CASES, CASES.c.id == PARTIES.c.case_id)).where(
        CASES.c.kind == EVICTION, CASES.c.court_id.in_(sorted(courts)), CASES.c.filed_date.between(since, until),
        PARTIES.c.role == "plaintiff", PARTIES.c.trade_name.is_not(None)).order_by(PARTIES.c.position)
    with db.engine.connect() as conn:
        names: dict[tuple[str, str], str] = {}
        for court, number, name in conn.execute(trade):
            names.setdefault((court, number), name)
    grouped: dict[tuple[str, str], Building] = {}
    for v in views:
        zip5 = v.tenant.zip5 if v.tenant else None
        if (v.status or "") in CLOSED or v.household in opted_out or (zips and zip5 not in zips):
            continue
        trading_as = names.get((v.court, v.case_number), NO_TRADE_NAME)
        landlord = v.landlord or (v.filed_as or "")
        building = grouped.setdefault((trading_as, landlord), Building(trading_as, landlord))
        first = min((h.date for h in v.hearings), default=None)
        building.cases.append(CanvassCase(v.court, v.case_number, v.filed_date, first,
                                          tuple(p.name for p in v.defendants), zip5))
    return sorted(grouped.values(), key=lambda b: (-len(b.cases), b.trading_as == NO_TRADE_NAME, b.trading_as,
                                                   b.landlord))
