"""Write the held-out watch list (issue 29, part 3): a second fixture for name matching, written
the way intake staff write, from another court and another docket seed than
tests/tools/save_watch_fixture.py (which the current thresholds were set on).

Written 2026-12-07 and finished before any matching result on its output was seen: its
proportions and distortions were chosen from the issue's description of a real intake sheet
(136 rows, 65 with live cases), not from how the matcher does on them. Re-running it gives the
same files.

    .venv/bin/python tests/tools/save_watch_heldout.py   # rewrites tests/fixtures/watch/heldout*

With `--name fresh --fips 763 --docket-seed 11 --seed 20261208` (added 2026-12-07, the script
otherwise unchanged) it writes a third list, of another court, kept unseen while the scoring was
rebuilt and measured only at the end (tests/fixtures/watch/fresh*).

The store: the Fairfax simulator court (059), docket seed 7, the first case of each household
sued for unlawful detainer in 2026 (tests/watch_measure.py builds the same). The list:

- rows with a live case (SUED), each distorted one main way (KINDS): transposed names (`First M
  Last`, or first and last swapped across the comma), a double or hyphenated surname where the
  court wrote one of the two, `Jr`/`III` the court did not write, no ZIP code, an apartment in the
  name field, a nickname (from a table of this script's own), a typo (a letter dropped, doubled
  or struck on a neighbouring key), no middle initial, no accents, or as the court wrote it;
- on every row, whatever its kind, the house style of an intake sheet (ALSO): accents mostly
  dropped, the middle initial often left out, title or upper case, now and then `First Last`
  order and a missing ZIP code;
- rows without one: namesakes (a sued tenant's first and last name in another ZIP code) and
  people never sued, drawn from the simulator's own name pools (so many share a surname, or a
  first and last name, with a tenant). A row that no one could tell from a tenant (the same
  folded first and last name, the same ZIP code, middle initials not different) is not
  written as not sued: its truth would be undecidable.
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import random
import sys
import unicodedata
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from scraper.courts.va_gdc.sim.docket import Docket  # noqa: E402
from scraper.courts.va_gdc.sim.names import COURTS, LAST_NAMES, SPANISH_LAST_NAMES, person_name  # noqa: E402

OUT = ROOT / "tests" / "fixtures" / "watch"
DOCKET_SEED, FIPS, YEAR, TODAY = 7, "059", 2026, dt.date(2027, 6, 30)
SEED = 20261207
# What intake staff hear people call themselves, written here apart from the matcher's table
# (some are not in it: a list is not written from the matcher's vocabulary).
CALLED = {
    "JAMES": ("JIM", "JIMMY", "JAMIE"), "JOHN": ("JACK", "JOHNNY"), "ROBERT": ("BOB", "ROB", "BOBBY"),
    "MICHAEL": ("MIKE", "MICKEY"), "WILLIAM": ("BILL", "WILL", "BILLY"), "ELIZABETH": ("LIZ", "BETH", "LIZZY"),
    "DAVID": ("DAVE",), "RICHARD": ("RICK", "RICH"), "JOSEPH": ("JOE",), "THOMAS": ("TOM",),
    "CHARLES": ("CHARLIE", "CHUCK"), "CHRISTOPHER": ("CHRIS",), "DANIEL": ("DAN", "DANNY"), "MATTHEW": ("MATT",),
    "ANTHONY": ("TONY",), "MARGARET": ("PEGGY", "MAGGIE", "MEG"), "DONALD": ("DON",), "STEVEN": ("STEVE",),
    "KIMBERLY": ("KIM",), "ANDREW": ("ANDY", "DREW"), "JOSHUA": ("JOSH",), "KENNETH": ("KEN", "KENNY"),
    "DOROTHY": ("DOT", "DOTTIE"), "KEVIN": ("KEV",), "MELISSA": ("MEL", "MISSY"), "TIMOTHY": ("TIM",),
    "DEBORAH": ("DEBBIE", "DEB"), "SAMUEL": ("SAM",), "PATRICIA": ("PATTY", "TRISH"), "JENNIFER": ("JEN", "JENNY"),
    "SUSAN": ("SUE", "SUSIE"), "JESSICA": ("JESS",), "BARBARA": ("BARB",), "SANDRA": ("SANDY",),
    "AMANDA": ("MANDY",), "TERRENCE": ("TERRY",), "ISAAC": ("IKE",), "JOSE": ("PEPE",), "JESUS": ("CHUY",),
    "ANDRES": ("ANDY",), "RAMON": ("MONCHO",), "JOAQUIN": ("QUINO",), "LUIS": ("LUCHO",), "SOFIA": ("SOFI",),
    "ROSA": ("ROSITA",), "ELENA": ("LENA",), "CARMEN": ("MENCHU",),
}
KINDS = ("as_written", "transposed", "double_surname", "suffix", "no_zip", "apartment", "nickname", "typo",
         "no_middle", "no_accents")
SUED, NAMESAKES, NEVER_SUED = 150, 45, 115  # 310 rows, 48% with a live case (65 of 136 in the issue)
# The house style, on every row: how often accents are dropped, the middle initial left out, the
# name written `First Last`, the ZIP code left empty.
NO_ACCENTS, NO_MIDDLE, FIRST_LAST, NO_ZIP = 0.7, 0.3, 0.25, 0.06
NEIGHBOURS = {
    "A": "QSZ", "B": "VNG", "C": "XVD", "D": "SFE", "E": "WRD", "F": "DGR", "G": "FHT", "H": "GJY", "I": "UOK",
    "J": "HKU", "K": "JLI", "L": "KO", "M": "NJ", "N": "BMH", "O": "IPL", "P": "OL", "Q": "WA", "R": "ETF",
    "S": "ADW", "T": "RYG", "U": "YIJ", "V": "CBF", "W": "QES", "X": "ZCS", "Y": "TUH", "Z": "XA",
}
APARTMENTS = ("APT {n}", "APT. {n}", "#{n}", "UNIT {n}", "APT {n}{letter}")
SUFFIXES = ("JR", "JR.", "III", "II", "SR")
ROMAN = {"Ii": "II", "Ii,": "II,", "Iii": "III", "Iii,": "III,"}  # title case, as a person types it


def ascii(text: str) -> str:
    return unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()


def parts(name: str) -> tuple[str, str, str]:
    """`LAST, FIRST M` -> (last, first, middle initial or "")."""
    last, rest = name.split(", ", 1)
    first, *middle = rest.split()
    return last, first, (middle[0] if middle else "")


def tenants(docket_seed: int = DOCKET_SEED, fips: str = FIPS) -> list[tuple[str, str, str]]:
    """(household id, name as the court writes it, ZIP) of each household's first case."""
    seen, out = set(), []
    for case in Docket(seed=docket_seed, today=TODAY).court_year(fips, YEAR).cases:
        if case.case_type != "Unlawful Detainer" or case.household_id in seen:
            continue
        lead = case.defendants[0] if case.defendants else None
        if lead is None or lead.name.startswith("AND ALL") or not lead.address:
            continue
        seen.add(case.household_id)
        out.append((case.household_id, lead.name, lead.address.rsplit(" ", 1)[1]))
    return out


