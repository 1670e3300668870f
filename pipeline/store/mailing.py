"""The new eviction cases a letter could reach: each case's tenants grouped by the street
address the court published, its first hearing, and which cases a partner already wrote to.

A household here is an address: tenants of one case at one street and unit get one letter.
A tenant the court shows without a street (a city line only) gets none: no address is guessed.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import select

from pipeline.store.contacts import CONTACTS, Method
from pipeline.store.handle import Database
from pipeline.store.rows import CASES, EVICTION, HEARINGS, PARTIES
from pipeline.store.statuses import CLOSED


@dataclass(frozen=True, slots=True)
class Household:
    names: tuple[str, ...]  # as the court shows them, in the case's order
    all_occupants: bool  # the case names "all other occupants" at this address
    street: str
    unit: str | None
    city: str | None
    state: str | None
    zip5: str | None


@dataclass(frozen=True, slots=True)
class LetterCase:
    court: str
    case_number: str
    filed_date: dt.date
    household_key: str | None
    first_hearing: dt.date | None
    hearing_time: dt.time | None
    courtroom: str | None
    households: tuple[Household, ...]  # () when the court shows no tenant's street


def new_cases_with_tenants(db: Database, courts: list[str], filed_from: dt.date,
                           filed_until: dt.date) -> list[LetterCase]:
    """Open eviction cases of these courts filed in [filed_from, filed_until], not erased, with
    their tenants' names still held, in court and case-number order."""
    cases = (select(CASES.c.id, CASES.c.court_id, CASES.c.case_number, CASES.c.filed_date, CASES.c.household_key,
                    CASES.c.status)
             .where(CASES.c.kind == EVICTION, CASES.c.erased_at.is_(None), CASES.c.purged_at.is_(None),
                    CASES.c.court_id.in_(sorted(courts)), CASES.c.filed_date.between(filed_from, filed_until))
             .order_by(CASES.c.court_id, CASES.c.case_number))
    with db.engine.connect() as conn:
        rows = [r for r in conn.execute(cases) if (r.status or "") not in CLOSED]
        ids = [r.id for r in rows]
        tenants: dict[int, list] = {}
        hearings: dict[int, tuple] = {}
        for start in range(0, len(ids), 500):
            chunk = ids[start:start + 500]
            for p in conn.execute(select(PARTIES).where(PARTIES.c.case_id.in_(chunk), PARTIES.c.role == "defendant")
                                  .order_by(PARTIES.c.case_id, PARTIES.c.position)):
                tenants.setdefault(p.case_id, []).append(p)
            for h in conn.execute(select(HEARINGS.c.case_id, HEARINGS.c.date, HEARINGS.c.time, HEARINGS.c.courtroom)
                                  .where(HEARINGS.c.case_id.in_(chunk))
                                  .order_by(HEARINGS.c.case_id, HEARINGS.c.date, HEARINGS.c.time)):
                hearings.setdefault(h.case_id, (h.date, h.time, h.courtroom))
    found = []
    for r in rows:
        day, time, room = hearings.get(r.id, (None, None, None))
        found.append(LetterCase(r.court_id, r.case_number, r.filed_date, r.household_key, day, time, room,
                                _households(tenants.get(r.id, []))))
    return found


def _households(tenants: list) -> tuple[Household, ...]:
    by_address: dict[tuple, list] = {}
    for p in tenants:
        if p.street:
            by_address.setdefault((p.street, p.unit or None, p.zip5), []).append(p)
    households = []
    for (street, unit, zip5), people in by_address.items():
        names = tuple(_addressed(p) for p in people if p.kind != "occupants")
        occupants = any(p.all_occupants or p.kind == "occupants" for p in people)
        households.append(Household(names, occupants, street, unit, people[0].city, people[0].state, zip5))
    return tuple(households)


def _addressed(p) -> str:
    """A person as an envelope names them, first name first ("JOHN G DOE"); else as the court
    wrote the name (an organisation, or a name the parser could not split)."""
    if p.kind == "person" and p.first_name and p.last_name:
        return " ".join(part for part in (p.first_name, p.middle_name, p.last_name, p.suffix) if part)
    return p.name


def lettered_cases(db: Database, partner: str) -> set[tuple[str, str]]:
    """The (court, case number) of every case this partner has recorded a letter for."""
    query = select(CONTACTS.c.court_id, CONTACTS.c.case_number).where(
        CONTACTS.c.partner == partner, CONTACTS.c.method == Method.LETTER.value).distinct()
    with db.engine.connect() as conn:
        return {(court, number) for court, number in conn.execute(query)}
