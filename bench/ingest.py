"""Ingest throughput: normalize + dedupe + upsert synthetic cases into SQLite.

    .venv/bin/python bench/ingest.py [--cases 100000] [--baseline-cases 3000] [--batch 5000]

Prints, from one run:
- end to end (prepare: normalize, lifecycle, keys; then bulk upsert) in cases/s;
- the storage step alone (already-prepared cases, bulk upsert) in cases/s;
- the same storage done row by row through the ORM (one session and commit per case), the
  baseline, in cases/s on a subset, and the ratio against it;
- a second pass over the same cases (no changes): rows written;
- peak RSS.
Synthetic cases: 3 parties (a landlord from a small pool of spellings, two tenants) and 3
hearings each; tenant names drawn so that >= 90% are distinct.
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
import resource
import sys
import tempfile
import time
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from sqlmodel import Session  # noqa: E402

from pipeline.prepare import prepare  # noqa: E402
from pipeline.store import db  # noqa: E402
from pipeline.store import models as m  # noqa: E402
from pipeline.store.repo import Store  # noqa: E402
from pipeline.store.rows import cents  # noqa: E402
from scraper.base import Court
from scraper.courts import get_source
from scraper.records import CaseRecord, Hearing, Judgment, Party  # noqa: E402
from scraper.courts.va_gdc.vocab import VOCABULARY as VA_GDC

TODAY = dt.date(2026, 11, 27)
ZONE = "America/New_York"
LAST = ["SMITH", "JOHNSON", "WILLIAMS", "BROWN", "JONES", "GARCIA", "MILLER", "DAVIS", "RODRIGUEZ", "MARTINEZ",
        "HERNANDEZ", "LOPEZ", "GONZALEZ", "WILSON", "ANDERSON", "THOMAS", "TAYLOR", "MOORE", "JACKSON", "MARTIN",
        "LEE", "PEREZ", "THOMPSON", "WHITE", "HARRIS", "SANCHEZ", "CLARK", "RAMIREZ", "LEWIS", "ROBINSON",
        "WALKER", "YOUNG", "ALLEN", "KING", "WRIGHT", "SCOTT", "TORRES", "NGUYEN", "HILL", "FLORES", "PEÑA",
        "MUÑOZ", "O'BRIEN", "DE LA CRUZ", "OKAFOR", "HALVORSEN", "KOVAC", "QUIST", "BAPTISTE", "ABERNATHY"]
FIRST = ["JAMES", "MARY", "ROBERT", "PATRICIA", "JOHN", "JENNIFER", "MICHAEL", "LINDA", "DAVID", "ELIZABETH",
         "WILLIAM", "BARBARA", "RICHARD", "SUSAN", "JOSEPH", "JESSICA", "THOMAS", "SARAH", "CARLOS", "KAREN",
         "JOSÉ", "MARISOL", "ANA MARIA", "DESHAWN", "AISHA", "TREVON", "LATOYA", "MOHAMED", "FATIMA", "WEI",
         "MIGUEL", "ROSA", "KEISHA", "ANDRE", "LUIS", "ELENA", "TYRONE", "IMANI", "JAMAL", "NIA"]
LANDLORDS = [["ORCHARD RIDGE APARTMENTS LLC", "ORCHARD RIDGE APTS LLC", "ORCHARD RIDGE APARTMENTS, L.L.C."],
             ["BAYVIEW TERRACE LP", "BAYVIEW TERRACE, L.P.", "THE BAYVIEW TERRACE LP"],
             ["PINE & OAK HOLDINGS LLC", "PINE AND OAK HOLDINGS LLC"],
             ["LINDEN ASH RESIDENTIAL LLC T/A LINDEN COURT", "LINDEN ASH RESIDENTIAL LLC"]]


def synthetic_cases(count: int, seed: int = 7):
    rng = random.Random(seed)
    small = [f"{rng.choice(LAST)} {rng.choice(['PROPERTIES', 'REALTY', 'HOLDINGS'])} {i} LLC" for i in range(400)]
    for i in range(count):
        landlord = rng.choice(rng.choice(LANDLORDS)) if rng.random() < 0.7 else rng.choice(small)
        zip5 = f"223{rng.randint(1, 15):02d}"
        tenants = tuple(
            Party(name=f"{rng.choice(LAST)}, {rng.choice(FIRST)} {chr(65 + rng.randint(0, 25))}{rng.randint(0, 99):02d}",
                  address=f"ALEXANDRIA, VA {zip5}", attorney="NONE")
            for _ in range(2))
        filed = TODAY - dt.timedelta(days=rng.randint(30, 400))
        results = rng.choice([("Continued", "Continued", "Default Judgment"), ("Continued", "Dismissed", ""),
                              ("Default Judgment", "", ""), ("Continued", "Continued", "Judgment")])
        hearings = tuple(Hearing(date=filed + dt.timedelta(days=21 + 14 * k), time=dt.time(9 + k, 30),
                                 result=results[k] or None, type="Return", courtroom="COURTROOM 2B") for k in range(3))
        judged = any(r in ("Default Judgment", "Judgment") for r in results)
        judgment = Judgment(judgment="Plaintiff", principal=Decimal(rng.randint(500, 20000)).quantize(Decimal("0.01")),
                            costs=Decimal("86.00"), possession=True,
                            writ_issued_date=filed + dt.timedelta(days=70) if rng.random() < 0.4 else None,
                            satisfied=False) if judged else None
        number = f"GV{filed.year % 100:02d}{i:06d}-00"
        yield CaseRecord(court="alexandria", case_number=number, matter_key=number[:-3], filed_date=filed,
                         case_type="Unlawful Detainer", debt_type="Landlord/Tenant",
                         plaintiffs=(Party(name=landlord, address="FAIRFAX, VA 22030", attorney="NONE"),),
                         defendants=tenants, hearings=hearings, judgment=judgment)


def fresh_store(folder: str, name: str) -> Store:
    engine = db.make_engine(f"sqlite:///{folder}/{name}.db")
    db.upgrade(engine)
    store = Store(engine)
    store.ensure_court(Court("alexandria", get_source("va-gdc"), "510", "https://eapps.courts.state.va.us/gdcourts/"))
    return store


def batches(records, size):
    batch = []
    for record in records:
        batch.append(record)
        if len(batch) == size:
            yield batch
            batch = []
    if batch:
        yield batch


def row_by_row(store: Store, items) -> None:
    """The baseline: the ORM, one object per row, one session and commit per case."""
    now = dt.datetime.now(dt.timezone.utc)
    for item in items:
        record = item.record
        with Session(store.engine) as session:
            case = m.Case(court_id="alexandria", case_number=record.case_number, matter_key=record.matter_key,
                          filed_date=record.filed_date, case_type=record.case_type, content_hash=item.content_hash,
                          first_seen_at=now, last_changed_at=now, status=item.life.status)
            session.add(case)
            session.flush()
            for p in item.parties:
                session.add(m.PartyRow(case_id=case.id, role=p.role, position=p.position, name=p.raw.name,
                                    address=p.raw.address, kind=p.norm.kind, zip5=p.address.zip5 if p.address else None))
            for i, h in enumerate(record.hearings):
                session.add(m.HearingRow(case_id=case.id, position=i, date=h.date, time=h.time, result=h.result))
            if record.judgment:
                session.add(m.JudgmentRow(case_id=case.id, judgment=record.judgment.judgment,
                                       principal_cents=cents(record.judgment.principal)))
            session.add(m.CaseEvent(case_id=case.id, kind="first_seen", new_value=item.life.status, seen_at=now))
            session.commit()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--cases", type=int, default=100_000)
    parser.add_argument("--baseline-cases", type=int, default=3_000)
    parser.add_argument("--batch", type=int, default=5_000)
    args = parser.parse_args()
    names = {p.name for r in synthetic_cases(min(args.cases, 20_000)) for p in r.defendants}
    print(f"{args.cases} synthetic cases; distinct tenant names in the first 20,000 cases: "
          f"{len(names) / (2 * min(args.cases, 20_000)):.1%}")
    with tempfile.TemporaryDirectory() as folder:
        store = fresh_store(folder, "bulk")
        prepare_s = store_s = 0.0
        for batch in batches(synthetic_cases(args.cases), args.batch):
            started = time.perf_counter()
            items = [prepare(r, TODAY, ZONE, VA_GDC) for r in batch]
            prepared = time.perf_counter()
            store.save(items)
            prepare_s += prepared - started
            store_s += time.perf_counter() - prepared
        end_to_end = args.cases / (prepare_s + store_s)
        storage = args.cases / store_s
        print(f"end to end (normalize + dedupe + bulk upsert): {end_to_end:,.0f} cases/s "
              f"({prepare_s:.1f} s preparing, {store_s:.1f} s storing)")
        print(f"storage alone, bulk upsert: {storage:,.0f} cases/s")

        counts = store.table_counts()
        started = time.perf_counter()
        unchanged = 0
        for batch in batches(synthetic_cases(args.cases), args.batch):
            unchanged += store.save([prepare(r, TODAY, ZONE, VA_GDC) for r in batch]).unchanged
        second = time.perf_counter() - started
        written = sum(abs(a - counts[t]) for t, a in store.table_counts().items())
        print(f"second pass, no changes: {unchanged:,} unchanged, {written} rows written, "
              f"{args.cases / second:,.0f} cases/s")

        baseline_store = fresh_store(folder, "baseline")
        subset = [prepare(r, TODAY, ZONE, VA_GDC) for r in synthetic_cases(args.baseline_cases, seed=11)]
        started = time.perf_counter()
        row_by_row(baseline_store, subset)
        baseline = args.baseline_cases / (time.perf_counter() - started)
        print(f"baseline, row by row through the ORM ({args.baseline_cases:,} cases): {baseline:,.0f} cases/s; "
              f"bulk storage is {storage / baseline:.1f}x the baseline")
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"peak RSS: {peak_mb:,.0f} MB")


if __name__ == "__main__":
    main()
