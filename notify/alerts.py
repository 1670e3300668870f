"""Urgent alerts: what makes a removal imminent, found in the store, each fact told once.

A fact is one of: a writ of eviction issued, a writ executed (the removal), a default
judgment (each dated within the look-back), or a hearing on the next court day for a tenant
with no attorney of record. A fact's key (court, case, kind, date) is what the ledger
remembers per partner, so a digest carries only what that partner was not told yet.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Container, Iterable, Mapping
from dataclasses import dataclass, field

from notify.outreach import Filters
from notify.rows import ALERT_KINDS, ALERT_TIERS, AlertItem
from pipeline.store.statuses import CLOSED
from pipeline.store.notices import CaseView

# Most urgent first, by tier (notify.urgency): the next court day's hearings without a lawyer,
# default judgments, writs issued; a writ executed (the household is out) last, for the record.
URGENCY = tuple(sorted(ALERT_KINDS, key=ALERT_TIERS.__getitem__))
assert set(ALERT_TIERS) == set(ALERT_KINDS)


@dataclass(frozen=True)
class AlertWindow:
    since: dt.date        # facts dated from here ...
    until: dt.date        # ... to here (the run's today)
    hearing_day: dt.date  # the next court day (of a court without closed days given)
    hearing_days: Mapping[str, dt.date] = field(default_factory=dict)  # per court, its holidays skipped

    def hearing_day_of(self, court: str) -> dt.date:
        return self.hearing_days.get(court, self.hearing_day)

    @property
    def all_hearing_days(self) -> set[dt.date]:
        return {self.hearing_day, *self.hearing_days.values()}


def next_court_day(today: dt.date, closed: Container[dt.date] = frozenset()) -> dt.date:
    """The next weekday the court sits: Friday's alerts cover Monday's hearings, or Tuesday's
    when Monday is a court holiday (`closed`)."""
    day = today + dt.timedelta(days=1)
    while day.weekday() >= 5 or day in closed:
        day += dt.timedelta(days=1)
    return day


def alert_window(today: dt.date, lookback_days: int,
                 closed: Mapping[str, Container[dt.date]] | None = None) -> AlertWindow:
    """`closed`: each court's holidays and closed days (courts not named: weekends only)."""
    return AlertWindow(today - dt.timedelta(days=lookback_days), today, next_court_day(today),
                       {court: next_court_day(today, days) for court, days in (closed or {}).items()})


def fact_key(item: AlertItem) -> str:
    return f"{item.court}|{item.case_number}|{item.kind}|{item.when.isoformat() if item.when else ''}"


def case_alerts(case: CaseView, window: AlertWindow, portal: dict[str, str]) -> list[AlertItem]:
    """The urgent facts one case carries inside the window."""
    found: list[tuple[str, dt.date]] = []
    if case.writ_issued_date and window.since <= case.writ_issued_date <= window.until:
        found.append(("writ_issued", case.writ_issued_date))
    if case.writ_executed_date and window.since <= case.writ_executed_date <= window.until:
        found.append(("writ_executed", case.writ_executed_date))
    defaults = [h.date for h in case.hearings if h.result_code == "default_judgment"
                and window.since <= h.date <= window.until]
    if defaults:
        found.append(("default_judgment", max(defaults)))
    if case.status not in CLOSED and case.attorney_of_record is None and any(
            h.date == window.hearing_day_of(case.court) and h.pending for h in case.hearings):
        found.append(("hearing_tomorrow_unrepresented", window.hearing_day_of(case.court)))
    return [alert_item(case, kind, when, portal) for kind, when in found]


def alert_item(case: CaseView, kind: str, when: dt.date | None, portal: dict[str, str]) -> AlertItem:
    tenant = case.tenant
    setting = (next((h for h in case.hearings if h.date == when and h.pending), None)
               if kind == "hearing_tomorrow_unrepresented" else None)
    return AlertItem(
        court=case.court, case_number=case.case_number, kind=kind, when=when,
        defendants=tuple(p.name for p in case.defendants), zip5=tenant.zip5 if tenant else None,
        landlord=case.landlord or case.filed_as,
        lookup_url=portal.get(case.court, ""),
        hearing_time=setting.time if setting else None, courtroom=setting.courtroom if setting else None,
        hearing_type=setting.type if setting else None,
    )


def partner_alerts(cases: Iterable[CaseView], window: AlertWindow, *,
                   filters: Filters, opted_out: set[str], already_told: set[str],
                   portal: dict[str, str]) -> list[AlertItem]:
    """What this partner has not been told yet, most urgent first.

    The partner's court, ZIP, amount and landlord filters apply; its status filter does not
    (an alert is about a case whose status just changed)."""
    items = []
    for case in cases:
        if case.household in opted_out:
            continue
        for item in case_alerts(case, window, portal):
            if fact_key(item) in already_told:
                continue
            if filters.admits(item.court, item.zip5, case.principal, case.landlord, case.filed_as):
                items.append(item)
    # By tier; within a kind by day, then as a courthouse volunteer walks the hearings: by time and courtroom.
    return sorted(items, key=lambda i: (URGENCY.index(i.kind), i.when or dt.date.min, i.hearing_time or dt.time.min,
                                        i.courtroom or "", i.court, i.case_number))
