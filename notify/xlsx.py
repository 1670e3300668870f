"""A table as an XLSX workbook: strings kept strings, dates and amounts typed, a frozen header,
a filter, hyperlinks for links; bytes that depend only on the content and the given time."""

from __future__ import annotations

import io
import zipfile
from collections.abc import Iterable, Mapping, Sequence
from datetime import UTC, date, datetime, time
from decimal import Decimal
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.writer.excel import ExcelWriter

from notify.cells import Getter, Link, cell_text

_DATE_FMT, _TIME_FMT, _AMOUNT_FMT = "yyyy-mm-dd", "hh:mm", "#,##0.00"
_FIXED_STAMP = datetime(2000, 1, 1)


def table_xlsx(columns: Sequence[tuple[str, Getter]], items: Iterable[Any], *, title: str,
               generated_at: datetime | None = None, choices: Mapping[str, Sequence[str]] | None = None) -> bytes:
    wb = Workbook()
    ws = wb.active
    ws.title = title[:31]
    bold = Font(bold=True)
    widths = [len(header) for header, _ in columns]
    for col, (header, _) in enumerate(columns, start=1):
        cell = ws.cell(row=1, column=col, value=header)
        cell.font = bold
        cell.alignment = Alignment(vertical="top", wrap_text=True)
    row_no = 1
    for row_no, item in enumerate(items, start=2):
        for col, (_, get) in enumerate(columns, start=1):
            value = get(item)
            cell = ws.cell(row=row_no, column=col)
            if value is None or value == "":
                continue                                   # blank, never 0
            if isinstance(value, Link):
                cell.value = cell_text(value.text)
                cell.data_type = "s"
                if value.url.startswith(("https://", "http://")):
                    cell.hyperlink = value.url
                    cell.style = "Hyperlink"
                widths[col - 1] = max(widths[col - 1], len(cell.value))
                continue
            if isinstance(value, str):
                cell.value = cell_text(value)
                cell.data_type = "s"                       # a string, whatever it looks like
                widths[col - 1] = max(widths[col - 1], len(cell.value))
            elif isinstance(value, datetime):
                raise TypeError("datetimes are not spreadsheet values here")
            elif isinstance(value, date):
                cell.value, cell.number_format = value, _DATE_FMT
                widths[col - 1] = max(widths[col - 1], 10)
            elif isinstance(value, time):
                cell.value, cell.number_format = value, _TIME_FMT
            elif isinstance(value, Decimal):
                cell.value, cell.number_format = value.quantize(Decimal("0.01")), _AMOUNT_FMT
                widths[col - 1] = max(widths[col - 1], len(f"{value:,.2f}"))
            elif isinstance(value, int) and not isinstance(value, bool):
                cell.value = value
            else:
                raise TypeError(f"unexpected cell value {type(value).__name__}")
    for col, width in enumerate(widths, start=1):
        ws.column_dimensions[get_column_letter(col)].width = min(max(width + 2, 8), 60)
    for col, (header, _) in enumerate(columns, start=1):
        if header in (choices or {}):
            letter = get_column_letter(col)
            listed = DataValidation(type="list", formula1='"' + ",".join(choices[header]) + '"', allow_blank=True)
            listed.add(f"{letter}2:{letter}{max(row_no, 2)}")
            ws.add_data_validation(listed)
    ws.freeze_panes = "A2"
    ws.auto_filter.ref = f"A1:{get_column_letter(len(columns))}{max(row_no, 1)}"
    return _save(wb, generated_at)


def _save(wb: Workbook, generated_at: datetime | None) -> bytes:
    """Bytes that depend only on the content and `generated_at` (no wall clock inside)."""
    stamp = generated_at or _FIXED_STAMP
    if stamp.tzinfo is not None:
        stamp = stamp.astimezone(UTC).replace(tzinfo=None)
    stamp = max(stamp.replace(microsecond=0), datetime(1980, 1, 1))
    wb.properties.created = wb.properties.modified = stamp
    wb.properties.creator = "evictwatch"
    raw = io.BytesIO()
    with zipfile.ZipFile(raw, "w", zipfile.ZIP_DEFLATED) as archive:
        ExcelWriter(wb, archive).write_data()
    out = io.BytesIO()
    with zipfile.ZipFile(raw) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            fixed = zipfile.ZipInfo(info.filename, date_time=stamp.timetuple()[:6])
            fixed.compress_type = zipfile.ZIP_DEFLATED
            dst.writestr(fixed, src.read(info.filename))
    return out.getvalue()
