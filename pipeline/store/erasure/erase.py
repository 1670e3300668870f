"""Cases erased by law (expunged, or gone from the court's records): what is left of them.

An erased case keeps only anonymous figures — its court, dates, outcome, hearings' dates and
results, amounts, landlord group and the tenants' ZIP codes — so the trend report's filing,
outcome and amount figures do not change. Everything else goes: its number (a token takes its
place) and its matter's, the tenants' names and addresses (whether they had a lawyer stays, not who), the household
link (so prior-case and serial-filing counts no longer include it), its details and history
text, its archived pages and every hearing-day listing page that shows it, the alert facts and
watch-list matches about it, and its number on opt-outs. Whoever was given the case is owed a recall (kept,
with the case number, only until it is sent). The SQLite file is then rebuilt and its WAL
emptied (`db.scrub`), so the names and numbers are gone from the file itself.

The token is a keyed hash of the court and number (`tokens`): a case seen again is
known by it. A case the law had erased before evictwatch first saw it is stored as those
figures straight away (`keep_figures`): its names and number are never written.
"""

from __future__ import annotations

import datetime as dt
import gzip
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass

from sqlalchemy import and_, case, delete, func, insert, or_, select, update

from pipeline.store.handle import Database
from pipeline.store import models as m
from pipeline.store.db import scrub
from pipeline.store.inputs import PreparedCase
from pipeline.store.erasure.tokens import erased_token, erasure_key, stored_numbers
from pipeline.store.notices import UNREPRESENTED
from pipeline.store.erasure.retention import RAW, REMOVED, delete_raw_pages
from pipeline.store.rows import (CASES, EVENTS, HEARING_COLUMNS, HEARINGS, JUDGMENT_COLUMNS, JUDGMENTS, PARTIES,
                                 PARTY_COLUMNS, bulk_insert, case_values, child_rows, utc_now)

CLAIMS = m.AlertClaim.__table__
MATCHES = m.WatchMatch.__table__
OPT_OUTS = m.OptOut.__table__
RECIPIENTS = m.CaseRecipient.__table__
AUDIT = m.AuditEntry.__table__
DELIVERED = m.DeliveryCase.__table__
CONTACTS = m.ContactAttempt.__table__
RECALLS = m.Recall.__table__
COUNTS = m.PurgeCount.__table__
_PARTY_PERSONAL = ("address", "norm_name", "last_name", "first_name", "last_fold", "first_fold", "middle_name",
                   "suffix", "trade_name", "care_of", "street", "unit", "city", "dba")


@dataclass(frozen=True, slots=True)
class ClosedCase:
    """A closed case as retention law looks at it (its disposition's facts)."""

    case_id: int
    court: str
    case_number: str
    filed: dt.date
    status: str
    disposed_on: dt.date | None
    possession: bool | None  # as the judgment says it (None: not said, or no judgment)
    judgment_code: str | None


@dataclass(frozen=True)
class Erased:
    cases: int
    raw_pages: int  # the cases' own pages and the hearing-day listings that showed them
    recalls: int    # (partner, case) recalls now owed
    numbers: list[tuple[str, str]]  # (court, case number): for the caller to clean its files; never logged


def closed_cases(db: Database, courts: Iterable[str] | None = None, *,
                 case_number: str | None = None) -> Iterator[ClosedCase]:
    """Closed eviction cases still holding tenants' data, with the date of their disposition:
    the last hearing that dismissed or nonsuited them (the page dates a result by its hearing),
    else the judgment's."""
    engine = db.engine
    def last_hearing(code: str):
        return (select(func.max(HEARINGS.c.date)).where(HEARINGS.c.case_id == CASES.c.id,
                                                        HEARINGS.c.result_code == code).scalar_subquery())

    dismissed, nonsuited = last_hearing("dismissed"), last_hearing("non_suit")
    query = (select(CASES.c.id, CASES.c.court_id, CASES.c.case_number, CASES.c.filed_date, CASES.c.status,
                    CASES.c.judgment_date, dismissed.label("dismissed_on"), nonsuited.label("nonsuited_on"),
                    JUDGMENTS.c.possession, JUDGMENTS.c.judgment_code)
             .select_from(CASES.outerjoin(JUDGMENTS, JUDGMENTS.c.case_id == CASES.c.id))
             .where(CASES.c.closed.is_(True), CASES.c.erased_at.is_(None), CASES.c.purged_at.is_(None),
                    CASES.c.kind == "eviction")
             .order_by(CASES.c.id))
    if courts is not None:
        query = query.where(CASES.c.court_id.in_(sorted(set(courts))))
    if case_number is not None:
        query = query.where(CASES.c.case_number == case_number)
    with engine.connect() as conn:
        for r in conn.execute(query):
            on = {"dismissed": r.dismissed_on, "non_suited": r.nonsuited_on}.get(r.status, r.judgment_date)
            yield ClosedCase(r.id, r.court_id, r.case_number, r.filed_date, r.status, on, r.possession,
                             r.judgment_code)


