"""Partners' watch lists and the matches found with them, as stored rows.

A row is kept as match keys only (never a name as the partner wrote it) with the partner's own
row id. A partner's rows and matches go together: `clear`, or retention once the partner has
no `watch:` entry in the configuration any more. A list of any size goes through here a batch
at a time: written as it is read, compared with the stored one in SQL, read back in batches.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import (Column, Engine, Integer, MetaData, String, Table, and_, bindparam, delete, exists, func, select,
                        update)
from sqlmodel import Session

from pipeline.store.models import Case, WatchEntry, WatchMatch
from pipeline.store.rows import bulk_insert, utc_now
from pipeline.store.watch_staging import (BATCH_ROWS, ENTRIES, INCOMING, KEY_COLUMNS, MATCHES, batches, replace_rows,
                                          staging)

# The pairs a batch of the list was found in, staged as a list is (pipeline.store.watch_staging):
# each is looked up by the unique index of the pairs (a left join keeps the staged rows first on
# SQLite, whose planner would otherwise scan a partner's every match for each batch).
FOUND = Table("watch_found", MetaData(), Column("position", Integer, primary_key=True, autoincrement=False),
              Column("row_id", String(40), nullable=False), Column("court_id", String(64), nullable=False),
              Column("case_number", String(32), nullable=False), prefixes=["TEMPORARY"])
_FOUND_STORED = FOUND.outerjoin(MATCHES, and_(MATCHES.c.partner == bindparam("partner"),
                                              MATCHES.c.row_id == FOUND.c.row_id,
                                              MATCHES.c.court_id == FOUND.c.court_id,
                                              MATCHES.c.case_number == FOUND.c.case_number))
_STORED_PAIRS = (select(FOUND.c.position, MATCHES.c.id, MATCHES.c.verdict, MATCHES.c.decision)
                 .select_from(_FOUND_STORED).order_by(FOUND.c.position))
_STANDING = (select(MATCHES.c.matched_by, MATCHES.c.verdict, MATCHES.c.decision, func.count())
             .select_from(_FOUND_STORED).group_by(MATCHES.c.matched_by, MATCHES.c.verdict, MATCHES.c.decision))


@dataclass(frozen=True, slots=True)
class WatchKeys:
    """What is kept of one watch-list row."""

    row_id: str
    last: str | None = None
    first: str | None = None
    middle: str | None = None
    nickname: bool = False
    zip5: str | None = None
    case_number: str | None = None
    court: str | None = None  # the case number's court, when the list names it
    street: str | None = None  # its key: house number and street name (pipeline.linkage.streets)

    @property
    def person(self) -> tuple[str | None, str | None, str | None] | None:
        return (self.last, self.first, self.middle) if self.last else None


@dataclass(frozen=True, slots=True)
class WatchedNumber:
    partner: str
    row_id: str
    case_number: str
    court: str | None
    imported_at: dt.datetime


@dataclass(frozen=True, slots=True)
class NewMatch:
    row_id: str
    court: str
    case_number: str
    matched_by: str  # case_number | name_zip | name
    verdict: str     # confident | to review
    score: float
    reasons: str | None = None


@dataclass(frozen=True, slots=True)
class MatchRecord:
    id: int
    partner: str
    row_id: str
    court: str
    case_number: str
    matched_by: str
    verdict: str
    score: float
    reasons: str | None
    decision: str | None  # yes | no | None (nobody looked yet)
    found_at: dt.datetime

    @property
    def pending(self) -> bool:
        return pending(self.verdict, self.decision)

    @property
    def followed(self) -> bool:
        """The case is this row's: confident, or said so by a person."""
        return followed(self.verdict, self.decision)


def pending(verdict: str, decision: str | None) -> bool:
    """Whether a pair found so, and answered so, waits for a person to look."""
    return verdict == "to review" and decision is None


def followed(verdict: str, decision: str | None) -> bool:
    """Whether a pair found so, and answered so, is the row's case: confident, or said so by a person."""
    return decision == "yes" or (verdict == "confident" and decision is None)


@dataclass(frozen=True)
class ImportChange:
    added: int
    changed: int
    removed: int
    unchanged: int


