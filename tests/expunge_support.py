"""What the simulated Virginia court has expunged, for the tests that look for its traces."""

from __future__ import annotations

import contextlib
import datetime as dt
import sqlite3
import struct
from pathlib import Path

from pipeline.store.db import checkpoint
from scraper.courts.va_gdc.sim import lifecycle

FOREVER = dt.date(9999, 1, 1)


def expunged_truth(docket, fips: str, until: dt.date, *, seen_by: dt.date, settled_days: int = 14):
    """(case numbers, tenants' names) of the cases the simulated court expunged by `until` that
    evictwatch must have erased by then: by the law's clock, those whose dismissal or nonsuit
    it saw (it ended by `seen_by`); any other once `settled_days` have passed (it is seen gone on
    two runs a day or more apart first).

    A name is left out when a case still shown could put the same letters on a page: the same
    name (a household sued again), one inside another (WARD, STEVEN in HOWARD, STEVEN D), the
    same last and first name (a listing shows COOK, JENNIFER for COOK, JENNIFER H), or a
    landlord's or lawyer's name (the simulator draws them from the same pool)."""
    # Every case type: a hearing-day listing shows the debt cases' defendants too.
    cases = [c for year in (2025, 2026) for c in docket.court_year(fips, year).cases if c.filed <= until]
    settled = until - dt.timedelta(days=settled_days)

    def must_be_gone(case) -> bool:
        on = docket.expunged_on(fips, case.case_number)
        if on is None or on > until:
            return False
        seen = lifecycle.events(case, FOREVER)
        ended_on, _, ended = seen[-1]
        clock = case.filed >= dt.date(2024, 7, 1) and ended in (lifecycle.DISMISSED, lifecycle.NON_SUITED)
        return on <= settled or (clock and ended_on <= seen_by)

    gone = {c.case_number for c in cases if must_be_gone(c)}
    shown_names = ({p.name for c in cases if c.case_number not in gone for p in c.defendants}
                   | {n for c in cases for p in (*c.plaintiffs, *c.defendants)
                      for n in (p.name if p in c.plaintiffs else None, p.attorney) if n})
    names = {p.name for c in cases if c.case_number in gone for p in c.defendants}
    first_last = {" ".join(n.split()[:2]) for n in shown_names}
    return gone, {n for n in names if " ".join(n.split()[:2]) not in first_last
                  and not any(n in shown for shown in shown_names)}


def named(text: str, names: set[str]) -> set[str]:
    return {n for n in names if n in text}


def plant_in_free_space(database: Path, table: str, text: bytes) -> int:
    """Writes `text` into the unallocated space of one of `table`'s b-tree leaf pages in the
    SQLite file (no connection open on it), where SQLite leaves stale copies of the cells a
    rebalance moved (a case number in an index page, seen in a CI run): secure_delete never
    zeroes them. Returns the page's number."""
    with contextlib.closing(sqlite3.connect(database)) as conn:
        size = conn.execute("PRAGMA page_size").fetchone()[0]
        pages = [p for (p,) in conn.execute("SELECT pageno FROM dbstat WHERE name = ? AND pagetype = 'leaf' "
                                            "ORDER BY pageno", (table,))]
    with database.open("r+b") as file:
        for number in pages:
            file.seek((number - 1) * size)
            page = file.read(size)
            header = 100 if number == 1 else 0
            cells, content = struct.unpack(">HH", page[header + 3:header + 7])
            gap_start, gap_end = header + 8 + 2 * cells, content or 65536
            if gap_end - gap_start >= len(text) + 16:
                file.seek((number - 1) * size + gap_start + 8)
                file.write(text)
                return number
    raise AssertionError(f"no leaf page of {table} with room for {len(text)} bytes")


def planted(store, *plants: tuple[str, bytes]) -> Path:
    """Stale copies of these bytes in the free space of these tables' pages, as SQLite leaves them."""
    database = Path(store.engine.url.database)
    assert checkpoint(store.engine)
    store.engine.dispose()  # no connection keeps a cached page from before
    for table, text in plants:
        plant_in_free_space(database, table, text)
        assert in_file(database, text)
    return database


def in_file(database: Path, text: bytes) -> bool:
    """In the SQLite file's bytes (free space included) or its WAL."""
    return any(text in p.read_bytes() for p in (database, database.with_name(database.name + "-wal")) if p.exists())
