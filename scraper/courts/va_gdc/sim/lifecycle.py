"""Ground-truth lifecycle status of a case on a given day, from its facts.

The pipeline derives the same status from scraped pages, independently; integration tests
compare the two case by case. The rules:

1. Collect the events visible on `today`, each as (date, rank, status):
   - the filing: (filed date, 0, `filed`);
   - each hearing row on the page (it appears on the day it is set): (set date, 1, `hearing_scheduled`),
     except a hearing dated after a judgment that shows (a motion): the judgment stays the status;
   - each hearing whose result shows (the day after the hearing): (hearing date, 2, …) with
     Continued → `continued`, Dismissed → `dismissed`, Non-suit → `non_suited`; Default Judgment
     and Judgment make no event (the judgment below carries it); Other makes
     `result_not_recorded` on the last hearing shown, when it is not after a judgment (the
     hearing was held, the court wrote no result and set nothing after it), and none otherwise;
   - the judgment once its date <= today: (judgment date, 3, …) with Plaintiff (also written
     `Judgment for Plaintiff`) → `judgment_plaintiff`, Defendant → `judgment_defendant`;
     Other makes no event;
   - writ of eviction issued (its date, 4, `writ_issued`) and executed (its date, 5,
     `writ_executed`) once dated <= today; pages of cases filed before the executed date was
     added (`legacy_writ_labels`) never show the executed date, so it makes no event there;
   - satisfaction (its date, 6, `satisfied`), only where the page shows `Is Judgment Satisfied : Y`;
   - the appeal (appeal date, 7, `appealed`).
   Judgment, writs and satisfaction sit in the page's Judgment section, so they show only
   once the judgment does.
2. The status is that of the last event after sorting by (date, rank); None before filing.
"""

from __future__ import annotations

import datetime as dt

from scraper.courts.va_gdc.sim.model import CaseFacts

FILED = "filed"
HEARING_SCHEDULED = "hearing_scheduled"
CONTINUED = "continued"
RESULT_NOT_RECORDED = "result_not_recorded"
DISMISSED = "dismissed"
NON_SUITED = "non_suited"
JUDGMENT_PLAINTIFF = "judgment_plaintiff"
JUDGMENT_DEFENDANT = "judgment_defendant"
WRIT_ISSUED = "writ_issued"
WRIT_EXECUTED = "writ_executed"
SATISFIED = "satisfied"
APPEALED = "appealed"
STATUSES = (FILED, HEARING_SCHEDULED, CONTINUED, RESULT_NOT_RECORDED, DISMISSED, NON_SUITED, JUDGMENT_PLAINTIFF,
            JUDGMENT_DEFENDANT, WRIT_ISSUED, WRIT_EXECUTED, SATISFIED, APPEALED)

HEARING_RESULT_STATUS = {"Continued": CONTINUED, "Dismissed": DISMISSED, "Non-suit": NON_SUITED}
JUDGMENT_STATUS = {"Plaintiff": JUDGMENT_PLAINTIFF, "Judgment for Plaintiff": JUDGMENT_PLAINTIFF,
                   "Defendant": JUDGMENT_DEFENDANT}

Event = tuple[dt.date, int, str]


def events(case: CaseFacts, today: dt.date) -> list[Event]:
    """The case's events visible on `today`, sorted by (date, rank); empty before filing."""
    if case.filed > today:
        return []
    out: list[Event] = [(case.filed, 0, FILED)]
    j = case.judgment
    judged = j.date if j is not None and j.date <= today else None
    shown = [hearing for hearing in case.hearings if hearing.set_on <= today]
    for hearing in shown:
        before_judgment = judged is None or hearing.date <= judged  # one after it leaves its status
        if before_judgment:
            out.append((hearing.set_on, 1, HEARING_SCHEDULED))
        if hearing.date < today and hearing.result in HEARING_RESULT_STATUS:
            out.append((hearing.date, 2, HEARING_RESULT_STATUS[hearing.result]))
        elif hearing.date < today and hearing.result == "Other" and hearing is shown[-1] and before_judgment:
            out.append((hearing.date, 2, RESULT_NOT_RECORDED))
    if judged is not None:
        if j.judgment in JUDGMENT_STATUS:
            out.append((j.date, 3, JUDGMENT_STATUS[j.judgment]))
        if j.writ_issued is not None and j.writ_issued <= today:
            out.append((j.writ_issued, 4, WRIT_ISSUED))
        if j.writ_executed is not None and j.writ_executed <= today and not case.legacy_writ_labels:
            out.append((j.writ_executed, 5, WRIT_EXECUTED))
        if j.shows_satisfaction and j.satisfied_on is not None and j.satisfied_on <= today:
            out.append((j.satisfied_on, 6, SATISFIED))
    if case.appeal is not None and case.appeal.date <= today:
        out.append((case.appeal.date, 7, APPEALED))
    return sorted(out, key=lambda event: (event[0], event[1]))


def status(case: CaseFacts, today: dt.date) -> str | None:
    """The status of the case's last visible event on `today` (see the module's rules)."""
    seen = events(case, today)
    return seen[-1][2] if seen else None
