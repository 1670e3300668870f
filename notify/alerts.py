"""Urgent alerts: what makes a removal imminent, found in the store, each fact told once.

A fact is one of: a writ of eviction issued, a writ executed (the removal), a default
judgment (each dated within the look-back), or a hearing on the next court day for a tenant
with no attorney of record. A fact's key (court, case, kind, date) is what the ledger
remembers per partner, so a digest carries only what that partner was not told yet.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from notify.outreach import Filters, attorney_of_record
from notify.rows import ALERT_KINDS, AlertItem
from pipeline.lifecycle import CLOSED
from pipeline.normalize import hearing_result, normalize_address
from scraper.records import CaseRecord

# Most urgent first: a digest lists removals, then writs, then judgments, then tomorrow's hearings.
URGENCY = ("writ_executed", "writ_issued", "default_judgment", "hearing_tomorrow_unrepresented")
assert set(URGENCY) == set(ALERT_KINDS)


@dataclass(frozen=True)
class AlertWindow:
    since: dt.date        # facts dated from here ...
    until: dt.date        # ... to here (the run's today)
    hearing_day: dt.date  # the next court day


def next_court_day(today: dt.date) -> dt.date:
    """The next weekday: Friday's alerts cover Monday's hearings (court holidays are not known)."""
    day = today + dt.timedelta(days=1)
    while day.weekday() >= 5:
        day += dt.timedelta(days=1)
    return day


def alert_window(today: dt.date, lookback_days: int) -> AlertWindow:
    return AlertWindow(today - dt.timedelta(days=lookback_days), today, next_court_day(today))


def fact_key(item: AlertItem) -> str:
    return f"{item.court}|{item.case_number}|{item.kind}|{item.when.isoformat() if item.when else ''}"


def case_alerts(record: CaseRecord, derived: dict[str, Any], window: AlertWindow,
                portal: dict[str, str]) -> list[AlertItem]:
    """The urgent facts one case carries inside the window."""
    found: list[tuple[str, dt.date]] = []
    judgment = record.judgment
    if judgment is not None:
        if judgment.writ_issued_date and window.since <= judgment.writ_issued_date <= window.until:
            found.append(("writ_issued", judgment.writ_issued_date))
        if judgment.writ_executed_date and window.since <= judgment.writ_executed_date <= window.until:
            found.append(("writ_executed", judgment.writ_executed_date))
    defaults = [h.date for h in record.hearings if hearing_result(h.result) == "default_judgment"
                and window.since <= h.date <= window.until]
    if defaults:
        found.append(("default_judgment", max(defaults)))
    if derived["status"] not in CLOSED and attorney_of_record(record) is None and any(
            h.date == window.hearing_day and hearing_result(h.result) == "pending" for h in record.hearings):
        found.append(("hearing_tomorrow_unrepresented", window.hearing_day))
    return [alert_item(record, derived, kind, when, portal) for kind, when in found]


def alert_item(record: CaseRecord, derived: dict[str, Any], kind: str, when: dt.date | None,
               portal: dict[str, str]) -> AlertItem:
    address = normalize_address(record.defendants[0].address) if record.defendants else None
    return AlertItem(
        court=record.court or "", case_number=record.case_number, kind=kind, when=when,
        defendants=tuple(p.name for p in record.defendants), zip5=address.zip5 if address else None,
        landlord=derived["landlord"] or (record.plaintiffs[0].name if record.plaintiffs else None),
        lookup=f"{portal.get(record.court or '', '')} — case {record.case_number}",
    )


def partner_alerts(cases: Iterable[tuple[CaseRecord, dict[str, Any]]], window: AlertWindow, *,
                   filters: Filters, opted_out: set[str], already_told: set[str],
                   portal: dict[str, str]) -> list[AlertItem]:
    """What this partner has not been told yet, most urgent first.

    The partner's court, ZIP, amount and landlord filters apply; its status filter does not
    (an alert is about a case whose status just changed)."""
    items = []
    for record, derived in cases:
        if derived["household"] in opted_out:
            continue
        amount = record.judgment.principal if record.judgment else None
        filed_as = record.plaintiffs[0].name if record.plaintiffs else None
        for item in case_alerts(record, derived, window, portal):
            if fact_key(item) in already_told:
                continue
            if filters.admits(item.court, item.zip5, amount, derived["landlord"], filed_as):
                items.append(item)
    return sorted(items, key=lambda i: (URGENCY.index(i.kind), i.when or dt.date.min, i.court, i.case_number))