def erase(db: Database, case_ids: list[int], reason: str, *, today: dt.date,
          now: dt.datetime | None = None, scrub_now: bool = True) -> Erased:
    """Erase these cases (reason: expunged | vanished), all in one transaction, then scrub the
    file (`scrub_now=False`: the caller scrubs once, after several erasures)."""
    engine = db.engine
    now = now or utc_now()
    if not case_ids:
        return Erased(0, 0, 0, [])
    with engine.begin() as conn:
        rows = conn.execute(select(CASES.c.id, CASES.c.court_id, CASES.c.case_number, CASES.c.first_seen_at)
                            .where(CASES.c.id.in_(case_ids))).all()
        keys = [(r.id, r.court_id, r.case_number) for r in rows]
        tokens = _tokens(conn, keys)
        recalls = _owe_recalls(conn, [(court, number) for _, court, number in keys], today)
        raw = _delete_pages(conn, [(r.court_id, r.case_number, _aware(r.first_seen_at)) for r in rows])
        for case_id, court, number in keys:
            pair = and_(CLAIMS.c.court_id == court, CLAIMS.c.case_number == number)
            conn.execute(delete(CLAIMS).where(pair))
            conn.execute(delete(MATCHES).where(MATCHES.c.court_id == court, MATCHES.c.case_number == number))
            conn.execute(delete(DELIVERED).where(DELIVERED.c.court_id == court, DELIVERED.c.case_number == number))
            conn.execute(delete(CONTACTS).where(CONTACTS.c.court_id == court, CONTACTS.c.case_number == number))
            conn.execute(update(OPT_OUTS).where(OPT_OUTS.c.case_number == number).values(case_number=None))
            # Whether a tenant had a lawyer stays (the report's representation figure), not who.
            lawyer = func.upper(func.trim(func.coalesce(PARTIES.c.attorney, ""))).not_in(sorted(UNREPRESENTED))
            conn.execute(update(PARTIES).where(PARTIES.c.case_id == case_id, PARTIES.c.role == "defendant")
                         .values(name=REMOVED, attorney=case((lawyer, REMOVED), else_=PARTIES.c.attorney),
                                 **dict.fromkeys(_PARTY_PERSONAL)))
            conn.execute(update(EVENTS).where(EVENTS.c.case_id == case_id).values(old_value=None, new_value=None,
                                                                                 raw_page_id=None))
            conn.execute(update(JUDGMENTS).where(JUDGMENTS.c.case_id == case_id)
                         .values(other_awarded=None, further_case_information=None))
            token = tokens[case_id]
            # The workspace's trail keeps that someone looked at the case, no longer at which.
            conn.execute(update(AUDIT).where(AUDIT.c.court_id == court, AUDIT.c.case_number == number)
                         .values(case_number=token))
            conn.execute(update(CASES).where(CASES.c.id == case_id).values(
                case_number=token, matter_key=token, household_key=None, household_hash=None, details_json="{}",
                content_hash="erased", raw_page_id=None, erased_at=now, erased_reason=reason,
                purged_at=now, missing_since=None))
        conn.execute(insert(COUNTS).values(at=now, reason=reason, cases=len(keys)))
    if scrub_now:
        scrub(engine)
    return Erased(len(keys), raw, recalls, [(court, number) for _, court, number in keys])


def _tokens(conn, keys: list[tuple[int, str, str]]) -> dict[int, str]:
    """Each case's token: the keyed hash of its court and number, so that the case seen again
    is known (its figures counted once); its id where that token is taken already (a row kept
    for it by another writer meanwhile: the erasure still goes through)."""
    key = erasure_key(conn)
    wanted = {case_id: erased_token(key, court, number) for case_id, court, number in keys}
    taken = {(court, number) for court in {c for _, c, _ in keys}
             for number in stored_numbers(conn, court, wanted.values())}
    return {case_id: f"erased-{case_id}" if (court, wanted[case_id]) in taken else wanted[case_id]
            for case_id, court, _ in keys}


