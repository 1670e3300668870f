"""The weekly trend report on a million cases: seconds and peak RSS.

    .venv/bin/python bench/report.py [--cases 1000000] [--courts 10] [--years 5] [--rebuild]

Builds (once, cached under bench/.cache/) a SQLite store of synthetic eviction cases spread
over `years` of weekdays in `courts` courts, with parties, hearings, judgments, landlord groups
(a long tail: a few landlords file most) and households (a fifth sued again), schema and
indexes from the migrations. Rows are stored roughly in filing order, as weekly scrapes add them. Then, each in a fresh process:
- the report for the last full week, built (SQL) and rendered (charts, HTML) into a temporary
  archive: seconds for that step, the whole process's wall time (imports included), peak RSS;
- the baseline: the same report with the indexes of migration 0005 dropped, and the ratio.
The indexes are recreated afterwards. Targets: < 3 s and < 500 MB for the report.
"""

from __future__ import annotations

import argparse
import datetime as dt
import hashlib
import random
import resource
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

REPORT_WEEK = "2026-W47"
LAST_DAY = dt.date(2026, 11, 27)
STATUS_CLOSED = {"dismissed", "non_suited", "judgment_defendant", "writ_executed", "satisfied"}
INDEXES_0005 = {"ix_cases_filed_court_type": "cases (filed_date, court_id, case_type)",
                "ix_cases_judgment_date": "cases (judgment_date)",
                "ix_hearings_date_result": "hearings (date, result_code)",
                "ix_judgments_writ_issued": "judgments (writ_issued_date)",
                "ix_judgments_writ_executed": "judgments (writ_executed_date)"}


def _weekdays(first: dt.date, last: dt.date) -> list[dt.date]:
    days, day = [], first
    while day <= last:
        if day.weekday() < 5:
            days.append(day)
        day += dt.timedelta(days=1)
    return days


