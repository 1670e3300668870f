"""What a court system's law says about keeping a closed case, as an adapter answers it.

A court system whose law erases some records (Virginia's expungement of dismissed and
nonsuited unlawful detainers) gives its source the `HasRetentionLaw` capability: the pipeline
hands it a closed case's facts and is told when the case's personal data must be gone, and
whether the tenant can still have it expunged on petition. A source without it keeps the
generic retention (`retention.closed_case_days`).
"""

from __future__ import annotations

import calendar
import datetime as dt
from dataclasses import dataclass
from enum import StrEnum
from typing import ClassVar, Protocol, runtime_checkable


class Outcome(StrEnum):
    """How a case ended, in the words retention law uses."""

    DISMISSED = "dismissed"
    NON_SUITED = "non_suited"                 # the plaintiff's voluntary nonsuit
    JUDGMENT_DEFENDANT = "judgment_defendant"  # for the tenant
    JUDGMENT_PLAINTIFF = "judgment_plaintiff"  # for the landlord
    OTHER = "other"                           # a writ executed, a satisfaction: ended by a judgment


@dataclass(frozen=True, slots=True)
class Disposition:
    """The facts of a closed case the law looks at, as the store holds them."""

    filed: dt.date
    outcome: Outcome
    disposed_on: dt.date | None  # the dismissal's, nonsuit's or judgment's date
    possession_ordered: bool     # an order (judgment) of possession was ever entered


@dataclass(frozen=True, slots=True)
class Erasure:
    on: dt.date  # the day the case's personal data must be gone (the court erases its record then)
    why: str     # "dismissed 2026-11-14"
    law: str     # "Va. Code § 8.01-130.01"

    def __str__(self) -> str:
        return f"personal data removed on {self.on.isoformat()}: {self.why}, {self.law}"


@runtime_checkable
class HasRetentionLaw(Protocol):
    # The statute erasure and petitions follow, as partners are told it ("Va. Code § 8.01-130.01").
    retention_law: ClassVar[str]

    def erasure(self, case: Disposition) -> Erasure | None:
        """When the court's record of this case is erased by law without anyone asking (None: never)."""
        ...

    def petition_eligible(self, case: Disposition) -> bool:
        """Whether the tenant can still have the record expunged by petition (it is not erased by itself)."""
        ...


def add_months(day: dt.date, months: int) -> dt.date:
    """The same day `months` calendar months later; the month's last day when it has no such day
    (31 August + 6 months is 28 or 29 February)."""
    month = day.month - 1 + months
    year, month = day.year + month // 12, month % 12 + 1
    return dt.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))
