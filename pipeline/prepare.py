"""Step one of the pipeline: a scraped record, normalized and judged, ready for the store."""

from __future__ import annotations

import datetime as dt
import hashlib
from functools import lru_cache
from zoneinfo import ZoneInfo

from pipeline.landlords import landlord_key
from pipeline.lifecycle import lifecycle
from pipeline.linkage.names import search_fold
from pipeline.normalize import (
    normalize_address,
    normalize_party,
    person_key,
)
from pipeline.store.inputs import PreparedCase, PreparedParty
from scraper.records import CaseRecord
from scraper.vocabulary import Vocabulary


def content_hash(record: CaseRecord) -> str:
    return hashlib.sha256(record.content_json().encode()).hexdigest()


def prepare(record: CaseRecord, today: dt.date, timezone: str, vocabulary: Vocabulary) -> PreparedCase:
    """`timezone` and `vocabulary`: the court's (its adapter's, or its configured zone)."""
    zone = _zone(timezone)
    parties = tuple(
        PreparedParty(role, position, party, norm, normalize_address(party.address), search_fold(norm))
        for role, group in (("plaintiff", record.plaintiffs), ("defendant", record.defendants))
        for position, party in enumerate(group)
        for norm in (normalize_party(party.name, party.dba),)
    )
    plaintiff = next((p for p in parties if p.role == "plaintiff"), None)
    return PreparedCase(
        record=record,
        kind=vocabulary.case_kind(record.case_type),
        content_hash=content_hash(record),
        parties=parties,
        life=lifecycle(record, today, vocabulary),
        hearing_codes=tuple(vocabulary.hearing_result(h.result) for h in record.hearings),
        hearing_starts=tuple(
            dt.datetime.combine(h.date, h.time, tzinfo=zone) if h.time else None for h in record.hearings
        ),
        judgment_code=vocabulary.judgment_for(record.judgment.judgment) if record.judgment else None,
        landlord_name=plaintiff.norm.name if plaintiff else None,
        landlord_key=landlord_key(plaintiff.raw.name) if plaintiff else None,
        household_key=household_key(parties),
    )


def household_key(parties: tuple[PreparedParty, ...]) -> str | None:
    """Who was sued, for linking repeat filings: street + unit where known, else name + ZIP.

    The first defendant who is a person stands for the household (co-tenants are listed
    after the leaseholder), else the first organization; a bare "all other occupants" entry
    names nobody and is skipped.
    """
    defendants = [p for p in parties if p.role == "defendant" and p.norm.kind != "occupants"]
    if not defendants:
        return None
    lead = next((p for p in defendants if p.norm.person is not None), defendants[0])
    address = lead.address
    zip5 = address.zip5 if address and address.zip5 else ""
    if address and address.street:
        return f"ADDR|{address.street}|{address.unit or ''}|{zip5}"
    name = person_key(lead.norm.person) if lead.norm.person else lead.norm.name
    return f"NAME|{name}|{zip5}"


@lru_cache(maxsize=8)
def _zone(name: str) -> ZoneInfo:
    return ZoneInfo(name)
