"""What the notifier reads: each eviction case as the pipeline stored it, normalized.

The partners' lists and alerts are built from these views, never from scraped records:
hearing results are the stored closed-vocabulary codes, the first defendant's ZIP and street
the stored normalized address, the status and landlord the pipeline's own.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from decimal import Decimal

from sqlalchemy import Connection, Engine, and_, func, or_, select, tuple_, union

from pipeline.store.handle import Database
from pipeline.store.models import UNREPRESENTED  # noqa: F401  (the lists, the report and erasure read it here)
from pipeline.store.statuses import status_words
from pipeline.store.queries import derived_columns, joined
from pipeline.store.rows import CASES, EVENTS, EVICTION, HEARINGS, JUDGMENTS, PARTIES, money



@dataclass(frozen=True, slots=True)
class PartyView:
    name: str
    attorney: str | None
    street: str | None
    zip5: str | None
    kind: str | None = None  # person | organization | occupants (pipeline.normalize)


@dataclass(frozen=True, slots=True)
class HearingView:
    date: dt.date
    time: dt.time | None
    result: str | None       # as the court wrote it
    result_code: str | None  # the closed vocabulary (pipeline.normalize.vocab)
    type: str | None
    courtroom: str | None

    @property
    def pending(self) -> bool:
        return not self.result or self.result_code == "pending"


@dataclass(frozen=True, slots=True)
class CaseView:
    court: str
    case_number: str
    filed_date: dt.date
    plaintiffs: tuple[PartyView, ...]
    defendants: tuple[PartyView, ...]
    hearings: tuple[HearingView, ...]
    principal: Decimal | None  # None before a judgment (never zero)
    writ_issued_date: dt.date | None
    writ_executed_date: dt.date | None
    status: str | None
    closed: bool
    landlord: str | None  # the landlord group's name
    household: str | None
    prior_cases: int
    continuances: int
    first_seen_at: dt.datetime
    any_default: bool = False  # a hearing ended in a default judgment
    hearing_after_judgment: bool = False
    judgment_date: dt.date | None = None

    @property
    def status_text(self) -> str:
        """The status in words, as a person reads it (`status` keeps the code)."""
        return status_words(self.status, default=self.any_default, hearing_after_judgment=self.hearing_after_judgment)

    @property
    def filed_as(self) -> str | None:
        return self.plaintiffs[0].name if self.plaintiffs else None

    @property
    def tenant(self) -> PartyView | None:
        return self.defendants[0] if self.defendants else None

    @property
    def attorney_of_record(self) -> str | None:
        """The first defendant's attorney, unless the page says there is none."""
        for party in self.defendants:
            name = (party.attorney or "").strip()
            if name.upper() not in UNREPRESENTED:
                return name
        return None


def eviction_cases(db: Database) -> Iterator[CaseView]:
    """Every stored eviction case (of any court system), in court and case-number order."""
    engine = db.engine
    yield from case_views(engine, case_view_query().where(CASES.c.kind == EVICTION))


def alert_candidates(db: Database, *, since: dt.date, until: dt.date,
                     hearing_days: Iterable[dt.date]) -> Iterator[CaseView]:
    """Cases that may carry an urgent fact: a writ issued or executed, or a default judgment,
    dated in [since, until]; or a hearing not yet heard on one of `hearing_days` (the next court
    day of each court)."""
    engine = db.engine
    writs = select(JUDGMENTS.c.case_id).where(or_(JUDGMENTS.c.writ_issued_date.between(since, until),
                                                  JUDGMENTS.c.writ_executed_date.between(since, until)))
    defaults = select(HEARINGS.c.case_id).where(HEARINGS.c.date.between(since, until),
                                                HEARINGS.c.result_code == "default_judgment")
    hearings = select(HEARINGS.c.case_id).where(HEARINGS.c.date.in_(sorted(set(hearing_days))),
                                                or_(HEARINGS.c.result.is_(None), HEARINGS.c.result_code == "pending"))
    ids = union(writs, defaults, hearings).subquery()
    query = case_view_query().where(CASES.c.id.in_(select(ids.c.case_id)), CASES.c.kind == EVICTION)
    yield from case_views(engine, query)


def cases_by_number(db: Database, keys: Iterable[tuple[str, str]]) -> Iterator[CaseView]:
    """These (court, case number) cases; unknown keys are skipped."""
    engine = db.engine
    wanted = sorted(set(keys))
    for start in range(0, len(wanted), 500):
        chunk = wanted[start:start + 500]
        yield from case_views(engine, case_view_query().where(tuple_(CASES.c.court_id, CASES.c.case_number).in_(chunk)))


def _alive(changed_since: dt.datetime):
    return and_(CASES.c.kind == EVICTION, CASES.c.purged_at.is_(None),
                or_(CASES.c.closed.is_(False), CASES.c.closed.is_(None), CASES.c.last_changed_at >= changed_since))


def open_or_changed(db: Database, changed_since: dt.datetime) -> Iterator[CaseView]:
    """Eviction cases still open, and those that changed since then (closed meanwhile), their
    tenants' data still held: the cases a partner's watch list is matched against."""
    engine = db.engine
    yield from case_views(engine, case_view_query().where(_alive(changed_since)))


