"""What the workspace is told by the command that serves it: its settings, whom each partner's
users may see, and the courts' names and lookup pages (the web layer reads no configuration file)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field

from pipeline.store.browse import CaseFilter
from pipeline.store.repo import Store
from pipeline.store.rows import utc_now


@dataclass(frozen=True, slots=True)
class WebSettings:
    base_url: str = "http://127.0.0.1:8080"
    secure_cookies: bool = False  # on when base_url is https (config's default)
    require_2fa: bool = False  # a second factor for every role that sees names
    audit_days: int = 365
    idle_minutes: int = 30
    absolute_hours: int = 12
    failures_allowed: int = 10  # then an account, or an address, waits
    lockout_minutes: int = 15
    api_per_minute: int = 120  # requests one API token may make a minute


@dataclass(frozen=True, slots=True)
class CourtShown:
    name: str
    lookup_url: str | None  # the court's public portal, where a person looks a case up


@dataclass
class Workspace:
    """Everything a request needs: the store, the settings, each partner's scope (the cases its
    legal-aid users may open), the courts, and the clock (fixed in tests)."""

    db: Store
    settings: WebSettings
    partners: dict[str, CaseFilter]
    courts: dict[str, CourtShown]
    secret: bytes
    clock: Callable[[], dt.datetime] = field(default=utc_now)
    # Figures that change only when the scrapes run, kept per process: (what, mark) -> value.
    memo: dict = field(default_factory=dict)
