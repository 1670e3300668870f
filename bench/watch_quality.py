"""Watch-list matching quality on the three fixtures (issue 29): the list the old thresholds were
set on (tests/fixtures/watch/distorted.csv), the held-out one written before any result on it
was seen (heldout.csv), and a third of another court kept unmeasured until the scoring was
finished (fresh.csv), with the scoring as it is (pipeline/linkage).

    .venv/bin/python bench/watch_quality.py

Prints, per fixture, the figures of tests/watch_measure.py — recall with review, wrong
candidates per right one in the review pile, confident precision, the share of right ones that
are confident, live rows not proposed, pile sizes, per kind of row — and the issue's targets
met or not. tests/test_watch_heldout.py asserts the same figures as floors.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from tests.watch_measure import DISTORTED, FRESH, HELDOUT, Figures, measure  # noqa: E402


def targets(figures: Figures) -> list[str]:
    """The issue's "Done when", each met or not."""
    checks = [("recall with review >= 0.95", figures.recall_with_review >= 0.95),
              ("<= 1 wrong per right to review", figures.wrong_per_right <= 1.0),
              ("confident precision 1.0", figures.confident_precision == 1.0),
              ("confident >= half the right ones", figures.confident_share >= 0.5)]
    return [f"{'met' if ok else 'NOT MET':8s} {what}" for what, ok in checks]


def main() -> None:
    for fixture in (DISTORTED, HELDOUT, FRESH):
        start = time.perf_counter()
        figures = measure(fixture)
        took = time.perf_counter() - start
        print(f"== {fixture.name} ({fixture.path.name}; court {fixture.fips}, docket seed {fixture.docket_seed}; "
              f"{took:.1f} s)")
        print("\n".join(figures.lines()))
        print("targets:")
        print("\n".join(f"  {line}" for line in targets(figures)))
        print()


if __name__ == "__main__":
    main()
