"""Signed-in sessions and CSRF tokens.

The session cookie carries a random id signed with the workspace's key (itsdangerous); the store
keeps only the id's hash, with when it began and when it was last used: a session ends after
`idle_minutes` without a request, `absolute_hours` after sign-in, at sign-out, and when its user
is disabled or given a new password. A form's CSRF token is an HMAC of the session id (before
sign-in: of a random id in a cookie of its own), so it cannot be made without the key and the
cookie, and needs no row.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import secrets

from itsdangerous import BadSignature, Signer
from starlette.requests import Request
from starlette.responses import Response

from pipeline.store.accounts import SignedIn, User, end_session, session_of, start_session, touch_session
from web.settings import Workspace

SESSION_COOKIE = "ew_session"
PRE_SESSION_COOKIE = "ew_pre"  # before sign-in: what the sign-in form's CSRF token is bound to
CSRF_FIELD = "csrf_token"
CSRF_HEADER = "x-csrf-token"
_TOUCH_EVERY = dt.timedelta(seconds=60)  # last use is written at most once a minute


def _signer(ws: Workspace) -> Signer:
    return Signer(ws.secret, salt="evictwatch-session")


def _hash(session_id: str) -> str:
    return hashlib.sha256(session_id.encode("ascii")).hexdigest()


def cookie_name(ws: Workspace, name: str) -> str:
    """Behind HTTPS the `__Host-` prefix: only this host, over HTTPS, may set it (a sibling
    subdomain cannot plant one)."""
    return f"__Host-{name}" if ws.settings.secure_cookies else name


def _cookie_id(request: Request, ws: Workspace, name: str) -> str | None:
    value = request.cookies.get(cookie_name(ws, name))
    if not value:
        return None
    try:
        return _signer(ws).unsign(value).decode("ascii")
    except (BadSignature, UnicodeDecodeError):
        return None


def set_cookie(response: Response, ws: Workspace, name: str, value: str | None) -> None:
    """Every cookie the workspace sets: signed, HttpOnly, SameSite=Lax, Secure behind HTTPS."""
    name = cookie_name(ws, name)
    if value is None:
        response.delete_cookie(name, path="/", secure=ws.settings.secure_cookies, httponly=True, samesite="lax")
        return
    response.set_cookie(name, _signer(ws).sign(value).decode("ascii"), path="/", httponly=True, samesite="lax",
                        secure=ws.settings.secure_cookies)


def has_session_cookie(request: Request, ws: Workspace) -> bool:
    return cookie_name(ws, SESSION_COOKIE) in request.cookies


def current(request: Request, ws: Workspace) -> tuple[str, SignedIn] | None:
    """The request's live session (its id and user); an expired one is ended here."""
    session_id = _cookie_id(request, ws, SESSION_COOKIE)
    if session_id is None:
        return None
    found = session_of(ws.db, _hash(session_id))
    if found is None:
        return None
    now = ws.clock()
    settings = ws.settings
    if (found.user.disabled or now - found.last_seen_at > dt.timedelta(minutes=settings.idle_minutes)
            or now - found.created_at > dt.timedelta(hours=settings.absolute_hours)):
        end_session(ws.db, _hash(session_id))
        return None
    if now - found.last_seen_at >= _TOUCH_EVERY:
        touch_session(ws.db, _hash(session_id), now=now)
    return session_id, found


def begin(response: Response, ws: Workspace, user: User, *, second_factor_done: bool) -> None:
    """A new session (a new id: one given before sign-in is never kept)."""
    session_id = secrets.token_urlsafe(32)
    start_session(ws.db, _hash(session_id), user, second_factor_done=second_factor_done, now=ws.clock())
    set_cookie(response, ws, SESSION_COOKIE, session_id)
    set_cookie(response, ws, PRE_SESSION_COOKIE, None)


def second_factor_passed(response: Response, ws: Workspace, session_id: str, user: User) -> None:
    """A new session for the user who gave their code (the id seen before it is not kept)."""
    end_session(ws.db, _hash(session_id))
    begin(response, ws, user, second_factor_done=True)


def end(request: Request, response: Response, ws: Workspace) -> None:
    session_id = _cookie_id(request, ws, SESSION_COOKIE)
    if session_id is not None:
        end_session(ws.db, _hash(session_id))
    set_cookie(response, ws, SESSION_COOKIE, None)


def pre_session(request: Request, ws: Workspace) -> tuple[str, bool]:
    """The id the sign-in form's token is bound to, and whether it is new (to be set)."""
    found = _cookie_id(request, ws, PRE_SESSION_COOKIE)
    return (found, False) if found else (secrets.token_urlsafe(32), True)


def csrf_token(ws: Workspace, bound_to: str) -> str:
    return hmac.new(ws.secret, f"csrf\n{bound_to}".encode("ascii"), hashlib.sha256).hexdigest()


async def csrf_valid(request: Request, ws: Workspace, session_id: str | None) -> bool:
    """A state-changing request carries the token of its live session (or, signed out, of its
    pre-session: a session cookie left from an expired session does not count)."""
    bound_to = session_id or _cookie_id(request, ws, PRE_SESSION_COOKIE)
    if bound_to is None:
        return False
    sent = request.headers.get(CSRF_HEADER)
    if sent is None:
        form = await request.form(max_files=1, max_fields=20)  # kept: what the page reads is this parse
        value = form.get(CSRF_FIELD)
        sent = value if isinstance(value, str) else None
    return sent is not None and hmac.compare_digest(sent, csrf_token(ws, bound_to))
