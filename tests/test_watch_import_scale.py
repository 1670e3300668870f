"""Watch lists at any size: imported a batch at a time in one transaction (a list longer than
SQLite's limit on bound variables, imported and replaced, on SQLite and PostgreSQL), a file with
no readable row or one that fails half-way leaves the list as it was, the file is read lazily,
the candidate search over a batch finds what
the search's likeness finds pair by pair, and the matcher proposes what the model gives pair by pair."""

from __future__ import annotations

import csv
import datetime as dt
import itertools
import math
import random
import sqlite3
from scraper.base import Court
from scraper.courts import get_source
from pathlib import Path

import pytest
from rapidfuzz import fuzz
from sqlalchemy import event

from evictwatch.config import parse_config
from evictwatch.jobs.watch import import_watch_list
from pipeline.linkage.watchlist import RowProblem, WatchEntry, WatchList, WatchListError, read_watch_list
from pipeline.linkage.matcher import CANDIDATE_LAST, CANDIDATE_LIKENESS, Matcher, Person, Verdict
from pipeline.linkage.model import Weigher
from pipeline.linkage.names import NameKey, name_key
from pipeline.linkage.search import FIRST_WEIGHT, INITIAL_SCORE, LAST_WEIGHT, CandidateSearch
from pipeline.store.watch import WatchKeys, WatchStore
from tests.test_watch import NOW, PARTNER, case, cli, save
from tests.test_watch import site  # noqa: F401 - a fixture: a store with cases, a configuration and a list

# SQLite's default limit on a statement's bound variables before 3.32 (32,766 since): builds
# may allow far more (this one: 250,000), so the tests lower it to catch a statement that grows
# with a list.
SQLITE_VARIABLES = 999
FIXTURE = Path(__file__).parent / "fixtures" / "watch"


# The tenants the list's people are: made-up names, each its own case and household, in 50 ZIP codes,
# their surnames sorted before every synthetic name (so that they are matched in one batch).
_FIRSTS = ["MARY", "LINDA", "KAREN", "NANCY", "LISA", "DONNA", "CAROL", "SHARON", "PAUL", "MARK", "GEORGE", "KEVIN",
           "BRIAN", "GARY", "ERIC", "LAURA", "HELEN", "RUTH", "DIANE", "FRANK"]
TENANTS = [(f"GV26{1000 + k:06d}-00", f"A{a}{b}", _FIRSTS[k % 20], "ABCDEJLMRS"[k % 10], f"2{2300 + k % 50:04d}")
           for k, (a, b) in enumerate(itertools.product(["BAL", "DOR", "KEM", "LUN", "VIR", "TOS", "GAV", "NEP",
                                                         "HUS", "FIC", "WOP", "JEX", "SAY", "QUO", "CHU", "PRY",
                                                         "ZEF", "MIB"], repeat=2))][:300]


