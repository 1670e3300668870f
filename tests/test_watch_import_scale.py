"""Watch lists at any size: imported a batch at a time in one transaction (a list longer than
SQLite's limit on bound variables, imported and replaced, on SQLite and PostgreSQL), a file with
no readable row or one that fails half-way leaves the list as it was, the file is read lazily,
and the matcher's batched scoring gives what name_score gives pair by pair."""

from __future__ import annotations

import csv
import datetime as dt
import random
import sqlite3
from pathlib import Path

import pytest
from sqlalchemy import event

from evictwatch.config import parse_config
from evictwatch.jobs.watch import import_watch_list
from notify.watchlist import RowProblem, WatchEntry, WatchList, WatchListError, read_watch_list
from notify.watchmatch import (Matcher, NameKey, Person, Proposal, Verdict, _reasons, certain, name_key, name_score,
                               verdict)
from pipeline.store.watch import WatchKeys, WatchStore
from tests.test_watch import NOW, PARTNER, case, cli, save
from tests.test_watch import site  # noqa: F401 - a fixture: a store with cases, a configuration and a list

# SQLite's default limit on a statement's bound variables before 3.32 (32,766 since): builds
# may allow far more (this one: 250,000), so the tests lower it to catch a statement that grows
# with a list.
SQLITE_VARIABLES = 999
FIXTURE = Path(__file__).parent / "fixtures" / "watch"


@pytest.fixture
def limited(store_on_both):
    """A store on both engines, SQLite's statements held to the variables an old build allows."""
    engine = store_on_both.engine
    if engine.dialect.name == "sqlite":
        event.listen(engine, "connect", lambda dbapi, _: dbapi.setlimit(sqlite3.SQLITE_LIMIT_VARIABLE_NUMBER,
                                                                         SQLITE_VARIABLES))
        engine.dispose()  # the connections made before the limit
    store_on_both.ensure_court("alexandria", "va-gdc", "510", "https://portal.example.invalid/gdcourts/")
    save(store_on_both, case("GV26000601-00", "PEÑA, JOSÉ A", "22304", dt.date(2026, 12, 8)),
         case("GV26000602-00", "SMITH, ROBERT", "22311", dt.date(2026, 12, 10)))
    return store_on_both


def watching_config():
    return parse_config({"http": {"user_agent": "t (o@example.org)"},
                         "partners": [{"name": PARTNER, "emails": ["h@example.org"], "watch": {}}],
                         "courts": [{"id": "alexandria", "source": "va-gdc", "fips": "510",
                                     "base_url": "https://portal.example.invalid/gdcourts/"}]}, "test")


def write_list(path: Path, rows: list[tuple[str, str, str]]) -> Path:
    with path.open("w", encoding="utf-8", newline="") as fh:
        out = csv.writer(fh)
        out.writerow(["id", "name", "zip"])
        out.writerows(rows)
    return path


def synthetic(count: int, prefix: str = "R") -> list[tuple[str, str, str]]:
    """Names of nobody: letters drawn at random, far from the tenants' names."""
    rng = random.Random(count)
    word = lambda: "".join(rng.choice("BDGKLMNRTVZ") + rng.choice("AEIOU") for _ in range(4))  # noqa: E731
    return [(f"{prefix}-{i}", f"{word()}, {word()}", f"2{i % 10000:04d}") for i in range(count)]