def keep_figures(db: Database, cases: Sequence[tuple[str, PreparedCase]], *, now: dt.datetime | None = None) -> int:
    """Cases the law had erased before evictwatch first saw them, (token, case): stored only as
    what `erase` leaves of a case (court, dates, outcome, hearings, amounts, landlord, the
    tenants' ZIP codes and whether they had a lawyer) under their token, so that the report
    counts every filing. Their numbers, names and addresses are never written. A token stored
    already is skipped. Returns how many were stored."""
    engine = db.engine
    now = now or utc_now()
    if not cases:
        return 0
    with engine.begin() as conn:
        by_token = {(item.record.court, token): item for token, item in cases}
        for court in {court for court, _ in by_token}:
            for token in stored_numbers(conn, court, [t for c, t in by_token if c == court]):
                del by_token[(court, token)]
        if not by_token:
            return 0
        before = conn.execute(select(func.coalesce(func.max(CASES.c.id), 0))).scalar_one()
        bulk_insert(conn, CASES, [{
            **case_values(item), "court_id": court, "case_number": token, "matter_key": token, "raw_page_id": None,
            "details_json": "{}", "content_hash": "erased", "household_key": None, "household_hash": None,
            "first_seen_at": now, "last_changed_at": now, "erased_at": now, "erased_reason": "expunged",
            "purged_at": now} for (court, token), item in by_token.items()])
        ids = {(court, token): case_id for case_id, court, token in conn.execute(
            select(CASES.c.id, CASES.c.court_id, CASES.c.case_number).where(CASES.c.id > before))}
        parties, hearings, judgments = [], [], []
        for key, item in by_token.items():
            p, h, j = child_rows(ids[key], item)
            parties += [_anonymous_party(row) for row in p]
            hearings += h
            judgments += [_with(row, JUDGMENT_COLUMNS, other_awarded=None, further_case_information=None) for row in j]
        bulk_insert(conn, PARTIES, parties, PARTY_COLUMNS)
        bulk_insert(conn, HEARINGS, hearings, HEARING_COLUMNS)
        bulk_insert(conn, JUDGMENTS, judgments, JUDGMENT_COLUMNS)
    return len(by_token)


def _anonymous_party(row: tuple) -> tuple:
    """A party row as `erase` leaves it: a tenant's name and address gone, whether they had a
    lawyer kept (not who); the landlord's as filed."""
    role, attorney = row[PARTY_COLUMNS.index("role")], row[PARTY_COLUMNS.index("attorney")]
    if role != "defendant":
        return row
    lawyer = (attorney or "").strip().upper() not in UNREPRESENTED
    return _with(row, PARTY_COLUMNS, **dict.fromkeys(_PARTY_PERSONAL), name=REMOVED,
                 attorney=REMOVED if lawyer else attorney)


def _with(row: tuple, columns: Sequence[str], **values) -> tuple:
    """A row (a tuple in `columns` order) with these columns' values replaced."""
    return tuple(values[name] if name in values else value for name, value in zip(columns, row))


def note_presence(db: Database, court: str, today: dt.date, *, found: Iterable[str],
                  absent: Iterable[str]) -> list[tuple[int, str, str]]:
    """A presence check's answers: a case found is there (checked today); one the portal says
    it has not is noted missing, and when it was noted so on an earlier day already, it is gone
    from the court: its id is returned, to be erased."""
    engine = db.engine
    gone: list[tuple[int, str, str]] = []
    with engine.begin() as conn:
        for number in sorted(set(found)):
            conn.execute(update(CASES).where(CASES.c.court_id == court, CASES.c.case_number == number)
                         .values(presence_checked_on=today, missing_since=None))
        for number in sorted(set(absent)):
            row = conn.execute(select(CASES.c.id, CASES.c.missing_since).where(
                CASES.c.court_id == court, CASES.c.case_number == number, CASES.c.erased_at.is_(None),
                CASES.c.purged_at.is_(None))).first()
            if row is None:
                continue
            if row.missing_since is not None and row.missing_since < today:
                gone.append((row.id, court, number))
            elif row.missing_since is None:
                conn.execute(update(CASES).where(CASES.c.id == row.id)
                             .values(missing_since=today, presence_checked_on=today))
    return gone


