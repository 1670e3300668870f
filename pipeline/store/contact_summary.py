"""What outreach achieved, for the eviction cases filed in a period: who was tried and reached
before the first hearing, how soon, and how the cases of reached households ended against the
others'. Counted per case; an attempt counts when it is dated before the case's first hearing
(any attempt, for a case with no hearing yet). The two groups differ in more than outreach (who
answers a phone is not who does not): the figures describe, they do not measure an effect.
"""

from __future__ import annotations

import datetime as dt
import statistics
from dataclasses import asdict, dataclass, field

from sqlalchemy import func, select

from pipeline.store.contacts import CONTACTS, HELPED, NOT_REACHED, Result
from pipeline.store.handle import Database
from pipeline.store.notices import UNREPRESENTED
from pipeline.store.rows import CASES, EVICTION, HEARINGS, PARTIES
from pipeline.store.trends import OUTCOMES

CAVEAT = ("Reached and not-reached households differ in more than outreach (who can be reached is not who "
          "cannot): these are counts side by side, not the effect of reaching them.")
DISMISSED = frozenset({"dismissed", "non_suited"})
FOR_LANDLORD = frozenset({"judgment_plaintiff", "writ_issued", "writ_executed", "satisfied"})


@dataclass
class Outcomes:
    cases: int = 0
    represented: int = 0  # an attorney of record for a tenant, or a "represented" result
    dismissed_or_nonsuited: int = 0
    judgment_for_landlord: int = 0
    writ_executed: int = 0
    pending: int = 0  # no outcome yet


@dataclass
class OutreachSummary:
    since: dt.date
    until: dt.date
    cases: int
    attempted_before_first_hearing: int
    reached_before_first_hearing: int
    median_days_filing_to_first_contact: float | None
    households_helped: int
    reached: Outcomes = field(default_factory=Outcomes)
    not_reached: Outcomes = field(default_factory=Outcomes)
    provisional: bool = False  # outcomes still pending: the groups' figures will change
    attempted_any_time: int = 0  # cases with any attempt, before the first hearing or after
    caveat: str = CAVEAT

    def as_json(self) -> dict:
        data = asdict(self)
        data["since"], data["until"] = self.since.isoformat(), self.until.isoformat()
        return data


def outreach_summary(db: Database, since: dt.date, until: dt.date, *, courts: list[str] | None = None,
                     partner: str | None = None, zip5: str | None = None) -> OutreachSummary:
    """The eviction cases filed from `since` to `until` (in `courts`, of a first tenant in `zip5`),
    with the attempts of `partner` (every partner's when None)."""
    where = [CASES.c.kind == EVICTION, CASES.c.erased_at.is_(None), CASES.c.filed_date.between(since, until)]
    if courts is not None:
        where.append(CASES.c.court_id.in_(courts))
    if zip5:
        where.append(CASES.c.zip5 == zip5)
    first_hearing = (select(func.min(HEARINGS.c.date)).where(HEARINGS.c.case_id == CASES.c.id)
                     .scalar_subquery())
    lawyer = (select(func.count()).where(
        PARTIES.c.case_id == CASES.c.id, PARTIES.c.role == "defendant",
        func.upper(func.trim(func.coalesce(PARTIES.c.attorney, ""))).not_in(sorted(UNREPRESENTED)))
        .scalar_subquery())
    cases_query = select(CASES.c.court_id, CASES.c.case_number, CASES.c.filed_date, CASES.c.status,
                         func.coalesce(CASES.c.household_hash, CASES.c.matter_key), first_hearing, lawyer).where(*where)
    tried = select(CONTACTS.c.court_id, CONTACTS.c.case_number, CONTACTS.c.contacted_on, CONTACTS.c.result)
    if partner is not None:
        tried = tried.where(CONTACTS.c.partner == partner)
    with db.engine.connect() as conn:
        cases = conn.execute(cases_query).all()
        attempts: dict[tuple[str, str], list[tuple[dt.date, Result]]] = {}
        for court, number, day, result in conn.execute(tried):
            attempts.setdefault((court, number), []).append((day, Result(result)))
    summary = OutreachSummary(since, until, len(cases), 0, 0, None, 0)
    waits, helped = [], set()
    for court, number, filed, status, household, hearing, lawyers in cases:
        mine = attempts.get((court, number), [])
        before = [(day, result) for day, result in mine if hearing is None or day < hearing]
        reached = any(result not in NOT_REACHED for _, result in before)
        summary.attempted_before_first_hearing += bool(before)
        summary.reached_before_first_hearing += reached
        summary.attempted_any_time += bool(mine)
        if mine:
            waits.append((min(day for day, _ in mine) - filed).days)
        if any(result in HELPED for _, result in mine):
            helped.add(household)
        group = summary.reached if reached else summary.not_reached
        group.cases += 1
        group.represented += bool(lawyers) or any(result is Result.REPRESENTED for _, result in mine)
        group.dismissed_or_nonsuited += status in DISMISSED
        group.judgment_for_landlord += status in FOR_LANDLORD
        group.writ_executed += status == "writ_executed"
        group.pending += OUTCOMES.get(status or "", "Pending") == "Pending"  # as the report counts it
    summary.median_days_filing_to_first_contact = float(statistics.median(waits)) if waits else None
    summary.households_helped = len(helped)
    summary.provisional = bool(summary.reached.pending or summary.not_reached.pending)
    return summary
