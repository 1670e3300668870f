"""Who a partner can still help this week: the outreach list, read from the store.

A list holds the cases first seen since the partner's last list, every open case with a
hearing in the next 14 days, and every case that cannot wait (notify.rows.ACT_NOW: a writ
issued in the last 14 days and not executed, a default judgment of the last 10 days still
standing, a hearing within 3 days), after the partner's filters, without opted-out households
or closed cases, sorted by the next hearing. Whether a case cannot wait is its state today,
not news since the last list: a writ found late is as urgent as one found at once.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal

from notify.render import OutreachRow
from notify.rows import DEFAULT_DAYS, SOON_DAYS, WRIT_DAYS
from pipeline.lifecycle import CLOSED
from pipeline.store.notices import CaseView, HearingView, eviction_cases
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


def outreach_rows(store: Store, filters: Filters, *, today: dt.date, new_since: dt.datetime | None,
                  opted_out: set[str], portal: dict[str, str]) -> list[OutreachRow]:
    """`new_since`: when the partner's last list went out; before a first list, cases filed in
    the last 7 days count as new (everything was first seen at once then)."""
    horizon = today + dt.timedelta(days=HORIZON_DAYS)
    first_list_since = today - dt.timedelta(days=7)
    rows: list[tuple[tuple, OutreachRow]] = []
    for case in eviction_cases(store.engine):
        if case.status in CLOSED or case.household in opted_out:
            continue
        upcoming = sorted((h for h in case.hearings if h.date >= today and h.pending),
                          key=lambda h: (h.date, h.time or dt.time.min))
        nxt = upcoming[0] if upcoming else None
        is_new = case.first_seen_at > new_since if new_since is not None else case.filed_date >= first_list_since
        act_now, act_date = _act_now(case, nxt, today=today)
        if not is_new and not (nxt and nxt.date <= horizon) and not act_now:
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
            lookup_url=portal.get(case.court, ""), status_text=case.status_text, act_now=act_now,
            act_date=act_date,
        )
        if filters.admits(row.court, row.zip5, row.amount, row.landlord, row.filed_as, status=row.status):
            key = (row.hearing_date or dt.date.max, row.hearing_time or dt.time.min, row.case_number)
            rows.append((key, row))
    return [row for _, row in sorted(rows, key=lambda pair: pair[0])]


def _act_now(case: CaseView, nxt: HearingView | None, *, today: dt.date) -> tuple[tuple[str, ...], dt.date | None]:
    """Why an open case cannot wait, and since when."""
    reasons: list[str] = []
    dated: dt.date | None = None
    if case.status == "writ_issued" and case.writ_issued_date and \
            (today - case.writ_issued_date).days <= WRIT_DAYS:
        reasons.append("writ_issued")
        dated = case.writ_issued_date
    defaults = [h.date for h in case.hearings if h.result_code == "default_judgment"
                and 0 <= (today - h.date).days <= DEFAULT_DAYS]
    if case.status == "judgment_plaintiff" and defaults:
        reasons.append("default_judgment")
        dated = dated or max(defaults)
    if nxt is not None and (nxt.date - today).days <= SOON_DAYS:
        reasons.append("hearing_soon")
    return tuple(reasons), dated
