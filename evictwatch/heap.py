"""The garbage collector in a long-running process (a worker, the scheduler service)."""

from __future__ import annotations

import gc

# Young objects collected every 10,000 allocations (Python's default: 700): each court's
# pages and records are garbage within a request or two; fewer, larger young collections
# cost less in all.
YOUNG_THRESHOLD = 10_000


def settle_heap() -> None:
    """Once start-up has imported and built what the process keeps for its life: those objects
    out of the collector's sight (gc.freeze). A full collection walks every object it sees;
    on a worker's heap of imports that took 0.3–0.4 s, two or three times a cycle, and no
    court's request could leave meanwhile (bench/scale.py: the interpreter's lock is held)."""
    gc.collect()
    gc.freeze()
    _, older, oldest = gc.get_threshold()
    gc.set_threshold(YOUNG_THRESHOLD, older, oldest)
