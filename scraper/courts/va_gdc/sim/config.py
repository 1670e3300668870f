"""Simulator configuration: the docket seed and clock, the gate options, and injected faults."""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Callable
from dataclasses import dataclass, field

LAYOUT_VARIANTS = ("none", "hearing-title", "case-type-label", "results-header")

_PROBABILITY_KEYS = {"5xx": "error_5xx", "drop": "drop", "truncate": "truncate"}


@dataclass(frozen=True)
class FaultSpec:
    """What goes wrong, and how often. Probabilities are per request, in [0, 1]."""

    error_5xx: float = 0.0
    drop: float = 0.0
    truncate: float = 0.0
    latency_ms: int = 0
    layout: str = "none"
    gate: bool = False   # the terms page asks for a verification code (only a person can read it)
    empty: bool = False  # hearing-date searches list nothing, as if the court had no cases

    def __post_init__(self) -> None:
        for name in ("error_5xx", "drop", "truncate"):
            value = getattr(self, name)
            if not 0.0 <= value <= 1.0:
                raise ValueError(f"fault probability {name}={value} is not within [0, 1]")
        if self.latency_ms < 0:
            raise ValueError(f"fault latency={self.latency_ms} is negative")
        if self.layout not in LAYOUT_VARIANTS:
            raise ValueError(f"unknown layout variant {self.layout!r}; one of {', '.join(LAYOUT_VARIANTS)}")

    @classmethod
    def parse(cls, text: str | None) -> FaultSpec:
        """`"5xx=0.05,drop=0.02,truncate=0.02,latency=200,layout=hearing-title"`; `""` is no faults."""
        values: dict[str, float | int | str] = {}
        for item in (text or "").split(","):
            item = item.strip()
            if not item:
                continue
            name, sep, raw = item.partition("=")
            name, raw = name.strip().lower(), raw.strip()
            if not sep or not raw:
                raise ValueError(f"fault item {item!r} is not name=value")
            if name in _PROBABILITY_KEYS:
                values[_PROBABILITY_KEYS[name]] = _number(item, raw, float)
            elif name == "latency":
                values["latency_ms"] = _number(item, raw, int)
            elif name == "layout":
                values["layout"] = raw
            elif name in ("gate", "empty"):
                if raw.lower() not in ("0", "1", "true", "false"):
                    raise ValueError(f"fault item {item!r} has a bad value (0 or 1)")
                values[name] = raw.lower() in ("1", "true")
            else:
                raise ValueError(f"unknown fault {item!r}; known: 5xx, drop, truncate, latency, layout, gate, empty")
        return cls(**values)  # type: ignore[arg-type]

    @property
    def any_network_fault(self) -> bool:
        return self.error_5xx > 0 or self.drop > 0 or self.truncate > 0

    def __str__(self) -> str:
        parts = [f"5xx={self.error_5xx:g}" if self.error_5xx else "",
                 f"drop={self.drop:g}" if self.drop else "",
                 f"truncate={self.truncate:g}" if self.truncate else "",
                 f"latency={self.latency_ms}" if self.latency_ms else "",
                 f"layout={self.layout}" if self.layout != "none" else "",
                 "gate=1" if self.gate else "", "empty=1" if self.empty else ""]
        return ",".join(p for p in parts if p)


def _number(item: str, raw: str, kind: type[float] | type[int]) -> float | int:
    try:
        return kind(raw)
    except ValueError:
        raise ValueError(f"fault item {item!r} has a bad value") from None


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
    session_idle_s: float = 1200.0
    session_max_requests: int | None = None
    # Monotonic seconds for session idleness and the rate limiter; tests may inject a fake.
    clock: Callable[[], float] = time.monotonic
