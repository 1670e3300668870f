"""The hearing-day docket sheet: every eviction hearing of one court day, by court, courtroom and
time, as a page to print and take to the courthouse (read from the store).

Opted-out households are left out, like everywhere a partner reads tenants' names. The page is
self-contained HTML (inline CSS, no script, nothing fetched), one courtroom a printed page, with
a blank column for the volunteers' notes.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

from notify.outreach import Filters
from notify.render import CourtName, clock_text, environment
from notify.rows import flatten
from pipeline.store.notices import CaseView

PAPER = {"letter": "letter landscape", "a4": "A4 landscape"}


@dataclass(frozen=True, slots=True)
class DocketRow:
    court: str
    courtroom: str
    time: dt.time | None
    hearing_type: str | None
    case_number: str
    defendants: tuple[str, ...]
    zip5: str | None
    landlord: str | None     # canonical landlord group
    filed_as: str | None     # the plaintiff as filed
    amount: Decimal | None   # judgment principal; None (blank) before judgment
    status_text: str
    continuances: int
    prior_cases: int
    attorney: str | None


def docket_rows(cases: Iterable[CaseView], day: dt.date, *, filters: Filters = Filters(),
                opted_out: set[str] = frozenset()) -> list[DocketRow]:  # type: ignore[assignment]
    """One row a hearing on `day`, in court, courtroom and time order."""
    rows = []
    for case in cases:
        if case.household in opted_out:
            continue
        tenant = case.tenant
        zip5 = tenant.zip5 if tenant else None
        if not filters.admits(case.court, zip5, case.principal, case.landlord, case.filed_as, status=case.status):
            continue
        for hearing in case.hearings:
            if hearing.date != day:
                continue
            rows.append(DocketRow(
                court=case.court, courtroom=(hearing.courtroom or "").strip(), time=hearing.time,
                hearing_type=hearing.type, case_number=case.case_number,
                defendants=tuple(p.name for p in case.defendants), zip5=zip5, landlord=case.landlord,
                filed_as=case.filed_as, amount=case.principal, status_text=case.status_text,
                continuances=case.continuances, prior_cases=case.prior_cases, attorney=case.attorney_of_record))
    return sorted(rows, key=lambda r: (r.court, r.courtroom, r.time or dt.time.max, r.case_number))


def _cells(row: DocketRow) -> dict[str, Any]:
    landlord, filed_as = flatten(row.landlord or ""), flatten(row.filed_as or "")
    return {
        "time": clock_text(row.time) or "time not set", "type": flatten(row.hearing_type or ""), "case_number": flatten(row.case_number),
        "tenant_names": [flatten(n) for n in row.defendants if n], "zip5": flatten(row.zip5 or ""),
        "landlord": landlord or filed_as, "filed_as": filed_as if filed_as and filed_as != landlord else "",
        "amount": f"${row.amount:,.2f}" if row.amount is not None else "", "status": flatten(row.status_text),
        "continuances": row.continuances, "prior": row.prior_cases,
        "attorney": flatten(row.attorney) if row.attorney else "none of record",
    }


def render_docket(rows: Sequence[DocketRow], *, day: dt.date, courts: Mapping[str, CourtName],
                  generated_at: dt.datetime, paper: str = "letter", zones: Mapping[str, str] | None = None) -> str:
    """The sheet as HTML: a section (a printed page) per court and courtroom. `zones`: each
    court's time zone, in which the sheet says when it was made (hearing times are the court's)."""
    sections: dict[tuple[str, str], list[DocketRow]] = {}
    for row in rows:
        sections.setdefault((row.court, row.courtroom), []).append(row)
    names = {c: flatten(n.name) for c, n in courts.items()}
    zones = zones or {}
    first_zone = next((zones[c] for c in names if c in zones), None)
    context = {
        "day": f"{day:%A} {day.isoformat()}", "paper": PAPER[paper], "count": len(rows),
        "generated": local_stamp(generated_at, first_zone),
        "courts": ", ".join(names.values()) or "the courts evictwatch watches",
        "sections": [_section(names.get(court, flatten(court)), flatten(room) or "courtroom not given",
                              local_stamp(generated_at, zones.get(court)), group)
                     for (court, room), group in sections.items()],
    }
    return _ENV.get_template("docket.html.j2").render(context)


def _section(court: str, room: str, generated: str, rows: Sequence[DocketRow]) -> dict[str, Any]:
    return {"court": court, "courtroom": room, "room_in_title": adds_to(room, court), "generated": generated,
            "rows": [_cells(r) for r in rows]}


def local_stamp(at: dt.datetime, zone: str | None) -> str:
    """When, as a person at the court reads it: 'Tue 2026-12-01 5:00 PM EST'."""
    if zone and at.tzinfo is not None:
        at = at.astimezone(ZoneInfo(zone))
    return f"{at:%a} {at:%Y-%m-%d} {clock_text(at.time())}" + (f" {at.tzname()}" if at.tzinfo else "")


def _words(text: str) -> list[str]:
    return re.findall(r"\w+", text.casefold())


def adds_to(room: str, court: str) -> bool:
    """Whether a courtroom says something the court's name does not: a portal may give the
    court itself as the hearing's location ("Precinct Five" of "..., Precinct Five"), and once
    is enough."""
    room_words, court_words = _words(room), _words(court)
    span = len(room_words)
    return not room_words or not any(court_words[i:i + span] == room_words for i in range(len(court_words) - span + 1))


_ENV = environment()
