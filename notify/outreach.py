"""Who a partner can still help this week: the outreach list, read from the store.

A list holds the cases first seen since the partner's last list, every open case with a
hearing in the next 14 days, and every case in an urgent tier (notify.urgency), after the
partner's filters, without opted-out households or closed cases, in the body's order
(notify.listlayout). Everything counts from the moment the list is made, in each court's own
zone and calendar: a hearing before that moment is never a case's next hearing.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal

from notify.listlayout import in_body_order
from notify.rows import OutreachRow
from notify.urgency import CourtClocks, urgency
from pipeline.store.statuses import CLOSED
from pipeline.store.notices import eviction_cases
from pipeline.store.repo import Store

HORIZON_DAYS = 14


@dataclass(frozen=True)
class Filters:
    courts: frozenset[str] = frozenset()
    zips: frozenset[str] = frozenset()
    statuses: frozenset[str] = frozenset()
    min_amount: Decimal | None = None
    max_amount: Decimal | None = None
    landlords: frozenset[str] = field(default_factory=frozenset)  # upper-cased names or spellings

    def admits(self, court: str, zip5: str | None, amount: Decimal | None, landlord: str | None,
               filed_as: str | None, *, status: str | None = None) -> bool:
        """Whether a case is one this partner serves (`status` None: the status filter is not applied)."""
        if self.courts and court not in self.courts:
            return False
        if self.zips and zip5 not in self.zips:
            return False
        if self.statuses and status is not None and status not in self.statuses:
            return False
        # Before judgment the amount is unknown: such cases stay on amount-filtered lists.
        if amount is not None:
            if self.min_amount is not None and amount < self.min_amount:
                return False
            if self.max_amount is not None and amount > self.max_amount:
                return False
        if self.landlords and not {(landlord or "").upper(), (filed_as or "").upper()} & self.landlords:
            return False
        return True


def week_bounds(period: str) -> tuple[dt.date, dt.date]:
    """'2026-W48' -> (Monday, Sunday) of that ISO week."""
    year, week = period.split("-W")
    monday = dt.date.fromisocalendar(int(year), int(week), 1)
    return monday, monday + dt.timedelta(days=6)


def outreach_rows(store: Store, filters: Filters, *, clocks: CourtClocks, new_since: dt.datetime | None,
                  opted_out: set[str], portal: dict[str, str]) -> list[OutreachRow]:
    """`clocks`: each court at the list's moment. `new_since`: when the partner's last list went
    out; before a first list, cases filed in the 7 days before the moment count as new
    (everything was first seen at once then)."""
    rows: list[OutreachRow] = []
    for case in eviction_cases(store):
        if case.status in CLOSED or case.household in opted_out:
            continue
        clock = clocks.of(case.court)
        found = urgency(case, clock)
        nxt = found.next_hearing
        is_new = (case.first_seen_at > new_since if new_since is not None
                  else case.filed_date >= clock.today - dt.timedelta(days=7))
        if not is_new and not (nxt and nxt.date <= clock.today + dt.timedelta(days=HORIZON_DAYS)) and not found.tiers:
            continue
        tenant = case.tenant
        row = OutreachRow(
            court=case.court, case_number=case.case_number, filed_date=case.filed_date,
            hearing_date=nxt.date if nxt else None, hearing_time=nxt.time if nxt else None,
            courtroom=nxt.courtroom if nxt else None, hearing_type=nxt.type if nxt else None,
            defendants=tuple(p.name for p in case.defendants),
            zip5=tenant.zip5 if tenant else None, street=tenant.street if tenant else None,
            landlord=case.landlord, filed_as=case.filed_as, amount=case.principal, status=case.status or "",
            continuances=case.continuances, prior_cases=case.prior_cases, attorney=case.attorney_of_record,
            lookup_url=portal.get(case.court, ""), status_text=case.status_text, tiers=found.tiers,
            default_on=found.default_on, set_aside_until=found.set_aside_until, writ_on=found.writ_on,
        )
        if filters.admits(row.court, row.zip5, row.amount, row.landlord, row.filed_as, status=row.status):
            rows.append(row)
    return in_body_order(rows)
