"""Who may use which route: every route is declared with its roles, and the guard here is the
only way a route is reached.

Signed out, a page redirects to the sign-in page (303) and anything else answers 401; signed in
with a role the route does not name, 403; a state-changing request without its CSRF token, 403.
A user who has a second factor passes it before any route but the sign-in pages.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Iterable
from dataclasses import dataclass
from urllib.parse import quote

from starlette.requests import Request
from starlette.responses import PlainTextResponse, RedirectResponse, Response
from starlette.routing import Route

from pipeline.store.accounts import Role, SignedIn
from web.sessions import SESSION_COOKIE, csrf_valid, current, has_session_cookie, set_cookie
from web.settings import Workspace

EVERYONE = frozenset(Role)
MOST_BODY_BYTES = 6 * 1024 * 1024  # the largest upload (a weekly list, web.pages_outreach) with its form
NAMES_SEEN = frozenset({Role.LEGAL_AID})  # the roles that see tenants' names
Handler = Callable[[Request, "Visit"], Awaitable[Response]]


@dataclass(frozen=True, slots=True)
class Visit:
    """A request let through the guard: the workspace, and who is asking (None on a public route)."""

    ws: Workspace
    session_id: str | None
    signed_in: SignedIn | None

    @property
    def user(self):
        assert self.signed_in is not None
        return self.signed_in.user


@dataclass(frozen=True, slots=True)
class Declared:
    path: str
    methods: tuple[str, ...]
    roles: frozenset[Role] | None  # None: public (the sign-in pages, the style sheet)
    handler: Handler
    name: str
    by_token: bool = False  # the JSON API: a partner's token, never a session (web/api.py checks it)


def declare(path: str, *, roles: Iterable[Role] | None, methods: tuple[str, ...] = ("GET",),
            name: str | None = None, by_token: bool = False) -> Callable[[Handler], Declared]:
    def wrap(handler: Handler) -> Declared:
        return Declared(path, methods, frozenset(roles) if roles is not None else None, handler,
                        name or handler.__name__, by_token)
    return wrap


def guarded(ws: Workspace, route: Declared) -> Route:
    async def endpoint(request: Request) -> Response:
        if route.by_token:  # read-only, by a partner's token: no session, no cookie, no form
            return await route.handler(request, Visit(ws, None, None))
        live = current(request, ws)
        session_id, signed_in = live if live is not None else (None, None)
        if route.roles is not None and signed_in is None:
            return _signed_out(request)
        if request.method not in ("GET", "HEAD"):
            if int(request.headers.get("content-length") or 0) > MOST_BODY_BYTES:  # before a byte is read
                return PlainTextResponse("Too large: a form or a weekly list sent here is at most "
                                         f"{MOST_BODY_BYTES // (1024 * 1024)} MB.", status_code=413)
            if (route.roles is not None and signed_in is not None and signed_in.user.role not in route.roles):
                return PlainTextResponse("This page is not open to your role.", status_code=403)  # body unread
            if not await csrf_valid(request, ws, session_id):
                return PlainTextResponse("This form has expired: go back, reload the page and send it again.",
                                         status_code=403)
        if route.roles is None:
            response = await route.handler(request, Visit(ws, session_id, signed_in))
            if signed_in is None and has_session_cookie(request, ws) and SESSION_COOKIE not in str(
                    response.headers.getlist("set-cookie")):
                set_cookie(response, ws, SESSION_COOKIE, None)  # a session that ended: its cookie goes too
            return response
        if signed_in.user.totp_secret and not signed_in.second_factor_done and route.name != "sign_out":
            return RedirectResponse("/second-factor", status_code=303)
        if signed_in.user.role not in route.roles:
            return PlainTextResponse("This page is not open to your role.", status_code=403)
        return await route.handler(request, Visit(ws, session_id, signed_in))

    endpoint.declared = route  # type: ignore[attr-defined]  (the role matrix test reads it)
    return Route(route.path, endpoint, methods=list(route.methods), name=route.name)


def _signed_out(request: Request) -> Response:
    if request.method == "GET" and not request.url.path.startswith("/api/"):
        target = request.url.path + (f"?{request.url.query}" if request.url.query else "")
        return RedirectResponse(f"/sign-in?next={quote(target, safe='')}", status_code=303)
    return PlainTextResponse("Sign in first.", status_code=401, headers={"WWW-Authenticate": "Session"})
