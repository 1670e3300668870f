"""The simulator's dockets: court-years generated on demand and cached, seen as of `today`.

`truth`, `case` and `hearing_day` return exactly what the portal's pages show on the
simulator's current day, so tests can compare a scrape with them field by field.
`landlord_id`, `household_id`, `status` and `landlord_names` give the ground truth the pipeline
derives from those pages (the filing entity, the household, the lifecycle status), taken from
the generation facts.
"""

from __future__ import annotations

import datetime as dt
import threading
import zlib
from collections import defaultdict
from dataclasses import dataclass, field

from scraper.courts.va_gdc.sim import lifecycle
from scraper.courts.va_gdc.sim.expunge import expunged_on
from scraper.courts.va_gdc.sim.generate import CourtYearBuilder
from scraper.courts.va_gdc.sim.model import UNLAWFUL_DETAINER, CaseFacts, HearingFacts
from scraper.courts.va_gdc.sim.state import court_profile
from scraper.records import CaseRecord, Hearing

_RECORD_CACHE_LIMIT = 200_000
# A day's filings reach the portal through the business day, each at its own moment (court time).
PUBLISHED_FROM = dt.timedelta(hours=8, minutes=30)
PUBLISHING_SPAN_S = 8 * 3600


def published_after(case_number: str) -> dt.timedelta:
    """How long after midnight of its filing day the case is listed (the same every run)."""
    return PUBLISHED_FROM + dt.timedelta(seconds=zlib.crc32(case_number.encode()) % PUBLISHING_SPAN_S)
# Names a hostile filer (or a careless clerk) could put on a case: spreadsheet formulas, markup,
# line breaks that would forge a mail header, right-to-left overrides. For tests of everything
# downstream of the parser; one case in HOSTILE_EVERY gets one as its first defendant.
HOSTILE_NAMES = (
    '=HYPERLINK("http://evil.example/x","CLICK"), ANNA',
    "<script>alert(1)</script><b>BOLD</b>, BEN",
    "CARTER\r\nBcc: victim@evil.example, CARL",
    "\u202eLIVE, DANA\u202c",
    "+1-800-555-0100, ERIN",
    "@SUM(A1:A9), FRANK",
    "-2+3 & <GINA> \"QUOTE\"",
)
HOSTILE_EVERY = 4


