"""Downloads: a legal-aid user's search results, a dashboard's weekly figures. Cells are written
by the e-mails' own rules (notify/rows.py: a cell starting = + - @ tab or CR is neutralized), and
every download of cases is in the audit trail."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response

from notify.rows import table_csv, table_xlsx
from pipeline.store.audit import Seen, record_view
from pipeline.store.browse import PageKey, case_page
from pipeline.store.notices import CaseView
from web.access import NAMES_SEEN, Visit, declare
from web.pages_cases import _unconfigured, partner_scope, searched

MOST_ROWS = 5000
TYPES = {"csv": "text/csv; charset=utf-8",
         "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"}


def _next_hearing(case: CaseView):
    return next((h.date for h in case.hearings if h.pending), None)


def case_columns(courts: dict) -> list:
    return [
        ("Case number", lambda c: c.case_number),
        ("Court", lambda c: courts[c.court].name if c.court in courts else c.court),
        ("Filed", lambda c: c.filed_date),
        ("Tenants", lambda c: "; ".join(p.name for p in c.defendants)),
        ("Street", lambda c: c.tenant.street if c.tenant else None),
        ("ZIP", lambda c: c.tenant.zip5 if c.tenant else None),
        ("Landlord", lambda c: c.landlord or c.filed_as),
        ("Next hearing", _next_hearing),
        ("Status", lambda c: c.status_text),
        ("Attorney", lambda c: c.attorney_of_record),
    ]


@declare("/search/download", roles=NAMES_SEEN, name="search_download")
async def search_download(request: Request, visit: Visit) -> Response:
    scope = partner_scope(visit)
    if scope is None:
        return _unconfigured(visit)
    kind = request.query_params.get("format", "csv")
    if kind not in TYPES:
        return Response("format is csv or xlsx", status_code=400, media_type="text/plain")
    typed = request.query_params.get("q", "").strip()
    where = searched(visit.ws.db, typed, scope)[0] if typed else scope
    cases: list[CaseView] = []
    after: PageKey | None = None
    while len(cases) < MOST_ROWS:
        got = case_page(visit.ws.db, where, size=500, after=after)
        cases.extend(got.cases)
        if got.next is None:
            break
        after = got.next
    cases = cases[:MOST_ROWS]
    columns = case_columns(visit.ws.courts)
    body = table_csv(columns, cases) if kind == "csv" else table_xlsx(columns, cases, title="Cases")
    record_view(visit.ws.db, visit.user.email, Seen.DOWNLOAD, at=visit.ws.clock(),
                detail=f"{len(cases)} cases as {kind}")
    return Response(body, media_type=TYPES[kind],
                    headers={"content-disposition": f'attachment; filename="evictwatch-cases.{kind}"'})


ROUTES = [search_download]
