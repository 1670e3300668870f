"""Injected faults: what goes wrong and how often, and the seeded dice that decide each request."""

from __future__ import annotations

import random
import threading
from dataclasses import dataclass
from typing import ClassVar

_PROBABILITY_KEYS = {"5xx": "error_5xx", "drop": "drop", "truncate": "truncate"}
SERVER_ERRORS = ((500, "Internal Server Error"), (502, "Bad Gateway"), (503, "Service Unavailable"))


@dataclass(frozen=True)
class FaultSpec:
    """What goes wrong, and how often. Probabilities are per request, in [0, 1].

    A simulator subclasses it to name its own layout variants (`LAYOUTS`)."""

    LAYOUTS: ClassVar[tuple[str, ...]] = ("none",)

    error_5xx: float = 0.0
    drop: float = 0.0
    truncate: float = 0.0
    latency_ms: int = 0
    layout: str = "none"
    gate: bool = False   # the portal puts up what only a person can answer (a code, a CAPTCHA)
    empty: bool = False  # searches list nothing, as if the court had no cases

    def __post_init__(self) -> None:
        for name in ("error_5xx", "drop", "truncate"):
            value = getattr(self, name)
            if not 0.0 <= value <= 1.0:
                raise ValueError(f"fault probability {name}={value} is not within [0, 1]")
        if self.latency_ms < 0:
            raise ValueError(f"fault latency={self.latency_ms} is negative")
        if self.layout not in self.LAYOUTS:
            raise ValueError(f"unknown layout variant {self.layout!r}; one of {', '.join(self.LAYOUTS)}")

    @classmethod
    def parse(cls, text: str | None) -> FaultSpec:
        """`"5xx=0.05,drop=0.02,truncate=0.02,latency=200,layout=..."`; `""` is no faults."""
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
class Fault:
    kind: str  # "5xx", "drop" or "truncate"
    status: int = 0
    reason: str = ""
    cut: float = 1.0  # share of the body sent before closing


class FaultDice:
    """Seeded, thread-safe: the same seed and request order give the same faults."""

    def __init__(self, seed: int) -> None:
        self._rng = random.Random(seed)
        self._lock = threading.Lock()

    def draw(self, faults: FaultSpec) -> Fault | None:
        if not faults.any_network_fault:
            return None
        with self._lock:
            draw, pick, cut = self._rng.random(), self._rng.random(), self._rng.uniform(0.1, 0.9)
        if draw < faults.error_5xx:
            status, reason = SERVER_ERRORS[int(pick * len(SERVER_ERRORS))]
            return Fault("5xx", status, reason)
        if draw < faults.error_5xx + faults.drop:
            return Fault("drop")
        if draw < faults.error_5xx + faults.drop + faults.truncate:
            return Fault("truncate", cut=cut)
        return None
