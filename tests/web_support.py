"""A workspace over a small store for the web tests: two courts, two legal-aid partners (one per
court), a task-force user and an operator, a fixed clock."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from argon2 import PasswordHasher
from starlette.testclient import TestClient

from pipeline.ingest import refresh_landlords
from pipeline.landlords import LandlordOverrides
from pipeline.prepare import prepare
from pipeline.store.accounts import Role, add_user, web_secret
from pipeline.store.browse import CaseFilter
from pipeline.store.ledger import DeliveryKey
from pipeline.store.repo import Store
from scraper.base import Court
from scraper.courts import get_source
from scraper.courts.va_gdc.vocab import VOCABULARY as VA_GDC
from scraper.records import CaseRecord, Hearing, Party
from web import passwords
from web.app import create_app
from web.passwords import hash_password
from web.settings import CourtShown, WebSettings, Workspace

# Argon2 at the workspace's cost (64 MiB, 3 passes, 4 lanes: 0.18 s of CPU on 4 threads) for each of
# the web tests' hundred-odd sign-ins was a fifth of their time, on cores the other test worker
# needs. Still Argon2, hashed and checked as in production, only cheaper: what is tested is who
# gets in, not how hard a guess is.
passwords._HASHER = PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1)

TODAY = dt.date(2026, 11, 27)
PASSWORD = "correct horse battery"
TENANTS = ["PEÑA, JOSÉ A", "SMITH, ROBERT", "JOHNSON, MARY", "NGUYEN, LINH", "GARCIA, ANA MARIA"]
USERS = {Role.LEGAL_AID: "aid@legal-aid.example.org", Role.TASK_FORCE: "analyst@taskforce.example.org",
         Role.OPERATOR: "ops@example.org"}
OTHER_AID = "aid@arlington-aid.example.org"


class Clock:
    """The workspace's clock: fixed, moved by the test."""

    def __init__(self, now: dt.datetime) -> None:
        self.now = now

    def __call__(self) -> dt.datetime:
        return self.now


def case_record(court: str, n: int, filed: dt.date, tenant: str, zip5: str) -> CaseRecord:
    return CaseRecord(
        court=court, case_number=f"GV26{n:06d}-00", matter_key=f"GV26{n:06d}", filed_date=filed,
        case_type="Unlawful Detainer",
        plaintiffs=(Party(name="ORCHARD RIDGE APTS LLC" if n % 2 else "BIRCH HOLLOW LP", address="FAIRFAX, VA 22030"),),
        defendants=(Party(name=tenant, address=f"12 ELM ST, ALEXANDRIA, VA {zip5}"),),
        hearings=(Hearing(date=filed + dt.timedelta(days=21), time=dt.time(10, 30), type="Return",
                          courtroom="COURTROOM 2A"),),
    )


def fill(store: Store) -> None:
    for court, code in (("alexandria", "510"), ("arlington", "013")):
        store.ensure_court(Court(court, get_source("va-gdc"), code, "https://portal.example.invalid/gdcourts/"))
    records = [case_record("alexandria" if n % 3 else "arlington", n, dt.date(2026, 9, 1) + dt.timedelta(days=n),
                           TENANTS[n % len(TENANTS)] if n < 10 else f"DOE, TENANT {n}",
                           "22304" if n % 2 else "22305") for n in range(1, 61)]
    store.save([prepare(r, TODAY, "America/New_York", VA_GDC) for r in records])
    refresh_landlords(store, LandlordOverrides())


@dataclass
class Site:
    store: Store
    ws: Workspace
    clock: Clock

    def client(self) -> TestClient:
        return TestClient(create_app(self.ws), base_url="http://testserver", follow_redirects=False)

    def signed_in(self, email: str, password: str = PASSWORD) -> TestClient:
        client = self.client()
        sign_in(client, email, password)
        return client


# A weekly list each partner was sent: Alexandria's carried three of its cases.
SENT = {"Alexandria Legal Aid": ["GV26000001-00", "GV26000002-00", "GV26000004-00"],
        "Arlington Tenants": ["GV26000003-00"]}


def send_lists(store: Store) -> None:
    for partner, numbers in SENT.items():
        court = "arlington" if partner == "Arlington Tenants" else "alexandria"
        store.ledger.intend(DeliveryKey(partner, "weekly_list", "2026-W48"), message_id=f"<{partner}@x>",
                            transport="outbox", rows=len(numbers), cases=[(court, n) for n in numbers])


def make_site(store: Store, *, settings: WebSettings = WebSettings()) -> Site:
    fill(store)
    send_lists(store)
    hashed = hash_password(PASSWORD)
    add_user(store, USERS[Role.LEGAL_AID], Role.LEGAL_AID, hashed, partner="Alexandria Legal Aid")
    add_user(store, OTHER_AID, Role.LEGAL_AID, hashed, partner="Arlington Tenants")
    add_user(store, USERS[Role.TASK_FORCE], Role.TASK_FORCE, hashed)
    add_user(store, USERS[Role.OPERATOR], Role.OPERATOR, hashed)
    clock = Clock(dt.datetime(2026, 11, 27, 15, 0, tzinfo=dt.timezone.utc))
    ws = Workspace(db=store, settings=settings,
                   partners={"Alexandria Legal Aid": CaseFilter(courts=("alexandria",)),
                             "Arlington Tenants": CaseFilter(courts=("arlington",))},
                   courts={"alexandria": CourtShown("Alexandria General District Court",
                                                    "https://eapps.courts.state.va.us/gdcourts/"),
                           "arlington": CourtShown("Arlington County General District Court, Civil Division", None)},
                   secret=web_secret(store), clock=clock)
    return Site(store, ws, clock)


def csrf_of(html: str) -> str:
    found = re.search(r'name="csrf_token" value="([0-9a-f]*)"', html)
    assert found, "no CSRF token in the page"
    return found.group(1)


def sign_in(client: TestClient, email: str, password: str = PASSWORD):
    form = client.get("/sign-in")
    return client.post("/sign-in", data={"email": email, "password": password, "next": "",
                                         "csrf_token": csrf_of(form.text)})