def build(path: Path, cases: int, courts: int, years: int, seed: int = 11) -> None:
    from pipeline.store import db

    path.parent.mkdir(parents=True, exist_ok=True)
    path.unlink(missing_ok=True)
    engine = db.make_engine(f"sqlite:///{path}")
    db.upgrade(engine)
    engine.dispose()
    rng = random.Random(seed)
    days = _weekdays(LAST_DAY - dt.timedelta(days=365 * years), LAST_DAY)
    court_ids = [f"court{i:02d}" for i in range(courts)]
    landlords = [(f"L{i:05d}", f"SYNTHETIC PROPERTIES {i} LLC", f"SYNTHETIC PROPERTIES {i}") for i in range(3000)]
    zips = [f"22{n:03d}" for n in range(300, 360)]
    stamp = "2026-11-27 06:00:00.000000"
    conn = sqlite3.connect(path)
    conn.executescript("PRAGMA journal_mode=OFF; PRAGMA synchronous=OFF;")
    conn.executemany("INSERT INTO courts (id, source, code, base_url) VALUES (?, 'va-gdc', ?, "
                     "'https://eapps.courts.state.va.us/gdcourts/')", [(c, f"{i:03d}") for i, c in enumerate(court_ids)])
    conn.executemany("INSERT INTO landlords (id, canonical_name, key, case_count) VALUES (?, ?, ?, 0)", landlords)
    conn.executemany("INSERT INTO landlord_aliases (key, landlord_id) VALUES (?, ?)",
                     [(key, lid) for lid, _, key in landlords])
    case_rows, party_rows, hearing_rows, judgment_rows = [], [], [], []
    households: dict[str, list[tuple[str, str]]] = {c: [] for c in court_ids}
    for n in range(1, cases + 1):
        court = court_ids[n % courts]
        # Rows arrive roughly in filing order, as a scraper that runs every week stores them.
        filed = days[min(len(days) - 1, max(0, (n - 1) * len(days) // cases + rng.randint(-3, 3)))]
        landlord = landlords[min(int(rng.paretovariate(1.1)) - 1, len(landlords) - 1) if rng.random() < 0.6
                             else rng.randrange(len(landlords))]
        pool = households[court]
        if pool and rng.random() < 0.2:
            household, zip5 = pool[rng.randrange(len(pool))]
        else:
            household, zip5 = f"H{court}{n}", rng.choice(zips)
            pool.append((household, zip5))
        first = filed + dt.timedelta(days=rng.randint(14, 40))
        fate = rng.random()
        status, judgment_date, to_writ, result = "hearing_scheduled", None, None, None
        if first <= LAST_DAY:
            if fate < 0.25:
                result, code, status = ("Dismissed", "dismissed", "dismissed") if fate < 0.18 else \
                    ("Non-suit", "non_suit", "non_suited")
            else:
                default = rng.random() < 0.6
                result, code = ("Default Judgment", "default_judgment") if default else ("Judgment", "judgment")
                judgment_date, for_landlord = first, default or rng.random() < 0.8
                writ = first + dt.timedelta(days=rng.randint(11, 30)) if for_landlord and rng.random() < 0.5 else None
                writ = writ if writ and writ <= LAST_DAY else None
                executed = writ + dt.timedelta(days=rng.randint(3, 12)) if writ and rng.random() < 0.6 else None
                executed = executed if executed and executed <= LAST_DAY else None
                status = ("writ_executed" if executed else "writ_issued" if writ else
                          "judgment_plaintiff" if for_landlord else "judgment_defendant")
                to_writ = (writ - first).days if writ else None
                judgment_rows.append((n, "Plaintiff" if for_landlord else "Defendant",
                                      "plaintiff" if for_landlord else "defendant",
                                      rng.randint(30_000, 900_000) if for_landlord else None,
                                      1 if for_landlord else 0, writ.isoformat() if writ else None,
                                      executed.isoformat() if executed else None))
        else:
            code = "pending"
        case_rows.append((n, court, f"GV{filed:%y}{n:07d}-00", f"GV{filed:%y}{n:07d}", filed.isoformat(),
                          f"{n:064x}", stamp, stamp, status, int(status in STATUS_CLOSED), (first - filed).days,
                          judgment_date.isoformat() if judgment_date else None, to_writ, landlord[2], household,
                          "h:" + hashlib.sha256(household.encode()).hexdigest()[:24], zip5))
        party_rows.append((n, "plaintiff", 0, landlord[1], None))
        party_rows.append((n, "defendant", 0, f"TENANT {n}, SYNTHETIC", zip5))
        hearing_rows.append((n, 0, first.isoformat(), result, code))
        if len(case_rows) >= 50_000:
            _flush(conn, case_rows, party_rows, hearing_rows, judgment_rows)
    _flush(conn, case_rows, party_rows, hearing_rows, judgment_rows)
    for i, court in enumerate(court_ids):
        conn.execute("INSERT INTO scrape_runs (court_id, started_at, finished_at, since, until, outcome, result_pages, "
                     "detail_pages, requests, retries, throttled, cases_seen, new_cases, updated_cases, "
                     "unchanged_cases, bad_case_numbers, layout_errors, as_of, unknown_values) VALUES "
                     "(?, ?, ?, ?, ?, 'ok', 20, 400, 430, 2, 0, 400, 60, 30, 310, 0, 0, ?, 0)",
                     (court, stamp, stamp, "2026-11-20", "2026-11-27", "2026-11-26"))
        # The scrapes have looked at this court's hearings since the first filing: its first run.
        first = days[0].isoformat()
        conn.execute("INSERT INTO scrape_runs (court_id, started_at, finished_at, since, until, outcome, result_pages, "
                     "detail_pages, requests, retries, throttled, cases_seen, new_cases, updated_cases, "
                     "unchanged_cases, bad_case_numbers, layout_errors, as_of, unknown_values) VALUES "
                     "(?, ?, ?, ?, ?, 'ok', 20, 400, 430, 2, 0, 400, 400, 0, 0, 0, 0, ?, 0)",
                     (court, f"{first} 06:00:00.000000", f"{first} 06:10:00.000000", first, first, first))
    conn.commit()
    conn.execute("ANALYZE")
    conn.close()


def _flush(conn, case_rows, party_rows, hearing_rows, judgment_rows) -> None:
    conn.executemany("INSERT INTO cases (id, court_id, case_number, matter_key, filed_date, case_type, kind, "
                     "details_json, content_hash, first_seen_at, last_changed_at, status, closed, "
                     "days_to_first_hearing, judgment_date, days_judgment_to_writ, landlord_key, household_key, household_hash, "
                     "zip5) VALUES (?, ?, ?, ?, ?, 'Unlawful Detainer', 'eviction', '{}', ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                     case_rows)
    conn.executemany("INSERT INTO parties (case_id, role, position, name, zip5) VALUES (?, ?, ?, ?, ?)", party_rows)
    conn.executemany("INSERT INTO hearings (case_id, position, date, result, result_code) VALUES (?, ?, ?, ?, ?)",
                     hearing_rows)
    conn.executemany("INSERT INTO judgments (case_id, judgment, judgment_code, principal_cents, possession, "
                     "writ_issued_date, writ_executed_date) VALUES (?, ?, ?, ?, ?, ?, ?)", judgment_rows)
    for rows in (case_rows, party_rows, hearing_rows, judgment_rows):
        rows.clear()


CHILD = """
import datetime as dt, sys, tempfile, time
from pathlib import Path
sys.path.insert(0, {root!r})
start = time.perf_counter()
from pipeline.store.repo import Store
from pipeline.store import db
from reports.render import write_report
from reports.weekly import build_report
engine = db.make_engine({url!r})
courts = ["court%02d" % i for i in range({courts})]
ready = time.perf_counter()
report = build_report(Store(engine), {week!r}, health_courts=courts, today=dt.date(2026, 11, 27))
built = time.perf_counter()
path = write_report(report, Path(tempfile.mkdtemp()), generated_at=dt.datetime.now(dt.timezone.utc),
                    names={{}}, covers="eviction cases")
done = time.perf_counter()
print(done - ready, built - ready, done - built, done - start, path.stat().st_size, int(report.headlines[0].value or 0))
"""


def run_report(path: Path, courts: int) -> tuple[float, float, float, float, int, int, float]:
    """(report s, SQL s, render s, process s incl. imports, HTML bytes, filings, peak RSS MB) in a fresh process."""
    code = CHILD.format(root=str(ROOT), url=f"sqlite:///{path}", courts=courts, week=REPORT_WEEK)
    before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    started = time.perf_counter()
    out = subprocess.run([sys.executable, "-c", code], check=True, capture_output=True, text=True).stdout.split()
    wall = time.perf_counter() - started
    peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    report_s, sql_s, render_s, _, size, filings = float(out[0]), float(out[1]), float(out[2]), out[3], int(out[4]), int(out[5])
    # ru_maxrss of children is the largest child so far: the first run sets it, later runs can only raise it.
    return report_s, sql_s, render_s, wall, size, filings, max(peak, before) / 1024


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cases", type=int, default=1_000_000)
    parser.add_argument("--courts", type=int, default=10)
    parser.add_argument("--years", type=int, default=5)
    parser.add_argument("--rebuild", action="store_true", help="build the store again even if cached")
    args = parser.parse_args()
    path = ROOT / "bench" / ".cache" / f"report-{args.cases}-{args.courts}-{args.years}.db"
    if args.rebuild or not path.exists():
        started = time.perf_counter()
        partial = path.with_suffix(".partial")
        build(partial, args.cases, args.courts, args.years)
        partial.replace(path)  # a build that stopped half-way is never taken for the cache
        print(f"built {args.cases:,} cases ({args.courts} courts, {args.years} years) in "
              f"{time.perf_counter() - started:.1f} s: {path.stat().st_size / 1e6:,.0f} MB at {path}")
    report_s, sql_s, render_s, wall, size, filings, rss = run_report(path, args.courts)
    print(f"report {REPORT_WEEK} ({filings:,} filings that week): {report_s:.2f} s "
          f"(SQL {sql_s:.2f} s, charts+HTML {render_s:.2f} s); process with imports {wall:.2f} s; "
          f"peak RSS {rss:,.0f} MB; {size / 1e3:,.0f} kB of HTML   [target < 3 s, < 500 MB]")
    conn = sqlite3.connect(path)
    try:
        for name in INDEXES_0005:
            conn.execute(f"DROP INDEX IF EXISTS {name}")
        conn.commit()
        base_s, base_sql, _, _, _, _, _ = run_report(path, args.courts)
        print(f"baseline without migration 0005's indexes: {base_s:.2f} s (SQL {base_sql:.2f} s); "
              f"indexes make the report {base_s / report_s:.1f}x faster (SQL {base_sql / sql_s:.1f}x)")
    finally:
        for name, target in INDEXES_0005.items():
            conn.execute(f"CREATE INDEX IF NOT EXISTS {name} ON {target}")
        conn.commit()
        conn.close()


if __name__ == "__main__":
    main()