def test_a_list_longer_than_sqlites_variable_limit_is_imported_then_replaced(limited, tmp_path):
    store = limited
    config, watch = watching_config(), WatchStore(store.engine)
    # More rows, and more matches, than a statement may carry: each "Jose Pena" row is a match.
    people = [(f"P-{i}", "Jose A. Pena", "22304") for i in range(1_200)]
    first = synthetic(3_000) + people
    result = import_watch_list(config, store, PARTNER, write_list(tmp_path / "first.csv", first), now=NOW,
                               batch_size=250)
    assert (result.rows, result.change.added, result.left_out) == (4_200, 4_200, 0)
    assert [e.row_id for e in watch.entries(PARTNER)] == [row_id for row_id, _, _ in first]  # the file's order
    assert (result.matched.confident, result.matched.review) == (1_200, 0)
    matched = {m.row_id: m for m in watch.matches(PARTNER)}
    assert matched.keys() == {row_id for row_id, _, _ in people}
    assert {(m.court, m.case_number, m.verdict) for m in matched.values()} == {
        ("alexandria", "GV26000601-00", "confident")}
    said_no = matched["P-7"].id
    watch.decide([(said_no, False)])

    # The next export: a third of the rows gone, 500 new, 500 changed (another ZIP code), the
    # person said "no" to moved to another row id.
    second = (synthetic(3_000)[1_000:] + synthetic(500, "N")
              + [(row_id, name, "22399") for row_id, name, _ in people[:500]] + people[500:])
    second = [row for row in second if row[0] != "P-7"] + [("P-NEW", "Jose A. Pena", "22304")]
    result = import_watch_list(config, store, PARTNER, write_list(tmp_path / "second.csv", second), now=NOW)
    change = result.change
    assert (change.added, change.changed, change.removed, change.unchanged) == (501, 499, 1_001, 2_700)
    stored = watch.entries(PARTNER)
    assert len(stored) == len(second) and {e.row_id for e in stored} == {row_id for row_id, _, _ in second}
    assert next(e for e in stored if e.row_id == "P-1") == WatchKeys("P-1", "PENA", "JOSE", "A", False, "22399")
    matches = watch.matches(PARTNER)
    assert {m.row_id for m in matches} == {row_id for row_id, _, _ in people[:7] + people[8:]} | {"P-NEW"}
    # The "no" stays with the name: on every row of it but those whose match was kept as it was.
    assert {m.row_id for m in matches if m.decision == "no"} == {row_id for row_id, _, _ in people[:500]
                                                                  if row_id != "P-7"} | {"P-NEW"}
    assert (result.matched.confident, result.matched.review) == (700, 0)
    assert said_no not in {m.id for m in matches}


def test_a_file_with_no_readable_row_leaves_the_list_its_matches_and_answers_as_they_were(site, tmp_path):
    store, config, listed = site
    assert cli(store, config, "watch", "import", "--partner", PARTNER, str(listed)).exit_code == 0
    watch = WatchStore(store.engine)
    pending = {m.row_id: m.id for m in watch.matches(PARTNER, pending=True)}
    answered = cli(store, config, "watch", "review", "--no", str(pending["H-3"]), "--yes", str(pending["H-2"]))
    assert answered.exit_code == 0
    before = (watch.entries(PARTNER), watch.matches(PARTNER))

    unreadable = write_list(tmp_path / "unreadable.csv", [(f"U-{i}", "Ana Ruiz", "2230") for i in range(150)])
    result = cli(store, config, "watch", "import", "--partner", PARTNER, str(unreadable))
    assert result.exit_code == 1
    assert f"{unreadable}: row 2, column 'zip': '2230' is not a ZIP code" in result.output
    assert f"{unreadable}: row 101, column 'zip'" in result.output and "row 102," not in result.output
    assert f"{unreadable}: and 50 more rows that could not be read (the first 100 are listed above)" in result.output
    assert f"no row of {unreadable} could be read: the watch list of {PARTNER} stays as it was" in result.output
    assert (watch.entries(PARTNER), watch.matches(PARTNER)) == before

    empty = write_list(tmp_path / "empty.csv", [])
    result = cli(store, config, "watch", "import", "--partner", PARTNER, str(empty))
    assert result.exit_code == 1 and "has no rows under its header" in result.output
    assert (watch.entries(PARTNER), watch.matches(PARTNER)) == before