def typo(rng: random.Random, word: str) -> str:
    """A letter dropped, doubled, or struck on a neighbouring key."""
    letters = list(word)
    i = rng.randrange(1, len(letters)) if len(letters) > 1 else 0
    how = rng.choice(("drop", "double", "neighbour")) if len(letters) > 3 else rng.choice(("double", "neighbour"))
    if how == "drop":
        del letters[i]
    elif how == "double":
        letters.insert(i, letters[i])
    else:
        plain = ascii(letters[i]) or "E"
        letters[i] = rng.choice(NEIGHBOURS.get(plain, "E"))
    return "".join(letters)


def write(rng: random.Random, last: str, first: str, middle: str, *, first_last: bool, tail: str = "") -> str:
    """The name as a sheet holds it: `LAST, FIRST M` or `First M Last`, upper or title case,
    with what follows the name (a suffix, an apartment) if any (`, JR` kept to the name)."""
    if first_last:
        text = " ".join(w for w in (first, middle, last) if w)
    else:
        text = f"{last}, " + " ".join(w for w in (first, middle) if w)
    if tail:
        text += tail if tail.startswith(",") else f" {tail}"
    if rng.random() < 0.6:
        return " ".join(ROMAN.get(w, w) for w in text.title().split(" "))
    return text.upper()


def distort(rng: random.Random, kind: str, name: str, zip5: str) -> tuple[str, str, list[str]]:
    """(name as written, ZIP code or "", the house-style changes made too)."""
    last, first, middle = parts(name)
    also: list[str] = []
    if kind != "no_accents" and rng.random() < NO_ACCENTS and ascii(name) != name:
        last, first, also = ascii(last), ascii(first), ["no_accents"]
    if kind not in ("no_middle", "transposed") and middle and rng.random() < NO_MIDDLE:
        middle, also = "", [*also, "no_middle"]
    first_last = kind != "transposed" and rng.random() < FIRST_LAST
    if first_last:
        also.append("first_last")
    if kind != "no_zip" and rng.random() < NO_ZIP:
        zip5, also = "", [*also, "no_zip"]
    tail = ""
    if kind == "transposed":
        if rng.random() < 0.5:
            return write(rng, last, first, middle, first_last=True), zip5, also  # JAMES SMITH
        return write(rng, first, last, middle, first_last=False), zip5, also  # JAMES, SMITH (fields swapped)
    if kind == "double_surname":
        pool = SPANISH_LAST_NAMES if ascii(last) != last or last in {ascii(n) for n in SPANISH_LAST_NAMES} \
            else LAST_NAMES
        other = rng.choice([n for n in pool if ascii(n) != ascii(last)])
        other = ascii(other) if "no_accents" in also else other
        pair = (last, other) if rng.random() < 0.6 else (other, last)
        last = ("-" if rng.random() < 0.5 else " ").join(pair)
    elif kind == "suffix":
        suffix = rng.choice(SUFFIXES)
        if first_last:
            tail = suffix
        elif rng.random() < 0.5:
            last = f"{last} {suffix}"  # SMITH JR, JAMES
        else:
            tail = suffix if rng.random() < 0.5 else f", {suffix}"  # SMITH, JAMES III / SMITH, JAMES, JR
    elif kind == "no_zip":
        zip5 = ""
    elif kind == "apartment":
        tail = rng.choice(APARTMENTS).format(n=rng.randint(1, 420), letter=rng.choice("ABCD"))
    elif kind == "nickname":
        first = rng.choice(CALLED[ascii(first)])
    elif kind == "typo":
        if rng.random() < 0.6 or len(first) < 3:
            last = typo(rng, last)
        else:
            first = typo(rng, first)
    elif kind == "no_middle":
        middle = ""
    elif kind == "no_accents":
        last, first = ascii(last), ascii(first)
    text = write(rng, last, first, middle, first_last=first_last, tail=tail)
    return text, zip5, also


