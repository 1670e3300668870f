"""The courts a portal lists (migration 0020): what a court entry with `all: true` scrapes."""

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
