"""The raw page archive's writes: many pages in one transaction, each answer kept once."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import Connection, select, tuple_
from sqlalchemy.dialects import postgresql, sqlite

from pipeline.store import models as m
from scraper.records import RawPage

_TABLE = m.RawPageRow.__table__
_KEY = (_TABLE.c.court_id, _TABLE.c.request_key, _TABLE.c.content_hash)


def archive_pages(conn: Connection, pages: Sequence[RawPage]) -> list[int]:
    """Each page's row id, in order; the same answer to the same request (court, request key,
    content hash) is kept once, also when two writers archive it at once."""
    keys = [(p.court_id, p.request_key, p.content_hash) for p in pages]
    ids = _ids(conn, set(keys))
    for _ in range(3):
        fresh: dict[tuple[str, str, str], RawPage] = {}
        for key, page in zip(keys, pages):
            if key not in ids:
                fresh.setdefault(key, page)
        if not fresh:
            return [ids[key] for key in keys]
        insert = postgresql.insert if conn.dialect.name == "postgresql" else sqlite.insert
        # In key order: two writers inserting some of the same keys take the index's locks in
        # one order, never each waiting for the other.
        conn.execute(insert(_TABLE).on_conflict_do_nothing(index_elements=list(_KEY)), [
            {"court_id": court, "url": page.url, "method": page.method, "request_key": request_key,
             "kind": page.kind, "status": page.status, "case_number": page.case_number, "content_hash": digest,
             "body_gz": page.compressed(), "fetched_at": page.fetched_at}
            for (court, request_key, digest), page in sorted(fresh.items(), key=lambda kv: kv[0])])
        ids.update(_ids(conn, set(fresh)))  # another writer's row, erased again meanwhile: inserted next round
    raise RuntimeError("archived pages kept disappearing while being archived (erased by another process?)")


def _ids(conn: Connection, keys: set[tuple[str, str, str]]) -> dict[tuple[str, str, str], int]:
    """The stored rows of these keys."""
    if not keys:
        return {}
    rows = conn.execute(select(*_KEY, _TABLE.c.id).where(tuple_(*_KEY).in_(sorted(keys))))
    return {(court, request_key, digest): row_id for court, request_key, digest, row_id in rows}