def missing(db: Database) -> list[tuple[str, str, dt.date]]:
    """(court, case number, since) of the cases the portal said once it no longer has: erased
    when a later day's run hears it again."""
    engine = db.engine
    query = (select(CASES.c.court_id, CASES.c.case_number, CASES.c.missing_since)
             .where(CASES.c.missing_since.is_not(None), CASES.c.erased_at.is_(None))
             .order_by(CASES.c.court_id, CASES.c.case_number))
    with engine.connect() as conn:
        return [tuple(r) for r in conn.execute(query)]


def _owe_recalls(conn, cases: list[tuple[str, str]], today: dt.date) -> int:
    owed = 0
    for court, number in cases:
        partners = conn.execute(select(RECIPIENTS.c.partner).where(
            RECIPIENTS.c.court_id == court, RECIPIENTS.c.case_number == number)).scalars().all()
        known = set(conn.execute(select(RECALLS.c.partner).where(
            RECALLS.c.court_id == court, RECALLS.c.case_number == number)).scalars())
        for partner in sorted(set(partners) - known):
            conn.execute(insert(RECALLS).values(partner=partner, court_id=court, case_number=number, owed_on=today))
            owed += 1
        conn.execute(delete(RECIPIENTS).where(RECIPIENTS.c.court_id == court, RECIPIENTS.c.case_number == number))
    return owed


def forget_pages(db: Database, cases: Iterable[tuple[str, str]], *, since: dt.datetime | None = None) -> int:
    """Archived pages of cases whose names are not kept (court, case number): their own and
    every listing that shows them (fetched since `since`, the day before; None: ever)."""
    engine = db.engine
    with engine.begin() as conn:
        return _delete_pages(conn, [(court, number, since or _EPOCH) for court, number in cases])


_EPOCH = dt.datetime(1970, 1, 1, tzinfo=dt.timezone.utc)


def _delete_pages(conn, cases: list[tuple[str, str, dt.datetime]]) -> int:
    """The cases' own pages, and every listing of their courts that shows them, fetched since
    (the day before) evictwatch first saw each: no listing fetched earlier showed it. Both times
    are evictwatch's own clock."""
    doomed: set[int] = set()
    for court, number, _ in cases:
        # Its own pages, and any answer to a request that named it (a "no results" for its number).
        doomed |= set(conn.execute(select(RAW.c.id).where(RAW.c.court_id == court, or_(
            RAW.c.case_number == number, RAW.c.request_key.contains(number, autoescape=True)))).scalars())
    by_court: dict[str, tuple[list[bytes], dt.datetime]] = {}
    for court, number, first_seen in cases:
        numbers, since = by_court.get(court, ([], first_seen))
        by_court[court] = ([*numbers, number.encode("utf-8")], min(since, first_seen))
    for court, (numbers, since) in by_court.items():
        listings = select(RAW.c.id, RAW.c.body_gz).where(
            RAW.c.court_id == court, RAW.c.case_number.is_(None), RAW.c.fetched_at >= since - dt.timedelta(days=1))
        for page_id, body in conn.execute(listings):
            text = gzip.decompress(body)
            if any(n in text for n in numbers):
                doomed.add(page_id)
    ids = sorted(doomed)
    for start in range(0, len(ids), 500):
        delete_raw_pages(conn, ids[start:start + 500])
    return len(ids)


def _aware(at: dt.datetime) -> dt.datetime:
    return at if at.tzinfo else at.replace(tzinfo=dt.timezone.utc)


def purge_counts(db: Database, since: dt.datetime | None = None) -> dict[str, int]:
    """Cases purged, by reason (retention | expunged | vanished)."""
    engine = db.engine
    query = select(COUNTS.c.reason, func.sum(COUNTS.c.cases)).group_by(COUNTS.c.reason)
    if since is not None:
        query = query.where(COUNTS.c.at >= since)
    with engine.connect() as conn:
        return {reason: int(n or 0) for reason, n in conn.execute(query)}


def erased_cases(db: Database, court: str | None = None) -> int:
    """How many erased cases are kept (anonymous)."""
    engine = db.engine
    query = select(func.count()).select_from(CASES).where(CASES.c.erased_at.is_not(None))
    if court is not None:
        query = query.where(CASES.c.court_id == court)
    with engine.connect() as conn:
        return int(conn.execute(query).scalar() or 0)

