"""Server-side state: JSESSIONID sessions, per-client token buckets, and request counters."""

from __future__ import annotations

import datetime as dt
import secrets
import threading
from collections.abc import Callable
from dataclasses import dataclass, field


@dataclass
class SearchState:
    """The hearing-date search a session is paging through (one at a time per session)."""

    fips: str
    day: dt.date
    fields: dict[str, str]
    page: int = 0


@dataclass
class Session:
    id: str
    last_seen: float
    accepted: bool = False
    served: int = 0  # requests served since the terms were accepted
    search_counter: int = 0
    search: SearchState | None = None
    held_case: tuple[str, str] | None = None  # (FIPS, case number) for civilDetail.do
    fips: str = "510"
    lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    def accept(self) -> None:
        self.accepted, self.served, self.search, self.held_case = True, 0, None, None

    def expire(self) -> None:
        self.accepted, self.served, self.search, self.held_case = False, 0, None, None


class SessionStore:
    def __init__(self, clock: Callable[[], float]) -> None:
        self._clock = clock
        self._lock = threading.Lock()
        self._sessions: dict[str, Session] = {}

    def get(self, session_id: str | None) -> Session | None:
        if not session_id:
            return None
        with self._lock:
            return self._sessions.get(session_id)

    def create(self) -> Session:
        session = Session(id=secrets.token_hex(16).upper(), last_seen=self._clock())
        with self._lock:
            self._sessions[session.id] = session
        return session


class TokenBuckets:
    """Per-key token buckets: capacity max(1, rate), refilled at `rate` tokens a second."""

    def __init__(self, rate: float, clock: Callable[[], float]) -> None:
        self.rate = rate
        self.capacity = max(1.0, rate)
        self._clock = clock
        self._lock = threading.Lock()
        self._buckets: dict[str, tuple[float, float]] = {}  # key -> (tokens, at)

    def allow(self, key: str) -> bool:
        now = self._clock()
        with self._lock:
            tokens, at = self._buckets.get(key, (self.capacity, now))
            tokens = min(self.capacity, tokens + (now - at) * self.rate)
            allowed = tokens >= 1.0
            self._buckets[key] = (tokens - 1.0 if allowed else tokens, now)
            return allowed


@dataclass
class SimStats:
    """Counters since the simulator was made. Read them directly; `snapshot()` copies them."""

    requests: int = 0
    by_path: dict[str, int] = field(default_factory=dict)
    rate_limited: int = 0
    faults_injected: int = 0
    faults_by_kind: dict[str, int] = field(default_factory=dict)
    sessions_created: int = 0
    sessions_expired: int = 0
    browser_challenges: int = 0
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False, compare=False)

    def count_request(self, path: str) -> None:
        with self._lock:
            self.requests += 1
            self.by_path[path] = self.by_path.get(path, 0) + 1

    def count_fault(self, kind: str) -> None:
        with self._lock:
            self.faults_injected += 1
            self.faults_by_kind[kind] = self.faults_by_kind.get(kind, 0) + 1

    def add(self, counter: str, n: int = 1) -> None:
        with self._lock:
            setattr(self, counter, getattr(self, counter) + n)

    def snapshot(self) -> dict[str, object]:
        with self._lock:
            return {"requests": self.requests, "by_path": dict(self.by_path), "rate_limited": self.rate_limited,
                    "faults_injected": self.faults_injected, "faults_by_kind": dict(self.faults_by_kind),
                    "sessions_created": self.sessions_created, "sessions_expired": self.sessions_expired,
                    "browser_challenges": self.browser_challenges}
