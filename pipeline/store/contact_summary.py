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

from sqlalchemy import and_, case, func, select, text

from pipeline.store.contacts import CONTACTS, HELPED, NOT_REACHED, Result
from pipeline.store.handle import Database
from pipeline.store.models import LAWYERED_DEFENDANT
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


StatusCount = tuple  # (status, cases, of them with a tenant's attorney of record)


def lawyered_case():
    """A case with a tenant's attorney of record, read from the partial index that holds only
    those few parties (migration 0019)."""
    return CASES.c.id.in_(select(PARTIES.c.case_id).where(text(LAWYERED_DEFENDANT)))


def status_counting(query):
    """`query` (selecting from the cases) counting cases and lawyered cases by status."""
    return query.add_columns(CASES.c.status, func.count(), func.sum(case((lawyered_case(), 1), else_=0)))


def attempts_query(query, partner: str | None):
    """`query` (selecting from the cases) joined to the attempts on them (`partner`'s; every
    partner's when None), with what the summary reads of each case and attempt."""
    first_hearing = (select(func.min(HEARINGS.c.date)).where(HEARINGS.c.case_id == CASES.c.id)
                     .scalar_subquery())
    query = (query.add_columns(CASES.c.id, CASES.c.filed_date, CASES.c.status,
                               func.coalesce(CASES.c.household_hash, CASES.c.matter_key), first_hearing,
                               lawyered_case(), CONTACTS.c.contacted_on, CONTACTS.c.result)
             .join(CONTACTS, and_(CONTACTS.c.court_id == CASES.c.court_id,
                                  CONTACTS.c.case_number == CASES.c.case_number)))
    return query.where(CONTACTS.c.partner == partner) if partner is not None else query


def outreach_summary(db: Database, since: dt.date, until: dt.date, *, courts: list[str] | None = None,
                     partner: str | None = None, zip5: str | None = None) -> OutreachSummary:
    """The eviction cases filed from `since` to `until` (in `courts`, of a first tenant in `zip5`),
    with the attempts of `partner` (every partner's when None)."""
    where = [CASES.c.kind == EVICTION, CASES.c.erased_at.is_(None), CASES.c.filed_date.between(since, until)]
    if courts is not None:
        where.append(CASES.c.court_id.in_(courts))
    if zip5:
        where.append(CASES.c.zip5 == zip5)
    cases = select().select_from(CASES).where(*where)
    with db.engine.connect() as conn:
        counted = conn.execute(status_counting(cases).group_by(CASES.c.status)).all()
        attempted = conn.execute(attempts_query(cases, partner)).all()
    return summarize(since, until, counted, attempted)


def summarize(since: dt.date, until: dt.date, counted: list[StatusCount], attempted: list) -> OutreachSummary:
    """The summary from every case's count by status and the rows of attempts_query.

    Every case's outcome is counted in the database (the dashboard asks this of a year of a
    million cases); only the cases with an attempt are read one by one, and the not-reached
    group is every case less the reached ones."""
    cases: dict[int, tuple] = {}
    attempts: dict[int, list[tuple[dt.date, Result]]] = {}
    for case_id, filed, status, household, hearing, lawyer, day, result in attempted:
        cases[case_id] = (filed, status, household, hearing, bool(lawyer))
        attempts.setdefault(case_id, []).append((day, Result(result)))
    everyone = Outcomes(cases=sum(n for _, n, _ in counted), represented=sum(int(k or 0) for _, _, k in counted))
    for status, n, _ in counted:
        _count(everyone, status, n)
    summary = OutreachSummary(since, until, everyone.cases, 0, 0, None, 0)
    waits, helped = [], set()
    reached_lawyered = not_reached_said = 0  # a lawyer of record among the reached; "represented" said of the others
    for case_id, (filed, status, household, hearing, lawyer) in cases.items():
        mine = attempts[case_id]
        before = [(day, result) for day, result in mine if hearing is None or day < hearing]
        reached = any(result not in NOT_REACHED for _, result in before)
        summary.attempted_before_first_hearing += bool(before)
        summary.reached_before_first_hearing += reached
        summary.attempted_any_time += 1
        waits.append((min(day for day, _ in mine) - filed).days)
        if any(result in HELPED for _, result in mine):
            helped.add(household)
        said_represented = not lawyer and any(result is Result.REPRESENTED for _, result in mine)
        if reached:
            summary.reached.cases += 1
            summary.reached.represented += lawyer or said_represented
            reached_lawyered += lawyer
            _count(summary.reached, status, 1)
        else:
            not_reached_said += said_represented
    summary.not_reached = _less(everyone, summary.reached)
    summary.not_reached.represented = everyone.represented - reached_lawyered + not_reached_said
    summary.median_days_filing_to_first_contact = float(statistics.median(waits)) if waits else None
    summary.households_helped = len(helped)
    summary.provisional = bool(summary.reached.pending or summary.not_reached.pending)
    return summary


def _count(group: Outcomes, status: str | None, n: int) -> None:
    """`n` cases of this status into the group's outcome counts (not its cases or representation)."""
    group.dismissed_or_nonsuited += n * (status in DISMISSED)
    group.judgment_for_landlord += n * (status in FOR_LANDLORD)
    group.writ_executed += n * (status == "writ_executed")
    group.pending += n * (OUTCOMES.get(status or "", "Pending") == "Pending")  # as the report counts it


def _less(everyone: Outcomes, some: Outcomes) -> Outcomes:
    return Outcomes(**{name: getattr(everyone, name) - getattr(some, name) for name in asdict(everyone)})
