"""Deterministic generation of one court's civil filings for one year, every event dated ahead.

Everything is drawn from one `random.Random` seeded by (seed, FIPS, year), so a court-year is
the same in every process and does not depend on the simulator's `today`.
"""

from __future__ import annotations

import bisect
import datetime as dt
import functools
import itertools
import math
import random
from decimal import Decimal
from typing import NamedTuple

from scraper.simkit.households import SuedBefore

from scraper.courts.va_gdc.sim.model import (
    UNLAWFUL_DETAINER,
    AppealFacts,
    CaseFacts,
    GarnishmentFacts,
    HearingFacts,
    JudgmentFacts,
    PartyFacts,
    ReportFacts,
    ServiceFacts,
)
from scraper.courts.va_gdc.sim.names import (
    GARNISHEES,
    SELF_REPRESENTED_SHARE,
    TENANT_ATTORNEY_SHARE,
    CourtProfile,
    Landlord,
    court_creditors,
    court_landlords,
    person_name,
)

WARRANT_IN_DEBT = "Warrant In Debt"
DETINUE = "Detinue"
UD_SHARE = 0.55
DETINUE_SHARE = 0.05
REFILE_SHARE = 0.055  # of UD matters dismissed or non-suited: ≈2% of all UD matters
MAX_CONTINUANCES = 3
HOUSEHOLD_WEIGHT_CAP = 8.0  # the most file-prone household is drawn ~3x as often as the mean one
HOUSEHOLD_DRAWS = 12
CENTS = Decimal("0.01")


class _Table:
    """A weighted choice with precomputed cumulative weights (generation draws millions)."""

    def __init__(self, *items: tuple[str, float]) -> None:
        self.values = [v for v, _ in items]
        self.cum = list(itertools.accumulate(w for _, w in items))

    def draw(self, rng: random.Random) -> str:
        return self.values[bisect.bisect(self.cum, rng.random() * self.cum[-1])]


UD_FIRST = _Table(("Default Judgment", 45), ("Continued", 22), ("Dismissed", 14), ("Non-suit", 10),
                  ("Judgment", 7), ("Other", 2))
DEBT_FIRST = _Table(("Default Judgment", 55), ("Continued", 12), ("Dismissed", 10), ("Non-suit", 10),
                    ("Judgment", 11), ("Other", 2))
LATER = _Table(("Default Judgment", 8), ("Continued", 25), ("Judgment", 15), ("Dismissed", 29),
               ("Non-suit", 20), ("Other", 3))
LATER_FINAL = _Table(("Default Judgment", 10), ("Judgment", 24), ("Dismissed", 39), ("Non-suit", 23), ("Other", 4))
HEARING_TIMES = _Table(("09:00", 30), ("09:30", 20), ("10:00", 18), ("10:30", 12), ("11:00", 10), ("13:30", 10))
UD_SERVICE = _Table(("POSTED", 55), ("PERSONAL", 25), ("SUBSTITUTED", 20))
DEBT_SERVICE = _Table(("PERSONAL", 45), ("POSTED", 25), ("SUBSTITUTED", 30))
DEBT_TYPES = _Table(("Credit Card", 30), ("Medical", 15), ("Contract", 20), ("Auto Loan", 10), ("Rent", 10),
                    ("Other", 15))
PROCESS_TYPES = {UNLAWFUL_DETAINER: "Summons For Unlawful Detainer", WARRANT_IN_DEBT: "Warrant In Debt",
                 DETINUE: "Summons For Detinue"}


