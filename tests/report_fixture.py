"""A deterministic store for the trend report's tests: ~60 weeks of synthetic eviction cases
in two courts, with every outcome the report counts, and scrape runs for its health footer."""

from __future__ import annotations

import datetime as dt
import random
from decimal import Decimal

from sqlalchemy import text

from pipeline.ingest import refresh_landlords
from pipeline.landlords import LandlordOverrides
from pipeline.prepare import prepare
from pipeline.store import db
from pipeline.store.repo import Store
from scraper.base import Court
from scraper.courts import get_source
from scraper.records import CaseRecord, Hearing, Judgment, Party
from scraper.courts.va_gdc.vocab import VOCABULARY as VA_GDC

REPORT_WEEK = "2026-W48"
MONDAY = dt.date(2026, 11, 23)
TODAY = dt.date(2026, 11, 30)
HOSTILE_LANDLORD = "<script>alert('x')</script> & CO LLC"
LANDLORDS = ["ORCHARD RIDGE APTS LLC", "WILLOW CREEK TERRACE LLC", "HARBOR POINTE OWNER LLC", HOSTILE_LANDLORD,
             "SMITH, JOHN", "BRIGHTWATER COMMONS LLC"]
ZIPS = ["22301", "22302", "22304", "22305", "22311", "22312"]
COURTS = {"alexandria": "510", "arlington": "013"}


def _case(rng: random.Random, court: str, n: int, filed: dt.date, households: list[tuple[str, str]]) -> CaseRecord:
    landlord = rng.choice(LANDLORDS[:4] if rng.random() < 0.8 else LANDLORDS)
    if households and rng.random() < 0.2:
        name, zip5 = rng.choice(households)  # sued again: a serial filing
    else:
        name, zip5 = f"TENANT{court[:3].upper()}{n}, ANA", rng.choice(ZIPS)
        households.append((name, zip5))
    first = filed + dt.timedelta(days=rng.randint(14, 40))
    hearings, judgment = [], None
    fate = rng.random()
    if fate < 0.12:
        hearings.append(Hearing(date=first, time=dt.time(9, 0), result="Continued", type="Return"))
        first = first + dt.timedelta(days=21)
    if fate < 0.25:
        hearings.append(Hearing(date=first, time=dt.time(9, 0), result="Dismissed" if rng.random() < 0.7 else "Non-suit",
                                type="Return"))
    elif fate < 0.85:
        default = rng.random() < 0.6
        hearings.append(Hearing(date=first, time=dt.time(9, 0), result="Default Judgment" if default else "Judgment",
                                type="Return"))
        for_landlord = default or rng.random() < 0.8
        writ = first + dt.timedelta(days=rng.randint(11, 30)) if for_landlord and rng.random() < 0.5 else None
        executed = writ + dt.timedelta(days=rng.randint(3, 12)) if writ and rng.random() < 0.6 else None
        judgment = Judgment(judgment="Plaintiff" if for_landlord else "Defendant",
                            principal=Decimal(rng.randint(300, 9000)) + Decimal("0.55") if for_landlord else None,
                            possession=(True if rng.random() < 0.7 else None) if for_landlord else False,
                            writ_issued_date=writ, writ_executed_date=executed)
    else:
        hearings.append(Hearing(date=first, time=dt.time(10, 30), type="Return"))  # not heard yet
    return CaseRecord(
        court=court, case_number=f"GV{filed:%y}{n:06d}-00", matter_key=f"GV{filed:%y}{n:06d}", filed_date=filed,
        case_type="Unlawful Detainer",
        plaintiffs=(Party(name=landlord, address="FAIRFAX, VA 22030"),),
        defendants=(Party(name=name, address=f"ALEXANDRIA, VA {zip5}",
                          attorney=("LEGAL AID, PAT", "NONE", None, "PRO SE", " none ", "SELF-REPRESENTED")[n % 6]),),
        hearings=tuple(hearings), judgment=judgment)


def populate(store: Store, seed: int = 7) -> list[CaseRecord]:
    rng = random.Random(seed)
    records: list[CaseRecord] = []
    first_day = MONDAY - dt.timedelta(days=7 * 60)
    for court, fips in COURTS.items():
        store.ensure_court(Court(court, get_source("va-gdc"), fips, "https://portal.example.invalid/gdcourts/"))
        households: list[tuple[str, str]] = []
        n = 0
        day = first_day
        while day <= MONDAY + dt.timedelta(days=6):
            if day.weekday() < 5:
                for _ in range(rng.randint(0, 3 if court == "alexandria" else 1)):
                    n += 1
                    records.append(_case(rng, court, n, day, households))
            day += dt.timedelta(days=1)
    records.append(CaseRecord(  # another case type: never counted
        court="alexandria", case_number="GV26999999-00", matter_key="GV26999999", filed_date=MONDAY,
        case_type="Warrant in Debt", plaintiffs=(Party(name="BANK"),), defendants=(Party(name="X, Y"),)))
    store.save([prepare(r, TODAY, "America/New_York", VA_GDC) for r in records])
    refresh_landlords(store, LandlordOverrides.empty())
    with store.engine.begin() as conn:
        for court, as_of, outcome, layout in (("alexandria", dt.date(2026, 11, 24), "ok", 0),
                                              ("alexandria", dt.date(2026, 11, 27), "failed", 2),
                                              ("arlington", dt.date(2026, 11, 10), "ok", 0)):
            conn.execute(text(
                "INSERT INTO scrape_runs (court_id, started_at, finished_at, since, until, outcome, result_pages, "
                "detail_pages, requests, retries, throttled, cases_seen, new_cases, updated_cases, unchanged_cases, "
                "bad_case_numbers, layout_errors, as_of, unknown_values) VALUES (:court, :t, :t, :since, :until, "
                ":outcome, 4, 30, 40, 1, 0, 30, 5, 2, 23, 0, :layout, :d, 1)"),
                # Windows that saw every case the fixture holds: its weeks are complete.
                {"court": court, "t": dt.datetime(as_of.year, as_of.month, as_of.day, 6), "d": as_of,
                 "since": first_day - dt.timedelta(days=7), "until": as_of + dt.timedelta(days=90),
                 "outcome": outcome, "layout": layout})
    return records


def filled_store(request, sqlite_url: str) -> tuple[Store, list[CaseRecord], str]:
    """A store of the fixture's cases on SQLite or PostgreSQL (`request.param`), its records and URL."""
    url = sqlite_url if request.param == "sqlite" else request.getfixturevalue("pg_url")
    engine = db.make_engine(url)
    db.upgrade(engine)
    store = Store(engine)
    return store, populate(store), url
