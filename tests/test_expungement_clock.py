"""Virginia's expungement clock (Va. Code § 8.01-130.01), case by case, dates at the boundaries."""

from __future__ import annotations

import datetime as dt

import pytest

from scraper.courts import get_source
from scraper.retention import Disposition, Outcome, add_months

VA = get_source("va-gdc")
D = dt.date
O = Outcome


@pytest.mark.parametrize("filed, outcome, on, possession, erased, eligible", [
    # Dismissed: 30 days after the dismissal, for actions filed on or after 1 July 2024.
    (D(2024, 7, 1), O.DISMISSED, D(2026, 11, 14), False, D(2026, 12, 14), False),
    (D(2024, 6, 30), O.DISMISSED, D(2026, 11, 14), False, None, True),   # filed the day before: petition only
    (D(2026, 1, 31), O.DISMISSED, D(2026, 2, 28), False, D(2026, 3, 30), False),
    (D(2025, 12, 1), O.DISMISSED, D(2025, 12, 31), False, D(2026, 1, 30), False),  # across the year's end
    # Nonsuited: six calendar months after, the month's last day when it has no such day.
    (D(2025, 3, 1), O.NON_SUITED, D(2026, 8, 31), False, D(2027, 2, 28), False),
    (D(2027, 3, 1), O.NON_SUITED, D(2027, 8, 31), False, D(2028, 2, 29), False),  # a leap year
    (D(2025, 3, 1), O.NON_SUITED, D(2026, 1, 15), False, D(2026, 7, 15), False),
    (D(2024, 5, 2), O.NON_SUITED, D(2024, 8, 1), False, None, True),
    # An order of possession was entered: never erased, never eligible.
    (D(2025, 3, 1), O.DISMISSED, D(2025, 5, 1), True, None, False),
    (D(2024, 1, 2), O.NON_SUITED, D(2024, 3, 1), True, None, False),
    # A judgment for the tenant: on petition, whenever filed.
    (D(2025, 3, 1), O.JUDGMENT_DEFENDANT, D(2025, 4, 1), False, None, True),
    (D(2023, 3, 1), O.JUDGMENT_DEFENDANT, D(2023, 4, 1), False, None, True),
    # A judgment for the landlord, and other endings: neither.
    (D(2025, 3, 1), O.JUDGMENT_PLAINTIFF, D(2025, 4, 1), True, None, False),
    (D(2025, 3, 1), O.OTHER, D(2025, 4, 1), True, None, False),
    (D(2025, 3, 1), O.DISMISSED, None, False, None, False),  # no date known: nothing to count from
])
def test_the_clock(filed, outcome, on, possession, erased, eligible):
    case = Disposition(filed, outcome, on, possession)
    found = VA.erasure(case)
    assert (found.on if found else None) == erased
    assert VA.petition_eligible(case) is eligible
    if found:
        assert found.law == "Va. Code § 8.01-130.01" and on.isoformat() in found.why
        assert str(found).startswith(f"personal data removed on {erased.isoformat()}: ")


def test_the_day_before_and_the_day_itself():
    erased = VA.erasure(Disposition(D(2024, 7, 1), O.DISMISSED, D(2026, 11, 14), False))
    assert str(erased) == "personal data removed on 2026-12-14: dismissed 2026-11-14, Va. Code § 8.01-130.01"


@pytest.mark.parametrize("day, months, expected", [
    (D(2026, 8, 31), 6, D(2027, 2, 28)), (D(2026, 1, 31), 1, D(2026, 2, 28)), (D(2026, 7, 15), 6, D(2027, 1, 15)),
    (D(2026, 12, 31), 12, D(2027, 12, 31)),
])
def test_add_months(day, months, expected):
    assert add_months(day, months) == expected
