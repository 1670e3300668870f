"""What partners did to reach the tenants of a case (migration 0018): each attempt, by whom.

Named contact attempts, not "outreach": the weekly list is the outreach list in the code."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Index, UniqueConstraint
from sqlmodel import Field, SQLModel


class ContactAttempt(SQLModel, table=True):
    """One attempt to reach a case's tenants: a letter, a call, a knock. Personal data: the
    partner's own, erased with the case."""

    __tablename__ = "contact_attempts"
    __table_args__ = (
        # The same attempt recorded twice (a spreadsheet imported again) is one attempt.
        UniqueConstraint("partner", "court_id", "case_number", "contacted_on", "method", "result",
                         name="uq_contact_attempts_once"),
        Index("ix_contact_attempts_case", "court_id", "case_number"),
        {"sqlite_autoincrement": True},
    )

    id: int | None = Field(default=None, primary_key=True)
    partner: str = Field(max_length=200)
    court_id: str = Field(max_length=64)
    case_number: str = Field(max_length=32)
    contacted_on: dt.date
    method: str = Field(max_length=16)  # pipeline.store.contacts.Method
    result: str = Field(max_length=32)  # pipeline.store.contacts.Result
    note: str | None = Field(default=None, max_length=1000)
    recorded_by: str = Field(max_length=254)  # a workspace user's e-mail, or "command" / "import: FILE"
    recorded_at: dt.datetime
