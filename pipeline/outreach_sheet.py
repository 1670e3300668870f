"""A partner's weekly list read back with its Outreach columns filled in.

The list's XLSX and CSV carry four columns for the partner to fill in ("Outreach date",
"Outreach method", "Outreach result", "Outreach note", notify.rows). Reading a file back finds
each row's case by its court (name or id) and case number, skips rows whose outreach cells are
blank, and reports each unreadable row by its row number and column; what reads is recorded once
(pipeline.store.contacts): the same file imported twice adds nothing the second time. The
command (`evictwatch outreach import`) and the workspace's upload both read through here.
"""

from __future__ import annotations

import datetime as dt
import itertools
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from pipeline.sheets import RowProblem, cell_line, sheet_rows
from pipeline.store.contacts import (Attempt, Method, Recorded, Result, courts_of_number, method_named,
                                     record_attempts, result_named, stored_evictions)
from pipeline.store.handle import Database

OUTREACH = ("Outreach date", "Outreach method", "Outreach result", "Outreach note")
MOST_ROWS = 100_000


class OutreachFileError(Exception):
    """The file cannot be read as a list at all (not its rows: those are reported one by one)."""


@dataclass
class Imported:
    recorded: Recorded = Recorded(0, 0)
    skipped: int = 0  # rows with every outreach cell blank
    problems: list[RowProblem] = field(default_factory=list)


def _day(value: object) -> dt.date | None:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(cell_line(value))
    except ValueError:
        return None


def read_outreach(store: Database, partner: str, path: Path, *, courts: Mapping[str, str], now: dt.datetime,
                  today: dt.date, recorded_by: str, shown_as: str | None = None) -> Imported:
    """Record the outreach in the list at `path` for `partner`. `courts`: the partner's courts,
    each id to its name (a row may give either); `shown_as`: the file's name in messages."""
    name = shown_as or str(path)
    rows = list(itertools.islice(sheet_rows(path, OutreachFileError, "the weekly list", shown_as), MOST_ROWS + 1))
    if not rows:
        raise OutreachFileError(f"{name}: empty; send back the weekly list with its header row")
    header = [cell_line(h).lower() for h in rows[0]]
    where = {column: header.index(column.lower()) for column in ("Court", "Case number", *OUTREACH)
             if column.lower() in header}
    missing = [column for column in ("Case number", *OUTREACH[:3]) if column not in where]
    if missing:
        raise OutreachFileError(f"{name}: no column {', '.join(repr(m) for m in missing)} in its header row; "
                                "the weekly list's spreadsheet has them")
    court_ids = sorted(courts)
    court_of = {**{shown.lower(): court for court, shown in courts.items()}, **{c.lower(): c for c in courts}}
    result = Imported()
    wanted: list[tuple[int, Attempt]] = []
    for number, row in enumerate(rows[1:], start=2):
        cell = {column: (row[i] if i < len(row) else None) for column, i in where.items()}
        if not any(cell_line(cell.get(column)) for column in OUTREACH):
            result.skipped += 1
            continue
        attempt = _attempt(store, cell, number, court_ids, court_of, today, result.problems)
        if attempt is not None:
            wanted.append((number, attempt))
    stored = stored_evictions(store, [(a.court_id, a.case_number) for _, a in wanted])
    kept = []
    for number, attempt in wanted:
        if (attempt.court_id, attempt.case_number) in stored:
            kept.append(attempt)
        else:
            result.problems.append(RowProblem(number, "Case number", f"{attempt.case_number} is not a stored "
                                              f"eviction case of {attempt.court_id}"))
    result.recorded = record_attempts(store, partner, kept, recorded_by=recorded_by, at=now)
    return result


def _attempt(store: Database, cell: dict[str, object], row: int, courts: list[str], court_of: dict[str, str],
             today: dt.date, problems: list[RowProblem]) -> Attempt | None:
    said = len(problems)
    number = cell_line(cell.get("Case number")).upper()
    if not number:
        problems.append(RowProblem(row, "Case number", "empty"))
    court_text = cell_line(cell.get("Court"))
    court = court_of.get(court_text.lower()) if court_text else None
    if court_text and court is None:
        problems.append(RowProblem(row, "Court", f"{court_text!r} is none of this partner's courts"))
    elif number and court is None:
        found = courts_of_number(store, number, courts)
        if len(found) != 1:
            problems.append(RowProblem(row, "Court", f"empty, and {number} is stored in "
                                       f"{' and '.join(found) if found else 'no court of this partner'}: "
                                       "say which court"))
        else:
            court = found[0]
    day = _day(cell.get("Outreach date"))
    if day is None:
        problems.append(RowProblem(row, "Outreach date", "empty" if not cell_line(cell.get("Outreach date")) else
                                   f"{cell_line(cell.get('Outreach date'))!r} is not a date (YYYY-MM-DD)"))
    elif day > today:
        problems.append(RowProblem(row, "Outreach date", f"{day.isoformat()} is after today"))
    method = method_named(cell_line(cell.get("Outreach method")))
    if method is None:
        problems.append(RowProblem(row, "Outreach method", f"{cell_line(cell.get('Outreach method'))!r} is not one of: "
                                   + ", ".join(m.label for m in Method)))
    result = result_named(cell_line(cell.get("Outreach result")))
    if result is None:
        problems.append(RowProblem(row, "Outreach result", f"{cell_line(cell.get('Outreach result'))!r} is not one of: "
                                   + ", ".join(r.label for r in Result)))
    if len(problems) > said or court is None or day is None or method is None or result is None:
        return None
    return Attempt(court, number, day, method, result, cell_line(cell.get("Outreach note")) or None)
