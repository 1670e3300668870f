"""What the store is given to write: the shapes the pipeline's stages fill.

The store sits below every other stage, so the values it takes in are defined here and the
stages that make them (`pipeline.normalize`, `pipeline.lifecycle`, `pipeline.prepare`,
`pipeline.landlords`) import them from here. Nothing in this module computes anything.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from scraper.records import CaseRecord, Party
from scraper.vocabulary import CaseKind


@dataclass(frozen=True, slots=True)
class PersonName:
    last: str
    first: str | None
    middle: str | None
    suffix: str | None


@dataclass(frozen=True, slots=True)
class NormalizedParty:
    raw: str  # the name exactly as given
    kind: str  # "person" | "organization" | "occupants"
    name: str  # cleaned display name, upper case
    person: PersonName | None
    dba: str | None
    care_of: str | None
    all_occupants: bool


@dataclass(frozen=True, slots=True)
class NormalizedAddress:
    raw: str
    street: str | None
    unit: str | None
    city: str | None
    state: str | None
    zip5: str | None


@dataclass(frozen=True, slots=True)
class Lifecycle:
    status: str
    closed: bool
    continuances: int
    first_hearing_default: bool | None  # None until the first hearing has a result
    any_default: bool
    days_to_first_hearing: int | None
    judgment_date: dt.date | None
    days_judgment_to_writ: int | None
    next_hearing: dt.date | None  # the next hearing not yet heard, on or after today
    unknown_values: tuple[str, ...]  # raw results / judgment values outside the vocabulary
    hearing_after_judgment: bool = False  # a hearing dated after the judgment (a motion to set it aside)

    def flags(self) -> dict[str, object]:
        return {
            "continuances": self.continuances,
            "first_hearing_default": self.first_hearing_default,
            "days_to_first_hearing": self.days_to_first_hearing,
            "days_judgment_to_writ": self.days_judgment_to_writ,
            "hearing_after_judgment": self.hearing_after_judgment,
        }


@dataclass(frozen=True, slots=True)
class PreparedParty:
    role: str  # plaintiff | defendant
    position: int
    raw: Party
    norm: NormalizedParty
    address: NormalizedAddress | None
    folded: tuple[str, str] | None = None  # a person's (last, first) name as the workspace's search folds it


@dataclass(frozen=True, slots=True)
class PreparedCase:
    record: CaseRecord
    kind: CaseKind  # what the court system says the case is, from its Case Type
    content_hash: str
    parties: tuple[PreparedParty, ...]
    life: Lifecycle
    hearing_codes: tuple[str, ...]
    hearing_starts: tuple[dt.datetime | None, ...]  # aware, in the court's time zone
    judgment_code: str | None
    landlord_name: str | None  # the first plaintiff as filed
    landlord_key: str | None
    household_key: str | None


@dataclass(frozen=True)
class LandlordGroup:
    landlord_id: str
    canonical_name: str
    key: str
    aliases: tuple[str, ...]
    keys: tuple[str, ...]
    case_count: int
