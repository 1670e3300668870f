"""The dashboard: filings and removals by week, where the filings stand, by landlord and by ZIP
code, for any dates, court and ZIP.

Figures only, never a tenant: the task force sees every court, a legal-aid user their
partner's cases. A week not over yet is marked partial, not shown as a fall in filings; the
outcomes of recent filings are marked provisional (most are not heard yet), as in the report.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import re
import threading

from starlette.requests import Request
from starlette.responses import Response

from pipeline.store.accounts import Role
from pipeline.store.browse import CaseFilter
from pipeline.store.contact_summary import summarize
from pipeline.store.estimates import cost_to_stop
from pipeline.store.tallies import filings_and_outcomes, outreach_attempts, removals_by_day, top_filers, top_zips
from pipeline.store.coverage import visibility, visibility_mark
from pipeline.store.trends import first_filed
from reports.weekly import COMPLETE, NO_DATA, OUTCOME_ORDER, OUTCOME_WEEKS, PARTIAL, week_state
from web.access import Visit, declare
from web.pages_cases import _with, partner_scope
from web.render import page

WEEKS_SHOWN = 26
# Below this many cases the task force sees no outreach figures: a day, a court and a ZIP code
# could narrow them to one household, and whether it was reached is not in any court record.
FEWEST_FOR_OUTREACH = 10
MOST_YEARS = 5
FIRST_DAY, LAST_DAY = dt.date(1900, 1, 1), dt.date(2999, 12, 31)


def _day(value: str | None) -> dt.date | None:
    try:
        day = dt.date.fromisoformat(value) if value else None
    except ValueError:
        return None
    return min(max(day, FIRST_DAY), LAST_DAY) if day else None


_MEMO_LOCK = threading.Lock()


def _memoized(ws, what: str, courts: list[str], compute):
    """A figure of these courts only a run changes, measured again only once a run has finished
    or a case has been stored since (the courts' visibility reads a year of filings' lags)."""
    key = (what, visibility_mark(ws.db), tuple(sorted(courts)))
    with _MEMO_LOCK:
        if key in ws.memo:
            return ws.memo[key]
    value = compute()
    with _MEMO_LOCK:  # what older marks measured goes
        ws.memo = {**{k: v for k, v in ws.memo.items() if k[1] == key[1]}, key: value}
    return value


def _visibility(ws, courts: list[str]):
    return _memoized(ws, "visibility", courts, lambda: visibility(ws.db, sorted(courts)))


def _cost(ws, courts: list[str], today: dt.date, until: dt.date):
    """The cost to stop the coming evictions: it does not depend on the dates chosen."""
    return _memoized(ws, f"cost {today} {until}", courts,
                     lambda: cost_to_stop(ws.db, today, until, courts, views=_visibility(ws, courts)))


@declare("/dashboard", roles={Role.TASK_FORCE, Role.LEGAL_AID})
async def dashboard(request: Request, visit: Visit) -> Response:
    ws = visit.ws
    today = ws.clock().date()
    scope = partner_scope(visit) if visit.user.role is Role.LEGAL_AID else CaseFilter()
    if scope is None:
        scope = CaseFilter(courts=("",))  # a partner not configured here: nothing
    params = request.query_params
    until = _day(params.get("until")) or today
    since = _day(params.get("since")) or (until - dt.timedelta(weeks=WEEKS_SHOWN))
    since, until = min(since, until), max(since, until)
    since = max(since, until - dt.timedelta(days=366 * MOST_YEARS))  # weeks beyond are not drawn
    court = params.get("court", "")
    zip5 = params.get("zip", "").strip()
    values: dict = {"filed_since": since, "filed_until": until}
    if court in ws.courts and (not scope.courts or court in scope.courts):
        values["courts"] = (court,)
    if re.fullmatch(r"\d{5}", zip5):
        values["zip5"] = zip5
    where = _with(scope, **values)
    courts = list(where.courts or ws.courts)
    # Each figure is one scan of an index: side by side on the cores (the database works without
    # the interpreter's lock), and the event loop answers other requests meanwhile.
    # Outreach: a legal-aid user sees its own partner's, the task force every partner's, as counts.
    partner = visit.user.partner if visit.user.role is Role.LEGAL_AID else None
    year_end = dt.date(today.year + (today >= dt.date(today.year, 12, 17)), 12, 31)
    (per_day, standing, by_status), removed, filers, zips, views, earliest, attempted, cost = await asyncio.gather(
        asyncio.to_thread(filings_and_outcomes, ws.db, where),
        asyncio.to_thread(removals_by_day, ws.db, where, since, until),
        asyncio.to_thread(top_filers, ws.db, where), asyncio.to_thread(top_zips, ws.db, where),
        asyncio.to_thread(_visibility, ws, courts), asyncio.to_thread(first_filed, ws.db, courts),
        asyncio.to_thread(outreach_attempts, ws.db, where, partner),
        asyncio.to_thread(_cost, ws, courts, today, year_end))
    reached = summarize(since, until, by_status, attempted)
    # The report's rules: a week the scrapes have not looked far enough ahead for is provisional,
    # one from before they reached back partial, one before the first filing has no data.
    monday = since - dt.timedelta(days=since.weekday())
    weeks = []
    while monday <= until:
        sunday = monday + dt.timedelta(days=6)
        count = sum(n for day, n in per_day.items() if monday <= day <= sunday)
        removals = sum(n for day, n in removed.items() if monday <= day <= sunday)
        state = week_state(monday, earliest, views)
        if state == COMPLETE and (sunday >= today or monday < since or sunday > until):
            state = PARTIAL  # not over yet, or partly outside the dates chosen
        weeks.append((monday, None if state == NO_DATA else count, None if state == NO_DATA else removals, state))
        monday += dt.timedelta(days=7)
    return page(visit, "dashboard.html.j2", since=since, until=until, court=court, zip5=values.get("zip5", ""),
                courts=ws.courts, total=sum(per_day.values()), weeks=weeks,
                most=max([max(f or 0, r or 0) for _, f, r, _ in weeks] or [0]) or 1,
                outcomes=[(label, standing.get(label, 0)) for label in OUTCOME_ORDER],
                outcomes_pending=until > today - dt.timedelta(weeks=OUTCOME_WEEKS[1]),
                filers=filers, zips=zips, reached=reached, own_outreach=partner is not None, cost=cost,
                cost_from=today + dt.timedelta(days=1),
                outreach_hidden=partner is None and reached.cases < FEWEST_FOR_OUTREACH,
                fewest=FEWEST_FOR_OUTREACH,
                cost_courts=", ".join(ws.courts[c].name if c in ws.courts else c for c in sorted(courts)))


ROUTES = [dashboard]
