"""What a partner's watch-list digest tells: the new matches with its list, and what happened
since in the cases it follows (a hearing set or moved, a judgment, a writ, the case closed).

Each is a fact with a key the ledger remembers per partner (as alert facts are), so it is
told once. A case is followed when its match is confident, or a person said yes to it; a match
to review is told as a match and nothing more until then.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from notify.cells import Getter, Link
from notify.rows import case_lookup
from pipeline.store.notices import CaseView, HearingView
from pipeline.store.watch import MatchRecord

FACT_LABELS = {
    "watch_match": "New match",
    "watch_hearing_set": "Hearing set",
    "watch_hearing_next": "Next hearing set",
    "watch_hearing_moved": "Hearing moved",
    "watch_judgment": "Judgment",
    "watch_writ_issued": "Writ of eviction issued",
    "watch_writ_executed": "Writ executed (removal)",
    "watch_closed": "Case closed",
}
MATCHED_BY = {"case_number": "case number", "name_zip": "name and ZIP code", "name": "name"}
_ENDED = {"dismissed", "non_suited", "satisfied"}


@dataclass(frozen=True, slots=True)
class WatchFact:
    key: str
    kind: str  # one of FACT_LABELS
    date: dt.date | None
    time: dt.time | None = None
    detail: str = ""

    @property
    def label(self) -> str:
        return FACT_LABELS[self.kind]


@dataclass(frozen=True, slots=True)
class WatchItem:
    row_id: str         # the partner's own id for its row
    match_id: int       # what `evictwatch watch review` answers by
    court: str
    case_number: str
    verdict: str        # confident | to review
    matched_by: str     # in words
    score: float
    reasons: tuple[str, ...]
    news: tuple[WatchFact, ...]
    filed_date: dt.date
    defendants: tuple[str, ...]
    zip5: str | None
    landlord: str | None
    status_text: str
    next_hearing: HearingView | None
    lookup_url: str

    @property
    def lookup(self) -> Link:
        return case_lookup(self.lookup_url, self.case_number)

    @property
    def chance(self) -> str:
        """How likely the match is, in words: "" for a case number (matched exactly) and for a
        match found before likelihoods were weighed (its score is -1: migration 0013)."""
        return "" if self.matched_by == MATCHED_BY["case_number"] or self.score < 0 else f"{self.score:.0f}% likely"

    @property
    def news_text(self) -> str:
        return "; ".join(fact_text(f) for f in self.news)


def fact_text(fact: WatchFact) -> str:
    when = fact.date.isoformat() if fact.date else ""
    if fact.time:
        when += f" {fact.time:%H:%M}"
    return ", ".join(p for p in (fact.label + (f" {when}" if when and fact.kind != "watch_match" else ""),
                                 fact.detail) if p)


def _next_hearing(case: CaseView, today: dt.date) -> HearingView | None:
    return min((h for h in case.hearings if h.pending and h.date >= today),
               key=lambda h: (h.date, h.time or dt.time.min), default=None)


def case_facts(match: MatchRecord, case: CaseView, today: dt.date,
               told: dict[str, dt.date | None]) -> list[WatchFact]:
    """Every fact this match carries as the case stands (told ones included: the caller drops
    them). `told`: the facts this partner was told, with their dates."""
    prefix = f"watch|{match.row_id}|{case.court}|{case.case_number}|"
    verdict = "confirmed" if match.decision == "yes" else match.verdict
    # The verdict is part of the key: a match to review found surer later, or confirmed by a
    # person, is told again as such.
    facts = [WatchFact(f"{prefix}match|{verdict}", "watch_match", case.filed_date, detail=verdict)]
    if not match.followed:
        return facts
    hearing = _next_hearing(case, today)
    if hearing is not None:
        facts.append(WatchFact(f"{prefix}hearing|{hearing.date.isoformat()}|{hearing.time or ''}",
                               _hearing_kind(case, today, told, prefix), hearing.date, hearing.time,
                               detail=f"courtroom {hearing.courtroom}" if hearing.courtroom else ""))
    if case.judgment_date:
        detail = ("for the tenant" if case.status == "judgment_defendant" else
                  "for the landlord" + (f", ${case.principal:,.2f}" if case.principal else ""))
        facts.append(WatchFact(f"{prefix}judgment|{case.judgment_date.isoformat()}", "watch_judgment",
                               case.judgment_date, detail=detail))
    if case.writ_issued_date:
        facts.append(WatchFact(f"{prefix}writ_issued|{case.writ_issued_date.isoformat()}", "watch_writ_issued",
                               case.writ_issued_date))
    if case.writ_executed_date:
        facts.append(WatchFact(f"{prefix}writ_executed|{case.writ_executed_date.isoformat()}", "watch_writ_executed",
                               case.writ_executed_date))
    if case.closed and case.status in _ENDED:
        facts.append(WatchFact(f"{prefix}closed|{case.status}", "watch_closed", None, detail=case.status_text))
    return facts


def _hearing_kind(case: CaseView, today: dt.date, told: dict[str, dt.date | None], prefix: str) -> str:
    """Set (the first told), moved (the last told one was still ahead and is no longer set),
    or the next one set (the last told one was heard)."""
    earlier = [day for key, day in told.items() if key.startswith(prefix + "hearing|") and day is not None]
    if not earlier:
        return "watch_hearing_set"
    last = max(earlier)
    still_set = any(h.date == last and h.pending for h in case.hearings)
    return "watch_hearing_moved" if last >= today and not still_set else "watch_hearing_next"


def watch_item(match: MatchRecord, case: CaseView, news: Iterable[WatchFact], today: dt.date,
               portal: dict[str, str]) -> WatchItem:
    tenant = case.tenant
    return WatchItem(
        row_id=match.row_id, match_id=match.id, court=case.court, case_number=case.case_number,
        verdict="confident" if match.decision == "yes" else match.verdict,
        matched_by=MATCHED_BY.get(match.matched_by, match.matched_by), score=match.score,
        reasons=tuple(r for r in (match.reasons or "").split("; ") if r) if match.decision is None else (),
        news=tuple(news), filed_date=case.filed_date, defendants=tuple(p.name for p in case.defendants),
        zip5=tenant.zip5 if tenant else None, landlord=case.landlord or case.filed_as, status_text=case.status_text,
        next_hearing=_next_hearing(case, today), lookup_url=portal.get(case.court, ""))


def digest_order(item: WatchItem) -> tuple:
    """New matches first (confident, then to review, the likeliest first), then news of followed
    cases; by hearing."""
    new = any(f.kind == "watch_match" for f in item.news)
    hearing = item.next_hearing
    return (not new, item.verdict != "confident", -item.score if new else 0.0, hearing.date if hearing else dt.date.max,
            hearing.time if hearing and hearing.time else dt.time.min, item.court, item.case_number, item.row_id)


def _hearing(item: WatchItem) -> str | None:
    h = item.next_hearing
    if h is None:
        return None
    return " ".join(p for p in (h.date.isoformat(), f"{h.time:%H:%M}" if h.time else "",
                                f"courtroom {h.courtroom}" if h.courtroom else "") if p)


WATCH_COLUMNS: list[tuple[str, Getter]] = [
    ("Your id", lambda i: i.row_id),
    ("Match", lambda i: i.verdict),
    ("Matched by", lambda i: i.matched_by),
    ("Likely (%)", lambda i: int(round(i.score)) if i.chance else None),
    ("What is new", lambda i: i.news_text),
    ("Evidence", lambda i: "; ".join(i.reasons)),
    ("Court", lambda i: i.court),
    ("Case number", lambda i: i.case_number),
    ("Filed", lambda i: i.filed_date),
    ("Next hearing", _hearing),
    ("Defendants", lambda i: "; ".join(n for n in i.defendants if n)),
    ("ZIP", lambda i: i.zip5),
    ("Landlord", lambda i: i.landlord),
    ("Status", lambda i: i.status_text),
    ("Look it up", lambda i: i.lookup),
    ("Match id", lambda i: i.match_id),
]
