"""Server-side state: JSESSIONID sessions (token buckets and counters are the kit's)."""

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
