"""Records to rows and back, with SQLAlchemy Core: the store's bulk paths use these."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Iterable, Sequence
from decimal import Decimal
from operator import itemgetter
from typing import Any

from sqlalchemy import Connection, insert, select

from pipeline.store import models as m
from pipeline.store.inputs import PreparedCase
from scraper.records import Appeal, CaseRecord, Garnishment, Hearing, Judgment, Party, Report, Service
from scraper.vocabulary import CaseKind

CASES = m.Case.__table__
PARTIES = m.PartyRow.__table__
HEARINGS = m.HearingRow.__table__
JUDGMENTS = m.JudgmentRow.__table__
EVENTS = m.CaseEvent.__table__
EVICTION = CaseKind.EVICTION.value  # cases.kind of an eviction, whatever the court calls it

JUDGMENT_MONEY = ("principal", "costs", "attorney_fees", "other_amount")
JUDGMENT_PLAIN = (
    "judgment", "interest_award", "possession", "writ_issued_date", "writ_executed_date",
    "homestead_exemption_waived", "fifa_issued_date", "satisfied", "satisfaction_filed_date",
    "other_awarded", "further_case_information",
)


def cents(value: Decimal | None) -> int | None:
    return None if value is None else int((value * 100).to_integral_value())


def money(value: int | None) -> Decimal | None:
    return None if value is None else (Decimal(value) / 100).quantize(Decimal("0.01"))


def details_json(record: CaseRecord) -> str:
    return record.model_dump_json(include={"services", "reports", "garnishment", "appeal"})


def case_values(item: PreparedCase) -> dict[str, Any]:
    """The columns of `cases` a page sighting sets (not ids, not first-seen times)."""
    record, life = item.record, item.life
    return {
        "matter_key": record.matter_key, "filed_date": record.filed_date, "case_type": record.case_type,
        "kind": str(item.kind), "debt_type": record.debt_type, "details_json": details_json(record), "content_hash": item.content_hash,
        "status": life.status, "closed": life.closed, "continuances": life.continuances,
        "first_hearing_default": life.first_hearing_default, "any_default": life.any_default,
        "days_to_first_hearing": life.days_to_first_hearing, "judgment_date": life.judgment_date,
        "days_judgment_to_writ": life.days_judgment_to_writ, "landlord_key": item.landlord_key,
        "household_key": item.household_key, "household_hash": household_hash(item.household_key),
        "zip5": next((p.address.zip5 for p in item.parties
                      if p.role == "defendant" and p.position == 0 and p.address), None),
    }


def household_hash(key: str | None) -> str | None:
    """One-way: links a household's cases without saying who they are."""
    return None if key is None else "h:" + hashlib.sha256(key.encode("utf-8")).hexdigest()[:24]


PARTY_COLUMNS = ("case_id", "role", "position", "name", "dba", "address", "judgment", "attorney", "kind",
                 "norm_name", "last_name", "first_name", "middle_name", "suffix", "trade_name", "care_of",
                 "all_occupants", "street", "unit", "city", "state", "zip5", "last_fold", "first_fold")
HEARING_COLUMNS = ("case_id", "position", "date", "time", "result", "type", "courtroom", "result_code",
                   "judicial_officer")
JUDGMENT_COLUMNS = ("case_id", "judgment_code", *(f"{name}_cents" for name in JUDGMENT_MONEY), *JUDGMENT_PLAIN)
_NO_PERSON = (None, None, None, None)
_NO_ADDRESS = (None, None, None, None, None)


def child_rows(case_id: int, item: PreparedCase) -> tuple[list[tuple], list[tuple], list[tuple]]:
    """Rows for parties, hearings and judgments, as tuples in the *_COLUMNS order."""
    parties = []
    for p in item.parties:
        raw, norm, person, address = p.raw, p.norm, p.norm.person, p.address
        parties.append((
            case_id, p.role, p.position, raw.name, raw.dba, raw.address, raw.judgment, raw.attorney,
            norm.kind, norm.name,
            *((person.last, person.first, person.middle, person.suffix) if person else _NO_PERSON),
            norm.dba, norm.care_of, norm.all_occupants,
            *((address.street, address.unit, address.city, address.state, address.zip5) if address else _NO_ADDRESS),
            *(p.folded or (None, None)),
        ))
    hearings = [(case_id, i, h.date, h.time, h.result, h.type, h.courtroom, code, h.judicial_officer)
                for i, (h, code) in enumerate(zip(item.record.hearings, item.hearing_codes))]
    judgments = []
    j = item.record.judgment
    if j is not None:
        judgments.append((case_id, item.judgment_code, *(cents(getattr(j, name)) for name in JUDGMENT_MONEY),
                          *(getattr(j, name) for name in JUDGMENT_PLAIN)))
    return parties, hearings, judgments