def fits(kind: str, name: str) -> bool:
    last, first, middle = parts(name)
    if kind == "nickname":
        return ascii(first) in CALLED
    if kind == "no_accents":
        return ascii(name) != name
    if kind == "no_middle":
        return bool(middle)
    return True


def undecidable(last: str, first: str, middle: str, zip5: str, known: dict[tuple[str, str, str], set[str]]) -> bool:
    """A tenant of the same folded first and last name in that ZIP code, middle initials not different."""
    middles = known.get((ascii(last), ascii(first), zip5), set())
    return bool(middles) and (not middle or "" in middles or middle in middles)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--name", default="heldout")
    parser.add_argument("--fips", default=FIPS)
    parser.add_argument("--docket-seed", type=int, default=DOCKET_SEED)
    parser.add_argument("--seed", type=int, default=SEED)
    args = parser.parse_args()
    rng = random.Random(args.seed)
    zips = sorted({z for z, _ in COURTS[args.fips].zips})
    people = tenants(args.docket_seed, args.fips)
    known: dict[tuple[str, str, str], set[str]] = {}
    for _, name, zip5 in people:
        last, first, middle = parts(name)
        known.setdefault((ascii(last), ascii(first), zip5), set()).add(middle)
    rows: list[tuple[str, str, str]] = []
    truth: list[tuple[str, str, str, str]] = []
    pool = people[:]
    rng.shuffle(pool)
    by_kind = {kind: 0 for kind in KINDS}
    for household, name, zip5 in pool:
        wanted = [k for k in KINDS if by_kind[k] < SUED // len(KINDS) and fits(k, name)]
        if not wanted:
            continue
        kind = min(wanted, key=lambda k: (by_kind[k], rng.random()))
        by_kind[kind] += 1
        written, where, also = distort(rng, kind, name, zip5)
        rows.append(("", written, where))
        truth.append(("", kind, "+".join(also), household))
        if sum(by_kind.values()) >= SUED:
            break
    namesakes = 0
    while namesakes < NAMESAKES:  # another person of a sued tenant's name, in another ZIP code
        _, name, zip5 = rng.choice(people)
        last, first, _ = parts(name)
        middle = rng.choice("ABCDEGHJKLMNPRSTW") if rng.random() < 0.5 else ""
        where = rng.choice([z for z in zips if z != zip5])
        if undecidable(last, first, middle, where, known):
            continue
        namesakes += 1
        written, where, also = distort(rng, "as_written", f"{last}, {first} {middle}".rstrip(), where)
        rows.append(("", written, where))
        truth.append(("", "namesake_other_zip", "+".join(also), ""))
    never = 0
    while never < NEVER_SUED:  # people from the same name pools who were never sued
        name, where = person_name(rng), rng.choice(zips)
        if undecidable(*parts(name), where, known):
            continue
        never += 1
        written, where, also = distort(rng, "as_written", name, where)
        rows.append(("", written, where))
        truth.append(("", "never_sued", "+".join(also), ""))
    order = list(range(len(rows)))
    rng.shuffle(order)  # an intake sheet is in no order that gives the answer away
    OUT.mkdir(parents=True, exist_ok=True)
    with open(OUT / f"{args.name}.csv", "w", encoding="utf-8", newline="") as fh, \
            open(OUT / f"{args.name}.truth.csv", "w", encoding="utf-8", newline="") as th:
        sheet, answers = csv.writer(fh, lineterminator="\n"), csv.writer(th, lineterminator="\n")
        sheet.writerow(["id", "name", "zip"])
        answers.writerow(["id", "kind", "also", "household"])
        for n, i in enumerate(order, 1):
            row_id = f"H{n:04d}"
            sheet.writerow([row_id, rows[i][1], rows[i][2]])
            answers.writerow([row_id, *truth[i][1:]])
    print(f"{len(rows)} rows: {by_kind}, {NAMESAKES} namesakes in other ZIP codes, {NEVER_SUED} never sued")


if __name__ == "__main__":
    main()
