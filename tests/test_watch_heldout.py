"""Watch-list matching measured on the held-out list (issue 29): tests/fixtures/watch/heldout.csv,
written by tests/tools/save_watch_heldout.py before any result on it was seen, beside the
distorted list the thresholds were set on.

Two kinds of test. Floors: what the scoring achieves today (2026-12-07, notify/watchmatch.py),
rounded the safe way, so that no change makes it worse unseen. Targets: the issue's "Done when"
on both lists; those not met yet are strict xfails, which fail the day the scoring meets them —
then turn them into plain assertions and raise the floors. The figures: `pytest -s`, or
`bench/watch_quality.py`."""

from __future__ import annotations

import pytest

from tests.watch_measure import DISTORTED, HELDOUT, Figures, Fixture, measure

NOT_YET = "issue 29: the scoring does not meet this target yet"


@pytest.fixture(scope="module")
def measured() -> dict[str, Figures]:
    out = {}
    for fixture in (DISTORTED, HELDOUT):
        out[fixture.name] = figures = measure(fixture)
        print(f"\n{fixture.name}:\n" + "\n".join(figures.lines()))
    return out


def test_the_heldout_list_reads_whole_and_is_as_an_intake_sheet(measured: dict[str, Figures]) -> None:
    figures = measured[HELDOUT.name]
    assert figures.rows == 310 and figures.unread == 0
    assert 0.4 <= figures.live / figures.rows <= 0.55  # 65 of 136 on the sheet the issue describes


def test_heldout_floors_hold(measured: dict[str, Figures]) -> None:
    """Measured before issue 29's name-cell reading: recall with review 0.887 (17 live rows not
    proposed), 3.19 wrong per right in the review pile (411 candidates), confident precision
    1.000, confident share 0.263. After: 0.980 (3 not proposed), 2.95 wrong per right (431
    candidates: 11 more right, 9 more wrong), precision 1.000, share 0.259 (38 of 147; was 35 of 133)."""
    figures = measured[HELDOUT.name]
    assert figures.recall_with_review >= 0.98  # 0.980 after the list's name cell is read right
    assert figures.missed <= 3
    assert figures.wrong_per_right <= 2.96
    assert figures.review <= 431  # 20 more than before the name cell was read right: 11 of them right
    assert figures.confident_precision == 1.0
    assert figures.confident_share >= 0.258  # 38 of 147: more confident, over more right ones found


def test_distorted_floors_hold(measured: dict[str, Figures]) -> None:
    """Measured today: recall with review 0.997, 1.56 wrong per right (595 candidates), confident
    precision 1.000, confident share 0.335."""
    figures = measured[DISTORTED.name]
    assert figures.recall_with_review >= 0.99
    assert figures.wrong_per_right <= 1.6
    assert figures.review <= 595
    assert figures.confident_precision == 1.0
    assert figures.confident_share >= 0.33


def _xfail_on(*fixtures: Fixture) -> list[object]:
    names = {f.name for f in fixtures}
    return [pytest.param(f, marks=pytest.mark.xfail(strict=True, reason=NOT_YET) if f.name in names else (),
                         id=f.name) for f in (DISTORTED, HELDOUT)]


@pytest.mark.parametrize("fixture", _xfail_on())
def test_target_recall_with_review(measured: dict[str, Figures], fixture: Fixture) -> None:
    assert measured[fixture.name].recall_with_review >= 0.95


@pytest.mark.parametrize("fixture", _xfail_on(DISTORTED, HELDOUT))
def test_target_at_most_one_wrong_candidate_per_right_one_to_review(measured: dict[str, Figures],
                                                                     fixture: Fixture) -> None:
    assert measured[fixture.name].wrong_per_right <= 1.0


@pytest.mark.parametrize("fixture", _xfail_on())
def test_target_confident_matches_are_all_right(measured: dict[str, Figures], fixture: Fixture) -> None:
    assert measured[fixture.name].confident_precision == 1.0


@pytest.mark.parametrize("fixture", _xfail_on(DISTORTED, HELDOUT))
def test_target_confident_matches_hold_half_the_right_ones(measured: dict[str, Figures], fixture: Fixture) -> None:
    assert measured[fixture.name].confident_share >= 0.5
