"""A case's whole life on an Odyssey portal, dated in advance, and what of it shows on a day."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from scraper.records import Appeal, CaseRecord, Hearing, Judgment, Party

EVICTION = "Eviction"
PRECINCTS = ("Precinct One", "Precinct Two", "Precinct Three", "Precinct Four", "Precinct Five")
# How the county configures Party Information (docs/courts/tyler-odyssey.md): Travis heads the attorney column
# `Attorneys`; Hays and Williamson `Lead Attorneys`, write a party without counsel `Pro Se`, and put
# the occupants on the address block's first line.
ATTORNEYS, LEAD_ATTORNEYS = "attorneys", "lead-attorneys"
PARTY_LAYOUTS = (ATTORNEYS, LEAD_ATTORNEYS)
OCCUPANTS = " AND ALL OTHER OCCUPANTS"  # how generated names end (Travis prints it in the name)
OCCUPANTS_LINE = "And All Other Occupants"  # the Lead Attorneys counties' address line
PRO_SE = "Pro Se"


@dataclass(frozen=True, slots=True)
class PartyFacts:
    name: str  # as the register shows it: "Doe, John G." or "Riverside Flats LLC"
    address_lines: tuple[str, ...]  # often only "Austin, TX 78724"; () when none is on file
    attorney: str | None = None

    @property
    def address(self) -> str | None:
        return ", ".join(self.address_lines) if self.address_lines else None

    @property
    def person(self) -> str:
        """The name without the occupants."""
        return self.name.removesuffix(OCCUPANTS)

    @property
    def with_occupants(self) -> bool:
        return self.name.endswith(OCCUPANTS)

    def as_party(self, party_layout: str = ATTORNEYS) -> Party:
        """The party as its register reads in the county's layout."""
        if party_layout != LEAD_ATTORNEYS:
            return Party(name=self.name, address=self.address, attorney=self.attorney)
        name = f"{self.person} {OCCUPANTS_LINE}" if self.with_occupants else self.name
        return Party(name=name, address=self.address, attorney=self.attorney or PRO_SE)


@dataclass(frozen=True, slots=True)
class SettingFacts:
    """A hearing: on the calendar from `set_on`, its result on the register once held."""

    date: dt.date
    time: dt.time
    type: str
    officer: str
    result: str | None
    set_on: dt.date


@dataclass(frozen=True, slots=True)
class DispositionFacts:
    date: dt.date
    name: str  # Default Judgment, Agreed Judgment, Final Judgment, Judgment for Defendant, Dismissed, Non-Suit
    officer: str
    amount: Decimal | None  # "Judgment of $ 1,477.90"
    awarded_to: str | None  # a party's name as shown
    awarded_against: str | None


@dataclass(frozen=True, slots=True)
class EventFacts:
    date: dt.date
    name: str  # the bold event name: "Citation Issued", "Writ of Possession Requested", ...
    detail: str = ""  # what follows it on the row: "Served 01/14/2020", a party's name