@functools.lru_cache(maxsize=64)
def holidays(year: int) -> frozenset[dt.date]:
    def nth_weekday(month: int, weekday: int, n: int) -> dt.date:
        first = dt.date(year, month, 1)
        return first + dt.timedelta(days=(weekday - first.weekday()) % 7 + 7 * (n - 1))

    def observed(day: dt.date) -> dt.date:
        return day + dt.timedelta(days={5: -1, 6: 1}.get(day.weekday(), 0))

    last_may = dt.date(year, 5, 31)
    fixed = [observed(dt.date(year, m, d)) for m, d in ((1, 1), (6, 19), (7, 4), (11, 11), (12, 25))]
    floating = [nth_weekday(1, 0, 3), last_may - dt.timedelta(days=last_may.weekday()), nth_weekday(9, 0, 1),
                nth_weekday(11, 3, 4), nth_weekday(11, 3, 4) + dt.timedelta(days=1)]
    return frozenset(fixed + floating)


def is_court_day(day: dt.date) -> bool:
    return day.weekday() < 5 and day not in holidays(day.year)


def next_court_day(day: dt.date) -> dt.date:
    while not is_court_day(day):
        day += dt.timedelta(days=1)
    return day


def court_day_within(rng: random.Random, start: dt.date, low: int, high: int) -> dt.date:
    """A random court day from start+low to start+high days (inclusive)."""
    open_days = _court_days_between(start, low, high)
    return rng.choice(open_days) if open_days else next_court_day(start + dt.timedelta(days=high))


@functools.lru_cache(maxsize=8192)
def _court_days_between(start: dt.date, low: int, high: int) -> tuple[dt.date, ...]:
    days = (start + dt.timedelta(days=n) for n in range(low, high + 1))
    return tuple(d for d in days if is_court_day(d))


def _money(value: float) -> Decimal:
    return Decimal(str(round(value, 2))).quantize(CENTS)


class Parties(NamedTuple):
    plaintiffs: tuple[PartyFacts, ...]
    defendants: tuple[PartyFacts, ...]
    attorney: str  # the plaintiff's counsel, "NONE" without
    landlord_id: str
    household_id: str


