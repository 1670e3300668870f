"""splink (Fellegi-Sunter record linkage, splink 4.0.17 on DuckDB) on the watch-list fixtures,
measured with exactly the figures of tests/watch_measure.py that bench/watch_quality.py prints
for our own matcher (pipeline/linkage), so that the two can be compared.

    .venv/bin/python bench/watch_splink.py                      # distorted and heldout
    .venv/bin/python bench/watch_splink.py --fixture heldout
    .venv/bin/python bench/watch_splink.py --no-swap            # without the swapped-names levels

splink is not a dependency of evictwatch, only of this benchmark: `.venv/bin/pip install -e
".[linkage-bench]"` (splink>=4,<5, which brings duckdb and pandas).

Per fixture: the left table holds the tenants (one record per household, tests.watch_measure.
tenants: the first defendant of its first unlawful detainer), the right table the list's rows
(pipeline.linkage.watchlist.read_watch_list; names read by the name_key tests/watch_measure.py uses:
`First Last` or `Last, First` order, accents folded, nicknames expanded, JIM -> JAMES).
link_only between the two, DuckDB backend. The model:

- surname: exact (term-frequency adjusted), Jaro-Winkler >= 0.92, >= 0.88, swapped, else;
- first name: exact (TF adjusted), Jaro-Winkler >= 0.92, >= 0.88, an initial agreeing (no
  name in these fixtures is an initial: its m and u are set, not estimated), swapped, else;
- middle initial and ZIP code: exact / else, nulls neutral.

Swapped (a list that wrote `Betty, Foster` for FOSTER, BETTY): `surname_l = first_name_r` in
the surname comparison, `first_name_l = surname_r` in the first name's. Written on copies of the
names (`given`, `family`): splink's EM drops from a session every comparison that reads a column
of the session's blocking rule, so with the plain columns neither name comparison could be
trained in a session blocked on a name. No EM session can observe the swapped levels (a
session blocked on a name fixes that name), so their m is fixed at SWAP_M (a guess); --no-swap
leaves them out. A level "exact through a nickname" (name_key's nickname flag) was tried and
dropped: EM gave it a larger weight than an exact first name, because in the fixtures only
rows with a live case carry nicknames.

u by random sampling (all pairs: the tables are small), the prior from an exact surname + first
name + ZIP rule (recall PRIOR_RECALL, a guess), m by EM blocked on surname, then on first name.
Each row keeps its best household (and any tied with it): confident at match probability >= C,
to review at >= R, for a grid of (C, R); each point prints the figures and the four targets of
issue 29, and a one-line summary per point ends each fixture.
"""

from __future__ import annotations

import argparse
import logging
import sys
import time
from pathlib import Path

import pandas as pd
import splink
import splink.comparison_level_library as cll
import splink.comparison_library as cl
from splink import DuckDBAPI, Linker, SettingsCreator, block_on

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from pipeline.linkage.watchlist import read_watch_list  # noqa: E402
from tests.watch_measure import (  # noqa: E402  (name_key: the one the measure reads the lists with)
    DISTORTED, FRESH, HELDOUT, Fixture, Row, figures, name_key, tenants, truth_of,
)

FIXTURES = {f.name: f for f in (DISTORTED, HELDOUT, FRESH)}
CONFIDENT = (0.9, 0.95, 0.99, 0.999)
REVIEW = (0.01, 0.1, 0.5, 0.8, 0.9)
PRIOR_RECALL = 0.6  # share of true pairs the exact surname + first name + ZIP rule finds (a guess)
TIE = 1e-9  # match probabilities this close are a tie
PREDICT_FLOOR = min(REVIEW) / 10  # pairs below it are never kept
SWAP_M = 0.05  # share of true pairs at each swapped level (a guess: no EM session can observe them)


def tables(fixture: Fixture) -> tuple[pd.DataFrame, pd.DataFrame, int]:
    """The tenants, the list's readable rows, and how many rows could not be read."""
    left = [{"unique_id": h, "surname": key.last, "first_name": key.first, "middle_initial": key.middle,
             "zip": zip5} for h, (key, zip5) in tenants(fixture).items()]
    entries, problems = read_watch_list(fixture.path)
    right, unread = [], len(problems)
    for entry in entries:
        key = name_key(entry.name) if entry.name else None
        if key is None:
            unread += 1
            continue
        right.append({"unique_id": entry.row_id, "surname": key.last, "first_name": key.first,
                      "middle_initial": key.middle, "zip": entry.zip5})
    frames = [pd.DataFrame(left), pd.DataFrame(right)]
    for frame in frames:  # copies of the names for the swapped levels (see the module's docstring)
        frame["given"], frame["family"] = frame["first_name"], frame["surname"]
    return frames[0], frames[1], unread