def numbered(db: Database, numbers: Iterable[str], *, changed_since: dt.datetime | None = None) -> Iterator[CaseView]:
    """Eviction cases with these case numbers, in any court (with `changed_since`: only those
    open_or_changed would give)."""
    engine = db.engine
    wanted = sorted(set(numbers))
    for start in range(0, len(wanted), 500):
        query = case_view_query().where(CASES.c.case_number.in_(wanted[start:start + 500]), CASES.c.kind == EVICTION)
        yield from case_views(engine, query if changed_since is None else query.where(_alive(changed_since)))


def heard_on(db: Database, day: dt.date, courts: Iterable[str] = ()) -> Iterator[CaseView]:
    """Eviction cases with a hearing on `day` (of these courts; none: every court)."""
    engine = db.engine
    ids = select(HEARINGS.c.case_id).where(HEARINGS.c.date == day)
    query = case_view_query().where(CASES.c.id.in_(ids), CASES.c.kind == EVICTION)
    wanted = sorted(set(courts))
    yield from case_views(engine, query.where(CASES.c.court_id.in_(wanted)) if wanted else query)


def hearing_revisions(db: Database, courts: Iterable[str] = ()) -> dict[tuple[str, str], int]:
    """Per eviction case, how often a hearing was moved or taken off its page (a calendar's
    SEQUENCE: it only ever grows)."""
    engine = db.engine
    query = (select(CASES.c.court_id, CASES.c.case_number, func.count())
             .select_from(EVENTS.join(CASES, CASES.c.id == EVENTS.c.case_id))
             .where(CASES.c.kind == EVICTION, EVENTS.c.kind.in_(("hearing_removed", "hearing_changed")))
             .group_by(CASES.c.court_id, CASES.c.case_number))
    wanted = sorted(set(courts))
    if wanted:
        query = query.where(CASES.c.court_id.in_(wanted))
    with engine.connect() as conn:
        return {(court, number): int(n) for court, number, n in conn.execute(query)}


def case_view_query():
    # Cases erased by law are never in a list, alert, sheet, feed or digest again.
    return (joined(select(*derived_columns(), CASES.c.court_id, CASES.c.case_number, CASES.c.filed_date,
                           CASES.c.first_seen_at, CASES.c.judgment_date)).where(CASES.c.erased_at.is_(None))
            .order_by(CASES.c.court_id, CASES.c.case_number))


def case_views(engine: Engine, query) -> Iterator[CaseView]:
    with engine.connect() as conn:
        rows = list(conn.execute(query))
        for start in range(0, len(rows), 500):
            chunk = rows[start:start + 500]
            parties, hearings, judgments = _children(conn, [r.id for r in chunk])
            for r in chunk:
                plaintiffs, defendants = parties.get(r.id, ((), ()))
                judgment = judgments.get(r.id)
                yield CaseView(
                    court=r.court_id, case_number=r.case_number, filed_date=r.filed_date,
                    plaintiffs=plaintiffs, defendants=defendants, hearings=hearings.get(r.id, ()),
                    principal=money(judgment.principal_cents) if judgment else None,
                    writ_issued_date=judgment.writ_issued_date if judgment else None,
                    writ_executed_date=judgment.writ_executed_date if judgment else None,
                    status=r.status, closed=bool(r.closed), landlord=r.landlord, household=r.household_key,
                    prior_cases=r.prior_cases or 0, continuances=r.continuances or 0,
                    first_seen_at=r.first_seen_at, any_default=bool(r.any_default),
                    hearing_after_judgment=bool(r.hearing_after_judgment), judgment_date=r.judgment_date)


def _children(conn: Connection, ids: list[int]):
    plaintiffs: dict[int, list[PartyView]] = {}
    defendants: dict[int, list[PartyView]] = {}
    query = (select(PARTIES.c.case_id, PARTIES.c.role, PARTIES.c.name, PARTIES.c.attorney, PARTIES.c.street,
                    PARTIES.c.zip5, PARTIES.c.kind)
             .where(PARTIES.c.case_id.in_(ids)).order_by(PARTIES.c.case_id, PARTIES.c.position))
    for p in conn.execute(query):
        target = plaintiffs if p.role == "plaintiff" else defendants
        target.setdefault(p.case_id, []).append(PartyView(p.name, p.attorney, p.street, p.zip5, p.kind))
    parties = {i: (tuple(plaintiffs.get(i, ())), tuple(defendants.get(i, ()))) for i in ids}
    hearings: dict[int, list[HearingView]] = {}
    query = (select(HEARINGS.c.case_id, HEARINGS.c.date, HEARINGS.c.time, HEARINGS.c.result, HEARINGS.c.result_code,
                    HEARINGS.c.type, HEARINGS.c.courtroom)
             .where(HEARINGS.c.case_id.in_(ids)).order_by(HEARINGS.c.case_id, HEARINGS.c.position))
    for h in conn.execute(query):
        hearings.setdefault(h.case_id, []).append(HearingView(h.date, h.time, h.result, h.result_code, h.type,
                                                              h.courtroom))
    query = select(JUDGMENTS.c.case_id, JUDGMENTS.c.principal_cents, JUDGMENTS.c.writ_issued_date,
                   JUDGMENTS.c.writ_executed_date).where(JUDGMENTS.c.case_id.in_(ids))
    judgments = {j.case_id: j for j in conn.execute(query)}
    return parties, {i: tuple(v) for i, v in hearings.items()}, judgments
