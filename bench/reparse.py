"""`evictwatch reparse` of a large court archive: wall and CPU time on one core.

    .venv/bin/python bench/reparse.py [--pages 100000] [--baseline-pages 3000] [--rebuild]

Builds (once, cached under bench/.cache/) a SQLite store whose raw archive holds `pages`
gzip-compressed Virginia case-detail pages rendered by the bundled simulator (the four
simulated courts, 2023 to 2026) and no cases yet. Then, each on a fresh copy of it:
- `evictwatch reparse` as a newcomer runs it (a fresh process): every page decompressed,
  parsed and stored (all new), then a second pass (all unchanged);
- the baseline: the same reparse in this process with the Virginia parser swapped for the
  BeautifulSoup (html.parser) extraction of bench/va_gdc_bs4.py, on the first
  `baseline-pages` pages, and its rate against the lxml parser's.
Target: 100,000 pages in under 3 minutes.
"""

from __future__ import annotations

import argparse
import datetime as dt
import gzip
import hashlib
import resource
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import time
from scraper.base import Court
from scraper.courts import get_source
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

TODAY = dt.date(2026, 11, 27)
COURTS = ("763", "059", "510", "013")
BASE_URL = "http://127.0.0.1:9/gdcourts/"


def build(path: Path, pages: int) -> None:
    from pipeline.store import db
    from pipeline.store.repo import Store
    from scraper.courts.va_gdc.sim import Docket
    from scraper.courts.va_gdc.sim.detail import detail_page

    path.parent.mkdir(parents=True, exist_ok=True)
    path.unlink(missing_ok=True)
    engine = db.make_engine(f"sqlite:///{path}")
    db.upgrade(engine)
    store = Store(engine)
    for fips in COURTS:
        store.ensure_court(Court(f"va-{fips}", get_source("va-gdc"), fips, BASE_URL))
    engine.dispose()
    docket = Docket(1, TODAY)
    rows = []
    fetched = dt.datetime(2026, 11, 27, 12, 0, tzinfo=dt.timezone.utc).isoformat(" ")
    for year in (2026, 2025, 2024, 2023):
        for fips in COURTS:
            for record in docket.filings(fips, dt.date(year, 1, 1), dt.date(year, 12, 31)):
                body = detail_page(record, fips).encode("utf-8")
                url = f"{BASE_URL}caseSearch.do?formAction=caseDetails&displayCaseNumber={record.case_number}"
                rows.append((f"va-{fips}", url, "GET", f"case={record.case_number}", "case_detail", 200,
                             record.case_number, hashlib.sha256(body).hexdigest(),
                             gzip.compress(body, compresslevel=6, mtime=0), fetched))
                if len(rows) >= pages:
                    break
            if len(rows) >= pages:
                break
        if len(rows) >= pages:
            break
    with sqlite3.connect(path) as conn:
        conn.executemany("INSERT INTO raw_pages (court_id, url, method, request_key, kind, status, case_number, "
                         "content_hash, body_gz, fetched_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", rows)
    print(f"built {path} with {len(rows):,} archived pages")


def reparse_cli(db_path: Path, folder: Path) -> tuple[float, float, str]:
    config = folder / "config.yaml"
    courts = "".join(f"  - {{id: va-{fips}, source: va-gdc, code: '{fips}', base_url: '{BASE_URL}'}}\n"
                     for fips in COURTS)
    config.write_text(f"http: {{user_agent: 'evictwatch-bench (ops@example.org)'}}\ncourts:\n{courts}",
                      encoding="utf-8")
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    done = subprocess.run([str(ROOT / ".venv" / "bin" / "evictwatch"), "--config", str(config), "--db",
                           f"sqlite:///{db_path}", "reparse"], capture_output=True, text=True, cwd=folder)
    wall = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if done.returncode != 0:
        raise SystemExit(f"reparse failed ({done.returncode}): {done.stdout[-2000:]} {done.stderr[-2000:]}")
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return wall, cpu, done.stdout.strip()


def baseline(db_path: Path, pages: int) -> tuple[float, float, int]:
    """(bs4 pages/s, lxml pages/s, pages) for the reparse in this process on the first `pages` pages."""
    import va_gdc_bs4
    from evictwatch.jobs.rebuild import reparse_archive
    from pipeline.store import db
    from pipeline.store.repo import Store
    from scraper.courts.va_gdc import VaGdcSource

    with sqlite3.connect(db_path) as conn:
        conn.execute("DELETE FROM raw_pages WHERE id > ?", (pages,))
    rates = []
    for parse in (va_gdc_bs4.parse_case_detail, None):
        copy = db_path.with_name(f"baseline-{len(rates)}.db")
        shutil.copy(db_path, copy)
        engine = db.make_engine(f"sqlite:///{copy}")
        original = VaGdcSource.parse_case_page
        if parse is not None:
            VaGdcSource.parse_case_page = lambda self, html, url, court_id: parse(html, url, court_id)
        try:
            started = time.process_time()
            result = reparse_archive(Store(engine), today=TODAY)
            rates.append(result.pages / (time.process_time() - started))
        finally:
            VaGdcSource.parse_case_page = original
            engine.dispose()
    return rates[0], rates[1], pages


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--pages", type=int, default=100_000)
    parser.add_argument("--baseline-pages", type=int, default=3_000)
    parser.add_argument("--rebuild", action="store_true")
    args = parser.parse_args()
    cached = ROOT / "bench" / ".cache" / f"reparse-{args.pages}.db"
    if args.rebuild or not cached.exists():
        build(cached, args.pages)
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        work = folder / "reparse.db"
        shutil.copy(cached, work)
        with sqlite3.connect(work) as conn:
            pages = conn.execute("SELECT count(*) FROM raw_pages").fetchone()[0]
        wall, cpu, said = reparse_cli(work, folder)
        print(f"evictwatch reparse, first pass: {pages:,} pages in {wall:.1f} s wall, {cpu:.1f} s CPU "
              f"({pages / wall:,.0f} pages/s); target: 100,000 in < 180 s\n  {said}")
        wall2, cpu2, said2 = reparse_cli(work, folder)
        print(f"evictwatch reparse, second pass: {wall2:.1f} s wall, {cpu2:.1f} s CPU\n  {said2}")
        sample = folder / "sample.db"
        shutil.copy(cached, sample)
        bs4_rate, lxml_rate, sampled = baseline(sample, args.baseline_pages)
    print(f"baseline, the same reparse of {sampled:,} pages in-process: bs4 html.parser {bs4_rate:,.0f} pages/s, "
          f"lxml {lxml_rate:,.0f} pages/s ({lxml_rate / bs4_rate:.1f}x); at the baseline's rate "
          f"{pages:,} pages would take {pages / bs4_rate / 60:.1f} min")


if __name__ == "__main__":
    main()
