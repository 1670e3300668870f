"""How well watch-list names find the tenants they name, measured on the committed distorted list
(tests/fixtures/watch, written by tests/tools/save_watch_fixture.py before any threshold was set).

Targets (issue 14): at the confident threshold precision >= 0.99; confident plus to-review
recall >= 0.95. The figures are printed per kind of distortion (`pytest -s`)."""

from __future__ import annotations

import csv
import datetime as dt
from collections import Counter
from pathlib import Path

import pytest
from rapidfuzz import fuzz, process

from notify.watchlist import read_watch_list
from notify.watchmatch import Verdict, certain, name_key, name_score, verdict
from scraper.courts.va_gdc.sim.docket import Docket

FIXTURE = Path(__file__).parent / "fixtures" / "watch"


@pytest.fixture(scope="module")
def measured():
    return measure()


def measure():
    tenants = {}
    for case in Docket(seed=1, today=dt.date(2027, 6, 30)).court_year("510", 2026).cases:
        lead = case.defendants[0] if case.defendants else None
        if case.case_type == "Unlawful Detainer" and lead and lead.address and not lead.name.startswith("AND ALL"):
            key = name_key(lead.name)
            if key is not None:
                tenants.setdefault(case.household_id, (key, lead.address.rsplit(" ", 1)[1]))
    households = list(tenants)
    keys = [tenants[h][0] for h in households]
    lasts, firsts = [k.last for k in keys], [k.first for k in keys]
    entries, problems = read_watch_list(FIXTURE / "distorted.csv")
    assert problems == [] and len(entries) == 600
    with open(FIXTURE / "distorted.truth.csv", encoding="utf-8", newline="") as fh:
        truth = {r["id"]: (r["kind"], r["household"]) for r in csv.DictReader(fh)}
    found = {}
    for entry in entries:
        key = name_key(entry.name)
        # Candidates first, in C: a last name like either of the entry's names (order may be swapped).
        near = {i for i, row in enumerate(process.cdist([key.last, key.first], lasts, scorer=fuzz.ratio).T)
                if max(row) >= 60} | {i for i, score in enumerate(process.cdist([key.last], firsts, scorer=fuzz.ratio)[0])
                                       if score >= 60}
        scored = [(name_score(key, keys[i]), i) for i in near]
        best = max((s for s, _ in scored), default=0.0)
        tied = [i for s, i in scored if s == best]
        same_zip = any(tenants[households[i]][1] == entry.zip5 for i in tied)
        found[entry.row_id] = (verdict(best, same_zip, certain=all(certain(key, keys[i]) for i in tied),
                                       unique=len(tied) == 1), {households[i] for i in tied})
    return truth, found


def test_matching_meets_its_targets_on_the_distorted_list(measured):
    truth, found = measured
    confident = [row for row, (v, _) in found.items() if v is Verdict.CONFIDENT]
    right = [row for row in confident if truth[row][1] and found[row][1] == {truth[row][1]}]  # that household alone
    precision = len(right) / len(confident)
    positives = [row for row, (kind, household) in truth.items() if household]
    recalled = Counter(truth[row][0] for row in positives
                       if found[row][0] is not Verdict.NONE and truth[row][1] in found[row][1])
    per_kind = Counter(truth[row][0] for row in positives)
    recall = sum(recalled.values()) / len(positives)
    print(f"\nconfident: {len(confident)} matches, precision {precision:.3f}; "
          f"confident + to review: recall {recall:.3f} of {len(positives)}")
    for kind in per_kind:
        confident_right = sum(1 for row in right if truth[row][0] == kind)
        print(f"  {kind:11s} recall {recalled[kind] / per_kind[kind]:.2f}, confident {confident_right}/{per_kind[kind]}")
    strangers = Counter(truth[row][0] for row, (v, _) in found.items() if not truth[row][1] and v is not Verdict.NONE)
    print(f"  not sued flagged to review: {dict(strangers)} (namesakes 40, others 210)")
    assert precision >= 0.99 and recall >= 0.95
