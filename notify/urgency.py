"""How urgent a case is at the moment a list or digest is made: three tiers, the same in every
e-mail and spreadsheet.

1. a hearing from that moment through the court's third court day (the day itself counted
   when the court sits), those without a lawyer first;
2. a default judgment still inside its court system's set-aside window (a number the court's
   adapter states; none stated, none marked);
3. a writ of eviction issued in the last WRIT_DAYS and not executed;
then every other open case, by hearing day and courtroom. An executed writ is for the record
only: alert digests tell it, last.

Every rule counts from the moment in the court's own zone and calendar (CourtClock): a hearing
earlier that day has passed and is never anyone's "next hearing".
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Container, Mapping
from dataclasses import dataclass, field
from enum import IntEnum

from pipeline.store.notices import CaseView, HearingView

SOON_COURT_DAYS = 3  # a hearing through this court day, counting the list's own day when the court sits
WRIT_DAYS = 14       # a writ issued this recently and not executed: the removal may come any day


class Tier(IntEnum):
    HEARING_SOON = 1
    DEFAULT_JUDGMENT = 2
    WRIT_ISSUED = 3
    OTHER = 4           # open, nothing that cannot wait
    FOR_THE_RECORD = 5  # the household is already out (alert digests only)


URGENT = (Tier.HEARING_SOON, Tier.DEFAULT_JUDGMENT, Tier.WRIT_ISSUED)
TIER_NAMES = {
    Tier.HEARING_SOON: f"Hearing within {SOON_COURT_DAYS} court days",
    Tier.DEFAULT_JUDGMENT: "Default judgment, set-aside window open",
    Tier.WRIT_ISSUED: "Writ of eviction issued, not executed",
    Tier.OTHER: "",
    Tier.FOR_THE_RECORD: "For the record",
}
# A section's heading, as counted ("3 hearings within 3 court days").
TIER_PLURALS = {
    Tier.HEARING_SOON: ("hearing", "hearings", f"within {SOON_COURT_DAYS} court days"),
    Tier.DEFAULT_JUDGMENT: ("default judgment", "default judgments", "inside the set-aside window"),
    Tier.WRIT_ISSUED: ("writ of eviction", "writs of eviction", "issued, not executed"),
    Tier.OTHER: ("other case", "other cases", "by hearing day"),
    Tier.FOR_THE_RECORD: ("writ executed", "writs executed", "(for the record)"),
}


def tier_count(tier: Tier, n: int) -> str:
    one, many, tail = TIER_PLURALS[tier]
    return f"{n} {one if n == 1 else many} {tail}"


def nth_court_day(start: dt.date, n: int, closed: Container[dt.date] = frozenset()) -> dt.date:
    """The n-th day from `start` on (itself included) that the court sits: a weekday it is not closed."""
    day, counted = start, 0
    while True:
        if day.weekday() < 5 and day not in closed:
            counted += 1
            if counted == n:
                return day
        day += dt.timedelta(days=1)


@dataclass(frozen=True)
class CourtClock:
    """One court at the moment a list is made: that moment in the court's zone, the days it does
    not sit, and its court system's set-aside window for default judgments (None: none stated)."""

    now: dt.datetime
    closed: frozenset[dt.date] = frozenset()
    set_aside_days: int | None = None

    def __post_init__(self) -> None:
        if self.now.tzinfo is None:
            raise ValueError("a court's clock needs an aware time in the court's zone")

    @property
    def today(self) -> dt.date:
        return self.now.date()

    @property
    def soon_until(self) -> dt.date:
        """The last day a hearing counts as near: the third court day from today."""
        return nth_court_day(self.today, SOON_COURT_DAYS, self.closed)

    def still_ahead(self, hearing: HearingView) -> bool:
        """Set for now or later (a hearing today without a time counts as ahead: when is unknown)."""
        if hearing.date != self.today:
            return hearing.date > self.today
        return hearing.time is None or hearing.time >= self.now.time()


@dataclass(frozen=True)
class CourtClocks:
    """Each court's clock at one moment; a court no longer configured gets `default`."""

    default: CourtClock
    by_court: Mapping[str, CourtClock] = field(default_factory=dict)

    def of(self, court: str) -> CourtClock:
        return self.by_court.get(court, self.default)


@dataclass(frozen=True)
class Urgency:
    next_hearing: HearingView | None
    tiers: tuple[Tier, ...]          # every urgent tier the case is in, most urgent first
    default_on: dt.date | None       # the default judgment inside its window
    set_aside_until: dt.date | None  # the window's last day
    writ_on: dt.date | None          # the writ issued and not executed

    @property
    def tier(self) -> Tier:
        return self.tiers[0] if self.tiers else Tier.OTHER


def urgency(case: CaseView, clock: CourtClock) -> Urgency:
    """Where an open case stands at the clock's moment (the case's state then, not news since the
    last list: a writ found late is as urgent as one found at once)."""
    today = clock.today
    ahead = sorted((h for h in case.hearings if h.pending and clock.still_ahead(h)),
                   key=lambda h: (h.date, h.time or dt.time.min))
    nxt = ahead[0] if ahead else None
    tiers: list[Tier] = []
    if nxt is not None and nxt.date <= clock.soon_until:
        tiers.append(Tier.HEARING_SOON)
    default_on = until = None
    judged = [h for h in case.hearings if h.result_code in ("default_judgment", "judgment")]
    last_judged = max(judged, key=lambda h: (h.date, h.time or dt.time.min)) if judged else None
    # Only a default that still stands: a later contested judgment is not one a tenant can set aside.
    if (case.status == "judgment_plaintiff" and clock.set_aside_days is not None and last_judged is not None
            and last_judged.result_code == "default_judgment"
            and 0 <= (today - last_judged.date).days <= clock.set_aside_days):
        default_on = last_judged.date
        until = default_on + dt.timedelta(days=clock.set_aside_days)
        tiers.append(Tier.DEFAULT_JUDGMENT)
    writ_on = None
    issued = case.writ_issued_date
    if case.status == "writ_issued" and issued and 0 <= (today - issued).days <= WRIT_DAYS:
        writ_on = issued
        tiers.append(Tier.WRIT_ISSUED)
    return Urgency(nxt, tuple(tiers), default_on, until, writ_on)
