"""When the law erases a closed case, as each court system's adapter says (scraper.retention).

The store holds each closed case's disposition; the court's source, when it has a retention
law (`HasRetentionLaw`), says when the record is erased and whether it can still be expunged
by petition. Courts whose system has none keep the generic retention only.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass


from pipeline.store.inputs import PreparedCase
from pipeline.store.erasure.erase import ClosedCase, Erased, closed_cases, erase, note_presence
from pipeline.store.repo import Store
from scraper.retention import Disposition, Erasure, HasRetentionLaw, Outcome

LawOf = Callable[[str], HasRetentionLaw | None]  # court id -> its court system's retention law
_OUTCOMES = {"dismissed": Outcome.DISMISSED, "non_suited": Outcome.NON_SUITED,
             "judgment_defendant": Outcome.JUDGMENT_DEFENDANT, "judgment_plaintiff": Outcome.JUDGMENT_PLAINTIFF}


@dataclass(frozen=True)
class Due:
    case: ClosedCase
    erasure: Erasure


def disposition(case: ClosedCase) -> Disposition:
    return Disposition(case.filed, _OUTCOMES.get(case.status, Outcome.OTHER), case.disposed_on,
                       possession_ordered(case.possession, case.judgment_code))


def erased_by_today(item: PreparedCase, law: HasRetentionLaw, today: dt.date) -> bool:
    """Whether the law has erased this scraped case by today (a listing may lag the court)."""
    if not item.life.closed:
        return False
    outcome = _OUTCOMES.get(item.life.status, Outcome.OTHER)
    code = {Outcome.DISMISSED: "dismissed", Outcome.NON_SUITED: "non_suit"}.get(outcome)
    if code is not None:
        days = [h.date for h, c in zip(item.record.hearings, item.hearing_codes) if c == code]
        on = min(max(days), today) if days else None  # entered before its hearing's date: by today
    else:
        on = item.life.judgment_date
    judgment = item.record.judgment
    possession = possession_ordered(judgment.possession if judgment else None, item.judgment_code)
    erasure = law.erasure(Disposition(item.record.filed_date, outcome, on, possession))
    return erasure is not None and erasure.on <= today


def possession_ordered(possession: bool | None, judgment_code: str | None) -> bool:
    """An order of possession was entered, or may have been: a judgment for the landlord whose
    page leaves possession blank. The law erases only when none was, so a doubt keeps the record."""
    return possession is True or (possession is None and judgment_code == "plaintiff")


def statutes(law_of: LawOf, courts: Iterable[str]) -> str:
    """The statutes these courts' records are erased under, as partners are told them (each
    court system's adapter names its own): "" when none of them has one."""
    return "; ".join(sorted({law.retention_law for court in courts if (law := law_of(court)) is not None}))


def scheduled(store: Store, law_of: LawOf) -> list[Due]:
    """Every closed case the law will erase, with the day (past days included)."""
    found = []
    for case in closed_cases(store):
        law = law_of(case.court)
        erasure = law.erasure(disposition(case)) if law is not None else None
        if erasure is not None:
            found.append(Due(case, erasure))
    return found


def due(store: Store, today: dt.date, law_of: LawOf) -> list[Due]:
    return [d for d in scheduled(store, law_of) if d.erasure.on <= today]


def erase_due(store: Store, today: dt.date, law_of: LawOf, *, now: dt.datetime | None = None) -> Erased:
    """Erase every case whose day has come (`expunged`)."""
    return erase(store, [d.case.case_id for d in due(store, today, law_of)], "expunged", today=today, now=now)


def vanished(store: Store, court: str, today: dt.date, *, asked: Iterable[str], found: Iterable[str],
             absent: Iterable[str]) -> list[tuple[int, str, str]]:
    """The presence checks of one court's scrape, noted; the closed cases the portal said twice,
    on different days, that it does not have (expunged or sealed: to be erased as `vanished`),
    as (id, court, case number). Only the portal's own answer counts (`absent`): an error, a
    throttle or a layout change is no answer."""
    asked = set(asked)
    return note_presence(store, court, today, found=asked & set(found), absent=asked & set(absent))


def petition_eligible(store: Store, law_of: LawOf) -> list[ClosedCase]:
    """Closed cases still stored that the tenant can have expunged by petition."""
    return [c for c in closed_cases(store)
            if (law := law_of(c.court)) is not None and law.petition_eligible(disposition(c))]


def retention_text(store: Store, law_of: LawOf, court: str, case_number: str) -> str | None:
    """What the law will do with this closed case, in words (for `evictwatch case`): "personal
    data removed on 2026-12-14: dismissed 2026-11-14, " and the statute its court system's
    adapter names."""
    law = law_of(court)
    if law is None:
        return None
    found = next(closed_cases(store, [court], case_number=case_number), None)
    if found is None:
        return None
    erasure = law.erasure(disposition(found))
    if erasure is not None:
        return str(erasure)
    if law.petition_eligible(disposition(found)):
        return "kept: the tenant can have this record expunged by petition"
    return None
