"""Partners' JSON API tokens and their rate limit: the store keeps a token's hash only, and
counts each token's requests per minute where every server process counts them."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import delete, insert, select, update
from sqlalchemy.dialects import postgresql, sqlite

from pipeline.store import models as m
from pipeline.store.handle import Database
from pipeline.store.rows import utc_now

TOKENS = m.ApiToken.__table__
CALLS = m.ApiCalls.__table__


@dataclass(frozen=True, slots=True)
class ApiToken:
    id: int
    partner: str
    created_at: dt.datetime
    revoked_at: dt.datetime | None
    last_used_at: dt.datetime | None


def _token(row) -> ApiToken:
    return ApiToken(row.id, row.partner, row.created_at, row.revoked_at, row.last_used_at)


def add_token(db: Database, partner: str, token_hash: str, *, now: dt.datetime | None = None) -> ApiToken:
    with db.engine.begin() as conn:
        new_id = conn.execute(insert(TOKENS).values(partner=partner, token_hash=token_hash,
                                                    created_at=now or utc_now())).inserted_primary_key[0]
        return _token(conn.execute(select(TOKENS).where(TOKENS.c.id == new_id)).one())


def all_tokens(db: Database) -> list[ApiToken]:
    with db.engine.connect() as conn:
        return [_token(r) for r in conn.execute(select(TOKENS).order_by(TOKENS.c.id))]


def revoke_token(db: Database, token_id: int, *, now: dt.datetime | None = None) -> bool:
    with db.engine.begin() as conn:
        return conn.execute(update(TOKENS).where(TOKENS.c.id == token_id, TOKENS.c.revoked_at.is_(None))
                            .values(revoked_at=now or utc_now())).rowcount == 1


def live_token(db: Database, token_hash: str) -> ApiToken | None:
    """The token of this hash, unless revoked."""
    with db.engine.connect() as conn:
        row = conn.execute(select(TOKENS).where(TOKENS.c.token_hash == token_hash,
                                                TOKENS.c.revoked_at.is_(None))).first()
    return _token(row) if row is not None else None


def count_call(db: Database, token: ApiToken, now: dt.datetime) -> int:
    """This request counted: how many the token has made in this minute, it included."""
    minute = int(now.timestamp() // 60)
    insert_ = postgresql.insert if db.dialect == "postgresql" else sqlite.insert
    upsert = insert_(CALLS).values(token_id=token.id, minute=minute, count=1)
    upsert = upsert.on_conflict_do_update(index_elements=[CALLS.c.token_id, CALLS.c.minute],
                                          set_={"count": CALLS.c.count + 1}).returning(CALLS.c.count)
    with db.engine.begin() as conn:
        made = conn.execute(upsert).scalar_one()
        conn.execute(update(TOKENS).where(TOKENS.c.id == token.id).values(last_used_at=now))
        conn.execute(delete(CALLS).where(CALLS.c.minute < minute - 60))
    return int(made)
