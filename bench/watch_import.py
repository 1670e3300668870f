"""`evictwatch watch import` of a large partner list: wall time and peak RSS of the command.

    .venv/bin/python bench/watch_import.py [--rows 300000] [--cases 20000] [--baseline-rows 30000]
                                           [--first-last 0.5]

Builds a SQLite store of `cases` open eviction cases (one or two tenants each) and a watch list
of `rows` rows. Every name is synthetic: syllables drawn at random, surnames with a long-tailed
frequency as in a census. About 3% of the rows are a stored tenant (some written First Last,
with a letter dropped or without the middle initial; a fifth with another ZIP code), 2% case
numbers only (half of them stored); of the other names, `first-last` are written `First M Last`
(nameparser reads those: the slow part of reading a list), the rest `LAST, FIRST M`. Then,
each as a fresh `evictwatch watch import` process (the import and the matching at once), its
seconds and peak RSS (resource.getrusage(RUSAGE_CHILDREN).ru_maxrss in a small launcher whose
only child it is):
- the list imported into the store;
- the next export imported over it, replacing it (10% of its rows changed, 2% gone, 2% new);
- baselines in the same run: a process that merely reads the CSV with csv.reader, and the import
  of a `baseline-rows` list from the same generator into a copy of the store (the ratio per row
  says whether the import grows linearly).
Target: 300,000 rows in under 60 s and 300 MB, the second import too.
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import itertools
import random
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from pipeline.prepare import prepare  # noqa: E402
from pipeline.store import db  # noqa: E402
from pipeline.store.repo import Store  # noqa: E402
from scraper.base import Court
from scraper.courts import get_source
from scraper.courts.va_gdc.vocab import VOCABULARY as VA_GDC  # noqa: E402
from scraper.records import CaseRecord, Hearing, Party  # noqa: E402

TODAY = dt.date.today()
ZONE = "America/New_York"
PARTNER = "Bench Helpline"
ONSETS = ("B", "BR", "C", "CH", "D", "DR", "F", "G", "GR", "H", "J", "K", "KR", "L", "M", "N", "P", "PR", "QU", "R",
          "S", "SH", "ST", "T", "TR", "V", "W", "Y", "Z")
VOWELS = ("A", "E", "I", "O", "U", "AI", "EA", "OU", "IE")
CODAS = ("", "", "N", "R", "L", "S", "T", "M", "K", "ND", "RT", "LL", "SS", "X")
ENDINGS = ("A", "O", "EN", "IS", "EL", "INE", "ETTE", "ON", "Y")


class Names:
    """Synthetic people: syllable-made surnames and given names, never a real person's."""

    def __init__(self, seed: int, surnames: int = 12_000, given: int = 900) -> None:
        self.rng = random.Random(seed)
        self.lasts = self._distinct(surnames, lambda: self._word(self.rng.choice((2, 2, 3))))
        self.firsts = self._distinct(given, lambda: self._word(self.rng.choice((1, 2))) + self.rng.choice(ENDINGS))
        # A long tail: the most common surnames are hundreds of times the rarest, as in a census.
        self.last_weights = list(itertools.accumulate(1 / (rank + 20) for rank in range(len(self.lasts))))
        self.first_weights = list(itertools.accumulate(1 / (rank + 5) for rank in range(len(self.firsts))))

    def _word(self, syllables: int) -> str:
        return "".join(self.rng.choice(ONSETS) + self.rng.choice(VOWELS) + self.rng.choice(CODAS)
                       for _ in range(syllables))

    def _distinct(self, count: int, make) -> list[str]:
        found: dict[str, None] = {}
        while len(found) < count:
            found[make()] = None
        return list(found)

    def person(self, rng: random.Random) -> tuple[str, str, str | None]:
        last = rng.choices(self.lasts, cum_weights=self.last_weights)[0]
        first = rng.choices(self.firsts, cum_weights=self.first_weights)[0]
        return last, first, chr(65 + rng.randrange(26)) if rng.random() < 0.3 else None


def zip5(rng: random.Random) -> str:
    return f"223{rng.randint(1, 15):02d}" if rng.random() < 0.8 else f"{rng.randint(20000, 29999)}"


