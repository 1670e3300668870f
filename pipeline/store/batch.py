"""Bulk upsert of prepared cases: one transaction, set-based reads, executemany writes.

A case whose page did not change (same content hash, derived columns present) writes
nothing. A changed case is updated in place, its children replaced, and each change to it
written once to `case_events`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from sqlalchemy import Connection, Engine, bindparam, delete, func, select, update

from pipeline.store.history import Change, changes
from pipeline.store.inputs import PreparedCase
from pipeline.store.rows import (
    CASES,
    EVENTS,
    HEARING_COLUMNS,
    HEARINGS,
    JUDGMENT_COLUMNS,
    JUDGMENTS,
    PARTY_COLUMNS,
    PARTIES,
    bulk_insert,
    case_values,
    child_rows,
    load_records,
    utc_now,
)

CHUNK = 500


@dataclass
class BatchOutcome:
    new: int = 0
    updated: int = 0
    unchanged: int = 0
    events: int = 0
    outcomes: dict[tuple[str, str], str] = field(default_factory=dict)  # (court, number) -> new|updated|unchanged


def save_batch(engine: Engine, items: Sequence[PreparedCase], page_ids: Mapping[tuple[str, str], int] | None = None,
               *, now: dt.datetime | None = None) -> BatchOutcome:
    now = now or utc_now()
    page_ids = page_ids or {}
    latest: dict[tuple[str, str], PreparedCase] = {}
    for item in items:  # the same case twice in one batch: the later sighting wins
        if item.record.court is None:
            raise ValueError("a record must name its court before it is stored")
        latest[(item.record.court, item.record.case_number)] = item
    outcome = BatchOutcome()
    with engine.begin() as conn:
        existing = _existing(conn, list(latest))
        fresh, changed = [], []
        for key, item in latest.items():
            row = existing.get(key)
            if row is None:
                fresh.append(item)
                outcome.outcomes[key] = "new"
            elif row["content_hash"] != item.content_hash or row["status"] is None:
                changed.append((row, item))
                outcome.outcomes[key] = "updated"
            else:
                outcome.outcomes[key] = "unchanged"
        outcome.new, outcome.updated = len(fresh), len(changed)
        outcome.unchanged = len(latest) - len(fresh) - len(changed)
        if not fresh and not changed:
            return outcome
        ids = _insert_cases(conn, fresh, page_ids, now)
        _update_cases(conn, changed, page_ids, now)
        old_records = load_records(conn, [row["id"] for row, _ in changed])
        for chunk in _chunks([row["id"] for row, _ in changed]):
            for table in (PARTIES, HEARINGS, JUDGMENTS):
                conn.execute(delete(table).where(table.c.case_id.in_(chunk)))
        targets = list(zip(ids, fresh)) + [(row["id"], item) for row, item in changed]
        _insert_children(conn, targets)
        history: list[dict] = []
        for case_id, item in zip(ids, fresh):
            history += _event_rows(case_id, changes(None, item.record, None, item.life.status), item, page_ids, now)
        for row, item in changed:
            found = changes(old_records.get(row["id"]), item.record, row["status"], item.life.status)
            history += _event_rows(row["id"], found, item, page_ids, now)
        bulk_insert(conn, EVENTS, history)
        outcome.events = len(history)
    return outcome


def _chunks(values: list) -> list[list]:
    return [values[i:i + CHUNK] for i in range(0, len(values), CHUNK)]


def _existing(conn: Connection, keys: list[tuple[str, str]]) -> dict[tuple[str, str], dict]:
    found: dict[tuple[str, str], dict] = {}
    by_court: dict[str, list[str]] = {}
    for court, number in keys:
        by_court.setdefault(court, []).append(number)
    for court, numbers in by_court.items():
        for chunk in _chunks(numbers):
            query = select(CASES.c.id, CASES.c.case_number, CASES.c.content_hash, CASES.c.status,
                           CASES.c.raw_page_id).where(
                CASES.c.court_id == court, CASES.c.case_number.in_(chunk))
            for row in conn.execute(query).mappings():
                found[(court, row["case_number"])] = dict(row)
    return found


def _insert_cases(conn: Connection, fresh: list[PreparedCase], page_ids: Mapping, now) -> list[int]:
    if not fresh:
        return []
    rows = []
    for item in fresh:
        key = (item.record.court, item.record.case_number)
        rows.append({
            "court_id": item.record.court, "case_number": item.record.case_number,
            "raw_page_id": page_ids.get(key), "first_seen_at": now, "last_changed_at": now, **case_values(item),
        })
    before = conn.execute(select(func.coalesce(func.max(CASES.c.id), 0))).scalar_one()
    bulk_insert(conn, CASES, rows)
    # The new rows are the ones above the old maximum id (another writer's rows there are not
    # in `wanted` and are skipped).
    wanted = {(r["court_id"], r["case_number"]) for r in rows}
    ids = {(court, number): case_id for case_id, court, number in conn.execute(
        select(CASES.c.id, CASES.c.court_id, CASES.c.case_number).where(CASES.c.id > before))
        if (court, number) in wanted}
    return [ids[(item.record.court, item.record.case_number)] for item in fresh]


def _update_cases(conn: Connection, changed: list, page_ids: Mapping, now) -> None:
    if not changed:
        return
    columns = [*case_values(changed[0][1]), "last_changed_at", "raw_page_id"]
    statement = update(CASES).where(CASES.c.id == bindparam("b_id")).values(
        {name: bindparam(f"b_{name}") for name in columns})
    rows = []
    for row, item in changed:
        key = (item.record.court, item.record.case_number)
        values = {**case_values(item), "last_changed_at": now,
                  "raw_page_id": page_ids.get(key, row.get("raw_page_id"))}
        rows.append({"b_id": row["id"], **{f"b_{k}": v for k, v in values.items()}})
    conn.execute(statement, rows)


def _insert_children(conn: Connection, targets: list[tuple[int, PreparedCase]]) -> None:
    parties, hearings, judgments = [], [], []
    for case_id, item in targets:
        p, h, j = child_rows(case_id, item)
        parties += p
        hearings += h
        judgments += j
    bulk_insert(conn, PARTIES, parties, PARTY_COLUMNS)
    bulk_insert(conn, HEARINGS, hearings, HEARING_COLUMNS)
    bulk_insert(conn, JUDGMENTS, judgments, JUDGMENT_COLUMNS)


def _event_rows(case_id: int, found: list[Change], item: PreparedCase, page_ids: Mapping, now) -> list[dict]:
    page = page_ids.get((item.record.court, item.record.case_number))
    return [{"case_id": case_id, "kind": c.kind, "field": c.field, "old_value": c.old, "new_value": c.new,
             "raw_page_id": page, "seen_at": now} for c in found]