@pytest.fixture
def limited(store_on_both):
    """A store on both engines, SQLite's statements held to the variables an old build allows."""
    engine = store_on_both.engine
    if engine.dialect.name == "sqlite":
        event.listen(engine, "connect", lambda dbapi, _: dbapi.setlimit(sqlite3.SQLITE_LIMIT_VARIABLE_NUMBER,
                                                                         SQLITE_VARIABLES))
        engine.dispose()  # the connections made before the limit
    store_on_both.ensure_court(Court("alexandria", get_source("va-gdc"), "510", "https://portal.example.invalid/gdcourts/"))
    save(store_on_both, *(case(number, f"{last}, {first} {middle}", zip5, dt.date(2026, 12, 8))
                          for number, last, first, middle, zip5 in TENANTS))
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
    # More rows, and more matches, than a statement may carry: each of the 300 tenants is on
    # the list four times, written as a partner writes, in the tenant's ZIP code.
    people = [(f"P-{i}", f"{first} {middle}. {last.title()}", zip5)
              for i, (_, last, first, middle, zip5) in enumerate(TENANTS * 4)]
    first = synthetic(3_000) + people
    result = import_watch_list(config, store, PARTNER, write_list(tmp_path / "first.csv", first), now=NOW,
                               batch_size=250)
    assert (result.rows, result.change.added, result.left_out) == (4_200, 4_200, 0)
    assert [e.row_id for e in watch.entries(PARTNER)] == [row_id for row_id, _, _ in first]  # the file's order
    assert (result.matched.confident, result.matched.review) == (1_200, 0)
    matched = {m.row_id: m for m in watch.matches(PARTNER)}
    assert matched.keys() == {row_id for row_id, _, _ in people}
    assert {(row_id, m.court, m.case_number, m.verdict) for row_id, m in matched.items()} == {
        (f"P-{i}", "alexandria", TENANTS[i % 300][0], "confident") for i in range(1_200)}
    said_no = {matched[f"P-{k}"].id for k in range(300)}  # once for each name
    watch.decide([(match_id, False) for match_id in said_no])

    # The next export: a third of the rows gone, 500 new, 500 changed (another ZIP code), a
    # person said "no" to moved to another row id.
    second = (synthetic(3_000)[1_000:] + synthetic(500, "N")
              + [(row_id, name, "22399") for row_id, name, _ in people[:500]] + people[500:])
    second = [row for row in second if row[0] != "P-7"] + [("P-NEW", people[7][1], people[7][2])]
    result = import_watch_list(config, store, PARTNER, write_list(tmp_path / "second.csv", second), now=NOW)
    change = result.change
    assert (change.added, change.changed, change.removed, change.unchanged) == (501, 499, 1_001, 2_700)
    stored = watch.entries(PARTNER)
    assert len(stored) == len(second) and {e.row_id for e in stored} == {row_id for row_id, _, _ in second}
    _, last, first_name, middle, _ = TENANTS[1]
    assert next(e for e in stored if e.row_id == "P-1") == WatchKeys("P-1", last, first_name, middle, False, "22399")
    matches = watch.matches(PARTNER)
    assert {m.row_id for m in matches} == {row_id for row_id, _, _ in people[:7] + people[8:]} | {"P-NEW"}
    # The "no" stays with the name: on every row of it but those whose match was kept as it was.
    assert {m.row_id for m in matches if m.decision == "no"} == {row_id for row_id, _, _ in people[:500]
                                                                  if row_id != "P-7"} | {"P-NEW"}
    assert (result.matched.confident, result.matched.review) == (700, 0)
    assert not said_no & {m.id for m in matches}


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


def _listed_names() -> list[tuple[NameKey, str | None]]:
    """The distorted list's names (tests/fixtures/watch): order, nicknames, typos, other ZIP codes."""
    with open(FIXTURE / "distorted.csv", encoding="utf-8", newline="") as fh:
        written = [(row["name"], row["zip"] or None) for row in csv.DictReader(fh)]
    return [(key, zip5) for name, zip5 in written if (key := name_key(name)) is not None]


def _tenants_of(keys: list[tuple[NameKey, str | None]], seed: int) -> list[Person]:
    """Half the list's names as tenants, three to a household: some with an initial or no first
    name, some with first and last names swapped."""
    rng, people = random.Random(seed), []
    for i, (key, zip5) in enumerate(keys[::2]):
        first = rng.choice([key.first, key.first[:1], "", key.last]) if i % 7 == 0 else key.first
        last = key.first if i % 11 == 0 and key.first else key.last
        people.append(Person(i, f"h{i // 3}", NameKey(last, first, key.middle, key.nickname), zip5))
    return people


def _written_otherwise(key: NameKey, i: int) -> NameKey:
    """The name as another intake sheet may write it: swapped, an initial, a typo in either name."""
    typo = lambda name: name[:1] + name[2:3] + name[1:2] + name[3:] if len(name) > 3 else name  # noqa: E731
    return [NameKey(key.first or key.last, key.last, key.middle), NameKey(key.last, key.first[:1], key.middle),
            NameKey(typo(key.last), key.first, key.middle), NameKey(key.last, typo(key.first), None)][i % 4]


