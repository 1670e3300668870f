"""Typed records that court adapters hand to the pipeline.

Strings are kept as shown on the court's page (trimmed); dates, times, money and
yes/no values are typed. `None` always means "not on the page" or "not known yet",
never zero.
"""

from __future__ import annotations

import datetime as dt
import gzip
import hashlib
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from pydantic import BaseModel, ConfigDict, Field


class _Record(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class Party(_Record):
    name: str
    dba: str | None = None
    address: str | None = None
    judgment: str | None = None
    attorney: str | None = None


class Hearing(_Record):
    date: dt.date
    time: dt.time | None = None
    result: str | None = None
    type: str | None = None
    courtroom: str | None = None
    # Where the court shows it (Odyssey); left out of the canonical JSON when absent, so the
    # content hash of a record from a portal without it did not change when it was added.
    judicial_officer: str | None = Field(default=None, exclude_if=lambda v: v is None)


class Service(_Record):
    person_served: str | None = None
    process_type: str | None = None
    date_issued: dt.date | None = None
    date_served: dt.date | None = None
    plaintiff: str | None = None
    how_served: str | None = None


class Report(_Record):
    report_type: str | None = None
    reporting_agency: str | None = None
    date_ordered: dt.date | None = None
    date_due: dt.date | None = None
    date_received: dt.date | None = None


class Judgment(_Record):
    judgment: str | None = None
    costs: Decimal | None = None
    attorney_fees: Decimal | None = None
    principal: Decimal | None = None
    other_amount: Decimal | None = None
    interest_award: str | None = None
    possession: bool | None = None
    writ_issued_date: dt.date | None = None
    writ_executed_date: dt.date | None = None
    homestead_exemption_waived: bool | None = None
    fifa_issued_date: dt.date | None = None
    satisfied: bool | None = None
    satisfaction_filed_date: dt.date | None = None
    other_awarded: str | None = None
    further_case_information: str | None = None


class Garnishment(_Record):
    garnishee: str | None = None
    address: str | None = None
    garnishee_answer: str | None = None
    answer_date: dt.date | None = None
    number_of_checks_received: str | None = None


class Appeal(_Record):
    appeal_date: dt.date | None = None
    appealed_by: str | None = None


class CaseRecord(_Record):
    """One court case as read from its detail page."""

    court: str | None = None  # the config id; None when parsed outside a configured court
    case_number: str
    matter_key: str  # numbers sharing it are the same matter (Virginia: number without -NN)
    filed_date: dt.date
    case_type: str
    debt_type: str | None = None
    plaintiffs: tuple[Party, ...] = ()
    defendants: tuple[Party, ...] = ()
    hearings: tuple[Hearing, ...] = ()
    services: tuple[Service, ...] = ()
    reports: tuple[Report, ...] = ()
    judgment: Judgment | None = None
    garnishment: Garnishment | None = None
    appeal: Appeal | None = None
    # Sections and labels the parser did not know; ignored, but counted so drift shows.
    unknown_fields: tuple[str, ...] = Field(default=(), exclude=True)

    def export_dict(self) -> dict[str, Any]:
        """The documented export schema (`evictwatch export cases`, `evictwatch parse`)."""
        j = self.judgment
        return {
            "court": self.court,
            "case_number": self.case_number,
            "filed_date": _iso(self.filed_date),
            "case_type": self.case_type,
            "plaintiffs": [_party(p) for p in self.plaintiffs],
            "defendants": [_party(p) for p in self.defendants],
            "hearings": [
                {
                    "date": _iso(h.date),
                    "time": h.time.strftime("%H:%M") if h.time else None,
                    "result": h.result,
                    "type": h.type,
                    "courtroom": h.courtroom,
                    "judicial_officer": h.judicial_officer,
                }
                for h in self.hearings
            ],
            "judgment": None
            if j is None
            else {
                "judgment": j.judgment,
                "principal": _money(j.principal),
                "costs": _money(j.costs),
                "attorney_fees": _money(j.attorney_fees),
                "possession": j.possession,
                "writ_issued_date": _iso(j.writ_issued_date),
                "writ_executed_date": _iso(j.writ_executed_date),
                "satisfied": j.satisfied,
            },
            "appeal": None if self.appeal is None else {"appeal_date": _iso(self.appeal.appeal_date),
                                                        "appealed_by": self.appeal.appealed_by},
        }

    def content_json(self) -> str:
        """Canonical JSON of everything read from the page, for change detection (fields in
        their declared order, so the same record always gives the same text)."""
        return self.model_dump_json()


def _iso(value: dt.date | None) -> str | None:
    return value.isoformat() if value else None


def _money(value: Decimal | None) -> str | None:
    return None if value is None else f"{value:.2f}"


def _party(p: Party) -> dict[str, str | None]:
    return {"name": p.name, "address": p.address, "attorney": p.attorney}


@dataclass(frozen=True)
class RawPage:
    """A fetched page, archived so records can be rebuilt without refetching."""

    court_id: str
    url: str
    method: str
    request_key: str  # what was asked (e.g. hearing date and page number), no personal data
    kind: str
    fetched_at: dt.datetime  # UTC
    status: int
    body: bytes
    case_number: str | None = None

    @property
    def content_hash(self) -> str:
        return hashlib.sha256(self.body).hexdigest()

    def compressed(self) -> bytes:
        return gzip.compress(self.body, compresslevel=6, mtime=0)
