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

from tests.watch_measure import DISTORTED, FRESH, HELDOUT, measure  # noqa: E402


def main() -> None:
    for fixture in (DISTORTED, HELDOUT, FRESH):
        start = time.perf_counter()
        figures = measure(fixture)
        took = time.perf_counter() - start
        print(f"== {fixture.name} ({fixture.path.name}; court {fixture.fips}, docket seed {fixture.docket_seed}; "
              f"{took:.1f} s)")
        print("\n".join(figures.lines()))
        print("targets:")
        print("\n".join(f"  {line}" for line in figures.targets()))
        print()


if __name__ == "__main__":
    main()
