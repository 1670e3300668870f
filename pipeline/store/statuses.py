"""Where a case can stand: the status codes the store keeps in `cases.status`, and their words.

`pipeline.lifecycle` derives a case's status; everything that shows one to a person (e-mails,
the report, `evictwatch case`, CSV/XLSX) takes the words from here (exports keep the code).
"""

from __future__ import annotations

STATUSES = (
    "filed", "hearing_scheduled", "continued", "result_not_recorded", "judgment_plaintiff", "judgment_defendant",
    "dismissed", "non_suited", "writ_issued", "writ_executed", "satisfied", "appealed",
)
STATUS_WORDS = {
    "filed": "Filed", "hearing_scheduled": "Hearing set", "continued": "Continued",
    "result_not_recorded": "Hearing held, result not recorded",
    "judgment_plaintiff": "Judgment for landlord", "judgment_defendant": "Judgment for tenant",
    "dismissed": "Dismissed", "non_suited": "Non-suited (withdrawn)", "writ_issued": "Writ of eviction issued",
    "writ_executed": "Removed (writ executed)", "satisfied": "Judgment satisfied", "appealed": "Appealed",
}


def status_words(status: str | None, *, default: bool | None = None, hearing_after_judgment: bool = False) -> str:
    """A status in words: "Judgment for landlord (default); a hearing follows"."""
    if status is None:
        return "Not derived yet"
    words = STATUS_WORDS.get(status, status.replace("_", " ").capitalize())
    if status == "judgment_plaintiff" and default:
        words += " (default)"
    if hearing_after_judgment and status in ("judgment_plaintiff", "judgment_defendant", "writ_issued"):
        words += "; a hearing follows (a motion?)"
    return words


# Nothing more is expected to happen in a case in one of these.
CLOSED = frozenset({"dismissed", "non_suited", "judgment_defendant", "writ_executed", "satisfied"})
