"""A legal-aid user's pages: search their partner's cases, open one.

One search field: five digits are a ZIP code, a word with digits a case number, anything else a
tenant's name (either order, folded as the pipeline folds names) or a landlord's. A case outside
the user's partner (another court, another ZIP) is answered as if it did not exist (404). Every
search and every case opened is in the audit trail: which cases were shown (a row each), never
what was typed.
"""

from __future__ import annotations

import datetime as dt
import re
from urllib.parse import quote

from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

from pipeline.landlords_key import landlord_key
from pipeline.linkage.names import names_sought
from pipeline.store.audit import Seen, record_view, record_views
from pipeline.store.contacts import Attempt, Method, Result, attempts_on, method_named, record_attempts, result_named
from pipeline.store.browse import (CaseFilter, PageKey, case_in, case_page, household_cases,
                                   landlord_spellings)
from pipeline.store.repo import Store
from pipeline.store.queries import case_files
from web.access import NAMES_SEEN, Visit, declare
from web.render import page

PAGE_SIZE = 50
_CASE_NUMBER = re.compile(r"^(?=.*\d)[A-Za-z0-9][A-Za-z0-9-]{3,31}$")
_AFTER = re.compile(r"^(\d{4}-\d{2}-\d{2})\.(\d{1,18})$")


def partner_scope(visit: Visit) -> CaseFilter | None:
    """The cases the user's partner may see (None: the partner is not configured here)."""
    return visit.ws.partners.get(visit.user.partner or "")


def _unconfigured(visit: Visit) -> Response:
    return page(visit, "message.html.j2", status=403, title="No partner",
                message=f"Your account belongs to {visit.user.partner or 'no partner'}, which this workspace's "
                        "configuration does not name: ask the operator.")


def searched(db: Store, typed: str, scope: CaseFilter) -> tuple[CaseFilter, str | None]:
    """What a search for `typed` selects within `scope`, and what to tell the user about it."""
    typed = " ".join(typed.split())[:100]
    if re.fullmatch(r"\d{5}", typed):
        return _with(scope, zip5=typed), None
    if _CASE_NUMBER.match(typed):
        return _with(scope, case_number=typed.upper()), None
    keys = landlord_spellings(db, typed, landlord_key(typed) or None)
    notice = None if keys is not None else \
        f"“{typed}” is in the names of too many landlords to search them: type more of the landlord's name."
    return _with(scope, names=names_sought(typed), by_name_or_landlord=True, landlord_keys=keys or ()), notice


def _with(scope: CaseFilter, **values) -> CaseFilter:
    fields = {name: getattr(scope, name) for name in scope.__slots__}
    if values.get("zip5") and scope.zip5 and values["zip5"] != scope.zip5:
        values["zip5"] = scope.zip5  # a partner limited to one ZIP searches within it
    fields.update({k: v for k, v in values.items() if not (k == "zip5" and scope.zip5)})
    return CaseFilter(**fields)


def _after(value: str | None) -> PageKey | None:
    found = _AFTER.match(value or "")
    try:
        return PageKey(dt.date.fromisoformat(found.group(1)), int(found.group(2))) if found else None
    except ValueError:  # not a date: from the first page
        return None


@declare("/search", roles=NAMES_SEEN)
async def search(request: Request, visit: Visit) -> Response:
    scope = partner_scope(visit)
    if scope is None:
        return _unconfigured(visit)
    typed = request.query_params.get("q", "").strip()
    where, notice = searched(visit.ws.db, typed, scope) if typed else (scope, None)
    results = case_page(visit.ws.db, where, size=PAGE_SIZE, after=_after(request.query_params.get("after")))
    record_views(visit.ws.db, visit.user.email, Seen.SEARCH, [(c.court, c.case_number) for c in results.cases],
                 at=visit.ws.clock(), detail="the newest cases" if not typed else "a search")
    more = f"{results.next.filed_date.isoformat()}.{results.next.case_id}" if results.next else None
    return page(visit, "search.html.j2", typed=typed, cases=results.cases, more=more, courts=visit.ws.courts,
                notice=notice)


@declare("/cases/{court}/{number}", roles=NAMES_SEEN)
async def case_page_view(request: Request, visit: Visit) -> Response:
    scope = partner_scope(visit)
    if scope is None:
        return _unconfigured(visit)
    court, number = request.path_params["court"], request.path_params["number"]
    found = case_in(visit.ws.db, scope, court, number)
    if found is None:
        return page(visit, "message.html.j2", status=404, title="No such case",
                    message="No case of yours has this number: it may be another partner's, or erased.")
    record_view(visit.ws.db, visit.user.email, Seen.CASE, court_id=found.court, case_number=found.case_number,
                at=visit.ws.clock())
    household = [c for c in household_cases(visit.ws.db, scope, found.household)
                 if (c.court, c.case_number) != (found.court, found.case_number)] if found.household else []
    [file] = case_files(visit.ws.db, found.case_number, found.court)
    matches = [m for m in visit.ws.db.watch.matches(visit.user.partner, case=(found.court, found.case_number))
               if m.decision != "no"]
    return page(visit, "case.html.j2", case=found, court=visit.ws.courts.get(found.court), household=household,
                timeline=[e for e in file.events if e["kind"] != "first_seen"], first_seen=found.first_seen_at,
                matches=matches, attempts=attempts_on(visit.ws.db, visit.user.partner, found.court, found.case_number),
                methods=list(Method), results=list(Result), today=visit.ws.clock().date(),
                said=_SAID.get(request.query_params.get("outreach", "")))


_SAID = {"recorded": "Recorded.", "already": "This attempt was recorded already.",
         "invalid": "Not recorded: give the day (not after today), the method and the result."}


@declare("/cases/{court}/{number}/outreach", roles=NAMES_SEEN, methods=("POST",), name="record_outreach")
async def record_outreach(request: Request, visit: Visit) -> Response:
    """One attempt to reach the case's tenants, recorded for the user's partner."""
    scope = partner_scope(visit)
    if scope is None:
        return _unconfigured(visit)
    found = case_in(visit.ws.db, scope, request.path_params["court"], request.path_params["number"])
    if found is None:
        return page(visit, "message.html.j2", status=404, title="No such case",
                    message="No case of yours has this number: it may be another partner's, or erased.")
    form = await request.form()
    method, result = method_named(str(form.get("method", ""))), result_named(str(form.get("result", "")))
    try:
        day = dt.date.fromisoformat(str(form.get("date", "")))
    except ValueError:
        day = None
    back = f"/cases/{quote(found.court, safe='')}/{quote(found.case_number, safe='')}?outreach="
    now = visit.ws.clock()
    if method is None or result is None or day is None or day > now.date():
        return RedirectResponse(back + "invalid#outreach", status_code=303)
    done = record_attempts(visit.ws.db, visit.user.partner,
                           [Attempt(found.court, found.case_number, day, method, result, str(form.get("note", "")))],
                           recorded_by=visit.user.email, at=now)
    return RedirectResponse(back + ("recorded" if done.added else "already") + "#outreach", status_code=303)


ROUTES = [search, case_page_view, record_outreach]
