"""`evictwatch case` and `evictwatch landlords`: what a person reads at the terminal."""

from __future__ import annotations

import datetime as dt
from typing import Any

from rich.console import Group
from rich.markup import escape
from rich.table import Table
from rich.text import Text

from pipeline.store.queries import CaseFile
from pipeline.store.statuses import status_words
from scraper.records import CaseRecord


def court_timeline(record: CaseRecord) -> list[tuple[dt.date, str]]:
    """The case's life as the court's page dates it."""
    events: list[tuple[dt.date, str]] = [(record.filed_date, f"filed ({record.case_type})")]
    for h in sorted(record.hearings, key=lambda h: (h.date, h.time or dt.time.min)):
        when = h.time.strftime("%H:%M") if h.time else "time not set"
        what = " ".join(x for x in (h.type or "hearing", h.courtroom and f"in {h.courtroom}") if x)
        events.append((h.date, f"{what} at {when}: {h.result or 'not yet heard'}"))
    j = record.judgment
    if j is not None:
        if j.writ_issued_date:
            events.append((j.writ_issued_date, "writ of eviction issued"))
        if j.writ_executed_date:
            events.append((j.writ_executed_date, "writ of eviction executed (removal)"))
        if j.satisfied and j.satisfaction_filed_date:
            events.append((j.satisfaction_filed_date, "judgment satisfied"))
    if record.appeal and record.appeal.appeal_date:
        events.append((record.appeal.appeal_date, f"appealed by {record.appeal.appealed_by or 'a party'}"))
    return sorted(events, key=lambda e: e[0])


def _days(value: int | None) -> str:
    return "-" if value is None else f"{value} day{'' if value == 1 else 's'}"


def render_case(file: CaseFile, retention: str | None = None) -> Group:
    r, d = file.record, file.derived
    head = Table.grid(padding=(0, 2))
    head.add_column(style="bold")
    head.add_column()
    flags = d["flags"]
    first = {True: "default judgment (the tenant did not appear)", False: "the tenant appeared or it moved on",
             None: "not heard yet"}[flags["first_hearing_default"]]
    rows = [
        ("case", f"{r.case_number} ({r.court}), {r.case_type}, filed {r.filed_date}"),
        ("status", status_words(d["status"], default=bool(flags["first_hearing_default"]),
                                hearing_after_judgment=flags.get("hearing_after_judgment", False))),
        ("landlord", d["landlord"] or "-"),
        ("same matter", ", ".join(n for n in file.matter_numbers if n != r.case_number) or "no other number"),
        ("household", f"{d['prior_cases']} earlier case(s) against the same household"
                      if d["household"] else "not linked (no tenant named)"),
        ("first hearing", first),
        ("timing", f"{_days(flags['days_to_first_hearing'])} from filing to first hearing, "
                   f"{_days(flags['days_judgment_to_writ'])} from judgment to writ; "
                   f"{flags['continuances']} continuance(s)"),
    ]
    if retention:
        rows.append(("the law", retention))
    for label, value in rows:
        head.add_row(label, escape(str(value)))
    parties = Table("role", "name", "address", "attorney", title="parties", title_justify="left")
    for role, group in (("plaintiff", r.plaintiffs), ("defendant", r.defendants)):
        for p in group:
            name = p.name + (f" (t/a {p.dba})" if p.dba else "")
            parties.add_row(role, escape(name), escape(p.address or ""), escape(p.attorney or ""))
    timeline = Table("date", "on the court's page", title="timeline", title_justify="left")
    for when, what in court_timeline(r):
        timeline.add_row(when.isoformat(), escape(what))
    parts: list[Any] = [head, parties, timeline]
    if r.judgment:
        j = r.judgment
        money = ", ".join(f"{label} ${getattr(j, name):,.2f}" for name, label in
                          (("principal", "principal"), ("costs", "costs"), ("attorney_fees", "attorney's fees"))
                          if getattr(j, name) is not None)
        possession = {True: "possession granted", False: "possession not granted", None: "possession not stated"}
        parts.append(Text(f"judgment: {j.judgment or 'not stated'}; {possession[j.possession]}; "
                          f"{money or 'no amounts on the page'}"))
    if file.events:
        seen = Table("first seen", "change", "from", "to", title="changes seen by evictwatch", title_justify="left")
        for e in file.events:
            what = e["kind"] + (f" {e['field']}" if e["field"] and e["field"] != "status" else "")
            seen.add_row(e["seen_at"].strftime("%Y-%m-%d %H:%M"), escape(what), escape(e["old_value"] or ""),
                         escape(e["new_value"] or ""))
        parts.append(seen)
    if file.household_cases:
        other = Table("case", "filed", "status", title="other cases against this household", title_justify="left")
        for number, filed, status in file.household_cases:
            other.add_row(number, str(filed), status_words(status) if status else "")
        parts.append(other)
    return Group(*parts)


def case_json(file: CaseFile, retention: str | None = None) -> dict[str, Any]:
    return {
        **file.record.export_dict(), **file.derived, "retention": retention,
        "matter_cases": file.matter_numbers,
        "household_cases": [{"case_number": n, "filed_date": f, "status": s} for n, f, s in file.household_cases],
        "timeline": [{"date": d.isoformat(), "event": e} for d, e in court_timeline(file.record)],
        "changes": [{"seen_at": e["seen_at"].isoformat(), "kind": e["kind"], "field": e["field"],
                     "old": e["old_value"], "new": e["new_value"]} for e in file.events],
    }


def landlords_table(groups: list[dict[str, Any]], top: int) -> Table:
    table = Table("landlord", "cases", "spellings", title="landlords (plaintiff names grouped)",
                  title_justify="left")
    for g in groups[:top]:
        table.add_row(escape(g["landlord"]), str(g["cases"]), escape("; ".join(g["aliases"])))
    return table
