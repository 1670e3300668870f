"""Case export formats: JSON lines (the documented schema) and a spreadsheet-safe CSV."""

from __future__ import annotations

import csv
import json
import os
from collections.abc import Iterable
from pathlib import Path
from typing import Any, TextIO

from notify.cells import neutralize  # the one rule for spreadsheet cells, lists and exports alike
from pipeline.store.queries import export_dict
from scraper.records import CaseRecord

CSV_COLUMNS = [
    "court", "case_number", "filed_date", "case_type",
    "plaintiffs", "plaintiff_addresses", "plaintiff_attorneys",
    "defendants", "defendant_addresses", "defendant_attorneys",
    "hearing_dates", "hearing_times", "hearing_results", "hearing_types", "hearing_courtrooms",
    "judgment", "principal", "costs", "attorney_fees", "possession",
    "writ_issued_date", "writ_executed_date", "satisfied",
    "status", "landlord", "household", "prior_cases",
    "continuances", "first_hearing_default", "days_to_first_hearing", "days_judgment_to_writ",
    "hearing_after_judgment",
]
Exported = tuple[CaseRecord, dict[str, Any]]  # a case and what the pipeline derived for it
def write_jsonl(cases: Iterable[Exported], out: TextIO) -> int:
    count = 0
    for record, derived in cases:
        out.write(json.dumps(export_dict(record, derived), ensure_ascii=False) + "\n")
        count += 1
    return count


def csv_row(record: CaseRecord, derived: dict[str, Any]) -> dict[str, str]:
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
    for field in ("status", "landlord", "household", "prior_cases"):
        row[field] = derived.get(field)
    row.update(derived.get("flags") or {})
    return {k: neutralize(_text(v)) for k, v in row.items()}


def write_csv(cases: Iterable[Exported], out: TextIO) -> int:
    writer = csv.DictWriter(out, fieldnames=CSV_COLUMNS, lineterminator="\n")
    writer.writeheader()
    count = 0
    for record, derived in cases:
        writer.writerow(csv_row(record, derived))
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


def open_private(path: Path, mode: str = "w", **kwargs: Any):
    """A file for tenants' data: created 0600, also when it existed (OSError when it cannot be)."""
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    os.fchmod(fd, 0o600)
    return os.fdopen(fd, mode, **kwargs)
