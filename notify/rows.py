"""Rows of the outreach list and the alert digest, and their spreadsheet forms (CSV, XLSX).

Tenant data is personal data and case data is typed by strangers (court clerks, landlords'
lawyers, the scraper): every text cell is flattened to one line, and a cell that a spreadsheet
could read as a formula gets a leading apostrophe.  No formula is ever written.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time
from decimal import Decimal
from typing import Any


from notify.cells import Getter, Link, cell_text, flatten
from notify.urgency import TIER_NAMES, Tier
from pipeline.store.contacts import Method, Result


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
        ("Act now", act_now_text),  # the earlier columns keep their places
        # Left empty for the partner to fill in and send back (`evictwatch outreach import`).
        *((header, _blank) for header in OUTREACH_HEADERS),
    ]
    return [c for c in columns if street or c[0] != "Street"]


OUTREACH_HEADERS = ("Outreach date", "Outreach method", "Outreach result", "Outreach note")
# The drop-downs of the workbook's method and result columns.
OUTREACH_CHOICES = {"Outreach method": [m.label for m in Method], "Outreach result": [r.label for r in Result]}


def _blank(row: OutreachRow) -> None:
    return None


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


def table_xlsx(columns: Sequence[tuple[str, Getter]], items: Iterable[Any], *, title: str,
               generated_at: datetime | None = None, choices: Mapping[str, Sequence[str]] | None = None) -> bytes:
    """The rows as a workbook (notify.xlsx): its bytes depend only on the content and `generated_at`;
    `choices`: a drop-down of these values under each of these headers."""
    # openpyxl is loaded by the commands that write a workbook only: a tenth of the start-up of
    # every command that can send a list (0.16 of 2.1 s importing the run's steps, measured).
    from notify import xlsx

    return xlsx.table_xlsx(columns, items, title=title, generated_at=generated_at, choices=choices)


def rows_xlsx(rows: Iterable[OutreachRow], *, generated_at: datetime | None = None,
              columns: Columns | None = None) -> bytes:
    """One sheet: bold frozen header, real dates/times/numbers, text as neutralized strings."""
    return table_xlsx(columns or COLUMNS, rows, title="Outreach list", generated_at=generated_at,
                      choices=OUTREACH_CHOICES)
