"""Signing in and out, the second factor, and where each role lands.

One message for every failed sign-in (an unknown address, a wrong password, a disabled account, a
lock after too many failures): the form must not tell which e-mail addresses have accounts.
After `failures_allowed` failures in `lockout_minutes`, an account and an address wait that long
(the failures are counted in the store, shared by every worker).
"""

from __future__ import annotations

import datetime as dt

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

from pipeline.store.accounts import (Role, end_stale_sessions, failures_since, forget_failures, record_failure,
                                     use_totp_step, user_by_email)
from web.access import EVERYONE, NAMES_SEEN, Visit, declare
from web.passwords import code_step, password_matches
from web.render import page
from web.sessions import PRE_SESSION_COOKIE, begin, end, pre_session, second_factor_passed, set_cookie

FAILED = "Sign-in failed: check the email address and password. After many failures, wait 15 minutes."
NEEDS_SECOND_FACTOR = ("Your role sees tenants' names, and this workspace asks for a code from an authenticator "
                       "app: ask the operator to give your account one (evictwatch users reset --totp).")
LANDING = {Role.LEGAL_AID: "/search", Role.TASK_FORCE: "/dashboard", Role.OPERATOR: "/operator"}


def _local(target: str | None) -> str | None:
    """Only a path of this site (never `//elsewhere` or a full URL)."""
    if target and target.startswith("/") and not target.startswith("//") and "\\" not in target:
        return target
    return None


@declare("/", roles=EVERYONE)
async def home(request: Request, visit: Visit) -> Response:
    return RedirectResponse(LANDING[visit.user.role], status_code=303)


@declare("/sign-in", roles=None, name="sign_in_form")
async def sign_in_form(request: Request, visit: Visit) -> Response:
    if visit.signed_in is not None:
        return RedirectResponse(LANDING[visit.user.role], status_code=303)
    return _form(visit, request, next_=request.query_params.get("next", ""), email="", problem=None)


def _form(visit: Visit, request: Request, *, next_: str, email: str, problem: str | None,
          status: int = 200) -> Response:
    bound_to, new = pre_session(request, visit.ws)
    response = page(visit, "sign_in.html.j2", csrf_for=bound_to, next=_local(next_) or "", email=email,
                    problem=problem, status=status)
    if new:
        set_cookie(response, visit.ws, PRE_SESSION_COOKIE, bound_to)
    return response


@declare("/sign-in", roles=None, methods=("POST",), name="sign_in")
async def sign_in(request: Request, visit: Visit) -> Response:
    ws, settings = visit.ws, visit.ws.settings
    form = await request.form()
    email = str(form.get("email", "")).strip().lower()[:254]
    password = str(form.get("password", ""))
    address = request.client.host if request.client else "unknown"
    now = ws.clock()
    await run_in_threadpool(tidy, ws, now)
    by_email, by_address = failures_since(ws.db, email, address, now - dt.timedelta(minutes=settings.lockout_minutes))
    user = user_by_email(ws.db, email) if email else None
    locked = max(by_email, by_address) >= settings.failures_allowed
    # Argon2 takes a fifth of a second of a core: off the event loop, and not at all while locked.
    right = not locked and await run_in_threadpool(password_matches, user.password_hash if user else None, password)
    if not right or user is None or user.disabled:
        if not locked:  # failures during a lock do not lengthen it
            record_failure(ws.db, email or "-", address, at=now)
        return _form(visit, request, next_=str(form.get("next", "")), email=email, problem=FAILED, status=401)
    if settings.require_2fa and user.role in NAMES_SEEN and not user.totp_secret:
        return _form(visit, request, next_="", email=email, problem=NEEDS_SECOND_FACTOR, status=403)
    if not user.totp_secret:  # with a second factor, the failures are forgotten once the code is given
        forget_failures(ws.db, email=email)
    target = _local(str(form.get("next", ""))) or LANDING[user.role]
    response = RedirectResponse("/second-factor" if user.totp_secret else target, status_code=303)
    begin(response, ws, user, second_factor_done=not user.totp_secret)
    return response


@declare("/second-factor", roles=None, name="second_factor_form")
async def second_factor_form(request: Request, visit: Visit) -> Response:
    if visit.signed_in is None:
        return RedirectResponse("/sign-in", status_code=303)
    return page(visit, "second_factor.html.j2", problem=None)


@declare("/second-factor", roles=None, methods=("POST",), name="second_factor")
async def second_factor(request: Request, visit: Visit) -> Response:
    signed_in, ws = visit.signed_in, visit.ws
    if signed_in is None or visit.session_id is None or not signed_in.user.totp_secret:
        return RedirectResponse("/sign-in", status_code=303)
    form = await request.form()
    address = request.client.host if request.client else "unknown"
    now = ws.clock()
    email = signed_in.user.email
    counts = failures_since(ws.db, email, address, now - dt.timedelta(minutes=ws.settings.lockout_minutes))
    locked = max(counts) >= ws.settings.failures_allowed
    step = None if locked else code_step(signed_in.user.totp_secret, str(form.get("code", "")), now)
    if step is None or not use_totp_step(ws.db, signed_in.user, step):  # a code is good once
        if not locked:
            record_failure(ws.db, email, address, at=now)
        return page(visit, "second_factor.html.j2", problem="That code did not match: try the newest one.",
                    status=401)
    forget_failures(ws.db, email=email)
    response = RedirectResponse(LANDING[signed_in.user.role], status_code=303)
    second_factor_passed(response, ws, visit.session_id, signed_in.user)
    return response


def tidy(ws, now: dt.datetime) -> None:
    """Sessions past their limits and failures past any lock go (at every sign-in: nothing else
    would remove the traces of someone who never signs in)."""
    settings = ws.settings
    end_stale_sessions(ws.db, idle_before=now - dt.timedelta(minutes=settings.idle_minutes),
                       started_before=now - dt.timedelta(hours=settings.absolute_hours))
    forget_failures(ws.db, before=now - dt.timedelta(minutes=2 * settings.lockout_minutes))


@declare("/sign-out", roles=EVERYONE, methods=("POST",), name="sign_out")
async def sign_out(request: Request, visit: Visit) -> Response:
    response = RedirectResponse("/sign-in", status_code=303)
    end(request, response, visit.ws)
    return response


ROUTES = [home, sign_in_form, sign_in, second_factor_form, second_factor, sign_out]
