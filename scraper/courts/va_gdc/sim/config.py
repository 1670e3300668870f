"""Simulator configuration: the docket seed and clock, the gate options, and injected faults."""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import ClassVar

from scraper.simkit.faults import FaultSpec as BaseFaultSpec

LAYOUT_VARIANTS = ("none", "hearing-title", "case-type-label", "results-header")

@dataclass(frozen=True)
class FaultSpec(BaseFaultSpec):
    """The kit's faults; `gate` is the terms page asking for a verification code."""

    LAYOUTS: ClassVar[tuple[str, ...]] = LAYOUT_VARIANTS


@dataclass(frozen=True)
class SimConfig:
    seed: int = 1
    today: dt.date = field(default_factory=dt.date.today)
    latency_ms: int = 0
    faults: FaultSpec = field(default_factory=FaultSpec)
    browser_check: bool = False
    browser_check_status: int = 403  # such checks come with 503, 403 or 200
    verification_code: bool = False
    rate_limit_per_s: float | None = None
    whole_state: bool = False  # the welcome page lists every court of a state (sim/state.py), not four
    state_courts: int = 0  # with whole_state, list only the first this many courts (0: all): a smaller state
    hostile_names: bool = False  # tests of what downstream makes of hostile party names
    # Days an expunged case stays listed, its page shown, after the court expunged it: a portal
    # slow to drop it, as a real one may be (0: gone that day, as the law has it).
    expunge_lag_days: int = 0
    session_idle_s: float = 1200.0
    session_max_requests: int | None = None
    # Monotonic seconds for session idleness and the rate limiter; tests may inject a fake.
    clock: Callable[[], float] = time.monotonic
