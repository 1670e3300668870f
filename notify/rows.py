"""Rows of the outreach list and the alert digest, and their spreadsheet forms (CSV, XLSX).

Tenant data is personal data and case data is typed by strangers (court clerks, landlords'
lawyers, the scraper): every text cell is flattened to one line, and a cell that a spreadsheet
could read as a formula gets a leading apostrophe.  No formula is ever written.
"""

from __future__ import annotations

import csv
import io
import re
import unicodedata
import zipfile
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time
from decimal import Decimal
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter
from openpyxl.writer.excel import ExcelWriter

from notify.urgency import TIER_NAMES, Tier


@dataclass(frozen=True, slots=True)
class OutreachRow:
    court: str
    case_number: str
    filed_date: date
    hearing_date: date | None
    hearing_time: time | None
    courtroom: str | None
    hearing_type: str | None
    defendants: tuple[str, ...]
    zip5: str | None
    street: str | None
    landlord: str | None        # canonical landlord group name
    filed_as: str | None        # the plaintiff name as filed
    amount: Decimal | None      # judgment principal when entered; None (blank, never 0) before
    status: str
    continuances: int
    prior_cases: int
    attorney: str | None        # defendant's attorney of record; None when none/self-represented
    lookup_url: str             # the court's public portal, where a person looks the case up
    status_text: str = ""       # the status in words ("Judgment for landlord (default)"); `status` is the code
    tiers: tuple[Tier, ...] = ()      # the urgent tiers the case is in, most urgent first (notify.urgency)
    default_on: date | None = None    # a default judgment inside its set-aside window ...
    set_aside_until: date | None = None  # ... open until this day
    writ_on: date | None = None       # a writ issued and not executed

    @property
    def tier(self) -> Tier:
        return self.tiers[0] if self.tiers else Tier.OTHER

    @property
    def lookup(self) -> Link:
        return case_lookup(self.lookup_url, self.case_number)


def act_now_text(row: OutreachRow) -> str:
    """The row's tier by name; blank for a case in no urgent tier."""
    return TIER_NAMES[row.tier]


@dataclass(frozen=True, slots=True)
class Link:
    """A cell that opens a page: `text` is what it says, `url` (from config, never from a court
    page) where it leads; CSV and plain text carry the text, XLSX and HTML link it."""

    text: str
    url: str


def lookup_text(url: str, case_number: str) -> str:
    """"https://portal/ — case GV26001234-00": where to go and what to search for there."""
    return f"{url} — case {case_number}" if url else f"case {case_number}"


def case_lookup(url: str, case_number: str) -> Link:
    return Link(lookup_text(url, case_number), url)


ALERT_KINDS = {
    "hearing_tomorrow_unrepresented": "Hearing next court day, no attorney of record",
    "default_judgment": "Default judgment entered",
    "writ_issued": "Writ of possession issued",
    "writ_executed": "Writ executed (lockout)",
}
# Each kind's tier: a digest holds them in this order (an executed writ last, for the record).
ALERT_TIERS = {
    "hearing_tomorrow_unrepresented": Tier.HEARING_SOON,
    "default_judgment": Tier.DEFAULT_JUDGMENT,
    "writ_issued": Tier.WRIT_ISSUED,
    "writ_executed": Tier.FOR_THE_RECORD,
}


@dataclass(frozen=True, slots=True)
class AlertItem:
    court: str
    case_number: str
    kind: str                   # one of ALERT_KINDS
    when: date | None
    defendants: tuple[str, ...]
    zip5: str | None
    landlord: str | None
    lookup_url: str
    # A hearing alert's setting, what a courthouse volunteer needs: when and where.
    hearing_time: time | None = None
    courtroom: str | None = None
    hearing_type: str | None = None

    @property
    def tier(self) -> Tier:
        return ALERT_TIERS.get(self.kind, Tier.OTHER)

    @property
    def lookup(self) -> Link:
        return case_lookup(self.lookup_url, self.case_number)


def alert_label(kind: str) -> str:
    """Readable name of an alert kind; an unknown kind still shows (an alert is never dropped)."""
    return ALERT_KINDS.get(kind) or kind.replace("_", " ").strip().capitalize()


def _names(names: Iterable[str]) -> str:
    """Raw names joined (cell_text neutralizes the joined cell, then flattens it)."""
    return "; ".join(n for n in names if n and n.strip())


Getter = Callable[[Any], Any]

# (header, getter): getters return typed values (str, date, time, Decimal, int or None).
Columns = list[tuple[str, Getter]]