@pytest.mark.parametrize("cutoff", [70.0, 75.0, 80.0])
def test_the_candidate_search_finds_what_likeness_finds_pair_by_pair(cutoff):
    keys = _listed_names()
    people = _tenants_of(keys, int(cutoff))
    names = [k for k, _ in keys[::3]] + [_written_otherwise(k, i) for i, (k, _) in enumerate(keys[1::3])]
    search = CandidateSearch([p.key for p in people], cutoff)
    found = search.search(names[:150]) + search.search(names[150:])  # in two batches: what is kept serves the next
    assert sum(1 for pairs in found if pairs) > len(names) // 3
    least = (cutoff - 100 * FIRST_WEIGHT) / LAST_WEIGHT  # the least last-name ratio that can reach the cutoff
    for name, pairs in zip(names, found):
        got = {c.index: c.likeness for c in pairs}
        assert len(got) == len(pairs)  # each tenant once
        expected = {i: score for i, p in enumerate(people) if (score := likeness(name, p.key)[0]) >= cutoff}
        assert got.keys() == expected.keys(), name
        assert all(abs(got[i] - expected[i]) <= 1e-9 for i in got), name
        for c in pairs:  # which way round the last names are near
            tenant = people[c.index].key
            assert c.straight == (fuzz.ratio(name.last, tenant.last) >= least - 1e-6), (name, tenant)
            assert c.swapped == (fuzz.ratio(name.last, tenant.first) >= least - 1e-6), (name, tenant)


def test_a_batch_proposes_what_each_name_alone_does_at_the_same_listed_share():
    keys = _listed_names()
    matcher = Matcher(_tenants_of(keys, 7), share=0.25)  # π given: a batch and its rows alone weigh alike
    # With tenants' names that fit no one as written: a double surname, a comma misplaced.
    names = keys[::3] + [(NameKey(f"TESFAYE {k.last}", k.first, k.middle), z) for k, z in keys[:120:6]] + [
        (NameKey(k.first, k.last, k.middle, False, k.last), z) for k, z in keys[2:120:6] if len(k.first) > 1]
    batched = matcher.propose_all(names)
    assert batched == [matcher.propose(key, zip5) for key, zip5 in names]
    assert {p.verdict for proposals in batched for p in proposals} == {Verdict.CONFIDENT, Verdict.REVIEW}
    assert any("the list's name read another way" in e for proposals in batched for p in proposals for e in p.evidence)


def first_likeness(a: str, b: str) -> float:
    """Two first names as the search scores them, pair by pair: the same 100, an initial
    against a name INITIAL_SCORE if it is its initial (else 0), otherwise their ratio."""
    if a == b:
        return 100.0
    if a and b and (len(a) == 1 or len(b) == 1):
        return INITIAL_SCORE if a[0] == b[0] else 0.0
    return fuzz.ratio(a, b)


def likeness(a: NameKey, b: NameKey) -> tuple[float, bool]:
    """The search's name likeness (0-100) pair by pair, and whether the names swapped reach it."""
    straight = LAST_WEIGHT * fuzz.ratio(a.last, b.last) + FIRST_WEIGHT * first_likeness(a.first, b.first)
    swapped = LAST_WEIGHT * fuzz.ratio(a.last, b.first) + FIRST_WEIGHT * first_likeness(a.first, b.last)
    return (swapped, True) if swapped > straight else (straight, False)


