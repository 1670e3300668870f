"""A case's whole life, dated in advance, and what of it the portal shows on a given day."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from scraper.records import Appeal, CaseRecord, Garnishment, Hearing, Judgment, Party, Report, Service

UNLAWFUL_DETAINER = "Unlawful Detainer"
# Older pages (before the executed date was added in late 2023) carry only `Writ Issued Date`.
LEGACY_WRIT_LABELS_BEFORE = dt.date(2023, 10, 1)


@dataclass(frozen=True, slots=True)
class PartyFacts:
    name: str
    dba: str | None
    address: str | None
    attorney: str | None


@dataclass(frozen=True, slots=True)
class HearingFacts:
    date: dt.date
    time: dt.time
    type: str
    courtroom: str
    result: str
    set_on: dt.date  # the day the hearing appears on the page


@dataclass(frozen=True, slots=True)
class ServiceFacts:
    person: str
    process_type: str
    issued: dt.date
    served: dt.date | None
    how: str
    plaintiff: str


@dataclass(frozen=True, slots=True)
class ReportFacts:
    report_type: str
    agency: str
    ordered: dt.date
    due: dt.date
    received: dt.date | None


@dataclass(frozen=True, slots=True)
class JudgmentFacts:
    date: dt.date
    judgment: str
    costs: Decimal | None = None
    attorney_fees: Decimal | None = None
    principal: Decimal | None = None
    other_amount: Decimal | None = None
    interest_award: str | None = None
    possession: bool | None = None
    homestead_waived: bool | None = None
    writ_issued: dt.date | None = None
    writ_executed: dt.date | None = None
    fifa_issued: dt.date | None = None
    satisfied_on: dt.date | None = None  # None: never satisfied
    shows_satisfaction: bool = False  # money judgments show `N` until satisfied
    other_awarded: str | None = None
    further_information: str | None = None


@dataclass(frozen=True, slots=True)
class GarnishmentFacts:
    issued: dt.date
    garnishee: str
    address: str
    answer: str
    answer_date: dt.date
    checks: str


@dataclass(frozen=True, slots=True)
class AppealFacts:
    date: dt.date
    by: str


@dataclass(frozen=True, slots=True)
class CaseFacts:
    case_number: str
    filed: dt.date
    case_type: str
    debt_type: str | None
    plaintiffs: tuple[PartyFacts, ...]
    defendants: tuple[PartyFacts, ...]
    hearings: tuple[HearingFacts, ...]
    services: tuple[ServiceFacts, ...]
    # Ground truth that no page shows: the filing entity (`Landlord.id`: every spelling of one
    # landlord shares it) and the household sued (repeat filings against it share it).
    landlord_id: str
    household_id: str
    reports: tuple[ReportFacts, ...] = ()
    judgment: JudgmentFacts | None = None
    garnishment: GarnishmentFacts | None = None
    appeal: AppealFacts | None = None

    @property
    def matter_key(self) -> str:
        return self.case_number[:-3]

    @property
    def legacy_writ_labels(self) -> bool:
        return self.filed < LEGACY_WRIT_LABELS_BEFORE

    def as_of(self, today: dt.date) -> CaseRecord | None:
        """The record exactly as the detail page shows it on `today`; None before filing."""
        if self.filed > today:
            return None
        judgment = _judgment(self.judgment, today, self.legacy_writ_labels)
        party_judgment = judgment.judgment if judgment else None
        return CaseRecord(
            case_number=self.case_number,
            matter_key=self.matter_key,
            filed_date=self.filed,
            case_type=self.case_type,
            debt_type=self.debt_type,
            plaintiffs=tuple(_party(p, party_judgment) for p in self.plaintiffs),
            defendants=tuple(_party(p, party_judgment) for p in self.defendants),
            hearings=tuple(_hearing(h, today) for h in self.hearings if h.set_on <= today),
            services=tuple(_service(s, today) for s in self.services if s.issued <= today),
            reports=tuple(_report(r, today) for r in self.reports if r.ordered <= today),
            judgment=judgment,
            garnishment=_garnishment(self.garnishment, today),
            appeal=Appeal(appeal_date=self.appeal.date, appealed_by=self.appeal.by)
            if self.appeal and self.appeal.date <= today else None,
        )


def _seen(day: dt.date | None, today: dt.date) -> dt.date | None:
    return day if day is not None and day <= today else None


def _party(p: PartyFacts, judgment: str | None) -> Party:
    return Party(name=p.name, dba=p.dba, address=p.address, judgment=judgment, attorney=p.attorney)


def _hearing(h: HearingFacts, today: dt.date) -> Hearing:
    return Hearing(date=h.date, time=h.time, result=h.result if h.date < today else None,
                   type=h.type, courtroom=h.courtroom)


def _service(s: ServiceFacts, today: dt.date) -> Service:
    served = _seen(s.served, today)
    return Service(person_served=s.person, process_type=s.process_type, date_issued=s.issued,
                   date_served=served, plaintiff=s.plaintiff, how_served=s.how if served else None)


def _report(r: ReportFacts, today: dt.date) -> Report:
    return Report(report_type=r.report_type, reporting_agency=r.agency, date_ordered=r.ordered,
                  date_due=r.due, date_received=_seen(r.received, today))


def _judgment(j: JudgmentFacts | None, today: dt.date, legacy: bool) -> Judgment | None:
    if j is None or j.date > today:
        return None
    satisfied_on = _seen(j.satisfied_on, today)
    return Judgment(
        judgment=j.judgment, costs=j.costs, attorney_fees=j.attorney_fees, principal=j.principal,
        other_amount=j.other_amount, interest_award=j.interest_award, possession=j.possession,
        writ_issued_date=_seen(j.writ_issued, today),
        writ_executed_date=None if legacy else _seen(j.writ_executed, today),
        homestead_exemption_waived=j.homestead_waived, fifa_issued_date=_seen(j.fifa_issued, today),
        satisfied=(satisfied_on is not None) if j.shows_satisfaction else None,
        satisfaction_filed_date=satisfied_on, other_awarded=j.other_awarded,
        further_case_information=j.further_information,
    )


def _garnishment(g: GarnishmentFacts | None, today: dt.date) -> Garnishment | None:
    if g is None or g.issued > today:
        return None
    answered = g.answer_date <= today
    return Garnishment(garnishee=g.garnishee, address=g.address,
                       garnishee_answer=g.answer if answered else None,
                       answer_date=g.answer_date if answered else None,
                       number_of_checks_received=g.checks if answered else None)
