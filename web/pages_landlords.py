"""Landlords: who files, under which spellings, how often, and how it ends (figures only: the
task force and legal aid alike)."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response

from pipeline.store.accounts import Role
from pipeline.store.browse import CaseFilter
from pipeline.store.landlord_view import landlord_view, landlords_filing
from web.access import Visit, declare
from web.pages_cases import partner_scope
from web.render import page

FIGURES_SEEN = {Role.TASK_FORCE, Role.LEGAL_AID}


def _scope(visit: Visit) -> CaseFilter:
    if visit.user.role is Role.LEGAL_AID:
        return partner_scope(visit) or CaseFilter(courts=("",))  # a partner not configured here: nothing
    return CaseFilter()


@declare("/landlords", roles=FIGURES_SEEN)
async def landlords(request: Request, visit: Visit) -> Response:
    return page(visit, "landlords.html.j2", groups=landlords_filing(visit.ws.db, _scope(visit)))


@declare("/landlords/{landlord_id}", roles=FIGURES_SEEN)
async def landlord(request: Request, visit: Visit) -> Response:
    found = landlord_view(visit.ws.db, request.path_params["landlord_id"], _scope(visit))
    if found is None or not found.filings:
        return page(visit, "message.html.j2", status=404, title="No such landlord",
                    message="No landlord group of this number filed any case you can see.")
    return page(visit, "landlord.html.j2", landlord=found, most=max([n for _, n in found.by_month] or [1]))


ROUTES = [landlords, landlord]
