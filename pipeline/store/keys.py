"""The store's own random keys (`store_keys`, migration 0012): made on first use by whichever
writer comes first, read by the others."""

from __future__ import annotations

import secrets

from sqlalchemy import Connection, select
from sqlalchemy.dialects import postgresql, sqlite

from pipeline.store import models as m
from pipeline.store.rows import utc_now

KEYS = m.StoreKey.__table__


def store_secret(conn: Connection, name: str) -> bytes:
    """The key named `name`, made now (32 random bytes) if there is none yet."""
    found = conn.execute(select(KEYS.c.secret).where(KEYS.c.name == name)).scalar()
    if found is None:
        insert = postgresql.insert if conn.dialect.name == "postgresql" else sqlite.insert
        conn.execute(insert(KEYS).values(name=name, secret=secrets.token_bytes(32), created_at=utc_now())
                     .on_conflict_do_nothing(index_elements=[KEYS.c.name]))
        found = conn.execute(select(KEYS.c.secret).where(KEYS.c.name == name)).scalar_one()
    return bytes(found)