@dataclass(frozen=True)
class RecordedMatches:
    new: int  # pairs new, or raised to confident
    # The pairs given, as they stand now (answers included), counted by (matched_by, verdict, decision).
    standing: dict[tuple[str, str, str | None], int]


def _match(row: Any) -> MatchRecord:
    return MatchRecord(row.id, row.partner, row.row_id, row.court_id, row.case_number, row.matched_by, row.verdict,
                       row.score, row.reasons, row.decision, row.found_at)


class WatchStore:
    def __init__(self, engine: Engine) -> None:
        self.engine = engine

    def replace(self, partner: str, rows: Iterable[WatchKeys], *, now: dt.datetime | None = None,
                batch_size: int = BATCH_ROWS) -> ImportChange | None:
        """The partner's list becomes `rows`, taken as they come (an iterator that reads a file
        is fine), in one transaction: should they fail half-way, the list stays as it was. No
        rows at all leave it as it was too (None): `clear` is how a list is emptied. A row kept
        as it was keeps its matches and the answers given on them. A row changed or gone loses
        its matches, except the rejections: a "no" stays with every row of the same name (or,
        for a row of a case number only, the same number), whatever its id or ZIP code now, so
        it is never proposed again."""
        now = now or utc_now()
        as_rows = ((k.row_id, k.last, k.first, k.middle, k.nickname, k.zip5, k.case_number, k.court, k.street)
                   for k in rows)
        with self.engine.connect() as conn, staging(conn, INCOMING):
            counts = replace_rows(conn, partner, as_rows, now, batch_size)
            if counts is None:
                return None
            conn.commit()
        return ImportChange(*counts)

    def entry_batches(self, partner: str, size: int = 2_000, *, by_name: bool = False) -> Iterator[list[WatchKeys]]:
        """The partner's rows, `size` at a time, in the order they were imported, or `by_name`
        (last names together: what the matcher compares once per last name), read as the
        batches are taken."""
        keys = select(ENTRIES.c.id, ENTRIES.c.row_id, *(ENTRIES.c[n] for n in KEY_COLUMNS))
        mine = ENTRIES.c.partner == partner
        with self.engine.connect() as conn:
            if not by_name:
                for rows in conn.execution_options(yield_per=size).execute(keys.where(mine).order_by(ENTRIES.c.id)) \
                        .partitions():
                    yield [WatchKeys(*row[1:]) for row in rows]  # the columns in the fields' order
                return
            # Sorted, only the ids: the sort of a long list holds its keys, not its rows.
            in_order = select(ENTRIES.c.id).where(mine).order_by(ENTRIES.c.last_key, ENTRIES.c.id)
            with self.engine.connect() as reading:
                for ids in conn.execution_options(yield_per=size).execute(in_order).scalars().partitions():
                    found = {}
                    for start in range(0, len(ids), BATCH_ROWS):
                        for row in reading.execute(keys.where(ENTRIES.c.id.in_(ids[start:start + BATCH_ROWS]))):
                            found[row.id] = WatchKeys(*row[1:])
                    yield [found[i] for i in ids]

    def entries(self, partner: str) -> list[WatchKeys]:
        return [keys for batch in self.entry_batches(partner) for keys in batch]

    def name_counts(self, partner: str) -> Iterator[tuple[str, str | None, str | None, int]]:
        """(last name, first name, ZIP code, rows) of the partner's named rows: how often the
        list holds each name, counted by the database."""
        query = (select(ENTRIES.c.last_key, ENTRIES.c.first_key, ENTRIES.c.zip5, func.count())
                 .where(ENTRIES.c.partner == partner, ENTRIES.c.last_key.is_not(None))
                 .group_by(ENTRIES.c.last_key, ENTRIES.c.first_key, ENTRIES.c.zip5))
        with self.engine.connect() as conn:
            for row in conn.execution_options(yield_per=BATCH_ROWS).execute(query):
                yield row[0], row[1], row[2], row[3]

    def sample(self, partner: str, rows: int) -> list[WatchKeys]:
        """About `rows` of the partner's named rows, drawn evenly over the list as imported (every
        n-th by id): the same list gives the same sample."""
        named = and_(ENTRIES.c.partner == partner, ENTRIES.c.last_key.is_not(None))
        with self.engine.connect() as conn:
            total = conn.execute(select(func.count()).where(named)).scalar_one()
            step = max(1, total // max(1, rows))
            query = (select(ENTRIES.c.row_id, *(ENTRIES.c[n] for n in KEY_COLUMNS))
                     .where(named, ENTRIES.c.id % step == 0).order_by(ENTRIES.c.id).limit(rows))
            return [WatchKeys(*row) for row in conn.execute(query)]

    def partners(self) -> list[str]:
        """Partners with a watch list stored."""
        with Session(self.engine) as session:
            return sorted(session.execute(select(WatchEntry.partner).distinct()).scalars())

    def numbers(self) -> list[WatchedNumber]:
        """Every case number on a list, with where its list says it is and since when it is watched."""
        with Session(self.engine) as session:
            query = (select(WatchEntry).where(WatchEntry.case_number.is_not(None))
                     .order_by(WatchEntry.partner, WatchEntry.id))
            return [WatchedNumber(e.partner, e.row_id, e.case_number, e.court_id, e.imported_at)
                    for e in session.execute(query).scalars()]

    def courts_holding(self, numbers: Iterable[str]) -> dict[str, set[str]]:
        """Per case number, the courts whose stored cases carry it (Virginia numbers are per court)."""
        wanted = sorted(set(numbers))
        found: dict[str, set[str]] = {}
        with Session(self.engine) as session:
            for start in range(0, len(wanted), 500):
                query = select(Case.case_number, Case.court_id).where(Case.case_number.in_(wanted[start:start + 500]))
                for number, court in session.execute(query):
                    found.setdefault(number, set()).add(court)
        return found

    def add_matches(self, partner: str, found: Iterable[NewMatch], *, now: dt.datetime | None = None) -> int:
        """How many pairs are new or raised: see record_matches."""
        return self.record_matches(partner, found, now=now).new

    def record_matches(self, partner: str, found: Iterable[NewMatch], *, now: dt.datetime | None = None,
                       batch_size: int = BATCH_ROWS) -> RecordedMatches:
        """Record the pairs not seen before; a pair nobody answered yet that is now found surer
        (to review -> confident: a case number, the namesake's case closed) is raised. A pair
        answered stays as answered: a rejected pair is never proposed again."""
        now = now or utc_now()
        surest: dict[tuple[str, str, str], NewMatch] = {}
        for m in sorted(found, key=lambda f: f.verdict != "confident"):  # the surest of duplicates first
            surest.setdefault((m.row_id, m.court, m.case_number), m)
        pairs = list(surest)
        raise_pair = (update(MATCHES).where(MATCHES.c.id == bindparam("match_id"))
                      .values(matched_by=bindparam("by"), verdict=bindparam("as_verdict"), score=bindparam("as_score"),
                              reasons=bindparam("evidence")))
        with self.engine.connect() as conn, staging(conn, FOUND):
            for start in range(0, len(pairs), batch_size):
                bulk_insert(conn, FOUND, [(start + i, *pair) for i, pair in enumerate(pairs[start:start + batch_size])],
                            ("position", "row_id", "court_id", "case_number"))
            added, raised = [], []
            for row in conn.execute(_STORED_PAIRS, {"partner": partner}):
                m = surest[pairs[row.position]]
                if row.id is None:
                    added.append((partner, m.row_id, m.court, m.case_number, m.matched_by, m.verdict, round(m.score, 1),
                                  m.reasons, now))
                elif row.decision is None and row.verdict != "confident" and m.verdict == "confident":
                    raised.append({"match_id": row.id, "by": m.matched_by, "as_verdict": m.verdict,
                                   "as_score": round(m.score, 1), "evidence": m.reasons})
            for batch in batches(added, batch_size):
                bulk_insert(conn, MATCHES, batch, ("partner", "row_id", "court_id", "case_number", "matched_by",
                                                   "verdict", "score", "reasons", "found_at"))
            for batch in batches(raised, batch_size):
                conn.execute(raise_pair, batch)
            standing = {(by, as_verdict, decision): n for by, as_verdict, decision, n
                        in conn.execute(_STANDING, {"partner": partner})}
            conn.commit()
        return RecordedMatches(len(added) + len(raised), standing)

    def matches(self, partner: str | None = None, *, pending: bool = False,
                case: tuple[str, str] | None = None) -> list[MatchRecord]:
        """`case`: only the matches found in this (court, case number)."""
        with Session(self.engine) as session:
            query = select(WatchMatch).order_by(WatchMatch.partner, WatchMatch.id)
            if partner is not None:
                query = query.where(WatchMatch.partner == partner)
            if case is not None:
                query = query.where(WatchMatch.court_id == case[0], WatchMatch.case_number == case[1])
            if pending:
                query = query.where(WatchMatch.verdict == "to review", WatchMatch.decision.is_(None))
            return [_match(m) for m in session.execute(query).scalars()]

    def decide(self, answers: Sequence[tuple[int, bool]], *, partner: str | None = None,
               now: dt.datetime | None = None) -> list[MatchRecord]:
        """A person's answers to "is this the partner's person?", by match id, all or none:
        KeyError names an id that is not a match (of `partner`, if given). An earlier answer
        may be changed."""
        now = now or utc_now()
        with Session(self.engine) as session:
            rows = []
            for match_id, yes in answers:
                row = session.get(WatchMatch, match_id)
                if row is None or (partner is not None and row.partner != partner):
                    raise KeyError(f"no watch-list match with id {match_id}" + (f" for {partner!r}" if partner else ""))
                row.decision, row.decided_at = ("yes" if yes else "no"), now
                rows.append(row)
            session.add_all(rows)
            session.commit()
            return [_match(r) for r in rows]

    def clear(self, partner: str) -> tuple[int, int]:
        """Everything kept of the partner's list: (rows, matches) removed."""
        with Session(self.engine) as session:
            matches = session.execute(delete(WatchMatch).where(WatchMatch.partner == partner)).rowcount
            entries = session.execute(delete(WatchEntry).where(WatchEntry.partner == partner)).rowcount
            session.commit()
            return entries, matches

    def purge(self, keep: Iterable[str]) -> dict[str, int]:
        """Retention: the lists of partners no longer watching (not in `keep`), and matches with
        cases whose tenants' data is gone. Returns what was removed, by table."""
        keep = sorted(set(keep))
        with Session(self.engine) as session:
            entries = session.execute(delete(WatchEntry).where(WatchEntry.partner.not_in(keep))).rowcount
            matches = session.execute(delete(WatchMatch).where(WatchMatch.partner.not_in(keep))).rowcount
            case = and_(Case.court_id == WatchMatch.court_id, Case.case_number == WatchMatch.case_number)
            gone = ~exists().where(case, Case.purged_at.is_(None))
            matches += session.execute(delete(WatchMatch).where(gone).execution_options(
                synchronize_session=False)).rowcount
            session.commit()
        return {"watch_entries": entries, "watch_matches": matches}

    def summary(self) -> dict[str, dict[str, int]]:
        """Per partner: rows, case numbers, and matches by where they stand (counts only)."""
        found: dict[str, dict[str, int]] = {}

        def counts(partner: str) -> dict[str, int]:
            return found.setdefault(partner, dict.fromkeys(("rows", "case_numbers", "followed", "to_review",
                                                            "rejected"), 0))

        with self.engine.connect() as conn:
            for partner, rows, numbers in conn.execute(
                    select(ENTRIES.c.partner, func.count(), func.count(ENTRIES.c.case_number))
                    .group_by(ENTRIES.c.partner)):
                counts(partner).update(rows=rows, case_numbers=numbers)
            for partner, verdict, decision, n in conn.execute(
                    select(MATCHES.c.partner, MATCHES.c.verdict, MATCHES.c.decision, func.count())
                    .group_by(MATCHES.c.partner, MATCHES.c.verdict, MATCHES.c.decision)):
                standing = ("followed" if followed(verdict, decision) else "to_review" if pending(verdict, decision)
                            else "rejected")
                counts(partner)[standing] += n
        return found