def with_hostile_name(record: CaseRecord) -> CaseRecord:
    index = sum(map(ord, record.case_number))
    if index % HOSTILE_EVERY or not record.defendants:
        return record
    first = record.defendants[0].model_copy(update={"name": HOSTILE_NAMES[index // HOSTILE_EVERY % len(HOSTILE_NAMES)]})
    return record.model_copy(update={"defendants": (first, *record.defendants[1:])})


@dataclass
class CourtYear:
    cases: list[CaseFacts]
    by_number: dict[str, CaseFacts] = field(default_factory=dict)
    by_hearing_day: dict[dt.date, list[tuple[CaseFacts, HearingFacts]]] = field(default_factory=dict)

    @classmethod
    def index(cls, cases: list[CaseFacts]) -> CourtYear:
        by_day: dict[dt.date, list[tuple[CaseFacts, HearingFacts]]] = defaultdict(list)
        for case in cases:
            for hearing in case.hearings:
                by_day[hearing.date].append((case, hearing))
        return cls(cases, {c.case_number: c for c in cases}, dict(by_day))


class Docket:
    """Synthetic civil dockets for the simulated courts; thread-safe."""

    def __init__(self, seed: int, today: dt.date, *, hostile_names: bool = False, expunge_lag_days: int = 0) -> None:
        self.seed = seed
        self.hostile_names = hostile_names  # some tenants named to break spreadsheets, HTML and headers
        # The portal still shows an expunged case this many days after the court expunged it.
        self.expunge_lag = dt.timedelta(days=expunge_lag_days)
        self._today = today
        self._time_of_day: dt.timedelta | None = None  # None: the whole of today's filings are out
        self._lock = threading.Lock()
        self._years: dict[tuple[str, int], CourtYear] = {}
        self._records: dict[tuple[int, dt.date], CaseRecord | None] = {}
        self._expunged: dict[int, dt.date | None] = {}  # id(facts) -> its expungement day

    @property
    def today(self) -> dt.date:
        return self._today

    def set_today(self, today: dt.date) -> None:
        self._today = today
        self._time_of_day = None

    def set_now(self, moment: dt.datetime) -> None:
        """The portal's clock to the moment (court time): today's filings published by then are listed."""
        self._today = moment.date()
        self._time_of_day = moment - dt.datetime.combine(moment.date(), dt.time(), tzinfo=moment.tzinfo)

    def published(self, facts: CaseFacts, today: dt.date) -> bool:
        return (facts.filed < today or today != self._today or self._time_of_day is None
                or published_after(facts.case_number) <= self._time_of_day)

    def court_year(self, fips: str, year: int) -> CourtYear:
        """All civil cases numbered in that court and year (`GVyy…`), generated once."""
        with self._lock:
            cached = self._years.get((fips, year))
            if cached is None:
                profile = court_profile(fips)
                cases = CourtYearBuilder(self.seed, profile, year).build() if profile else []
                cached = self._years[(fips, year)] = CourtYear.index(cases)
            return cached

    # --- as of today ---------------------------------------------------------------------------

    def facts(self, fips: str, case_number: str) -> CaseFacts | None:
        """The case's whole life (ground truth: an expunged case's too); None when unknown or
        not filed yet."""
        number = case_number.strip().upper()
        if len(number) != 13 or not number.startswith("GV") or not number[2:4].isdigit():
            return None
        year = 2000 + int(number[2:4])
        if year > self._today.year:  # nothing numbered in a later year can be filed yet
            return None
        facts = self.court_year(fips, year).by_number.get(number)
        return facts if facts is not None and facts.filed <= self._today else None

    def shown(self, facts: CaseFacts, today: dt.date) -> bool:
        """Not expunged by `today` (sim.expunge): an expunged case is gone from the portal
        (`expunge_lag_days` after the court expunged it, on a slow portal)."""
        key = id(facts)
        if key not in self._expunged:
            with self._lock:
                self._expunged[key] = expunged_on(facts, self.seed)
        on = self._expunged[key]
        return on is None or on + self.expunge_lag > today

    def expunged_on(self, fips: str, case_number: str) -> dt.date | None:
        """Ground truth: the day the court expunges (or expunged) this case; None: never."""
        number = case_number.strip().upper()
        facts = self.court_year(fips, 2000 + int(number[2:4])).by_number.get(number)
        return expunged_on(facts, self.seed) if facts is not None else None

    def case(self, fips: str, case_number: str) -> CaseRecord | None:
        """The case as its detail page shows it today; None when unknown, not filed yet or
        expunged (the portal answers "no results" for all three)."""
        facts = self.facts(fips, case_number)
        if facts is not None and not self.shown(facts, self._today):
            return None
        return self._record(facts, self._today) if facts else None

    # --- ground truth for the pipeline's derivations ---------------------------------------------

    def landlord_id(self, fips: str, case_number: str) -> str | None:
        """The entity that filed (shared by every spelling of its name); None if unknown/not filed."""
        facts = self.facts(fips, case_number)
        return facts.landlord_id if facts else None

    def household_id(self, fips: str, case_number: str) -> str | None:
        """The household sued (the first defendant's); repeat filings against it share it."""
        facts = self.facts(fips, case_number)
        return facts.household_id if facts else None

    def status(self, fips: str, case_number: str) -> str | None:
        """The lifecycle status today, by the rules in `lifecycle`; None if unknown/not filed."""
        facts = self.facts(fips, case_number)
        return lifecycle.status(facts, self._today) if facts else None

    def landlord_names(self, fips: str) -> dict[str, set[str]]:
        """landlord_id -> every plaintiff name spelling on the court's cases filed by today, over
        the years generated so far (at least this year and last), all case types."""
        for year in (self._today.year - 1, self._today.year):
            self.court_year(fips, year)
        with self._lock:
            years = [court_year for (code, _), court_year in self._years.items() if code == fips]
        names: dict[str, set[str]] = defaultdict(set)
        for court_year in years:
            for facts in court_year.cases:
                if facts.filed <= self._today:
                    names[facts.landlord_id].update(p.name for p in facts.plaintiffs)
        return dict(names)

    def hearing_rows(self, fips: str, day: dt.date, today: dt.date | None = None) -> list[tuple[CaseRecord, Hearing]]:
        """The hearing-date result list for `day`, in page order: (case, that day's hearing)."""
        today = today or self._today
        rows: list[tuple[CaseFacts, HearingFacts]] = []
        # Cases run at most ~10 months past their filing year; later years hold nothing visible.
        for year in range(day.year - 1, min(day.year, today.year) + 1):
            rows.extend((c, h) for c, h in self.court_year(fips, year).by_hearing_day.get(day, ())
                        if h.set_on <= today and self.shown(c, today) and self.published(c, today))
        rows.sort(key=lambda row: (row[1].time, row[1].courtroom, row[0].case_number))
        out = []
        for facts, hearing in rows:
            record = self._record(facts, today)
            assert record is not None  # a hearing is never set before the filing
            out.append((record, next(h for h in record.hearings if h.date == hearing.date)))
        return out

    def hearing_day(self, fips: str, day: dt.date) -> list[CaseRecord]:
        """All civil cases with a visible hearing on `day`, in result-list order."""
        return [record for record, _ in self.hearing_rows(fips, day)]

    def truth(self, fips: str, since: dt.date, until: dt.date,
              case_type: str | None = UNLAWFUL_DETAINER) -> list[CaseRecord]:
        """Every case showing a hearing dated within [since, until] today, in case-number order."""
        found: dict[str, CaseRecord] = {}
        day = since
        while day <= until:
            for record, _ in self.hearing_rows(fips, day):
                if case_type is None or record.case_type == case_type:
                    found.setdefault(record.case_number, record)
            day += dt.timedelta(days=1)
        return [found[n] for n in sorted(found)]

    def filings(self, fips: str, since: dt.date, until: dt.date,
                case_type: str | None = None, *, expunged: bool = False) -> list[CaseRecord]:
        """Every case filed within [since, until] and visible today, in case-number order
        (`expunged`: with those the court has expunged by today, as they stood: the generation)."""
        today = self._today
        out = []
        for year in range(since.year - 1, min(until.year, today.year) + 1):  # -01s may be filed a year on
            for facts in self.court_year(fips, year).cases:
                if since <= facts.filed <= until and facts.filed <= today and (expunged or self.shown(facts, today)) and (
                        case_type is None or facts.case_type == case_type):
                    out.append(self._record(facts, today))
        return sorted((r for r in out if r is not None), key=lambda r: r.case_number)

    def weekly_filings(self, fips: str, first_monday: dt.date, weeks: int,
                       case_type: str = UNLAWFUL_DETAINER) -> list[int]:
        """The court's own count of the cases filed each week from `first_monday`, by today:
        every case it filed, expunged or not (the figure a report must reach)."""
        last = first_monday + dt.timedelta(days=7 * weeks - 1)
        counts = [0] * weeks
        for record in self.filings(fips, first_monday, last, case_type, expunged=True):
            counts[(record.filed_date - first_monday).days // 7] += 1
        return counts

    def _record(self, facts: CaseFacts, today: dt.date) -> CaseRecord | None:
        # Court-years are never evicted, so a facts object's id is stable for the cache's life.
        key = (id(facts), today)
        cached = self._records.get(key)
        if cached is not None:
            return cached
        record = facts.as_of(today)
        if record is not None and self.hostile_names:
            record = with_hostile_name(record)
        with self._lock:
            if len(self._records) > _RECORD_CACHE_LIMIT:
                self._records.clear()
            self._records[key] = record
        return record