def test_a_file_that_fails_half_way_leaves_the_list_as_it_was(site, tmp_path):
    store, config, listed = site
    cli(store, config, "watch", "import", "--partner", PARTNER, str(listed))
    watch = WatchStore(store.engine)
    before = (watch.entries(PARTNER), watch.matches(PARTNER))
    broken = tmp_path / "broken.csv"
    good = "".join(f"G-{i},Ana Ruiz,22304\r\n" for i in range(5_000))  # many batches written before the fault
    broken.write_bytes(("id,name,zip\r\n" + good).encode() + b"G-x,Jos\xe9 Pe\xf1a,22304\r\n")
    result = cli(store, config, "watch", "import", "--partner", PARTNER, str(broken))
    assert result.exit_code == 2 and f"not UTF-8 text (invalid continuation byte at byte {13 + len(good) + 7})" \
        in result.output
    assert (watch.entries(PARTNER), watch.matches(PARTNER)) == before

    def failing():
        yield WatchKeys("X-1", "RUIZ", "ANA")
        raise OSError("the disk went away")

    with pytest.raises(OSError):
        watch.replace(PARTNER, failing(), batch_size=1)
    assert (watch.entries(PARTNER), watch.matches(PARTNER)) == before
    assert watch.replace(PARTNER, [WatchKeys("X-1", "RUIZ", "ANA")]).added == 1  # the staging table was cleared


def test_a_list_is_read_a_row_at_a_time(tmp_path):
    path = tmp_path / "list.csv"
    path.write_bytes(b"id,name,zip\r\n" + b"".join(b'A-%d,"RUIZ, ANA",22304\r\n' % i for i in range(20_000))
                     + b"B-1,Jos\xe9,22304\r\n")  # not UTF-8, at the very end
    with WatchList(path) as listed:
        rows = iter(listed)
        assert next(rows) == WatchEntry("A-0", "RUIZ, ANA", "22304", None)
        assert next(rows).row == 3  # read as far as asked, the fault at the end not reached yet
    with pytest.raises(WatchListError, match="not UTF-8 text"):
        read_watch_list(path)
    with WatchList(write_list(tmp_path / "bad.csv", [("A", "Cher", "")])) as listed:
        assert [str(p) for p in listed if isinstance(p, RowProblem)] == [
            "row 2, column 'name': a name needs a last and a first name"]


def _one_by_one(people: list[Person], key: NameKey, zip5: str | None, review: float) -> list[Proposal]:
    """What Matcher.propose means, pair by pair with name_score, over every tenant."""
    scored = [(s, p) for p in people if (s := name_score(key, p.key)) >= review]
    best: dict[str, float] = {}
    for score, person in scored:
        best[person.household] = max(score, best.get(person.household, 0.0))
    top = max(best.values(), default=0.0)
    unique = sum(1 for s in best.values() if s == top) == 1
    proposals = []
    for score, person in sorted(scored, key=lambda sp: (-sp[0], sp[1].ref)):
        if best[person.household] == top:
            same_zip = zip5 is not None and person.zip5 == zip5
            found = verdict(score, same_zip, certain=certain(key, person.key), unique=unique, review=review)
            reasons = () if found is Verdict.CONFIDENT else _reasons(key, person, score, zip5, same_zip, unique, 92.0)
            proposals.append(Proposal(person.ref, score, found, same_zip, reasons))
    return proposals


@pytest.mark.parametrize("review", [70.0, 80.0, 90.0])
def test_the_matcher_proposes_what_name_score_gives_pair_by_pair(review):
    rng = random.Random(int(review))
    with open(FIXTURE / "distorted.csv", encoding="utf-8", newline="") as fh:
        written = [(row["name"], row["zip"] or None) for row in csv.DictReader(fh)]
    keys = [(key, zip5) for name, zip5 in written if (key := name_key(name)) is not None]
    people = []
    for i, (key, zip5) in enumerate(keys[::2]):  # tenants: half the names, some swapped, initials, no first name
        first = rng.choice([key.first, key.first[:1], "", key.last]) if i % 7 == 0 else key.first
        last = key.first if i % 11 == 0 and key.first else key.last
        people.append(Person(i, f"h{i // 3}", NameKey(last, first, key.middle, key.nickname), zip5))
    matcher = Matcher(people, review=review)
    names = keys[::3]
    found = matcher.propose_all(names)
    assert sum(1 for proposals in found if proposals) > len(names) // 4
    for (key, zip5), proposals in zip(names, found):
        assert sorted(proposals, key=lambda p: (-p.score, p.ref)) == _one_by_one(people, key, zip5, review)
