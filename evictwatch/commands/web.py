"""The partner workspace: `evictwatch serve`, its accounts (`users`) and its audit trail (`audit`)."""

from __future__ import annotations

import datetime as dt
import getpass
import os
import sys

import typer
import uvicorn

from evictwatch.commands.common import Globals, err, fail, known_partner, out, parse_day
from evictwatch.commands.database import existing_store, open_store
from evictwatch.jobs.web import CONFIG_VARIABLE, DATABASE_VARIABLE, new_password, new_user, workspace, workspace_app
from pipeline.store.accounts import AccountExists, Role, all_users, disable_user
from pipeline.store.api_tokens import add_token, all_tokens, revoke_token
from pipeline.store.audit import audit_rows
from web.api import new_token
from web.app import create_app
from web.passwords import WeakPassword, totp_uri

users_app = typer.Typer(no_args_is_help=True, rich_markup_mode=None,
                        help="The workspace's accounts: legal aid (names), task force (figures), operator.")


def serve(
    ctx: typer.Context,
    host: str = typer.Option("127.0.0.1", help="Address to listen on (keep it local behind a reverse proxy)."),
    port: int = typer.Option(8080, help="Port."),
    workers: int = typer.Option(1, help="Worker processes (several need PostgreSQL: they share its store)."),
    forwarded_allow_ips: str = typer.Option("127.0.0.1", "--forwarded-allow-ips", help="The reverse proxies whose "
                                            "X-Forwarded-For is believed (comma-separated addresses)."),
) -> None:
    """Serve the partner workspace: search, cases, dashboard, runs (sign in with an account from `users add`)."""
    g: Globals = ctx.obj
    config = g.config()
    store = open_store(g)
    if workers > 1 and store.dialect != "postgresql":
        fail("--workers above 1 needs a PostgreSQL database: the workers share sessions and sign-in throttling "
             "through it (a SQLite file is written by one process at a time)", code=2)
    if not all_users(store):
        err.print("note: no account yet: add one with `evictwatch users add EMAIL --role ... --password-stdin`",
                  highlight=False)
    err.print(f"workspace at http://{host}:{port}/ (people open {config.web.base_url}; Ctrl-C stops it)",
              highlight=False)
    served = dict(host=host, port=port, log_level="warning", proxy_headers=True, forwarded_allow_ips=forwarded_allow_ips,
                  server_header=False, date_header=False)
    if workers == 1:
        uvicorn.run(create_app(workspace(config, store)), **served)
        return
    # Each worker process makes its workspace itself, from the same configuration and database.
    os.environ[CONFIG_VARIABLE], os.environ[DATABASE_VARIABLE] = str(g.config_path.resolve()), store.url
    uvicorn.run(f"{workspace_app.__module__}:{workspace_app.__name__}", factory=True, workers=workers, **served)


def _password() -> str:
    if sys.stdin.isatty():  # typed by a person: not echoed
        return getpass.getpass("password (one line): ")
    line = sys.stdin.readline()
    if not line:
        fail("--password-stdin: give the password as one line on standard input", code=2)
    return line.rstrip("\r\n")


@users_app.command("add")
def users_add(
    ctx: typer.Context,
    email: str = typer.Argument(..., help="The person's e-mail address (what they sign in with)."),
    role: Role = typer.Option(..., "--role", help="legal_aid (names), task_force (figures only) or operator."),
    partner: str = typer.Option(None, "--partner", help="A legal-aid user's partner (its name in the config)."),
    password_stdin: bool = typer.Option(False, "--password-stdin", help="Read the password from one line of "
                                        "standard input (required: never on the command line)."),
    totp: bool = typer.Option(False, "--totp", help="Give the account a second factor (an authenticator app)."),
) -> None:
    """Add a workspace account."""
    g: Globals = ctx.obj
    if not password_stdin:
        fail("give the password with --password-stdin (one line on standard input), never as an argument", code=2)
    if role is Role.LEGAL_AID:
        if not partner:
            fail("--partner: a legal-aid user sees its partner's cases; name the partner", code=2)
        known_partner(g.config(), partner, g.config_path)
    elif partner:
        fail(f"--partner: only a legal-aid user belongs to a partner, not a {role.value} user", code=2)
    password = _password()
    store = open_store(g)
    try:
        user, secret = new_user(store, email, role, password, partner=partner, totp=totp)
    except (AccountExists, WeakPassword) as exc:
        fail(str(exc), code=2)
    out.print(f"added {user.email} ({user.role.value}" + (f", {user.partner}" if user.partner else "") + ")",
              highlight=False)
    if secret:
        out.print(f"second factor: add this to the person's authenticator app (shown once): {totp_uri(secret, user.email)}",
                  highlight=False)