def synthetic_cases(names: Names, count: int) -> Iterator[CaseRecord]:
    rng = random.Random(11)
    for i in range(count):
        filed = TODAY - dt.timedelta(days=rng.randint(1, 20))
        tenants = []
        zip_code = f"223{rng.randint(1, 15):02d}"
        for _ in range(rng.choice((1, 1, 2))):
            last, first, middle = names.person(rng)
            tenants.append(Party(name=f"{last}, {first}" + (f" {middle}" if middle else ""),
                                 address=f"ALEXANDRIA, VA {zip_code}", attorney="NONE"))
        number = f"GV{filed.year % 100:02d}{i:06d}-00"
        hearing = Hearing(date=TODAY + dt.timedelta(days=rng.randint(1, 30)), time=dt.time(9, 30), type="Return",
                          courtroom="COURTROOM 2B")
        yield CaseRecord(court="alexandria", case_number=number, matter_key=number[:-3], filed_date=filed,
                         case_type="Unlawful Detainer", debt_type="Landlord/Tenant",
                         plaintiffs=(Party(name="SYNTHETIC HOLDINGS LLC", address="FAIRFAX, VA 22030",
                                           attorney="NONE"),),
                         defendants=tuple(tenants), hearings=(hearing,))


def build_store(path: Path, names: Names, cases: int) -> list[tuple[str, str, str]]:
    """The store, and its cases' (case number, tenant as the court wrote it, ZIP code)."""
    engine = db.make_engine(f"sqlite:///{path}")
    db.upgrade(engine)
    store = Store(engine)
    store.ensure_court(Court("alexandria", get_source("va-gdc"), "510", "https://portal.example.invalid/gdcourts/"))
    tenants, batch = [], []
    for record in synthetic_cases(names, cases):
        tenants += [(record.case_number, p.name, p.address[-5:]) for p in record.defendants]
        batch.append(prepare(record, TODAY, ZONE, VA_GDC))
        if len(batch) == 5_000:
            store.save(batch)
            batch = []
    store.save(batch)
    engine.dispose()
    return tenants


def distort(rng: random.Random, name: str) -> str:
    last, _, given = name.partition(", ")
    kind = rng.random()
    if kind < 0.3:
        return f"{given.title()} {last.title()}"  # FIRST LAST
    if kind < 0.5 and len(last) > 4:
        at = rng.randrange(1, len(last) - 1)
        return f"{last[:at]}{last[at + 1:]}, {given}"  # a letter dropped
    if kind < 0.6:
        return f"{last}, {given.split()[0]}"  # no middle initial
    return name


def write_list(path: Path, names: Names, rows: int, tenants: list[tuple[str, str, str]], *, first_last: float = 0.5,
               change: float = 0.0, drop: float = 0.0, add: float = 0.0, seed: int = 3) -> None:
    """The list; with `change`/`drop`/`add`, the same list `seed` gives, as a partner's next export."""
    rng = random.Random(seed)
    edits = random.Random(seed + 1)
    with path.open("w", encoding="utf-8", newline="") as fh:
        out = csv.writer(fh)
        out.writerow(["Client ID", "Name", "ZIP", "Case number"])
        for i in range(rows):
            row = _row(rng, names, i, tenants, first_last)
            roll = edits.random()
            if roll < drop:
                continue
            if roll < drop + change:
                row[2] = f"223{edits.randint(16, 99):02d}"
            out.writerow(row)
            if roll > 1 - add:
                out.writerow(_row(edits, names, rows + i, tenants, first_last))


def _row(rng: random.Random, names: Names, i: int, tenants: list[tuple[str, str, str]], first_last: float) -> list[str]:
    roll = rng.random()
    if roll < 0.03:
        _, name, tenant_zip = rng.choice(tenants)
        return [f"C-{i}", distort(rng, name), tenant_zip if rng.random() < 0.8 else zip5(rng), ""]
    if roll < 0.04:
        return [f"C-{i}", "", "", rng.choice(tenants)[0]]
    if roll < 0.05:
        return [f"C-{i}", "", "", f"GV26{900000 + rng.randrange(99999):06d}-00"]  # not filed (or not stored) yet
    last, first, middle = names.person(rng)
    name = (f"{first.title()} {middle + ' ' if middle else ''}{last.title()}" if rng.random() < first_last
            else f"{last}, {first}" + (f" {middle}" if middle else ""))
    return [f"C-{i}", name, zip5(rng) if rng.random() < 0.9 else "", ""]


# The measured command runs as the child of this small launcher: a process's peak RSS counts the
# memory of the process it was forked from, and this script's own (the store built, the lists
# written) is not the command's.
LAUNCHER = ("import resource, subprocess, sys\n"
            "code = subprocess.call(sys.argv[2:])\n"
            "open(sys.argv[1], 'w').write(str(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss))\n"
            "sys.exit(code)")


def measured(argv: list[str]) -> tuple[float, float, int, str]:
    """(seconds, peak RSS in MB, exit code, output) of a fresh process."""
    with tempfile.TemporaryDirectory() as tmp:
        output, peak = Path(tmp) / "output", Path(tmp) / "peak"
        with output.open("wb") as sink:
            started = time.perf_counter()
            code = subprocess.call([sys.executable, "-c", LAUNCHER, str(peak), *argv], stdout=sink,
                                   stderr=subprocess.STDOUT, cwd=ROOT)
            seconds = time.perf_counter() - started
        return seconds, int(peak.read_text()) / 1024, code, output.read_text(encoding="utf-8", errors="replace")


