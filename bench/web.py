"""The workspace on 100,000 and 1,000,000 cases: search, case page and dashboard against the CLI.

    .venv/bin/python bench/web.py [--sizes 100000,1000000] [--backends sqlite,postgresql]
                                  [--requests 40] [--rebuild]

For each size, a store of synthetic eviction cases (bench/report.py's, cached under
bench/.cache/; its tenants given synthetic names drawn from generated syllables, a few
surnames common and most rare, folded as the pipeline folds them), on SQLite and copied into
a fresh schema of the local PostgreSQL. `evictwatch serve` runs on it (one uvicorn worker, as
the embedded default), a legal-aid user of a partner following every court and a task-force
user signed in over HTTP; each question is asked `--requests` times (after two unmeasured
ones) with different values, and p50/p95 of the whole answer as the browser gets it are
printed. Then the same questions answered by the CLI, as a worker without the workspace
would: `evictwatch case NUMBER --json` for a case page, `evictwatch export cases --format csv`
searched for the name for a search, `evictwatch report` (last week, the last year's weekly
figures and charts) for the dashboard; each a process of its own, timed whole. Aims at 1M:
search and case page p95 ≤ 150 ms, dashboard ≤ 500 ms.
"""

from __future__ import annotations

import argparse
import itertools
import os
import random
import re
import shutil
import socket
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx
import psycopg

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.report import build as build_cases  # noqa: E402
from pipeline.linkage.names import fold_person  # noqa: E402

PG = os.environ.get("EVICTWATCH_TEST_PG_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test")
COURTS = 10
PASSWORD = "bench password that is long enough"
TODAY = "2026-11-27"
TABLES = ("courts", "landlords", "landlord_aliases", "cases", "parties", "hearings", "judgments", "scrape_runs")
_SYLLABLES = ("ba", "ko", "ren", "ta", "vi", "mo", "sel", "da", "nu", "fe", "lor", "gi", "pa", "quin", "ro", "zu",
              "mar", "te", "won", "lia", "ches", "bo", "dri", "na")


def _word(rng: random.Random, parts: int) -> str:
    return "".join(rng.choice(_SYLLABLES) for _ in range(parts)).upper()


def _names(rng: random.Random) -> tuple[list[str], list[str]]:
    surnames = sorted({_word(rng, rng.choice((2, 3))) for _ in range(6000)})
    given = sorted({_word(rng, 2) for _ in range(500)})
    rng.shuffle(surnames)
    return surnames, given


def build(path: Path, cases: int) -> None:
    """bench/report.py's store, its tenants named like people (LAST, FIRST) and folded for search."""
    build_cases(path, cases, COURTS, 5)
    rng = random.Random(5)
    surnames, given = _names(rng)
    conn = sqlite3.connect(path)
    conn.executescript("PRAGMA journal_mode=OFF; PRAGMA synchronous=OFF;")
    # The most common surname about 1.6% of tenants, as the commonest are in a real city; most rare.
    weights = list(itertools.accumulate(1 / (rank + 10) for rank in range(len(surnames))))
    ids = [party_id for (party_id,) in conn.execute("SELECT id FROM parties WHERE role = 'defendant' ORDER BY id")]
    rows = []
    for party_id, last in zip(ids, rng.choices(surnames, cum_weights=weights, k=len(ids))):
        first = rng.choice(given)
        last_fold, first_fold = fold_person(last, first)
        rows.append((f"{last}, {first}", last, first, last_fold, first_fold, party_id))
    conn.executemany("UPDATE parties SET name = ?, kind = 'person', last_name = ?, first_name = ?, last_fold = ?, "
                     "first_fold = ? WHERE id = ?", rows)
    conn.execute("UPDATE parties SET kind = 'organization' WHERE role = 'plaintiff'")
    conn.commit()
    conn.execute("ANALYZE")
    conn.close()


def sqlite_store(cases: int, rebuild: bool) -> Path:
    path = ROOT / "bench" / ".cache" / f"web-{cases}.db"
    if rebuild or not path.exists():
        started = time.perf_counter()
        partial = path.with_suffix(".partial")
        build(partial, cases)
        partial.replace(path)
        print(f"built {cases:,} cases in {time.perf_counter() - started:.0f} s: {path}", flush=True)
    return path


