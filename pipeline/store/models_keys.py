"""The store's own secrets (migration 0012): made on first use, never written anywhere else."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Column, LargeBinary
from sqlmodel import Field, SQLModel


class StoreKey(SQLModel, table=True):
    """A random key of this store's own. `erased_case_token` keys the hash that stands for an
    erased case's court and number (pipeline/store/erasure/tokens.py) on PostgreSQL, which every
    machine that writes the rows reaches; a SQLite store keeps its key in a file beside the
    database instead, so that the file copied alone says nothing of an expunged case."""

    __tablename__ = "store_keys"

    name: str = Field(primary_key=True, max_length=64)
    secret: bytes = Field(sa_column=Column(LargeBinary, nullable=False))
    created_at: dt.datetime
