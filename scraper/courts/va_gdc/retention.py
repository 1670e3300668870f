"""Virginia's expungement of unlawful detainer records (Va. Code § 8.01-130.01, as amended by
HB 73, 2024 Acts ch. 372).

For actions filed on or after 1 July 2024 the court orders expungement without petition or
hearing once 30 days have passed after a dismissal, or six months after a voluntary nonsuit,
provided no order of possession was entered. A judgment for the defendant, and dismissed or
nonsuited cases filed earlier, can be expunged on the tenant's petition.
"""

from __future__ import annotations

import datetime as dt

from scraper.retention import Disposition, Erasure, Outcome, add_months

LAW = "Va. Code § 8.01-130.01"
AUTOMATIC_FROM = dt.date(2024, 7, 1)  # filed on or after: expunged without a petition
DISMISSAL_DAYS = 30
NONSUIT_MONTHS = 6


def erasure(case: Disposition) -> Erasure | None:
    if case.possession_ordered or case.filed < AUTOMATIC_FROM or case.disposed_on is None:
        return None
    if case.outcome is Outcome.DISMISSED:
        return Erasure(case.disposed_on + dt.timedelta(days=DISMISSAL_DAYS),
                       f"dismissed {case.disposed_on.isoformat()}", LAW)
    if case.outcome is Outcome.NON_SUITED:
        return Erasure(add_months(case.disposed_on, NONSUIT_MONTHS),
                       f"nonsuited {case.disposed_on.isoformat()}", LAW)
    return None


def petition_eligible(case: Disposition) -> bool:
    if case.outcome is Outcome.JUDGMENT_DEFENDANT:
        return True
    return (case.outcome in (Outcome.DISMISSED, Outcome.NON_SUITED) and case.filed < AUTOMATIC_FROM
            and not case.possession_ordered)
