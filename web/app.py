"""The workspace as an ASGI app (Starlette): its routes, each behind the guard in web/access.py,
its style sheet, and the security headers every answer carries."""

from __future__ import annotations

from pathlib import Path

from starlette.applications import Starlette
from starlette.responses import PlainTextResponse
from starlette.routing import Mount
from starlette.staticfiles import StaticFiles
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from web import (api, pages_auth, pages_cases, pages_downloads, pages_figures, pages_landlords, pages_lists, pages_ops,
                 pages_outreach)
from web.access import Declared, guarded
from web.settings import Workspace

DECLARED: list[Declared] = [*pages_auth.ROUTES, *pages_cases.ROUTES, *pages_figures.ROUTES, *pages_landlords.ROUTES,
                             *pages_downloads.ROUTES, *pages_lists.ROUTES, *pages_outreach.ROUTES, *pages_ops.ROUTES,
                             *api.ROUTES]
STATIC = Path(__file__).parent / "static"
# No script at all (and none inline, ever); styles from this site only; nothing may frame a page.
CSP = ("default-src 'none'; style-src 'self'; img-src 'self' data:; form-action 'self'; base-uri 'none'; "
       "frame-ancestors 'none'")
HEADERS = [
    (b"content-security-policy", CSP.encode()),
    (b"x-content-type-options", b"nosniff"),
    (b"referrer-policy", b"same-origin"),
    (b"x-frame-options", b"DENY"),
]
NO_STORE = (b"cache-control", b"no-store")  # tenants' names stay out of shared and back-button caches


class SecurityHeaders:
    def __init__(self, app: ASGIApp, *, hsts: bool) -> None:
        self.app = app
        self.headers = HEADERS + ([(b"strict-transport-security", b"max-age=31536000")] if hsts else [])

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        # The style sheet may be cached (it holds no one's data); every page and answer may not.
        extra = self.headers if scope["path"].startswith("/static/") else [*self.headers, NO_STORE]

        async def with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                names = {name for name, _ in message.get("headers", [])}
                message["headers"] = list(message.get("headers", [])) + [h for h in extra if h[0] not in names]
            await send(message)

        await self.app(scope, receive, with_headers)


async def _not_found(request, exc) -> PlainTextResponse:
    return PlainTextResponse("Not found.", status_code=404)


def create_app(ws: Workspace) -> ASGIApp:
    routes = [guarded(ws, declared) for declared in DECLARED]
    routes.append(Mount("/static", app=StaticFiles(directory=STATIC), name="static"))
    app = Starlette(routes=routes, exception_handlers={404: _not_found})
    app.state.workspace = ws
    return SecurityHeaders(app, hsts=ws.settings.secure_cookies)