@users_app.command("list")
def users_list(ctx: typer.Context) -> None:
    """The accounts: e-mail, role, partner, second factor, state."""
    for user in all_users(existing_store(ctx.obj)):
        typer.echo(f"{user.email}\t{user.role.value}\t{user.partner or '-'}\t"  # tab-separated, for scripts
                   f"{'2fa' if user.totp_secret else 'no 2fa'}\t{'disabled' if user.disabled else 'active'}")


@users_app.command("disable")
def users_disable(ctx: typer.Context, email: str = typer.Argument(..., help="The account's e-mail address.")) -> None:
    """Disable an account and end its sessions (`users reset` enables it again)."""
    if not disable_user(open_store(ctx.obj), email):
        fail(f"no account {email}: see `evictwatch users list`", code=2)
    out.print(f"disabled {email.strip().lower()}; signed out everywhere", highlight=False)


@users_app.command("reset")
def users_reset(
    ctx: typer.Context,
    email: str = typer.Argument(..., help="The account's e-mail address."),
    totp: bool = typer.Option(None, "--totp/--no-totp", help="Give the account a new second factor, or remove it; "
                              "default: keep it as it is."),
) -> None:
    """Give an account a new password (one line on standard input), enable it, end its sessions."""
    password = _password()
    try:
        found, secret = new_password(open_store(ctx.obj), email, password, totp=totp)
    except WeakPassword as exc:
        fail(str(exc), code=2)
    if not found:
        fail(f"no account {email}: see `evictwatch users list`", code=2)
    out.print(f"new password for {email.strip().lower()}; signed out everywhere", highlight=False)
    if secret:
        out.print(f"second factor (shown once): {totp_uri(secret, email.strip().lower())}", highlight=False)


def audit(
    ctx: typer.Context,
    user: str = typer.Option(None, "--user", help="Only this account's views."),
    since: str = typer.Option(None, "--since", help="Only from this date (YYYY-MM-DD)."),
) -> None:
    """Who viewed or downloaded whose case or list in the workspace, newest first (never a tenant's name)."""
    day = parse_day(since, "--since")
    start = dt.datetime.combine(day, dt.time(), tzinfo=dt.timezone.utc) if day else None
    rows = audit_rows(existing_store(ctx.obj), user_email=user, since=start)
    for row in rows:
        what = " ".join(x for x in (row.court_id, row.case_number, row.detail) if x)
        typer.echo(f"{row.at.strftime('%Y-%m-%d %H:%M:%S')}Z\t{row.user_email}\t{row.action.value}\t{what}")
    if not rows:
        out.print("no views recorded" + (f" for {user}" if user else "") + (f" since {since}" if since else ""),
                  highlight=False)


tokens_app = typer.Typer(no_args_is_help=True, rich_markup_mode=None,
                         help="Partners' tokens for the JSON API (/api/v1).")


@tokens_app.command("add")
def tokens_add(ctx: typer.Context,
               partner: str = typer.Option(..., "--partner", help="The partner whose cases the token reads.")) -> None:
    """Make a token for a partner's own system; it is shown once (the store keeps its hash)."""
    g: Globals = ctx.obj
    known_partner(g.config(), partner, g.config_path)
    token, hashed = new_token()
    made = add_token(open_store(g), partner, hashed)
    out.print(f"token {made.id} for {partner} (shown once; send it as Authorization: Bearer):", highlight=False)
    typer.echo(token)


@tokens_app.command("list")
def tokens_list(ctx: typer.Context) -> None:
    """Every token: id, partner, made, last used, revoked (never the token)."""
    for t in all_tokens(existing_store(ctx.obj)):
        stamp = lambda at: at.strftime("%Y-%m-%d %H:%M") if at else "-"  # noqa: E731
        typer.echo(f"{t.id}\t{t.partner}\tmade {stamp(t.created_at)}\tlast used {stamp(t.last_used_at)}\t"
                   + (f"revoked {stamp(t.revoked_at)}" if t.revoked_at else "active"))


@tokens_app.command("revoke")
def tokens_revoke(ctx: typer.Context, token_id: int = typer.Argument(..., help="The token's id (`tokens list`).")) -> None:
    """Revoke a token: its next request is refused."""
    if not revoke_token(open_store(ctx.obj), token_id):
        fail(f"no active token {token_id}: see `evictwatch tokens list`", code=2)
    out.print(f"token {token_id} revoked", highlight=False)


commands = typer.Typer(rich_markup_mode=None)
commands.command("serve")(serve)
commands.command("audit")(audit)
commands.add_typer(users_app, name="users")
commands.add_typer(tokens_app, name="tokens")