def settings(swap: bool) -> SettingsCreator:
    surname = [cll.NullLevel("surname"), cll.ExactMatchLevel("surname", term_frequency_adjustments=True),
               cll.JaroWinklerLevel("surname", 0.92), cll.JaroWinklerLevel("surname", 0.88)]
    first = [cll.NullLevel("first_name"),
             cll.ExactMatchLevel("first_name", term_frequency_adjustments=True),  # JIM = JAMES already
             cll.JaroWinklerLevel("first_name", 0.92), cll.JaroWinklerLevel("first_name", 0.88),
             cll.CustomLevel("(length(first_name_l) = 1 OR length(first_name_r) = 1) "
                             "AND substr(first_name_l, 1, 1) = substr(first_name_r, 1, 1)", "initial")
             .configure(m_probability=0.01, u_probability=0.005, fix_m_probability=True, fix_u_probability=True)]
    if swap:  # on copies of the names, m fixed (see the module's docstring)
        surname.append(cll.CustomLevel("surname_l = given_r", "swapped: surname is the other's first name")
                       .configure(m_probability=SWAP_M, fix_m_probability=True))
        first.append(cll.CustomLevel("first_name_l = family_r", "swapped: first name is the other's surname")
                     .configure(m_probability=SWAP_M, fix_m_probability=True))
    return SettingsCreator(
        link_type="link_only",
        comparisons=[
            cl.CustomComparison(surname + [cll.ElseLevel()], "surname"),
            cl.CustomComparison(first + [cll.ElseLevel()], "first_name"),
            cl.ExactMatch("middle_initial"),
            cl.ExactMatch("zip"),
        ],
        blocking_rules_to_generate_predictions=[
            block_on("surname"),
            block_on("first_name"),
            "l.first_name = r.surname",
            "l.surname = r.first_name",
            block_on("zip", "substr(surname, 1, 1)"),
        ],
        retain_intermediate_calculation_columns=False,
    )


def predictions(left: pd.DataFrame, right: pd.DataFrame, swap: bool) -> pd.DataFrame:
    """Every blocked (household, row) pair with its match probability."""
    linker = Linker([left, right], settings(swap), DuckDBAPI(), set_up_basic_logging=False,
                    input_table_aliases=["tenants", "watchlist"])
    linker.training.estimate_probability_two_random_records_match(
        [block_on("surname", "first_name", "zip")], recall=PRIOR_RECALL)
    linker.training.estimate_u_using_random_sampling(max_pairs=len(left) * len(right), seed=1)
    for rule in (block_on("surname"), block_on("first_name")):
        linker.training.estimate_parameters_using_expectation_maximisation(rule)
    df = linker.inference.predict(threshold_match_probability=PREDICT_FLOOR).as_pandas_dataframe()
    # Two input tables: splink's left side is the first one (the tenants).
    assert df.empty or set(df["source_dataset_l"]) == {"tenants"}, set(df["source_dataset_l"])
    return df.rename(columns={"unique_id_l": "household", "unique_id_r": "row_id"})


def best(pairs: pd.DataFrame) -> dict[str, tuple[float, frozenset[str]]]:
    """Row id -> (its best match probability, the households with it)."""
    out: dict[str, tuple[float, frozenset[str]]] = {}
    for row_id, group in pairs.groupby("row_id"):
        top = float(group["match_probability"].max())
        out[str(row_id)] = (top, frozenset(group.loc[group["match_probability"] >= top - TIE, "household"]))
    return out


def rows_at(fixture: Fixture, found: dict[str, tuple[float, frozenset[str]]], confident: float,
            review: float) -> list[Row]:
    rows = []
    for row_id, (kind, household) in truth_of(fixture).items():
        p, households = found.get(row_id, (0.0, frozenset()))
        rows.append(Row(row_id, kind, household,
                        households if p >= confident else frozenset(),
                        households if review <= p < confident else frozenset()))
    return rows


def measure(fixture: Fixture, swap: bool) -> None:
    start = time.perf_counter()
    left, right, unread = tables(fixture)
    linking = time.perf_counter()
    found = best(predictions(left, right, swap))
    end = time.perf_counter()
    print(f"== {fixture.name} ({fixture.path.name}; court {fixture.fips}, docket seed {fixture.docket_seed}; "
          f"{len(left)} households, {len(right)} rows; splink {splink.__version__}, swapped levels "
          f"{'on' if swap else 'off'}; {end - start:.1f} s, of which splink {end - linking:.1f} s)")
    summary = []
    for confident in CONFIDENT:
        for review in (r for r in REVIEW if r < confident):
            result = figures(rows_at(fixture, found, confident, review), unread)
            met = result.targets()
            print(f"-- confident >= {confident}, to review >= {review}")
            print("\n".join(result.lines()))
            print("targets:")
            print("\n".join(f"  {line}" for line in met))
            print()
            summary.append(f"  {confident:<6} {review:<5} {result.recall_with_review:6.3f} "
                           f"{result.wrong_per_right:6.2f} {result.confident_precision:6.3f} "
                           f"{result.confident_share:6.3f} "
                           f"{sum(not line.startswith('NOT') for line in met)}/4")
    print(f"summary, {fixture.name}: C, R, recall with review, wrong per right, confident precision, "
          "confident share, targets met")
    print("\n".join(summary))
    print()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--fixture", choices=sorted(FIXTURES), nargs="+", default=["distorted", "heldout"])
    parser.add_argument("--no-swap", dest="swap", action="store_false",
                        help="no swapped-names levels (EM blocked on surname and first name)")
    args = parser.parse_args()
    logging.getLogger("splink").setLevel(logging.WARNING)
    for name in args.fixture:
        measure(FIXTURES[name], args.swap)


if __name__ == "__main__":
    main()
