"""Case export formats: JSON lines (the documented schema) and a spreadsheet-safe CSV."""

from __future__ import annotations

import csv
import json
from collections.abc import Iterable
from typing import Any, TextIO

from scraper.records import CaseRecord

CSV_COLUMNS = [
    "court", "case_number", "filed_date", "case_type",
    "plaintiffs", "plaintiff_addresses", "plaintiff_attorneys",
    "defendants", "defendant_addresses", "defendant_attorneys",
    "hearing_dates", "hearing_times", "hearing_results", "hearing_types", "hearing_courtrooms",
    "judgment", "principal", "costs", "attorney_fees", "possession",
    "writ_issued_date", "writ_executed_date", "satisfied",
]
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def neutralize(cell: str) -> str:
    """Spreadsheets run cells starting with = + - @ as formulas; a leading quote keeps them text."""
    return "'" + cell if cell.startswith(_FORMULA_START) else cell


def write_jsonl(records: Iterable[CaseRecord], out: TextIO) -> int:
    count = 0
    for record in records:
        out.write(json.dumps(record.export_dict(), ensure_ascii=False) + "\n")
        count += 1
    return count


def csv_row(record: CaseRecord) -> dict[str, str]:
    data = record.export_dict()
    row: dict[str, Any] = {k: data[k] for k in ("court", "case_number", "filed_date", "case_type")}
    for role, key in (("plaintiff", "plaintiffs"), ("defendant", "defendants")):
        row[key] = _join(p["name"] for p in data[key])
        row[f"{role}_addresses"] = _join(p["address"] for p in data[key])
        row[f"{role}_attorneys"] = _join(p["attorney"] for p in data[key])
    for field in ("date", "time", "result", "type", "courtroom"):
        row[f"hearing_{field}s"] = _join(h[field] for h in data["hearings"])
    judgment = data["judgment"] or {}
    for field in ("judgment", "principal", "costs", "attorney_fees", "possession",
                  "writ_issued_date", "writ_executed_date", "satisfied"):
        row[field] = judgment.get(field)
    return {k: neutralize(_text(v)) for k, v in row.items()}


def write_csv(records: Iterable[CaseRecord], out: TextIO) -> int:
    writer = csv.DictWriter(out, fieldnames=CSV_COLUMNS, lineterminator="\n")
    writer.writeheader()
    count = 0
    for record in records:
        writer.writerow(csv_row(record))
        count += 1
    return count


def _join(values: Iterable[Any]) -> str:
    return "; ".join(_text(v) for v in values)


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    return str(value)
