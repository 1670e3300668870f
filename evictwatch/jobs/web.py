"""The workspace made from the configuration: its settings, each partner's scope, the courts'
names and lookup pages, and its users' accounts."""

from __future__ import annotations

import datetime as dt
import os
import secrets
from dataclasses import dataclass
from pathlib import Path

from starlette.types import ASGIApp

from evictwatch.config import AppConfig, PartnerConfig, load_config
from evictwatch.listed_courts import use_listed_courts
from pipeline.store.accounts import Role, User, add_user, reset_password, user_by_email, web_secret
from pipeline.store.audit import forget_audit
from pipeline.store.browse import CaseFilter
from pipeline.store.repo import Store
from pipeline.store.rows import utc_now
from web.app import create_app
from web.passwords import hash_password, new_totp_secret
from web.settings import CourtShown, WebSettings, Workspace


def workspace(config: AppConfig, store: Store) -> Workspace:
    web = config.web
    settings = WebSettings(base_url=web.base_url, secure_cookies=web.cookies_secure, require_2fa=web.require_2fa,
                           audit_days=web.audit_days, api_per_minute=web.api_per_minute)
    partners = {p.name: partner_scope(p) for p in config.partners}
    courts = {c.id: CourtShown(c.display_name, c.lookup_url or c.base_url) for c in config.courts}
    forget_audit(store, before=utc_now() - dt.timedelta(days=web.audit_days))
    return Workspace(db=store, settings=settings, partners=partners, courts=courts, secret=web_secret(store))


CONFIG_VARIABLE, DATABASE_VARIABLE = "EVICTWATCH_WEB_CONFIG", "EVICTWATCH_WEB_DATABASE"


def workspace_app() -> ASGIApp:
    """The app of one of several server processes (`serve --workers N`): the configuration and the
    database as `serve` named them, in the environment it started them with."""
    store = Store.open(os.environ[DATABASE_VARIABLE])
    config = load_config(Path(os.environ[CONFIG_VARIABLE]))
    use_listed_courts(config, store)
    return create_app(workspace(config, store))


def partner_scope(partner: PartnerConfig) -> CaseFilter:
    """The cases a partner's legal-aid users may open: those its lists and alerts may carry
    (notify's `Filters`: courts, first tenant's ZIP, statuses, amounts, landlords)."""
    f = partner.filters
    cents = lambda amount: None if amount is None else round(amount * 100)  # noqa: E731
    return CaseFilter(courts=tuple(f.courts), zips=tuple(f.zips), statuses=tuple(f.statuses),
                      min_principal_cents=cents(f.min_amount), max_principal_cents=cents(f.max_amount),
                      landlords=tuple(name.upper() for name in f.landlords))


def new_user(store: Store, email: str, role: Role, password: str, *, partner: str | None,
             totp: bool) -> tuple[User, str | None]:
    """The account, and its second factor's secret (to give the authenticator app) when asked."""
    secret = new_totp_secret() if totp else None
    return add_user(store, email, role, hash_password(password), partner=partner, totp_secret=secret), secret


def new_password(store: Store, email: str, password: str, *, totp: bool | None) -> tuple[bool, str | None]:
    """`totp`: True gives a new second factor, False removes it, None keeps it as it is."""
    secret = new_totp_secret() if totp else None
    return reset_password(store, email, hash_password(password), totp_secret=secret, keep_totp=totp is None), secret


@dataclass(frozen=True, slots=True)
class DemoAccount:
    email: str
    role: Role
    password: str | None  # None: made by an earlier demo run (its password was shown then)


def demo_accounts(store: Store, legal_aid_partner: str) -> list[DemoAccount]:
    """A legal-aid and a task-force account for trying the workspace on the demo's data, made
    once, each with a random password that is shown once."""
    made = []
    for email, role, partner in (("legal-aid@demo.example.org", Role.LEGAL_AID, legal_aid_partner),
                                 ("task-force@demo.example.org", Role.TASK_FORCE, None)):
        if user_by_email(store, email) is not None:
            made.append(DemoAccount(email, role, None))
            continue
        password = secrets.token_urlsafe(12)
        new_user(store, email, role, password, partner=partner, totp=False)
        made.append(DemoAccount(email, role, password))
    return made
