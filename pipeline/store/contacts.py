"""Partners' attempts to reach a case's tenants: recorded once, read back per case, counted.

Three ways in (the weekly list's spreadsheet read back, the workspace's case page, `evictwatch
outreach add`) mean one thing: a row here. The same attempt recorded again (the same partner,
case, day, method and result) is the row already there: importing a file twice adds nothing.
Attempts are personal data (a note may say anything): only their partner reads them, and they
go with the case when the law erases it (pipeline.store.erasure).
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from dataclasses import dataclass
from enum import StrEnum

from sqlalchemy import and_, insert, select, tuple_

from pipeline.store import models as m
from pipeline.store.handle import Database
from pipeline.store.rows import CASES, EVICTION

CONTACTS = m.ContactAttempt.__table__


class Method(StrEnum):
    LETTER = "letter"
    CALL = "call"
    TEXT = "text"
    DOOR = "door"
    COURTHOUSE = "courthouse"
    EMAIL = "email"

    @property
    def label(self) -> str:
        return {"door": "door knock", "courthouse": "at the courthouse", "email": "e-mail"}.get(self.value, self.value)


class Result(StrEnum):
    SENT = "sent"
    REACHED = "reached"
    LEFT_MESSAGE = "left_message"
    NO_ANSWER = "no_answer"
    WRONG_CONTACT = "wrong_contact"
    DECLINED = "declined"
    ADVICE_GIVEN = "advice_given"
    REPRESENTED = "represented"
    REFERRED = "referred"
    ASSISTANCE_PAID = "assistance_paid"

    @property
    def label(self) -> str:
        return RESULT_LABELS[self]


RESULT_LABELS = {
    Result.SENT: "sent", Result.REACHED: "reached", Result.LEFT_MESSAGE: "left a message",
    Result.NO_ANSWER: "no answer", Result.WRONG_CONTACT: "wrong address or number", Result.DECLINED: "declined help",
    Result.ADVICE_GIVEN: "advice given", Result.REPRESENTED: "represented",
    Result.REFERRED: "referred to rental assistance", Result.ASSISTANCE_PAID: "rental assistance paid",
}
# A person answered: every result but these means the tenant was reached.
NOT_REACHED = frozenset({Result.SENT, Result.LEFT_MESSAGE, Result.NO_ANSWER, Result.WRONG_CONTACT})
# The household got something from it: advice, a lawyer, rental assistance.
HELPED = frozenset({Result.ADVICE_GIVEN, Result.REPRESENTED, Result.REFERRED, Result.ASSISTANCE_PAID})
NOTE_MOST = 1000
# Control characters and the bidirectional overrides that can make a note read other than it is.
_UNSAFE = re.compile(r"[\x00-\x1f\x7f-\x9f\u200e\u200f\u202a-\u202e\u2066-\u2069\u2028\u2029]+")


def clean_note(text: str | None) -> str | None:
    """A note as kept: one line, no control or bidi characters, at most NOTE_MOST characters."""
    cleaned = " ".join(_UNSAFE.sub(" ", unicodedata.normalize("NFC", text or "")).split())[:NOTE_MOST]
    return cleaned or None


def method_named(text: str) -> Method | None:
    """A method from its code or label, in any case ("Door knock", "door", "E-mail")."""
    wanted = " ".join(text.split()).lower()
    return next((m for m in Method if wanted in (m.value, m.label)), None)


def result_named(text: str) -> Result | None:
    """A result from its code or label, in any case ("Left a message", "left_message")."""
    wanted = " ".join(text.split()).lower()
    return next((r for r in Result if wanted in (r.value, r.label, r.value.replace("_", " "))), None)


@dataclass(frozen=True, slots=True)
class Attempt:
    court_id: str
    case_number: str
    contacted_on: dt.date
    method: Method
    result: Result
    note: str | None = None


@dataclass(frozen=True, slots=True)
class Recorded:
    added: int
    already: int  # the same attempt was recorded before


def record_attempts(db: Database, partner: str, attempts: list[Attempt], *, recorded_by: str,
                    at: dt.datetime) -> Recorded:
    """Record each attempt once (one transaction): how many were new, how many already there."""
    added = already = 0
    with db.engine.begin() as conn:
        for a in attempts:
            same = and_(CONTACTS.c.partner == partner, CONTACTS.c.court_id == a.court_id,
                        CONTACTS.c.case_number == a.case_number, CONTACTS.c.contacted_on == a.contacted_on,
                        CONTACTS.c.method == a.method.value, CONTACTS.c.result == a.result.value)
            if conn.execute(select(CONTACTS.c.id).where(same)).first() is not None:
                already += 1
                continue
            conn.execute(insert(CONTACTS).values(
                partner=partner, court_id=a.court_id, case_number=a.case_number, contacted_on=a.contacted_on,
                method=a.method.value, result=a.result.value, note=clean_note(a.note),
                recorded_by=recorded_by[:254], recorded_at=at))
            added += 1
    return Recorded(added, already)


def attempts_on(db: Database, partner: str, court_id: str, case_number: str) -> list[Attempt]:
    """A partner's attempts on one case, oldest first (another partner's are never among them)."""
    query = (select(CONTACTS).where(CONTACTS.c.partner == partner, CONTACTS.c.court_id == court_id,
                                    CONTACTS.c.case_number == case_number)
             .order_by(CONTACTS.c.contacted_on, CONTACTS.c.id))
    with db.engine.connect() as conn:
        return [Attempt(r.court_id, r.case_number, r.contacted_on, Method(r.method), Result(r.result), r.note)
                for r in conn.execute(query)]


def stored_evictions(db: Database, pairs: list[tuple[str, str]]) -> set[tuple[str, str]]:
    """Which of these (court, case number) pairs are stored eviction cases (not erased)."""
    found: set[tuple[str, str]] = set()
    with db.engine.connect() as conn:
        for start in range(0, len(pairs), 400):
            chunk = pairs[start:start + 400]
            found.update(tuple(r) for r in conn.execute(
                select(CASES.c.court_id, CASES.c.case_number).where(
                    tuple_(CASES.c.court_id, CASES.c.case_number).in_(chunk), CASES.c.kind == EVICTION,
                    CASES.c.erased_at.is_(None))))
    return found


def courts_of_number(db: Database, number: str, courts: list[str]) -> list[str]:
    """The courts among `courts` holding a stored eviction case of this number."""
    with db.engine.connect() as conn:
        return sorted(conn.execute(select(CASES.c.court_id).where(
            CASES.c.case_number == number, CASES.c.court_id.in_(courts), CASES.c.kind == EVICTION,
            CASES.c.erased_at.is_(None))).scalars())
