"""The read-only JSON API under /api/v1, for partners' own systems.

A request carries a partner's token (`Authorization: Bearer …`, from `evictwatch tokens add`);
it sees what that partner's legal-aid users see, in the export schema of `evictwatch export
cases`, and nothing else. A signed-in browser session opens nothing here. Each token may make
`api_per_minute` requests a minute (counted in the store, shared by every server process); each
case answered is in the audit trail under the token.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import re
import secrets

from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from pipeline.store.api_tokens import ApiToken, count_call, live_token
from pipeline.store.audit import Seen, record_views
from pipeline.store.browse import CaseFilter, ChangeKey, changes_page, exported_case
from web.access import Visit, declare
from web.openapi import DOCUMENT

PREFIX = "/api/v1"
_AFTER = re.compile(r"^(\d{4}-\d{2}-\d{2}T[0-9:.]+(?:[+-]\d{2}:\d{2}|Z)?)~(\d{1,18})$")


def new_token() -> tuple[str, str]:
    """A token to show once, and the hash the store keeps."""
    token = "ew_" + secrets.token_urlsafe(32)
    return token, token_hash(token)


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


class _Json(JSONResponse):
    def render(self, content) -> bytes:
        return json.dumps(content, ensure_ascii=False, default=str, separators=(",", ":")).encode("utf-8")


def _problem(status: int, message: str, **headers: str) -> Response:
    return _Json({"error": message}, status_code=status, headers=headers)


def _authorized(request: Request, visit: Visit) -> tuple[ApiToken, CaseFilter] | Response:
    given = request.headers.get("authorization", "")
    scheme, _, token = given.partition(" ")
    found = live_token(visit.ws.db, token_hash(token.strip())) if scheme.lower() == "bearer" and token else None
    if found is None:
        return _problem(401, "give a partner's token: Authorization: Bearer <token> (evictwatch tokens add)",
                        **{"www-authenticate": 'Bearer realm="evictwatch"'})
    made = count_call(visit.ws.db, found, visit.ws.clock())
    if made > visit.ws.settings.api_per_minute:
        return _problem(429, f"more than {visit.ws.settings.api_per_minute} requests this minute",
                        **{"retry-after": str(60 - visit.ws.clock().second)})
    scope = visit.ws.partners.get(found.partner)
    if scope is None:
        return _problem(403, f"the token's partner {found.partner!r} is not in this workspace's configuration")
    return found, scope


def _since(value: str | None) -> dt.datetime | None:
    if not value:
        return None
    day = dt.datetime.fromisoformat(value.replace("Z", "+00:00"))
    return day if day.tzinfo else day.replace(tzinfo=dt.timezone.utc)


def _by_token(handler):
    """The route's handler, reached only with a live token within its rate (and given it)."""
    async def checked(request: Request, visit: Visit) -> Response:
        allowed = _authorized(request, visit)
        return allowed if isinstance(allowed, Response) else await handler(request, visit, *allowed)
    checked.__name__ = handler.__name__
    return checked


@declare(f"{PREFIX}/cases", roles=frozenset(), by_token=True, name="api_cases")
@_by_token
async def api_cases(request: Request, visit: Visit, token: ApiToken, scope: CaseFilter) -> Response:
    params = request.query_params
    try:
        since = _since(params.get("since"))
        found = _AFTER.match(params.get("after", ""))
        after = ChangeKey(_since(found.group(1)), int(found.group(2))) if found else None
        size = int(params.get("size", "100"))
        page = changes_page(visit.ws.db, scope, since=since, after=after, size=size)
    except ValueError as exc:
        return _problem(400, f"{exc}: since is an ISO 8601 time, size 1 to 500, after the `next` of a page")
    record_views(visit.ws.db, f"token {token.id}", Seen.API, [(c["court"], c["case_number"]) for c in page.cases],
                 at=visit.ws.clock(), detail=f"{token.partner}: cases")
    following = f"{page.next.changed_at.isoformat()}~{page.next.case_id}" if page.next else None
    return _Json({"cases": list(page.cases), "next": following})


@declare(f"{PREFIX}/cases/{{court}}/{{number}}", roles=frozenset(), by_token=True, name="api_case")
@_by_token
async def api_case(request: Request, visit: Visit, token: ApiToken, scope: CaseFilter) -> Response:
    case = exported_case(visit.ws.db, scope, request.path_params["court"], request.path_params["number"])
    if case is None:
        return _problem(404, "no case of this partner has this number")
    record_views(visit.ws.db, f"token {token.id}", Seen.API, [(case["court"], case["case_number"])],
                 at=visit.ws.clock(), detail=f"{token.partner}: a case")
    return _Json(case)


@declare(f"{PREFIX}/openapi.json", roles=None, name="api_openapi")
async def api_openapi(request: Request, visit: Visit) -> Response:
    return _Json(DOCUMENT)


ROUTES = [api_cases, api_case, api_openapi]
