"""Write the distorted watch list that measures name matching (issue 14, part 5), from the
Virginia simulator's Alexandria tenants. Written once, before any threshold is tuned, and
committed: re-running it gives the same file.

    .venv/bin/python tests/tools/save_watch_fixture.py   # rewrites tests/fixtures/watch/*

Each sued tenant appears once, distorted one way (KINDS); the people not sued come from the
same name pools, and at least 10% of them share a first and last name with a sued tenant but
live in another ZIP code or carry another middle initial.
"""

from __future__ import annotations

import csv
import datetime as dt
import random
import sys
import unicodedata
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from scraper.courts.va_gdc.sim.docket import Docket  # noqa: E402
from scraper.courts.va_gdc.sim.names import COURTS, person_name  # noqa: E402

OUT = ROOT / "tests" / "fixtures" / "watch"
# How people shorten given names, written down apart from the matcher's own table, so that
# the nickname figure measures the matcher rather than repeating it.
SHORT_FOR = {
    "ROBERT": ("BOB", "ROB", "BOBBY"), "WILLIAM": ("BILL", "WILL", "BILLY"), "ELIZABETH": ("LIZ", "BETH", "BETTY"),
    "JAMES": ("JIM", "JIMMY"), "MICHAEL": ("MIKE",), "DAVID": ("DAVE",), "THOMAS": ("TOM", "TOMMY"),
    "RICHARD": ("RICK", "DICK", "RICH"), "JOSEPH": ("JOE", "JOEY"), "CHRISTOPHER": ("CHRIS",), "DANIEL": ("DAN", "DANNY"),
    "ANTHONY": ("TONY",), "JENNIFER": ("JEN", "JENNY"), "JESSICA": ("JESS",), "MATTHEW": ("MATT",), "STEVEN": ("STEVE",),
    "ANDREW": ("ANDY", "DREW"), "KENNETH": ("KEN",), "DEBORAH": ("DEBBIE", "DEB"), "SAMUEL": ("SAM",),
    "BENJAMIN": ("BEN",), "NICHOLAS": ("NICK",), "EDWARD": ("ED", "EDDIE"), "CHARLES": ("CHUCK", "CHARLIE"),
    "MARGARET": ("PEGGY", "MAGGIE"), "TIMOTHY": ("TIM",), "PATRICIA": ("PATTY", "TRISH"), "SUSAN": ("SUE",),
    "KATHERINE": ("KATE", "KATIE"), "JOSE": ("PEPE",), "FRANCISCO": ("PACO", "PANCHO"), "JESUS": ("CHUY",),
    "GUADALUPE": ("LUPE",), "EDUARDO": ("LALO",), "ALBERTO": ("BETO",), "DOLORES": ("LOLA",), "ENRIQUE": ("QUIQUE",),
    "GREGORY": ("GREG",), "LAWRENCE": ("LARRY",), "RONALD": ("RON",), "DONALD": ("DON",), "AMANDA": ("MANDY",),
}
KINDS = ("exact", "typo", "nickname", "swapped", "no_accents", "no_middle", "other_zip")
SUED, NOT_SUED, NAMESAKES = 350, 250, 40
FIPS, YEAR = "510", 2026


def tenants() -> list[tuple[str, str, str]]:
    """(household id, name as the court writes it, ZIP) of each household's first case."""
    seen, out = set(), []
    for case in Docket(seed=1, today=dt.date(2027, 6, 30)).court_year(FIPS, YEAR).cases:
        if case.case_type != "Unlawful Detainer" or case.household_id in seen:
            continue
        lead = case.defendants[0]
        if lead.name.startswith("AND ALL") or not lead.address:
            continue
        seen.add(case.household_id)
        out.append((case.household_id, lead.name, lead.address.rsplit(" ", 1)[1]))
    return out


