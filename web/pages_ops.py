"""The operator's page: the last runs, the alarms raised, the deliveries by kind, the users.
No tenant's data: runs and deliveries are counts, alarms name courts."""

from __future__ import annotations

import datetime as dt

from starlette.requests import Request
from starlette.responses import Response

from pipeline.store.accounts import Role, all_users
from web.access import Visit, declare
from web.render import page


@declare("/operator", roles={Role.OPERATOR})
async def operator(request: Request, visit: Visit) -> Response:
    ws = visit.ws
    log = ws.db.runlog
    return page(visit, "operator.html.j2", runs=log.runs(limit=20), alarms=log.alarms(state="raised"),
                deliveries=log.deliveries_by_kind(since=ws.clock() - dt.timedelta(days=7)),
                users=all_users(ws.db))


ROUTES = [operator]
