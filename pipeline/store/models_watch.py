"""Partners' watch lists as the store keeps them: each row only as match keys, and the matches
found with the answers people gave on them (pipeline.linkage decides them)."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import UniqueConstraint
from sqlmodel import Field, SQLModel


class WatchEntry(SQLModel, table=True):
    """One row of a partner's watch list, kept only as match keys: the name as normalized keys
    (never as written), a ZIP code, a case number, and the partner's own row id."""

    __tablename__ = "watch_entries"
    __table_args__ = (UniqueConstraint("partner", "row_id", name="uq_watch_entries_partner_row"),)

    id: int | None = Field(default=None, primary_key=True)
    partner: str = Field(max_length=200, index=True)
    row_id: str = Field(max_length=40)
    last_key: str | None = Field(default=None, max_length=120)
    first_key: str | None = Field(default=None, max_length=120)  # the full given name a nickname stands for
    middle_initial: str | None = Field(default=None, max_length=1)
    nickname: bool = False
    zip5: str | None = Field(default=None, max_length=5)
    case_number: str | None = Field(default=None, max_length=32, index=True)
    court_id: str | None = Field(default=None, max_length=64)  # the case number's court, when the list names it
    street_key: str | None = Field(default=None, max_length=120)  # house number and street name only
    imported_at: dt.datetime


class WatchMatch(SQLModel, table=True):
    """A watch-list row found in a case: proposed once, decided by a person when it is to review.
    A pair rejected stays here (keys and case number only) so that it is never proposed again."""

    __tablename__ = "watch_matches"
    # Ids are what a person answers by (`watch review --no 12`): never reused for another pair.
    __table_args__ = (UniqueConstraint("partner", "row_id", "court_id", "case_number", name="uq_watch_matches_pair"),
                      {"sqlite_autoincrement": True})

    id: int | None = Field(default=None, primary_key=True)
    partner: str = Field(max_length=200, index=True)
    row_id: str = Field(max_length=40)
    court_id: str = Field(max_length=64)
    case_number: str = Field(max_length=32)
    matched_by: str = Field(max_length=16)  # case_number | name_zip | name
    verdict: str = Field(max_length=16)  # confident | to review
    score: float
    reasons: str | None = Field(default=None, max_length=600)  # the evidence in words: "same surname (1 in 900); ..."
    decision: str | None = Field(default=None, max_length=8)  # yes | no, once a person looked
    found_at: dt.datetime
    decided_at: dt.datetime | None = None