def typo(rng: random.Random, name: str) -> str:
    """Two neighbouring letters of the last or the first name swapped (or, where they are the
    same letter, one letter replaced)."""
    last, rest = name.split(", ", 1)
    first, *middle = rest.split()
    which = last if rng.random() < 0.5 or len(first) < 3 else first
    letters = list(which)
    i = rng.randrange(0, len(letters) - 1)
    if letters[i] != letters[i + 1]:
        letters[i], letters[i + 1] = letters[i + 1], letters[i]
    else:
        letters[i] = "A" if letters[i] != "A" else "E"
    changed = "".join(letters)
    if which is last:
        return ", ".join([changed, " ".join([first, *middle])])
    return ", ".join([last, " ".join([changed, *middle])])


def distort(rng: random.Random, kind: str, name: str, zip5: str, zips: list[str]) -> tuple[str, str]:
    last, rest = name.split(", ", 1)
    first, *middle = rest.split()
    if kind == "typo":
        return typo(rng, name).title(), zip5
    if kind == "nickname":
        nick = rng.choice(SHORT_FOR[ascii(first)])
        return f"{nick.title()} {last.title()}", zip5
    if kind == "swapped":
        return " ".join([first, *middle, last]).title(), zip5
    if kind == "no_accents":
        return ascii(name), zip5
    if kind == "no_middle":
        return f"{last}, {first}", zip5
    if kind == "other_zip":
        return name, rng.choice([z for z in zips if z != zip5])
    return name, zip5


def ascii(text: str) -> str:
    return unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()


def main() -> None:
    rng = random.Random(20261201)
    zips = sorted({z for z, _ in COURTS[FIPS].zips})
    people = tenants()
    nicknamed = set(SHORT_FOR)
    rows, truth = [], []
    pool = people[:]
    rng.shuffle(pool)
    by_kind = {kind: 0 for kind in KINDS}
    for household, name, zip5 in pool:
        first = ascii(name.split(", ", 1)[1].split()[0])
        wanted = [k for k in KINDS if by_kind[k] < SUED // len(KINDS)
                  and (k != "nickname" or first in nicknamed) and (k != "no_accents" or ascii(name) != name)
                  and (k != "no_middle" or len(name.split(", ", 1)[1].split()) > 1)]
        if not wanted:
            continue
        kind = min(wanted, key=lambda k: by_kind[k])
        by_kind[kind] += 1
        written, where = distort(rng, kind, name, zip5, zips)
        row_id = f"P{len(rows) + 1:04d}"
        rows.append((row_id, written, where))
        truth.append((row_id, kind, household))
        if sum(by_kind.values()) >= SUED:
            break
    sued_names = {ascii(n.split(" ")[0] + n.split(", ", 1)[1].split()[0]) for _, n, _ in people}
    for household, name, zip5 in rng.sample(people, NAMESAKES):  # namesakes: another person, same name
        last, rest = name.split(", ", 1)
        first = rest.split()[0]
        if rng.random() < 0.5:
            written, where = f"{last}, {first}", rng.choice([z for z in zips if z != zip5])
        else:
            other = rng.choice([m for m in "ABCDEGHJKLMNPRSTW" if m not in rest.split()[1:]])
            written, where = f"{last}, {first} {other}", zip5
        row_id = f"P{len(rows) + 1:04d}"
        rows.append((row_id, written, where))
        truth.append((row_id, "namesake", ""))
    while sum(1 for _, kind, _ in truth if kind == "not_sued") < NOT_SUED - NAMESAKES:
        name = person_name(rng)
        if ascii(name.split(" ")[0] + name.split(", ", 1)[1].split()[0]) in sued_names:
            continue
        row_id = f"P{len(rows) + 1:04d}"
        rows.append((row_id, name.title() if rng.random() < 0.5 else name, rng.choice(zips)))
        truth.append((row_id, "not_sued", ""))
    OUT.mkdir(parents=True, exist_ok=True)
    with open(OUT / "distorted.csv", "w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh, lineterminator="\n")
        writer.writerow(["id", "name", "zip"])
        writer.writerows(rows)
    with open(OUT / "distorted.truth.csv", "w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh, lineterminator="\n")
        writer.writerow(["id", "kind", "household"])
        writer.writerows(truth)
    print(f"{len(rows)} rows: {by_kind}, {NAMESAKES} namesakes, {NOT_SUED - NAMESAKES} not sued")


if __name__ == "__main__":
    main()