def load_records(conn: Connection, case_ids: Iterable[int]) -> dict[int, CaseRecord]:
    """The records stored for these cases, as the scraper produced them."""
    ids = list(case_ids)
    out: dict[int, CaseRecord] = {}
    for start in range(0, len(ids), 500):
        out.update(_load_chunk(conn, ids[start:start + 500]))
    return out


def _load_chunk(conn: Connection, ids: list[int]) -> dict[int, CaseRecord]:
    parties: dict[int, list[Party]] = {i: [] for i in ids}
    defendants: dict[int, list[Party]] = {i: [] for i in ids}
    hearings: dict[int, list[Hearing]] = {i: [] for i in ids}
    query = select(PARTIES).where(PARTIES.c.case_id.in_(ids)).order_by(PARTIES.c.case_id, PARTIES.c.position)
    for p in conn.execute(query).mappings():
        target = parties if p["role"] == "plaintiff" else defendants
        target[p["case_id"]].append(Party(name=p["name"], dba=p["dba"], address=p["address"],
                                          judgment=p["judgment"], attorney=p["attorney"]))
    query = select(HEARINGS).where(HEARINGS.c.case_id.in_(ids)).order_by(HEARINGS.c.case_id, HEARINGS.c.position)
    for h in conn.execute(query).mappings():
        hearings[h["case_id"]].append(Hearing(date=h["date"], time=h["time"], result=h["result"], type=h["type"],
                                              courtroom=h["courtroom"], judicial_officer=h["judicial_officer"]))
    judgments = {j["case_id"]: _judgment(j) for j in
                 conn.execute(select(JUDGMENTS).where(JUDGMENTS.c.case_id.in_(ids))).mappings()}
    out = {}
    for c in conn.execute(select(CASES).where(CASES.c.id.in_(ids))).mappings():
        details = json.loads(c["details_json"] or "{}")
        out[c["id"]] = CaseRecord(
            court=c["court_id"], case_number=c["case_number"], matter_key=c["matter_key"],
            filed_date=c["filed_date"], case_type=c["case_type"], debt_type=c["debt_type"],
            plaintiffs=tuple(parties[c["id"]]), defendants=tuple(defendants[c["id"]]),
            hearings=tuple(hearings[c["id"]]),
            services=tuple(Service(**s) for s in details.get("services", [])),
            reports=tuple(Report(**r) for r in details.get("reports", [])),
            judgment=judgments.get(c["id"]),
            garnishment=Garnishment(**details["garnishment"]) if details.get("garnishment") else None,
            appeal=Appeal(**details["appeal"]) if details.get("appeal") else None,
        )
    return out


def _judgment(row: Any) -> Judgment:
    return Judgment(**{name: money(row[f"{name}_cents"]) for name in JUDGMENT_MONEY},
                    **{name: row[name] for name in JUDGMENT_PLAIN})


def utc_now() -> dt.datetime:
    return dt.datetime.now(dt.timezone.utc)


def bulk_insert(conn: Connection, table: Any, rows: list[Any], columns: Sequence[str] | None = None) -> None:
    """executemany straight to the driver, with the columns' own bind processors applied.

    `rows` are dicts, or tuples in the order of `columns`. The same rows through
    `conn.execute(insert(table), rows)` spend most of their time in SQLAlchemy's per-row
    parameter handling; this keeps the types and the SQL, not the cost.
    """
    if not rows:
        return
    if columns is None:
        columns = list(rows[0])
        pick = itemgetter(*columns)
        rows = [pick(row) if len(columns) > 1 else (pick(row),) for row in rows]
    compiled = insert(table).compile(dialect=conn.dialect, column_keys=list(columns))
    order = list(compiled.positiontup or []) if compiled.positional else list(columns)
    index = {name: i for i, name in enumerate(columns)}
    reorder = None if order == list(columns) else itemgetter(*(index[name] for name in order))
    converting = [(i, _memoized(processor)) for i, name in enumerate(order)
                  if (processor := table.c[name].type._cached_bind_processor(conn.dialect)) is not None]
    if not converting and reorder is None and compiled.positional:
        params: list[Any] = rows  # already tuples in the statement's order
    else:
        params = []
        for row in rows:
            values = list(reorder(row) if reorder else row)
            for i, convert in converting:
                values[i] = convert(values[i])
            params.append(tuple(values) if compiled.positional else dict(zip(order, values)))
    conn.exec_driver_sql(compiled.string, params)


def _memoized(processor: Any) -> Any:
    """A column's bind processor, remembering its answers: dates, times and stamps repeat a lot."""
    seen: dict[Any, Any] = {}

    def convert(value: Any) -> Any:
        if value is None:
            return None
        try:
            return seen[value]
        except KeyError:
            seen[value] = out = processor(value)
            return out
        except TypeError:  # unhashable
            return processor(value)

    return convert
