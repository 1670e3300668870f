"""A partner's watch list replaced at any size, in one transaction: the new list is staged in a
temporary table of the import's own connection as it is read, a batch at a time, compared with
the stored one in SQL, and written over it (pipeline.store.watch says what is kept).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from itertools import islice
from typing import Any

from sqlalchemy import (Column, Connection, Index, Integer, MetaData, String, Table, and_, delete, exists, func, insert,
                        literal, or_, select, text, update)
from sqlalchemy.schema import CreateTable, DropTable

from pipeline.store.models import WatchEntry, WatchMatch
from pipeline.store.rows import bulk_insert

# Rows go to the database this many at a time: a statement stays far below SQLite's limit on
# bound variables, and a list of any size is never held whole.
BATCH_ROWS = 500
ENTRIES, MATCHES = WatchEntry.__table__, WatchMatch.__table__
KEY_COLUMNS = ("last_key", "first_key", "middle_initial", "nickname", "zip5", "case_number", "court_id", "street_key")
# What makes a row the same row: its address is not (one added or corrected is kept in place, with
# the row's matches and the answers given on them).
IDENTITY_COLUMNS = tuple(name for name in KEY_COLUMNS if name != "street_key")
_MATCH_COLUMNS = ("court_id", "case_number", "matched_by", "verdict", "score", "reasons", "decision", "found_at",
                  "decided_at")
# The list being imported, staged in a temporary table of the import's own connection: the
# stored list is compared with it in SQL, then replaced, in one transaction.
INCOMING = Table("watch_incoming", MetaData(), Column("position", Integer, primary_key=True, autoincrement=False),
                 Column("row_id", String(40), nullable=False, unique=True),
                 *(Column(name, ENTRIES.c[name].type) for name in KEY_COLUMNS), prefixes=["TEMPORARY"])


@contextmanager
def staging(conn: Connection, table: Table) -> Iterator[None]:
    """A temporary table of this connection, empty, for the block; dropped after it, whatever
    became of the block's transaction (the caller commits it or not)."""
    conn.execute(DropTable(table, if_exists=True))
    conn.execute(CreateTable(table))
    conn.commit()
    try:
        yield
    finally:
        conn.rollback()
        conn.execute(DropTable(table, if_exists=True))
        conn.commit()


def batches(items: Iterable[Any], size: int) -> Iterator[list[Any]]:
    iterator = iter(items)
    while batch := list(islice(iterator, size)):
        yield batch


def replace_rows(conn: Connection, partner: str, rows: Iterable[tuple[Any, ...]], now: dt.datetime,
                 batch_size: int = BATCH_ROWS) -> tuple[int, int, int, int] | None:
    """The partner's list becomes `rows` (each its row id, then KEY_COLUMNS), in the transaction
    of `conn`, whose INCOMING table is staged: (added, changed, removed, unchanged), or None when
    there are no rows (nothing was changed)."""
    total = 0
    for batch in batches(rows, batch_size):
        bulk_insert(conn, INCOMING, [(total + i, *row) for i, row in enumerate(batch)],
                    ("position", "row_id", *KEY_COLUMNS))
        total += len(batch)
    if not total:
        return None
    if conn.dialect.name == "postgresql":
        # The planner's row counts, as they are now: autovacuum never analyzes a temporary table,
        # nor the stored list until some time after an import. Planned as one row each, a list of
        # 4,200 rows was compared with its last import row by row, per match (6 s instead of 0.1).
        conn.execute(text(f"ANALYZE {INCOMING.name}, {ENTRIES.name}, {MATCHES.name}"))
    mine = ENTRIES.c.partner == partner
    listed = exists().where(INCOMING.c.row_id == ENTRIES.c.row_id)
    as_listed = exists().where(INCOMING.c.row_id == ENTRIES.c.row_id,
                               *(ENTRIES.c[name].is_not_distinct_from(INCOMING.c[name]) for name in IDENTITY_COLUMNS))
    stale = and_(mine, ~as_listed)
    count = select(func.count()).select_from(ENTRIES)
    changed = conn.execute(count.where(stale, listed)).scalar_one()
    removed = conn.execute(count.where(stale, ~listed)).scalar_one()
    of_entry = and_(ENTRIES.c.partner == MATCHES.c.partner, ENTRIES.c.row_id == MATCHES.c.row_id)
    rejected = conn.execute(select(*(MATCHES.c[name] for name in _MATCH_COLUMNS), ENTRIES.c.last_key,
                                   ENTRIES.c.first_key, ENTRIES.c.middle_initial,
                                   ENTRIES.c.case_number.label("listed_number"))
                            .select_from(MATCHES.join(ENTRIES, of_entry))
                            .where(MATCHES.c.partner == partner, MATCHES.c.decision == "no", ~as_listed)).all()
    conn.execute(delete(MATCHES).where(MATCHES.c.partner == partner,
                                       MATCHES.c.row_id.in_(select(ENTRIES.c.row_id).where(stale))))
    conn.execute(delete(ENTRIES).where(stale))
    street = select(INCOMING.c.street_key).where(INCOMING.c.row_id == ENTRIES.c.row_id).scalar_subquery()
    conn.execute(update(ENTRIES).where(mine, ~ENTRIES.c.street_key.is_not_distinct_from(street)).values(street_key=street))
    unchanged = conn.execute(count.where(mine)).scalar_one()
    new = (select(literal(partner, ENTRIES.c.partner.type), INCOMING.c.row_id,
                  *(INCOMING.c[name] for name in KEY_COLUMNS), literal(now, ENTRIES.c.imported_at.type))
           .where(~exists().where(mine, ENTRIES.c.row_id == INCOMING.c.row_id)).order_by(INCOMING.c.position))
    conn.execute(insert(ENTRIES).from_select(["partner", "row_id", *KEY_COLUMNS, "imported_at"], new))
    if rejected:
        Index("ix_watch_incoming_person", INCOMING.c.last_key, INCOMING.c.first_key).create(conn)
        Index("ix_watch_incoming_number", INCOMING.c.case_number).create(conn)
        for match in rejected:
            _keep_rejection(conn, partner, match)
    inserted = total - unchanged  # what is left of the stored list is the rows listed as they were
    return inserted - changed, changed, removed, unchanged


def _keep_rejection(conn: Connection, partner: str, match: Any) -> None:
    """A "no" given on a row changed or gone, given again to each listed row of that name (or,
    for a row of a case number only, that number) that does not have the pair."""
    if match.last_key:
        same = and_(INCOMING.c.last_key == match.last_key, INCOMING.c.first_key.is_not_distinct_from(match.first_key),
                    INCOMING.c.middle_initial.is_not_distinct_from(match.middle_initial))
    else:
        same = and_(or_(INCOMING.c.last_key.is_(None), INCOMING.c.last_key == ""),
                    INCOMING.c.case_number.is_not_distinct_from(match.listed_number))
    had = exists().where(MATCHES.c.partner == partner, MATCHES.c.row_id == INCOMING.c.row_id,
                         MATCHES.c.court_id == match.court_id, MATCHES.c.case_number == match.case_number)
    values = [literal(match._mapping[name], MATCHES.c[name].type) for name in _MATCH_COLUMNS]
    query = (select(literal(partner, MATCHES.c.partner.type), INCOMING.c.row_id, *values)
             .where(same, ~had).order_by(INCOMING.c.position))
    conn.execute(insert(MATCHES).from_select(["partner", "row_id", *_MATCH_COLUMNS], query))
