"""Where a case stands: a small explicit state machine over the events its page shows.

Events, each with a date and a rank (ties on one date go by rank):

    filed                (filed date, 0)            -> filed
    a hearing is set     (its set date, 1)          -> hearing_scheduled
                         (none for a hearing after the judgment: a post-judgment motion
                         leaves the judgment's status; `hearing_after_judgment` says so)
    a hearing's result   (hearing date, 2)          -> continued | dismissed | non_suited
                         (the court's open "Other" on the last hearing, before any
                         judgment and with no hearing set after it -> result_not_recorded)
    the judgment         (judgment date, 3)         -> judgment_plaintiff | judgment_defendant
    writ of eviction     (issued date, 4)           -> writ_issued
    writ executed        (executed date, 5)         -> writ_executed (the removal)
    judgment satisfied   (satisfaction date, 6)     -> satisfied
    appeal               (appeal date, 7)           -> appealed

The status is the last event's. The page does not say when a hearing was set: the first is
set at filing, each later one on the day of the hearing before it (a continuance sets the
next date). It does not date the judgment either: the judgment is dated by the last hearing
whose result is a judgment, else by the last hearing on or before today.
"""

from __future__ import annotations

import datetime as dt

from pipeline.store.inputs import Lifecycle
from pipeline.store.statuses import CLOSED
from scraper.records import CaseRecord, Hearing
from scraper.vocabulary import HearingResult, JudgmentFor, Vocabulary

# One hearing's own result, as a person reads it (a calendar's past hearing, not the case's status now).
RESULT_WORDS = {
    HearingResult.CONTINUED: "Continued", HearingResult.DEFAULT_JUDGMENT: "Default judgment",
    HearingResult.JUDGMENT: "Judgment", HearingResult.DISMISSED: "Dismissed",
    HearingResult.NON_SUIT: "Non-suited (withdrawn)", HearingResult.OTHER: "Hearing held, result not recorded",
}


def hearing_result_words(code: str | None, raw: str | None) -> str:
    """`code`: the hearing's stored result code; `raw`: the court's own words, shown when they
    fit no code. An empty result is a hearing the court has not written a result on yet."""
    if not code or code == HearingResult.PENDING:
        return "No result recorded yet"
    if code in RESULT_WORDS:
        return RESULT_WORDS[HearingResult(code)]
    return (raw or "").strip() or "No result recorded yet"


_RESULT_STATUS = {HearingResult.CONTINUED: "continued", HearingResult.DISMISSED: "dismissed",
                  HearingResult.NON_SUIT: "non_suited"}
_JUDGMENT_STATUS = {JudgmentFor.PLAINTIFF: "judgment_plaintiff", JudgmentFor.DEFENDANT: "judgment_defendant"}
_JUDGMENT_RESULTS = frozenset({HearingResult.JUDGMENT, HearingResult.DEFAULT_JUDGMENT})


def lifecycle(record: CaseRecord, today: dt.date, vocabulary: Vocabulary) -> Lifecycle:
    """`vocabulary`: the court system's, mapping its wording of results and judgments to codes."""
    hearings = sorted(record.hearings, key=lambda h: (h.date, h.time or dt.time.min))
    codes = [vocabulary.hearing_result(h.result) for h in hearings]
    unknown = [f"hearing result {h.result!r}" for h, code in zip(hearings, codes) if code == "unknown"]
    events: list[tuple[dt.date, float, str]] = [(record.filed_date, 0, "filed")]

    judgment = record.judgment
    judgment_date = _judgment_date(hearings, codes, today) if judgment else None
    set_on = record.filed_date
    after_judgment = False
    for hearing, code in zip(hearings, codes):
        if judgment_date is not None and hearing.date > judgment_date:
            after_judgment = True  # set after the judgment: the judgment stays the status
        else:
            events.append((set_on, 1, "hearing_scheduled"))
        if code in _RESULT_STATUS:
            events.append((hearing.date, 2, _RESULT_STATUS[code]))
        elif code == HearingResult.OTHER and hearing is hearings[-1] and not after_judgment:
            # The court left the result open and set nothing after it: the hearing did happen,
            # so the case no longer reads as the continuance or setting before it.
            events.append((hearing.date, 2, "result_not_recorded"))
        set_on = hearing.date
    if judgment is not None:
        side = vocabulary.judgment_for(judgment.judgment)
        if side == "unknown":
            unknown.append(f"judgment {judgment.judgment!r}")
        if side in _JUDGMENT_STATUS and judgment_date is not None:
            events.append((judgment_date, 3, _JUDGMENT_STATUS[side]))
        if judgment.writ_issued_date:
            events.append((judgment.writ_issued_date, 4, "writ_issued"))
        if judgment.writ_executed_date:
            events.append((judgment.writ_executed_date, 5, "writ_executed"))
        if judgment.satisfied:
            when = judgment.satisfaction_filed_date or judgment_date or record.filed_date
            events.append((when, 6, "satisfied"))
    if record.appeal is not None and record.appeal.appeal_date:
        events.append((record.appeal.appeal_date, 7, "appealed"))

    status = max(events)[2]
    writ = judgment.writ_issued_date if judgment else None
    return Lifecycle(
        status=status,
        closed=status in CLOSED,
        continuances=codes.count("continued"),
        first_hearing_default=(codes[0] == "default_judgment") if codes and codes[0] != "pending" else None,
        any_default="default_judgment" in codes,
        days_to_first_hearing=(hearings[0].date - record.filed_date).days if hearings else None,
        judgment_date=judgment_date,
        days_judgment_to_writ=(writ - judgment_date).days if writ and judgment_date else None,
        next_hearing=next((h.date for h, c in zip(hearings, codes) if c == "pending" and h.date >= today), None),
        unknown_values=tuple(unknown),
        hearing_after_judgment=after_judgment and judgment is not None and judgment_date is not None,
    )


def _judgment_date(hearings: list[Hearing], codes: list[str], today: dt.date) -> dt.date | None:
    decided = [h.date for h, code in zip(hearings, codes) if code in _JUDGMENT_RESULTS]
    if decided:
        return decided[-1]
    past = [h.date for h in hearings if h.date <= today]
    return past[-1] if past else None
