"""The demo's outreach: its Texas partner's letters, and its weekly list filled in for a handful
of rows and read back, as a legal-aid worker would, then counted."""

from __future__ import annotations

import datetime as dt
import email
import email.policy
import io
from dataclasses import dataclass
from pathlib import Path

from evictwatch.config import AppConfig, PartnerConfig
from evictwatch.jobs.contacts import Imported, import_outreach, partner_courts
from evictwatch.jobs.export import open_private
from evictwatch.jobs.letters import LettersRun, write_letters
from pipeline.store.contact_summary import OutreachSummary, outreach_summary
from pipeline.store.repo import Store

FILLED = Path("data/outreach-filled-demo.xlsx")
FILLED_ROWS = 8
SUMMARY_WEEKS = 12


@dataclass
class DemoOutreach:
    partner: str
    letters: LettersRun
    filled: Path | None  # the weekly list as the partner sent it back (None: it got no list with rows)
    imported: Imported | None
    summary: OutreachSummary


def fill_weekly_list(eml: Path, today: dt.date, out: Path) -> int:
    """The list's XLSX with its Outreach columns filled in for the first rows whose hearing is still
    to come, written to `out`: every other tenant reached by phone, the rest not answering; how
    many rows were filled."""
    import openpyxl  # the one step of the demo that reads a workbook

    message = email.message_from_bytes(eml.read_bytes(), policy=email.policy.default)
    [data] = [part.get_payload(decode=True) for part in message.iter_attachments()
              if (part.get_filename() or "").endswith(".xlsx")]
    book = openpyxl.load_workbook(io.BytesIO(data))
    sheet = book.active
    header = [cell.value for cell in sheet[1]]
    columns = {name: header.index(name) + 1 for name in ("Outreach date", "Outreach method", "Outreach result",
                                                         "Outreach note")}
    hearing = header.index("Next hearing") + 1
    filled = 0
    for row in range(2, sheet.max_row + 1):
        next_hearing = sheet.cell(row, hearing).value
        if filled == FILLED_ROWS or not isinstance(next_hearing, dt.date) or _day(next_hearing) <= today:
            continue
        reached = filled % 2 == 0
        sheet.cell(row, columns["Outreach date"], today)
        sheet.cell(row, columns["Outreach method"], "call")
        sheet.cell(row, columns["Outreach result"], "reached" if reached else "no answer")
        sheet.cell(row, columns["Outreach note"], "demo: will come to the hearing" if reached else None)
        filled += 1
    with open_private(out, "wb") as fh:
        book.save(fh)
    return filled


def _day(value: dt.date) -> dt.date:
    return value.date() if isinstance(value, dt.datetime) else value


def demo_outreach(config: AppConfig, store: Store, partner: PartnerConfig, weekly_list: Path | None, *,
                  today: dt.date, now: dt.datetime) -> DemoOutreach:
    letters = write_letters(config, store, partner, today=today, now=now)
    filled = imported = None
    if weekly_list is not None and fill_weekly_list(weekly_list, today, FILLED):
        filled = FILLED
        imported = import_outreach(config, store, partner, FILLED, now=now, today=today)
    summary = outreach_summary(store, today - dt.timedelta(weeks=SUMMARY_WEEKS), today,
                               courts=partner_courts(config, partner), partner=partner.name)
    return DemoOutreach(partner.name, letters, filled, imported, summary)
