"""A legal-aid user's past lists and alerts: what each delivery to their partner carried, shown
again from the delivery records with where each case stands now (an erased case is gone)."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response

from pipeline.store.audit import Seen, record_views
from pipeline.store.browse import cases_among
from pipeline.store.past_lists import delivered_cases, past_deliveries
from web.access import NAMES_SEEN, Visit, declare
from web.pages_cases import _unconfigured, partner_scope
from web.render import page

KIND_NAMES = {"weekly_list": "Weekly list", "urgent_alerts": "Urgent alerts", "docket_sheet": "Docket sheet",
              "watch_matches": "Watch-list matches", "expungement_eligible": "Eligible for expungement",
              "recall": "Recall"}


@declare("/lists", roles=NAMES_SEEN)
async def lists(request: Request, visit: Visit) -> Response:
    if partner_scope(visit) is None:
        return _unconfigured(visit)
    return page(visit, "lists.html.j2", deliveries=past_deliveries(visit.ws.db, visit.user.partner or ""),
                kinds=KIND_NAMES)


@declare("/lists/{key}", roles=NAMES_SEEN, name="past_list")
async def past_list(request: Request, visit: Visit) -> Response:
    scope = partner_scope(visit)
    if scope is None:
        return _unconfigured(visit)
    key = request.path_params["key"]
    pairs = delivered_cases(visit.ws.db, visit.user.partner or "", key)
    if pairs is None:
        return page(visit, "message.html.j2", status=404, title="No such list",
                    message="Your partner was sent no list or alert of this name.")
    cases = cases_among(visit.ws.db, scope, pairs)
    record_views(visit.ws.db, visit.user.email, Seen.LIST, [(c.court, c.case_number) for c in cases],
                 at=visit.ws.clock(), detail=key.split("|", 1)[-1][:200])
    _, kind, period = (key.split("|") + ["", ""])[:3]
    return page(visit, "past_list.html.j2", cases=cases, kind=KIND_NAMES.get(kind, kind), period=period,
                courts=visit.ws.courts, gone=len(pairs) - len(cases))


ROUTES = [lists, past_list]
