"""Pages from the workspace's templates: autoescaped, with what every page shows (who is signed
in, the navigation their role has, the sign-out form and its CSRF token)."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import quote
from typing import Any

from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape
from starlette.responses import HTMLResponse

from pipeline.store.accounts import Role
from web.access import Visit
from web.sessions import csrf_token

_ENV = Environment(loader=FileSystemLoader(Path(__file__).parent / "templates"),
                   autoescape=select_autoescape(default=True, default_for_string=True),
                   undefined=StrictUndefined, trim_blocks=True, lstrip_blocks=True)
# A value in a URL's path or query: everything but letters, digits and -._~ escaped (`/` too,
# which Jinja's urlencode leaves).
_ENV.filters["urlpart"] = lambda value: quote(str(value), safe="")
NAVIGATION = {
    Role.LEGAL_AID: [("/search", "Search"), ("/lists", "Past lists"), ("/outreach", "Outreach"),
                     ("/dashboard", "Dashboard"),
                     ("/landlords", "Landlords")],
    Role.TASK_FORCE: [("/dashboard", "Dashboard"), ("/landlords", "Landlords")],
    Role.OPERATOR: [("/operator", "Runs and users")],
}


def page(visit: Visit, template: str, *, status: int = 200, csrf_for: str | None = None, **values: Any) -> HTMLResponse:
    """`csrf_for`: the id a signed-out form's token is bound to (the sign-in page's pre-session)."""
    signed_in = visit.signed_in
    bound_to = visit.session_id or csrf_for
    html = _ENV.get_template(template).render(
        user=signed_in.user if signed_in else None,
        navigation=NAVIGATION.get(signed_in.user.role, []) if signed_in and signed_in.second_factor_done
        or (signed_in and not signed_in.user.totp_secret) else [],
        csrf=csrf_token(visit.ws, bound_to) if bound_to else "",
        **values)
    return HTMLResponse(html, status_code=status)
