"""Which cases a run must look at again, so that a quiet day costs a fraction of a full scrape.

A full scrape walks every hearing date of the window and opens every eviction case listed.
An incremental run walks only the hearing dates where new filings can appear (from the last
successful run on: a new case's return hearing is weeks ahead) and opens:

- cases it has never stored (new filings),
- open cases with a hearing since the last run (at most `recent_days` back: a result may be
  posted) or in the next `upcoming_days` (a continuance, non-suit or dismissal may be entered
  before the day), or whose last hearing, past, still shows no result,
- judgments for possession without a writ, entered in the last `judgment_days`,
- writs of eviction issued in the last `writ_days` and not yet executed,
- cases still standing at a judgment (for the landlord or the tenant) entered in the last
  `appeal_days`, closed ones included: a judgment for the tenant closes the case, but the
  landlord may still appeal it (Virginia allows 10 days),
- unpaid judgments for the plaintiff younger than `satisfaction_days`, once a week each (a
  satisfaction is entered whenever the tenant pays, even after a removal).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field

from pipeline.store.recheck import RecheckRules, known_numbers, last_ok_run_day, recheck_due, watched_closed
from pipeline.store.repo import Store

__all__ = ["Plan", "RecheckRules", "plan_court", "recheck_due"]


@dataclass
class Plan:
    mode: str  # full | incremental
    list_since: dt.date
    list_until: dt.date
    known: frozenset[str] = frozenset()
    due: dict[str, str] = field(default_factory=dict)  # case number -> why it is looked at again

    def wants(self, case_number: str) -> bool:
        return self.mode == "full" or case_number not in self.known or case_number in self.due


def plan_court(store: Store, court_id: str, since: dt.date, until: dt.date, today: dt.date,
               rules: RecheckRules = RecheckRules(), *, full: bool = False,
               watched: Iterable[str] = ()) -> Plan:
    """`watched`: case numbers partners watch in this court, opened by number (listed or not)
    until the case is closed, so a case is seen before any hearing is set."""
    known = frozenset(known_numbers(store, court_id))
    last_ok = last_ok_run_day(store, court_id)
    if full or not known or last_ok is None:
        return Plan("full", since, until, known, _watched_due(store, court_id, watched))
    list_since = min(max(since, last_ok - dt.timedelta(days=1)), today)
    due = recheck_due(store, court_id, today, rules, last_ok)
    if last_ok < today:  # courts post once a day: a second run on the same day does not ask again
        for number, reason in _watched_due(store, court_id, watched).items():
            due.setdefault(number, reason)
    return Plan("incremental", list_since, until, known, due)


def _watched_due(store: Store, court_id: str, watched: Iterable[str]) -> dict[str, str]:
    wanted = sorted(set(watched))
    stored = watched_closed(store, court_id, wanted)
    return {number: "watched by a partner" if number in stored else "watched by a partner, not found yet"
            for number in wanted if not stored.get(number, False)}