def _near_ways(key: NameKey, tenant: NameKey) -> list[bool]:
    """Pair by pair, what the search finds: the ways round (False: as written) whose last names
    are near, when the likeness of one of them reaches the candidates' cutoff."""
    least = max(CANDIDATE_LAST, (CANDIDATE_LIKENESS - 100 * FIRST_WEIGHT) / LAST_WEIGHT) - 1e-6
    near = [(swapped, LAST_WEIGHT * fuzz.ratio(key.last, last) + FIRST_WEIGHT * first_likeness(key.first, first))
            for swapped, last, first in ((False, tenant.last, tenant.first), (True, tenant.first, tenant.last))
            if fuzz.ratio(key.last, last) >= least]
    return [swapped for swapped, _ in near] if any(score >= CANDIDATE_LIKENESS for _, score in near) else []


@pytest.mark.parametrize("share", [0.05, 0.25])
def test_the_matcher_proposes_what_the_model_gives_pair_by_pair(share):
    """Rows that fit someone as written: every tenant at the candidate likeness weighed, the
    household's best weight, its probability, the households that tie at the top."""
    keys = _listed_names()
    people = _tenants_of(keys, 11)
    matcher = Matcher(people, share=share)
    names = keys[::3]
    weigher = Weigher(matcher.census)  # its own: what the matcher's remembers changes nothing
    checked = ties = 0
    for (key, zip5), proposals in zip(names, matcher.propose_all(names)):
        weights: dict[str, float] = {}
        refs: dict[str, set[int]] = {}
        for p in people:
            # Alike names, each way round whose last names are near; their surnames not unlike.
            ways = _near_ways(key, p.key)
            weighed = weigher.best(key, zip5, p.key, p.zip5, ways=tuple(ways)) if ways else None
            if weighed is not None:
                weights[p.household] = max(weighed[0], weights.get(p.household, -math.inf))
                refs.setdefault(p.household, set()).add(p.ref)
        per = share / matcher.households
        below = (1 - share) + per * sum(2.0 ** w for w in weights.values())
        probability = {h: per * 2.0 ** w / below for h, w in weights.items()}
        top = max(probability.values(), default=0.0)
        if top < matcher.review:
            continue  # read the other ways a name may be written: the test above
        checked += 1
        kept = {h for h, p in probability.items() if p >= top * (1 - 1e-9)}
        assert {p.ref for p in proposals} == set().union(*(refs[h] for h in kept))
        household = {p.ref: p.household for p in people}
        assert all(abs(p.probability - probability[household[p.ref]]) <= 1e-9 for p in proposals)
        if len(kept) > 1:
            ties += 1
            assert all(p.verdict is Verdict.REVIEW for p in proposals)
    assert checked > len(names) // 3 and ties


def test_a_calibrated_matcher_gives_a_row_the_same_verdict_whatever_batch_it_falls_in():
    keys = _listed_names()
    matcher = Matcher(_tenants_of(keys, 7))
    share = matcher.calibrate(keys)
    assert 0 < share < 1 and matcher.share == share
    names = keys[::2]
    alone = [matcher.propose(key, zip5) for key, zip5 in names]
    assert matcher.propose_all(names) == alone and matcher.propose_all(names[::-1]) == alone[::-1]


def test_a_list_is_counted_by_name_and_sampled_evenly_by_the_store(store):
    from pipeline.store.watch import WatchKeys, WatchStore

    watch = WatchStore(store.engine)
    now = dt.datetime(2026, 12, 1, 12, tzinfo=dt.timezone.utc)
    rows = [WatchKeys(f"R{i}", "SMITH" if i % 3 else "PENA", "ANA", None, False, "22304") for i in range(900)]
    watch.replace("P", rows + [WatchKeys("N1", case_number="GV26000001-00")], now=now)
    assert sorted(watch.name_counts("P")) == [("PENA", "ANA", "22304", 300), ("SMITH", "ANA", "22304", 600)]
    sample = watch.sample("P", 100)
    assert 90 <= len(sample) <= 100 and all(k.last for k in sample)
    numbers = sorted(int(k.row_id[1:]) for k in sample)
    assert numbers[0] < 30 and numbers[-1] > 850  # drawn over the whole list, not its start
    assert watch.sample("P", 100) == sample
