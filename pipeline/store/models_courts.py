"""The courts a portal lists, and the work a host's budget deferred (migration 0020)."""

from __future__ import annotations

import datetime as dt

from sqlmodel import Field, SQLModel


class ListedCourt(SQLModel, table=True):
    """A court as a portal's list showed it to one `all: true` court entry. Kept when the portal
    stops listing it (its cases stay in the store); only the latest listing is scraped."""

    __tablename__ = "listed_courts"

    entry_id: str = Field(primary_key=True, max_length=64)  # the court entry's id in config.yaml
    code: str = Field(primary_key=True, max_length=16)  # the portal's own court code
    name: str = Field(max_length=200)
    first_listed: dt.date
    last_listed: dt.date


class DeferredWork(SQLModel, table=True):
    """A hearing date to walk or a case to open that a run's host budget left for a later run
    (pipeline.hostplan): kept with the day it first became due, so it goes first in its kind."""

    __tablename__ = "deferred_work"

    court_id: str = Field(primary_key=True, max_length=64)
    key: str = Field(primary_key=True, max_length=32)  # a hearing date (ISO) or a case number
    kind: str = Field(max_length=8)  # "day" | "case"
    worth: int  # pipeline.hostplan.Worth
    cost: int
    due_since: dt.date
    reason: str | None = Field(default=None, max_length=64)  # a case's: why it is looked at again