def watch_import(folder: Path, database: Path, listed: Path) -> tuple[float, float, int, str]:
    return measured([sys.executable, "-m", "evictwatch.commands.app", "--config", str(folder / "config.yaml"), "--db",
                     f"sqlite:///{database}", "watch", "import", "--partner", PARTNER, str(listed)])


def read_only(listed: Path) -> tuple[float, float, int, str]:
    code = ("import csv, sys\nwith open(sys.argv[1], encoding='utf-8-sig', newline='') as fh:\n"
            "    print(sum(1 for _ in csv.reader(fh)))")
    return measured([sys.executable, "-c", code, str(listed)])


def stored(database: Path) -> tuple[int, int]:
    with sqlite3.connect(database) as conn:
        return (conn.execute("SELECT count(*) FROM watch_entries").fetchone()[0],
                conn.execute("SELECT count(*) FROM watch_matches").fetchone()[0])


def report(label: str, figures: tuple[float, float, int, str], database: Path | None = None) -> None:
    seconds, mb, code, said = figures
    kept = ""
    if database is not None:
        rows, matches = stored(database)
        kept = f"; stored: {rows:,} rows, {matches:,} matches"
    print(f"{label}: {seconds:.1f} s, peak RSS {mb:,.0f} MB, exit {code}{kept}")
    lines = [line for line in said.splitlines() if line and not line.startswith("{")]  # not the JSON log
    for line in lines[:4]:
        print(f"    {line[:300]}")
    if len(lines) > 4:
        print(f"    ... {len(lines) - 4} more lines")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=300_000)
    parser.add_argument("--cases", type=int, default=20_000)
    parser.add_argument("--baseline-rows", type=int, default=30_000)
    parser.add_argument("--first-last", type=float, default=0.5,
                        help="the share of names written First Last (nameparser reads them; LAST, FIRST is quicker)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        (folder / "config.yaml").write_text(
            'http: {user_agent: "evictwatch-bench (ops@example.org)"}\n'
            f'partners:\n  - {{name: "{PARTNER}", emails: [h@example.org], receives: [watch_matches], watch: {{}}}}\n'
            'courts:\n  - {id: alexandria, source: va-gdc, fips: "510", '
            'base_url: "https://portal.example.invalid/gdcourts/"}\n', encoding="utf-8")
        names = Names(seed=7)
        started = time.perf_counter()
        base = folder / "base.db"
        tenants = build_store(base, names, args.cases)
        print(f"store: {args.cases:,} open cases, {len(tenants):,} tenants, built in "
              f"{time.perf_counter() - started:.1f} s")
        big, again, small = folder / "list.csv", folder / "list-again.csv", folder / "small.csv"
        write_list(big, names, args.rows, tenants, first_last=args.first_last)
        write_list(again, names, args.rows, tenants, first_last=args.first_last, change=0.10, drop=0.02, add=0.02)
        write_list(small, names, args.baseline_rows, tenants, first_last=args.first_last)
        print(f"lists: {args.rows:,} rows ({big.stat().st_size / 1e6:.1f} MB, {args.first_last:.0%} of the names "
              f"written First Last), the next export "
              f"({again.stat().st_size / 1e6:.1f} MB), the baseline's {args.baseline_rows:,} rows")

        reading = read_only(big)
        report(f"baseline: reading the {args.rows:,}-row CSV alone (csv.reader)", reading)
        copy = folder / "small.db"
        shutil.copy(base, copy)
        baseline = watch_import(folder, copy, small)
        report(f"baseline: import of {args.baseline_rows:,} rows", baseline, copy)
        first = watch_import(folder, base, big)
        report(f"import of {args.rows:,} rows", first, base)
        second = watch_import(folder, base, again)
        report(f"the next export imported over it (replacing: {args.rows:,} rows, 10% changed, 2% gone, 2% new)",
               second, base)
        per_row = (first[0] / args.rows) / (baseline[0] / args.baseline_rows)
        print(f"import of {args.rows:,} rows: {first[0]:.1f} s (target < 60), {first[1]:,.0f} MB (target < 300); "
              f"{first[0] / reading[0]:.0f}x the time to read the CSV; per row {per_row:.2f}x the "
              f"{args.baseline_rows:,}-row import's (1.0: linear)")
        print(f"re-import: {second[0]:.1f} s, {second[1]:,.0f} MB, exit {second[2]}")


if __name__ == "__main__":
    main()