class CourtYearBuilder:
    def __init__(self, seed: int, profile: CourtProfile, year: int) -> None:
        self.profile = profile
        self.year = year
        self.rng = random.Random(f"va-gdc-sim:{seed}:{profile.fips}:{year}")
        landlords = court_landlords(seed, profile)
        self.big = [l for l in landlords if l.big]
        self.small = [l for l in landlords if not l.big]
        self.creditors = court_creditors(seed, profile)
        self.households = self._households()
        self.sued = SuedBefore()
        self._never_sued = 0  # households before this index have been sued

    def build(self) -> list[CaseFacts]:
        rng, cases, refiled = self.rng, [], []
        days = [d for d in _days_of(self.year) if is_court_day(d)]
        mean = self.profile.weekly_ud / UD_SHARE * 365.25 / 7 / len(days)
        sequence = itertools.count(1)
        for day in days:
            for _ in range(max(0, round(rng.gauss(mean, math.sqrt(mean))))):
                number = f"GV{self.year % 100:02d}{next(sequence):06d}"
                case = self._case(f"{number}-00", day, self._case_type())
                cases.append(case)
                if case.case_type == UNLAWFUL_DETAINER and _ends_without_judgment(case) and rng.random() < REFILE_SHARE:
                    again = self._refiling(case)
                    if again is not None:
                        refiled.append(again)
        return cases + refiled

    def _case_type(self) -> str:
        draw = self.rng.random()
        return UNLAWFUL_DETAINER if draw < UD_SHARE else DETINUE if draw < UD_SHARE + DETINUE_SHARE else WARRANT_IN_DEBT

    # --- parties -----------------------------------------------------------------------------

    def _households(self) -> tuple[list[tuple[tuple[PartyFacts, ...], Landlord]], list[float]]:
        """Tenant households, each renting from one landlord; Pareto weights, capped, make some
        file-prone (a landlord re-filing against them every month or two, see SuedBefore).

        A household's id is `HH-<fips>-<year>-<index in this pool>`; a debt case's defendants are
        drawn fresh each time, so its household is `HH-<fips>-<matter key>`."""
        rng, pool, weights = self.rng, [], []
        big_weights = (35, 25, 18, 12, 10)
        for _ in range(int(self.profile.weekly_ud * 52 * 1.5)):
            landlord = (rng.choices(self.big, big_weights)[0] if rng.random() < 0.6 else rng.choice(self.small))
            address = self.profile.address(rng)
            people = [person_name(rng) for _ in range(rng.choices((1, 2, 3), (60, 30, 10))[0])]
            if rng.random() < 0.03:
                people.append("AND ALL OTHER OCCUPANTS")
            pool.append((tuple(PartyFacts(p, None, address, self._tenant_attorney()) for p in people), landlord))
            weights.append(min(rng.paretovariate(1.3), HOUSEHOLD_WEIGHT_CAP))
        return pool, list(itertools.accumulate(weights))

    def _tenant_attorney(self) -> str:
        draw = self.rng.random()
        if draw < TENANT_ATTORNEY_SHARE:
            return person_name(self.rng, 0.1)
        return "SELF-REPRESENTED" if draw < TENANT_ATTORNEY_SHARE + SELF_REPRESENTED_SHARE else "NONE"

    def _filer(self, landlord: Landlord) -> PartyFacts:
        rng = self.rng
        name = landlord.variants[0] if rng.random() < 0.6 else rng.choice(landlord.variants)
        dba = rng.choice(landlord.dbas) or None
        return PartyFacts(name, dba, landlord.address, landlord.attorney)

    def _ud_parties(self, filed: dt.date) -> Parties:
        pool, cum = self.households
        index = self._household_for(filed)
        defendants, landlord = pool[index]
        return Parties((self._filer(landlord),), defendants, landlord.attorney, landlord.id,
                       f"HH-{self.profile.fips}-{self.year}-{index:05d}")

    def _household_for(self, filed: dt.date) -> int:
        """A household by its weight, unless it was sued too recently or too often: then another
        draw, and after a few a household not sued yet this year."""
        pool, cum = self.households
        index = bisect.bisect(cum, self.rng.random() * cum[-1])
        for _ in range(HOUSEHOLD_DRAWS):
            if self.sued.may_sue(index, filed):
                break
            index = bisect.bisect(cum, self.rng.random() * cum[-1])
        else:
            while self._never_sued < len(pool) and self.sued.count(self._never_sued):
                self._never_sued += 1
            if self._never_sued >= len(pool):
                raise RuntimeError(f"the simulated court {self.profile.fips} ran out of tenant households")
            index = self._never_sued
        self.sued.sued(index, filed)
        return index

    def _debt_parties(self, number: str) -> Parties:
        filer = self.rng.choice(self.creditors) if self.rng.random() < 0.75 else self.rng.choice(self.small)
        plaintiffs = (self._filer(filer),)
        return Parties(plaintiffs, self._debtors(), filer.attorney, filer.id, f"HH-{self.profile.fips}-{number[:-3]}")

    def _debtors(self) -> tuple[PartyFacts, ...]:
        rng = self.rng
        address = self.profile.address(rng)
        count = 1 if rng.random() < 0.8 else 2
        return tuple(PartyFacts(person_name(rng), None, address, self._tenant_attorney()) for _ in range(count))

    # --- one case ----------------------------------------------------------------------------

    def _case(self, number: str, filed: dt.date, case_type: str, parties: Parties | None = None) -> CaseFacts:
        rng, ud = self.rng, case_type == UNLAWFUL_DETAINER
        if parties is None:
            parties = self._ud_parties(filed) if ud else self._debt_parties(number)
        plaintiffs, defendants, attorney = parties.plaintiffs, parties.defendants, parties.attorney
        hearings = self._hearings(filed, ud)
        judgment = self._judgment(hearings[-1], ud, has_counsel=attorney != "NONE")
        if judgment is not None and judgment.possession and rng.random() < 0.02:
            hearings.append(self._motion(judgment.date, hearings[-1].courtroom))
        return CaseFacts(
            case_number=number, filed=filed, case_type=case_type,
            debt_type=None if ud else DEBT_TYPES.draw(rng) if case_type == WARRANT_IN_DEBT else "Other",
            plaintiffs=plaintiffs, defendants=defendants, hearings=tuple(hearings),
            services=self._services(filed, case_type, plaintiffs, defendants, hearings[0].date, judgment),
            landlord_id=parties.landlord_id, household_id=parties.household_id,
            reports=self._reports(judgment) if not ud else (),
            judgment=judgment,
            garnishment=self._garnishment(judgment) if not ud else None,
            appeal=self._appeal(judgment, hearings),
        )

    def _refiling(self, original: CaseFacts) -> CaseFacts | None:
        """The same matter filed again (-01), unless the household was sued too recently or often."""
        filed = court_day_within(self.rng, original.hearings[-1].date, 10, 60)
        # Drawn whole either way, so the docket's later cases do not depend on this one's fate.
        again = self._case(f"{original.matter_key}-01", filed, original.case_type, Parties(
            original.plaintiffs, original.defendants, original.plaintiffs[0].attorney or "NONE",
            original.landlord_id, original.household_id))
        household = int(original.household_id.rsplit("-", 1)[1])
        if not self.sued.may_sue(household, filed):
            return None
        self.sued.sued(household, filed)
        return again

    def _hearing_time(self) -> dt.time:
        return dt.time.fromisoformat(HEARING_TIMES.draw(self.rng))

    def _hearings(self, filed: dt.date, ud: bool) -> list[HearingFacts]:
        rng = self.rng
        room = rng.choice(self.profile.courtrooms)
        day, kind, set_on, out = court_day_within(rng, filed, 14, 35), "Return", filed, []
        while True:
            table = (UD_FIRST if ud else DEBT_FIRST) if not out else LATER if len(out) < MAX_CONTINUANCES else LATER_FINAL
            result = table.draw(rng)
            out.append(HearingFacts(day, self._hearing_time(), kind, room, result, set_on))
            if result != "Continued":
                return out
            # The next date is set in court on the day of the continuance.
            set_on, day = day, court_day_within(rng, day, 7, 28)
            kind = "Trial" if rng.random() < 0.6 else "Return"

    def _motion(self, judged: dt.date, room: str) -> HearingFacts:
        set_on = judged + dt.timedelta(days=self.rng.randint(2, 7))
        return HearingFacts(court_day_within(self.rng, set_on, 7, 21), self._hearing_time(), "Motion", room,
                            "Other", set_on)

    def _judgment(self, last: HearingFacts, ud: bool, has_counsel: bool) -> JudgmentFacts | None:
        rng, day = self.rng, last.date
        if last.result == "Other":
            return JudgmentFacts(day, "Other") if rng.random() < 0.5 else None
        if last.result not in ("Default Judgment", "Judgment"):
            return None
        if last.result == "Judgment" and rng.random() < 0.3:
            return JudgmentFacts(day, "Defendant", possession=False if ud else None)
        principal = _money(rng.lognormvariate(math.log(2500 if ud else 1800), 0.85)) if not ud or rng.random() < 0.85 else None
        fees = _money(float(principal) * rng.uniform(0.1, 0.25)) if principal and has_counsel and rng.random() < 0.45 else None
        writ_issued = next_court_day(day + dt.timedelta(days=rng.randint(11, 30))) if ud and rng.random() < 0.40 else None
        writ_executed = (next_court_day(writ_issued + dt.timedelta(days=rng.randint(7, 20)))
                         if writ_issued and rng.random() < 0.60 else None)
        return JudgmentFacts(
            day, "Judgment for Plaintiff" if rng.random() < 0.05 else "Plaintiff",
            costs=Decimal(rng.randint(50, 100)).quantize(CENTS), attorney_fees=fees, principal=principal,
            interest_award="6.00%" if principal and rng.random() < 0.6 else None,
            possession=True if ud else None,
            homestead_waived=rng.random() < 0.25 if principal else None,
            writ_issued=writ_issued, writ_executed=writ_executed,
            fifa_issued=day + dt.timedelta(days=rng.randint(30, 120)) if not ud and rng.random() < 0.05 else None,
            satisfied_on=day + dt.timedelta(days=rng.randint(20, 150)) if rng.random() < 0.15 else None,
            shows_satisfaction=True,
            further_information="JUDGMENT ENTERED BY AGREEMENT" if rng.random() < 0.03 else None,
        )

    def _services(self, filed: dt.date, case_type: str, plaintiffs: tuple[PartyFacts, ...],
                  defendants: tuple[PartyFacts, ...], first_hearing: dt.date,
                  judgment: JudgmentFacts | None) -> tuple[ServiceFacts, ...]:
        rng, plaintiff = self.rng, plaintiffs[0].name
        how_table = UD_SERVICE if case_type == UNLAWFUL_DETAINER else DEBT_SERVICE
        issued = filed if rng.random() < 0.8 else next_court_day(filed + dt.timedelta(days=1))
        rows = []
        for person in defendants:
            served = None
            if rng.random() < 0.92:
                served = min(issued + dt.timedelta(days=rng.randint(2, 12)), first_hearing - dt.timedelta(days=1))
            rows.append(ServiceFacts(person.name, PROCESS_TYPES[case_type], issued, served, how_table.draw(rng), plaintiff))
        if judgment is not None and judgment.writ_issued is not None:
            rows.append(ServiceFacts(defendants[0].name, "Writ Of Eviction", judgment.writ_issued,
                                     judgment.writ_executed, "POSTED", plaintiff))
        return tuple(rows)

    def _reports(self, judgment: JudgmentFacts | None) -> tuple[ReportFacts, ...]:
        if judgment is None or judgment.principal is None or self.rng.random() > 0.03:
            return ()
        ordered = judgment.date + dt.timedelta(days=self.rng.randint(20, 60))
        received = ordered + dt.timedelta(days=self.rng.randint(10, 30)) if self.rng.random() < 0.5 else None
        return (ReportFacts("Debtor Interrogatories", "PLAINTIFF", ordered, ordered + dt.timedelta(days=21), received),)

    def _garnishment(self, judgment: JudgmentFacts | None) -> GarnishmentFacts | None:
        rng = self.rng
        if judgment is None or judgment.principal is None or rng.random() > 0.06:
            return None
        issued = judgment.date + dt.timedelta(days=rng.randint(30, 120))
        return GarnishmentFacts(issued, rng.choice(GARNISHEES), self.profile.address(rng),
                                rng.choice(("EMPLOYED", "NOT EMPLOYED")),
                                issued + dt.timedelta(days=rng.randint(14, 30)), str(rng.randint(0, 4)))

    def _appeal(self, judgment: JudgmentFacts | None, hearings: list[HearingFacts]) -> AppealFacts | None:
        if judgment is None or judgment.judgment == "Other":
            return None
        contested = any(h.result == "Judgment" for h in hearings)
        if self.rng.random() >= (0.06 if contested else 0.005):
            return None
        by = "Plaintiff" if judgment.judgment == "Defendant" else "Defendant"
        return AppealFacts(judgment.date + dt.timedelta(days=self.rng.randint(1, 10)), by)


def _days_of(year: int) -> list[dt.date]:
    start = dt.date(year, 1, 1)
    return [start + dt.timedelta(days=n) for n in range((dt.date(year + 1, 1, 1) - start).days)]


def _ends_without_judgment(case: CaseFacts) -> bool:
    return case.hearings[-1].result in ("Dismissed", "Non-suit")
