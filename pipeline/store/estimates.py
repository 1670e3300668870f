"""The church question: what would it cost to pay the rent judgments of every eviction filing
from now until a day? Expected filings (the trailing weeks' average, low and high from the
quietest and busiest of them) times the median and the mean judgment principal the courts
published for recent judgments for the landlord. Only weeks whose filings the store sees whole
count, and only amounts a court printed: where there are none there is no estimate.
"""

from __future__ import annotations

import datetime as dt
import statistics
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field

from sqlalchemy import func, select

from pipeline.store import trends
from pipeline.store.coverage import COMPLETE, Visibility, visibility, week_state
from pipeline.store.handle import Database
from pipeline.store.rows import CASES, EVICTION, JUDGMENTS

TRAILING_WEEKS = 12
LOOK_BACK_WEEKS = 52  # how far back complete weeks are looked for


@dataclass
class CostToStop:
    today: dt.date
    until: dt.date
    courts: list[str]
    weeks_ahead: float  # from tomorrow to `until`, in weeks
    weeks: list[tuple[dt.date, int]] = field(default_factory=list)  # (Monday, filings), the weeks averaged
    filings_per_week: float | None = None
    expected_filings: float | None = None
    low_filings: float | None = None  # as if every week were the quietest of them
    high_filings: float | None = None  # ... the busiest
    judgments_with_amount: int = 0
    judgments_without_amount: int = 0
    median_principal: float | None = None
    mean_principal: float | None = None
    at_median: float | None = None
    at_median_low: float | None = None
    at_median_high: float | None = None
    at_mean: float | None = None

    @property
    def estimated(self) -> bool:
        return self.at_median is not None

    def assumptions(self) -> list[str]:
        first, last = (self.weeks[0][0], self.weeks[-1][0] + dt.timedelta(days=6)) if self.weeks else (None, None)
        return [
            f"filings: the average of the {len(self.weeks)} most recent weeks whose filings are all seen "
            f"({first} to {last})" if self.weeks else "filings: no week's filings are all seen yet",
            "low and high: as if every week to come were the quietest, or the busiest, of those weeks",
            f"amounts: the judgment principal the courts published for judgments for the landlord entered from "
            f"{first} to {self.today}: {self.judgments_with_amount} with an amount, "
            f"{self.judgments_without_amount} without one (left out, never guessed); a judgment for possession "
            "only, of $0, counts as $0",
            "every filing is counted as if it would end in such a judgment; many end otherwise (dismissed, "
            "paid, settled), so fewer judgments will come than filings",
            "principal only: court costs, attorney's fees and interest are not in it; a principal may hold "
            "late fees and other charges besides rent",
            f"{self.weeks_ahead:.1f} weeks from {self.today + dt.timedelta(days=1)} to {self.until}",
        ]

    def as_json(self) -> dict:
        data = asdict(self)
        data["today"], data["until"] = self.today.isoformat(), self.until.isoformat()
        data["weeks"] = [{"monday": m.isoformat(), "filings": n} for m, n in self.weeks]
        data["assumptions"] = self.assumptions()
        return data


def complete_weeks(db: Database, today: dt.date, courts: Sequence[str], wanted: int = TRAILING_WEEKS,
                   views: Sequence[Visibility] | None = None) -> list[tuple[dt.date, int]]:
    """The `wanted` most recent weeks before this one whose filings the store sees whole, oldest
    first. `views`: the courts' visibility, where the caller has it already."""
    this_monday = today - dt.timedelta(days=today.weekday())
    first = this_monday - dt.timedelta(weeks=LOOK_BACK_WEEKS)
    counts = trends.weekly_filings(db, first, LOOK_BACK_WEEKS, courts)
    views, earliest = visibility(db, courts) if views is None else views, trends.first_filed(db, courts)
    chosen = []
    for back in range(LOOK_BACK_WEEKS - 1, -1, -1):
        monday = first + dt.timedelta(weeks=back)
        if week_state(monday, earliest, views) == COMPLETE:
            chosen.append((monday, counts[back]))
            if len(chosen) == wanted:
                break
    return sorted(chosen)


def cost_to_stop(db: Database, today: dt.date, until: dt.date, courts: Sequence[str],
                 views: Sequence[Visibility] | None = None) -> CostToStop:
    estimate = CostToStop(today, until, list(courts), max(0, (until - today).days) / 7)
    estimate.weeks = complete_weeks(db, today, courts, views=views)
    if not estimate.weeks:
        return estimate
    counts = [n for _, n in estimate.weeks]
    estimate.filings_per_week = sum(counts) / len(counts)
    estimate.expected_filings = estimate.filings_per_week * estimate.weeks_ahead
    estimate.low_filings, estimate.high_filings = min(counts) * estimate.weeks_ahead, max(counts) * estimate.weeks_ahead
    amounts, without = _principals(db, estimate.weeks[0][0], today, courts)
    estimate.judgments_with_amount, estimate.judgments_without_amount = len(amounts), without
    if not amounts:
        return estimate
    estimate.median_principal = statistics.median(amounts)
    estimate.mean_principal = statistics.fmean(amounts)
    estimate.at_median = estimate.expected_filings * estimate.median_principal
    estimate.at_median_low = estimate.low_filings * estimate.median_principal
    estimate.at_median_high = estimate.high_filings * estimate.median_principal
    estimate.at_mean = estimate.expected_filings * estimate.mean_principal
    return estimate


def _principals(db: Database, since: dt.date, until: dt.date, courts: Sequence[str]) -> tuple[list[float], int]:
    """The principal of each judgment for the landlord (for possession, where a court says) entered
    in [since, until], in dollars; and how many such judgments published no amount."""
    query = (select(JUDGMENTS.c.principal_cents)
             .select_from(JUDGMENTS.join(CASES, CASES.c.id == JUDGMENTS.c.case_id))
             .where(CASES.c.kind == EVICTION, CASES.c.erased_at.is_(None), CASES.c.court_id.in_(sorted(courts)),
                    CASES.c.judgment_date.between(since, until), JUDGMENTS.c.judgment_code == "plaintiff",
                    func.coalesce(JUDGMENTS.c.possession, True).is_(True)))
    with db.engine.connect() as conn:
        values = list(conn.execute(query).scalars())
    amounts = [cents / 100 for cents in values if cents is not None]
    return amounts, len(values) - len(amounts)