def postgres_store(path: Path, cases: int) -> tuple[str, str]:
    """A fresh schema of the local PostgreSQL at the head revision holding the SQLite store's rows."""
    from sqlalchemy import create_engine, text

    from pipeline.store import db

    schema = f"ew_bench_web_{cases}"
    admin = create_engine(PG, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE'))
        conn.execute(text(f'CREATE SCHEMA "{schema}"'))
    admin.dispose()
    url = f"{PG}?options=-csearch_path%3D{schema}"
    engine = db.make_engine(url)
    db.upgrade(engine)
    engine.dispose()
    started = time.perf_counter()
    source = sqlite3.connect(path)
    with psycopg.connect(PG.replace("postgresql+psycopg", "postgresql"), options=f"-csearch_path={schema}") as pg:
        for table in TABLES:
            columns = [r[1] for r in source.execute(f"PRAGMA table_info({table})")]
            names = ", ".join(f'"{c}"' for c in columns)
            with pg.cursor() as cur, cur.copy(f"COPY {table} ({names}) FROM STDIN") as copy:
                for row in source.execute(f"SELECT {names} FROM {table}"):
                    copy.write_row(row)
            if "id" in columns and table not in ("courts", "landlords", "landlord_aliases"):  # ids of text
                pg.execute(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                           f"(SELECT coalesce(max(id), 1) FROM {table}))")
        pg.commit()
        pg.autocommit = True
        pg.execute("VACUUM ANALYZE")  # index-only scans need the visibility map
    source.close()
    print(f"copied into PostgreSQL schema {schema} in {time.perf_counter() - started:.0f} s", flush=True)
    return url, schema


def drop_schema(schema: str) -> None:
    from sqlalchemy import create_engine, text

    admin = create_engine(PG, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE'))
    admin.dispose()


def _config(folder: Path) -> Path:
    courts = "".join(f'  - {{id: court{i:02d}, source: va-gdc, code: "{i:03d}", '
                     f'base_url: "http://127.0.0.1:9/gdcourts/"}}\n' for i in range(COURTS))
    path = folder / "config.yaml"
    path.write_text('http: {user_agent: "evictwatch-bench (ops@example.org)"}\n'
                    "notify: {outbox: outbox, operators: []}\n"
                    f"courts:\n{courts}"
                    "partners:\n  - {name: Bench Legal Aid, emails: [intake@example.org]}\n", encoding="utf-8")
    return path


def _evictwatch(config: Path, url: str, *args: str, stdin: str | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "evictwatch.commands.app", "--config", str(config), "--db", url,
                           *args], input=stdin, capture_output=True, text=True, check=True, cwd=config.parent)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _signed_in(base: str, email: str) -> httpx.Client:
    client = httpx.Client(base_url=base, timeout=60)
    for _ in range(200):
        try:
            form = client.get("/sign-in")
            break
        except httpx.ConnectError:
            time.sleep(0.1)
    token = re.search(r'name="csrf_token" value="([0-9a-f]+)"', form.text).group(1)
    signed = client.post("/sign-in", data={"email": email, "password": PASSWORD, "next": "", "csrf_token": token})
    assert signed.status_code == 303, signed.text
    return client


def _timed(client: httpx.Client, paths: list[str], expect: str | None = None) -> tuple[float, float, int]:
    """(p50 ms, p95 ms, rows shown in the last answer) over `paths`, the first two unmeasured."""
    times, rows = [], 0
    for i, path in enumerate(paths):
        started = time.perf_counter()
        answer = client.get(path)
        took = (time.perf_counter() - started) * 1000
        assert answer.status_code == 200, (path, answer.status_code)
        if expect:
            assert expect in answer.text, path
        rows = answer.text.count('href="/cases/')
        if i >= 2:
            times.append(took)
    times.sort()
    return statistics.median(times), times[max(0, round(0.95 * len(times)) - 1)], rows


def _questions(path: Path, count: int) -> dict[str, list[str]]:
    rng = random.Random(9)
    conn = sqlite3.connect(path)
    top = conn.execute("SELECT max(id) FROM cases").fetchone()[0]
    picks = [rng.randint(1, top) for _ in range(count + 2)]
    marks = ",".join("?" * len(picks))
    cases = conn.execute(f"SELECT c.court_id, c.case_number, p.last_name, p.first_name, p.zip5 FROM cases c "
                         f"JOIN parties p ON p.case_id = c.id AND p.role = 'defendant' WHERE c.id IN ({marks})",
                         picks).fetchall()
    conn.close()
    rng.shuffle(cases)
    return {
        "search: a tenant's name, first last": [f"/search?q={first}+{last}" for _, _, last, first, _ in cases],
        "search: a tenant's name, LAST, FIRST": [f"/search?q={last}%2C+{first}" for _, _, last, first, _ in cases],
        "search: a case number": [f"/search?q={number}" for _, number, _, _, _ in cases],
        "search: a landlord's name": [f"/search?q=synthetic+properties+{rng.randint(1, 2999)}" for _ in cases],
        "search: a ZIP code": [f"/search?q={zip5}" for _, _, _, _, zip5 in cases],
        "case page": [f"/cases/{court}/{number}" for court, number, _, _, _ in cases],
    }, cases


def _dashboards(count: int) -> dict[str, list[str]]:
    rng = random.Random(3)
    return {
        "dashboard: 26 weeks, every court": ["/dashboard"] * (count + 2),
        "dashboard: 26 weeks, a court and ZIP": [f"/dashboard?court=court{rng.randrange(COURTS):02d}"
                                                 f"&zip=22{rng.randint(300, 359)}" for _ in range(count + 2)],
        "dashboard: a year, every court": [f"/dashboard?since=2025-{rng.randint(1, 12):02d}-01&until="
                                           f"2026-{rng.randint(1, 11):02d}-20" for _ in range(count + 2)],
    }


def _cli_seconds(config: Path, url: str, args: list[str], shell: str | None = None) -> float:
    started = time.perf_counter()
    if shell:
        command = " ".join([sys.executable, "-m", "evictwatch.commands.app", "--config", str(config), "--db",
                            f"'{url}'", *args])
        subprocess.run(f"{command} | {shell}", shell=True, check=True, capture_output=True, cwd=config.parent)
    else:
        _evictwatch(config, url, *args)
    return time.perf_counter() - started


def measure(url: str, path: Path, count: int, label: str) -> None:
    with tempfile.TemporaryDirectory() as folder:
        config = _config(Path(folder))
        for email, role in (("aid@bench.example.org", ["legal_aid", "--partner", "Bench Legal Aid"]),
                            ("force@bench.example.org", ["task_force"])):
            _evictwatch(config, url, "users", "add", email, "--role", *role, "--password-stdin", stdin=PASSWORD + "\n")
        port = _free_port()
        server = subprocess.Popen([sys.executable, "-m", "evictwatch.commands.app", "--config", str(config), "--db",
                                   url, "serve", "--port", str(port)], cwd=folder,
                                  stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        try:
            base = f"http://127.0.0.1:{port}"
            questions, cases = _questions(path, count)
            aid, tf = _signed_in(base, "aid@bench.example.org"), _signed_in(base, "force@bench.example.org")
            p95s = {}
            try:
                for name, paths in questions.items():
                    p50, p95s[name], rows = _timed(aid, paths)
                    print(f"  {label:<11} {name:<40} p50 {p50:7.1f} ms  p95 {p95s[name]:7.1f} ms  "
                          f"({rows} rows shown last)  [aim p95 <= 150 ms]", flush=True)
                for name, paths in _dashboards(count).items():
                    p50, p95s[name], _ = _timed(tf, paths, expect="By week")
                    print(f"  {label:<11} {name:<40} p50 {p50:7.1f} ms  p95 {p95s[name]:7.1f} ms  "
                          "[aim p95 <= 500 ms]", flush=True)
            finally:
                aid.close()
                tf.close()
        finally:
            server.terminate()
            server.wait(timeout=30)
        court, number, last, first, _ = cases[0]
        case_s = [_cli_seconds(config, url, ["case", number, "--court", court, "--json"]) for _ in range(3)]
        print(f"  {label:<11} CLI: evictwatch case NUMBER --json        median of 3: {statistics.median(case_s):.2f} s",
              flush=True)
        export_s = _cli_seconds(config, url, ["export", "cases", "--format", "csv"],
                                shell=f"grep -i '{last}, {first}' > /dev/null")
        print(f"  {label:<11} CLI: export cases --format csv | grep NAME  {export_s:.2f} s", flush=True)
        report_s = _cli_seconds(config, url, ["report", "--today", TODAY, "--out", str(Path(folder) / "reports")])
        print(f"  {label:<11} CLI: evictwatch report (last week)        {report_s:.2f} s", flush=True)
        slowest_search = max(v for k, v in p95s.items() if k.startswith("search: a tenant"))
        print(f"  {label:<11} the CLI's time / the workspace's p95: a case {statistics.median(case_s) * 1000 / p95s['case page']:,.0f}x, "
              f"a tenant by name {export_s * 1000 / slowest_search:,.0f}x, the figures "
              f"{report_s * 1000 / p95s['dashboard: a year, every court']:,.0f}x", flush=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="100000,1000000")
    parser.add_argument("--backends", default="sqlite,postgresql")
    parser.add_argument("--requests", type=int, default=40)
    parser.add_argument("--rebuild", action="store_true", help="build the SQLite stores again even if cached")
    args = parser.parse_args()
    for cases in (int(n) for n in args.sizes.split(",")):
        path = sqlite_store(cases, args.rebuild)
        print(f"{cases:,} cases", flush=True)
        for backend in args.backends.split(","):
            if backend == "sqlite":
                with tempfile.TemporaryDirectory() as folder:  # accounts and the audit trail go to a copy
                    copy = Path(folder) / path.name
                    shutil.copyfile(path, copy)
                    measure(f"sqlite:///{copy}", path, args.requests, "SQLite")
            else:
                url, schema = postgres_store(path, cases)
                try:
                    measure(url, path, args.requests, "PostgreSQL")
                finally:
                    drop_schema(schema)


if __name__ == "__main__":
    main()
