"""Watch-list matching measured on lists nobody tuned on (issue 29), beside the distorted list
the old thresholds were set on: tests/fixtures/watch/heldout.csv, written by
tests/tools/save_watch_heldout.py before any result on it was seen, and fresh.csv, written by
the same script for another court and kept unmeasured until the scoring (pipeline/linkage) was
finished.

The issue's targets on the distorted and held-out lists are plain assertions. On the fresh list
two are not met (recall with review 0.920, confident share 0.348): those figures are floors, and
the targets strict xfails that fail the day they are met. The figures: `pytest -s`, or
`bench/watch_quality.py`."""

from __future__ import annotations

import pytest

from tests.watch_measure import DISTORTED, FRESH, HELDOUT, Figures, Fixture, measure

TARGETS = (DISTORTED, HELDOUT)
NOT_YET = "issue 29: the scoring does not meet this target on the fresh list yet"



@pytest.fixture(scope="module")
def measured() -> dict[str, Figures]:
    out = {}
    for fixture in (DISTORTED, HELDOUT, FRESH):
        out[fixture.name] = figures = measure(fixture)
        print(f"\n{fixture.name}:\n" + "\n".join(figures.lines()))
    return out


def test_the_heldout_lists_read_whole_and_are_as_an_intake_sheet(measured: dict[str, Figures]) -> None:
    for fixture in (HELDOUT, FRESH):
        figures = measured[fixture.name]
        assert figures.rows == 310 and figures.unread == 0
        assert 0.4 <= figures.live / figures.rows <= 0.55  # 65 of 136 on the sheet the issue describes


@pytest.mark.parametrize("fixture", TARGETS, ids=lambda f: f.name)
def test_recall_with_review_is_at_least_95_percent(measured: dict[str, Figures], fixture: Fixture) -> None:
    assert measured[fixture.name].recall_with_review >= 0.95


@pytest.mark.parametrize("fixture", TARGETS, ids=lambda f: f.name)
def test_at_most_one_wrong_candidate_per_right_one_to_review(measured: dict[str, Figures], fixture: Fixture) -> None:
    assert measured[fixture.name].wrong_per_right <= 1.0


@pytest.mark.parametrize("fixture", (*TARGETS, FRESH), ids=lambda f: f.name)
def test_confident_matches_are_all_right(measured: dict[str, Figures], fixture: Fixture) -> None:
    assert measured[fixture.name].confident_precision == 1.0


@pytest.mark.parametrize("fixture", TARGETS, ids=lambda f: f.name)
def test_confident_matches_hold_half_the_right_ones(measured: dict[str, Figures], fixture: Fixture) -> None:
    assert measured[fixture.name].confident_share >= 0.5


def test_the_review_piles_are_smaller_than_before(measured: dict[str, Figures]) -> None:
    """Before issue 29's scoring (the same run of bench/watch_quality.py against 8ff2c20): 595,
    431 and 532 candidates to review, 1.56, 2.95 and 3.59 wrong per right one."""
    assert measured[DISTORTED.name].review <= 190 and measured[HELDOUT.name].review <= 85
    assert measured[FRESH.name].review <= 120 and measured[FRESH.name].wrong_per_right <= 0.33


def test_floors_hold(measured: dict[str, Figures]) -> None:
    """What the scoring achieves where a target is barely met or not (the old scoring's figure in
    the same run): the distorted list's recall with review 0.951 (0.997, with 595 candidates to
    review), the fresh list's 0.920 (0.947) and confident share 0.348 (0.183)."""
    assert measured[DISTORTED.name].recall_with_review >= 0.95
    assert measured[FRESH.name].recall_with_review >= 0.92
    assert measured[FRESH.name].confident_share >= 0.345


@pytest.mark.xfail(strict=True, reason=NOT_YET)
def test_fresh_target_recall_with_review(measured: dict[str, Figures]) -> None:
    assert measured[FRESH.name].recall_with_review >= 0.95


@pytest.mark.xfail(strict=True, reason=NOT_YET)
def test_fresh_target_confident_share(measured: dict[str, Figures]) -> None:
    assert measured[FRESH.name].confident_share >= 0.5
