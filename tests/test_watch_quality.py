"""The fuzzy matcher against the plainest one could write, on the committed distorted list
(tests/fixtures/watch): the same folded last and first name and the same ZIP code, nothing
else. The floors and targets of both lists are tests/test_watch_heldout.py's; the figures are
printed here per kind of distortion (`pytest -s`)."""

from __future__ import annotations

from pipeline.linkage.watchlist import read_watch_list
from pipeline.linkage.names import name_key
from tests.watch_measure import DISTORTED, Row, figures, measure, tenants, truth_of


def exact_key_baseline() -> list[Row]:
    """Every household whose tenant has the row's folded last and first name and ZIP code, to review."""
    households: dict[tuple[str, str, str], set[str]] = {}
    for household, (key, zip5) in tenants(DISTORTED).items():
        households.setdefault((key.last, key.first, zip5), set()).add(household)
    entries, _ = read_watch_list(DISTORTED.path)
    found = {e.row_id: frozenset(households.get((key.last, key.first, e.zip5), ()))
             for e in entries if e.name and (key := name_key(e.name)) is not None}
    return [Row(row_id, kind, household, frozenset(), found.get(row_id, frozenset()))
            for row_id, (kind, household) in truth_of(DISTORTED).items()]


def test_the_matcher_finds_more_than_exact_keys_and_all_they_find():
    matched, baseline = measure(DISTORTED), figures(exact_key_baseline())
    print("\nmatcher:\n" + "\n".join(matched.lines()) + "\nexact keys:\n" + "\n".join(baseline.lines()))
    assert matched.rows == baseline.rows == 600 and matched.live == baseline.live
    assert matched.recall_with_review >= baseline.recall_with_review + 0.15  # 0.951 against 0.714
    assert baseline.by_kind["typo"][1] == 0.0 and matched.by_kind["typo"][1] >= 0.9  # what exact keys miss
    for kind, (_, recall, _, _) in baseline.by_kind.items():  # and none of what they find is lost
        assert matched.by_kind[kind][1] >= recall, kind