@dataclass(frozen=True, slots=True)
class CaseFacts:
    case_id: int  # the portal's internal id in CaseDetail.aspx?CaseID=
    case_number: str
    precinct: int  # 1..5
    filed: dt.date
    case_type: str
    plaintiffs: tuple[PartyFacts, ...]
    defendants: tuple[PartyFacts, ...]
    settings: tuple[SettingFacts, ...]
    events: tuple[EventFacts, ...]  # every other dated event, in date order
    disposition: DispositionFacts | None
    landlord_id: str  # ground truth no page shows
    household_id: str
    assessment: Decimal | None = None  # Financial Information (None: the section is absent)
    paid: Decimal = Decimal("0")

    @property
    def location(self) -> str:
        return PRECINCTS[self.precinct - 1]

    @property
    def style(self) -> str:
        def plain(p: PartyFacts) -> str:
            last, _, first = p.name.partition(", ")
            return f"{first.rstrip('.')} {last}".strip() if first and " AND ALL OTHER" not in p.name else p.name
        tail = " et al" if len(self.defendants) > 1 else ""
        return f"{self.plaintiffs[0].name} vs. {plain(self.defendants[0])}{tail}"

    def settings_as_of(self, today: dt.date) -> tuple[SettingFacts, ...]:
        return tuple(s for s in self.settings if s.set_on <= today)

    def events_as_of(self, today: dt.date) -> tuple[EventFacts, ...]:
        return tuple(e for e in self.events if e.date <= today)

    def disposition_as_of(self, today: dt.date) -> DispositionFacts | None:
        """Entered on the hearing's day, on the register from the day after (with the result)."""
        d = self.disposition
        return d if d is not None and d.date < today else None

    def status_as_of(self, today: dt.date) -> str | None:
        """Ground truth for the pipeline's status, from the generation facts."""
        if self.filed > today:
            return None
        names = [e.name for e in self.events_as_of(today)]
        d = self.disposition_as_of(today)
        if "Appeal Bond" in names or "Appealed to County Court" in names:
            return "appealed"
        if "Writ" in names:
            return "writ_executed"
        if any(n.startswith("Writ of Possession") for n in names):
            return "writ_issued"
        if d is not None:
            return {"Judgment for Defendant": "judgment_defendant", "Dismissed": "dismissed",
                    "Non-Suit": "non_suited"}.get(d.name, "judgment_plaintiff")
        settings = self.settings_as_of(today)
        held = [s for s in settings if s.date < today]
        if not held or held[-1].result != "Reset":
            return "hearing_scheduled"
        # A setting made after the reset (on a hearing day whose result is not posted yet) is the
        # latest event, as in the Virginia court: a hearing is set again.
        return "hearing_scheduled" if any(s.set_on > held[-1].date for s in settings) else "continued"

    def as_of(self, today: dt.date, court_id: str | None = None, party_layout: str = ATTORNEYS) -> CaseRecord | None:
        """The record exactly as the register of actions reads on `today` in the county's party
        layout; None before filing."""
        if self.filed > today:
            return None
        events = self.events_as_of(today)
        disposition = self.disposition_as_of(today)
        writ_issued = next((e.date for e in events if e.name.startswith("Writ of Possession")), None)
        writ_served = next((_served(e.detail) for e in events
                            if e.name == "Writ" and _served(e.detail) is not None), None)
        judgment = None
        if disposition is not None or writ_issued is not None:
            judgment = Judgment(judgment=_judgment_for(self, disposition),
                                principal=disposition.amount if disposition else None,
                                writ_issued_date=writ_issued, writ_executed_date=writ_served)
        appeal = next((e.date for e in events if e.name in ("Appeal Bond", "Appealed to County Court")), None)
        return CaseRecord(
            court=court_id, case_number=self.case_number, matter_key=self.case_number, filed_date=self.filed,
            case_type=self.case_type,
            plaintiffs=tuple(p.as_party(party_layout) for p in self.plaintiffs),
            defendants=tuple(p.as_party(party_layout) for p in self.defendants),
            hearings=tuple(Hearing(date=s.date, time=s.time, result=s.result if s.date < today else None,
                                   type=s.type, courtroom=self.location, judicial_officer=s.officer)
                           for s in self.settings_as_of(today)),
            judgment=judgment,
            appeal=Appeal(appeal_date=appeal) if appeal else None,
        )


def _judgment_for(case: CaseFacts, disposition: DispositionFacts | None) -> str | None:
    if disposition is None:
        return None
    if disposition.awarded_to in {p.name for p in case.plaintiffs}:
        return "Plaintiff"
    if disposition.awarded_to in {p.name for p in case.defendants}:
        return "Defendant"
    return disposition.name


def _served(detail: str) -> dt.date | None:
    words = detail.split()
    if "Served" in words and words.index("Served") + 1 < len(words):
        return dt.datetime.strptime(words[words.index("Served") + 1], "%m/%d/%Y").date()
    return None