def list_columns(court_names: Mapping[str, str] | None = None, *, street: bool = True) -> Columns:
    """The outreach list's columns: courts by their configured names (`court_names`, by id), and
    Street only when one of the list's courts publishes streets (`street`)."""
    names = court_names or {}
    columns: Columns = [
        ("Court", lambda r: names.get(r.court, r.court)),
        ("Case number", lambda r: r.case_number),
        ("Filed", lambda r: r.filed_date),
        ("Next hearing", lambda r: r.hearing_date),
        ("Time", lambda r: r.hearing_time),
        ("Courtroom", lambda r: r.courtroom),
        ("Hearing type", lambda r: r.hearing_type),
        ("Defendants", lambda r: _names(r.defendants)),
        ("ZIP", lambda r: r.zip5),
        ("Street", lambda r: r.street),
        ("Landlord", lambda r: r.landlord),
        ("Filed as", lambda r: r.filed_as),
        ("Amount", lambda r: r.amount),
        ("Status", lambda r: r.status_text or r.status),
        ("Continuances", lambda r: r.continuances),
        ("Prior cases", lambda r: r.prior_cases),
        ("Attorney", lambda r: r.attorney),
        ("Look it up", lambda r: r.lookup),
        ("Act now", act_now_text),  # last: the earlier columns keep their places
    ]
    return [c for c in columns if street or c[0] != "Street"]


def alert_columns(court_names: Mapping[str, str] | None = None) -> Columns:
    names = court_names or {}
    return [
        ("Alert", lambda a: alert_label(a.kind)),
        ("Date", lambda a: a.when),
        ("Time", lambda a: a.hearing_time.strftime("%H:%M") if a.hearing_time else None),
        ("Courtroom", lambda a: a.courtroom),
        ("Hearing type", lambda a: a.hearing_type),
        ("Court", lambda a: names.get(a.court, a.court)),
        ("Case number", lambda a: a.case_number),
        ("Defendants", lambda a: _names(a.defendants)),
        ("ZIP", lambda a: a.zip5),
        ("Landlord", lambda a: a.landlord),
        ("Look it up", lambda a: a.lookup),
    ]


COLUMNS = list_columns()
ALERT_COLUMNS = alert_columns()

# Characters a spreadsheet may take as the start of a formula (OWASP CSV injection), plus the
# full-width forms some Excel locales accept.
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r", "\n", "\uff1d", "\uff0b", "\uff0d", "\uff20")
# C0/C1 controls (TAB, CR, LF included; XLSX cannot even store most of them) and Unicode breaks.
_BREAKS = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]+")


def neutralize(text: str) -> str:
    """Prefix an apostrophe when a spreadsheet could read the cell as a formula.

    Also when the formula character follows leading blanks (" =1+1"), which some importers strip.
    """
    if text.startswith(_FORMULA_START) or text.lstrip(" ").startswith(_FORMULA_START):
        return "'" + text
    return text


def flatten(text: str) -> str:
    """One line, NFC: every run of control characters and line breaks becomes one space."""
    return _BREAKS.sub(" ", unicodedata.normalize("NFC", text))


def cell_text(text: str) -> str:
    """A text cell for CSV/XLSX: neutralized (on the raw value), then flattened."""
    return flatten(neutralize(text))


def display(value: Any) -> str:
    """A value as plain text: ISO dates, HH:MM times, amounts with 2 decimals, None blank."""
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.isoformat(sep=" ", timespec="minutes")
    if isinstance(value, (date, time)):
        return value.isoformat() if isinstance(value, date) else value.strftime("%H:%M")
    if isinstance(value, Decimal):
        return f"{value.quantize(Decimal('0.01'))}"
    if isinstance(value, int):
        return str(value)
    return flatten(str(value))


def _csv_cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, Link):
        return cell_text(value.text)
    if isinstance(value, str):
        return cell_text(value)
    return display(value)  # dates, times, numbers: produced here, never formulas


def table_csv(columns: Sequence[tuple[str, Getter]], items: Iterable[Any]) -> bytes:
    buf = io.StringIO(newline="")
    writer = csv.writer(buf, lineterminator="\r\n")
    writer.writerow([header for header, _ in columns])
    for item in items:
        writer.writerow([_csv_cell(get(item)) for _, get in columns])
    return buf.getvalue().encode("utf-8-sig")


def rows_csv(rows: Iterable[OutreachRow], columns: Columns | None = None) -> bytes:
    """UTF-8 with BOM (so Excel reads accents), a header row, ISO dates, amounts like 1250.00."""
    return table_csv(columns or COLUMNS, rows)


_DATE_FMT, _TIME_FMT, _AMOUNT_FMT = "yyyy-mm-dd", "hh:mm", "#,##0.00"
_FIXED_STAMP = datetime(2000, 1, 1)


def table_xlsx(columns: Sequence[tuple[str, Getter]], items: Iterable[Any], *, title: str,
               generated_at: datetime | None = None) -> bytes:
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


def rows_xlsx(rows: Iterable[OutreachRow], *, generated_at: datetime | None = None,
              columns: Columns | None = None) -> bytes:
    """One sheet: bold frozen header, real dates/times/numbers, text as neutralized strings."""
    return table_xlsx(columns or COLUMNS, rows, title="Outreach list", generated_at=generated_at)
