"""The raw page archive's writes: many pages in one transaction, each answer kept once."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import Connection, select, tuple_
from sqlalchemy.dialects import postgresql, sqlite

from pipeline.store import models as m
from scraper.records import RawPage as FetchedPage

_TABLE = m.RawPage.__table__
_KEY = (_TABLE.c.court_id, _TABLE.c.request_key, _TABLE.c.content_hash)


def archive_pages(conn: Connection, pages: Sequence[FetchedPage]) -> list[int]:
    """Each page's row id, in order; the same answer to the same request (court, request key,
    content hash) is kept once, also when two writers archive it at once."""
    keys = [(p.court_id, p.request_key, p.content_hash) for p in pages]
    ids = _ids(conn, set(keys))
    fresh: dict[tuple[str, str, str], FetchedPage] = {}
    for key, page in zip(keys, pages):
        if key not in ids:
            fresh.setdefault(key, page)
    if fresh:
        insert = postgresql.insert if conn.dialect.name == "postgresql" else sqlite.insert
        conn.execute(insert(_TABLE).on_conflict_do_nothing(index_elements=list(_KEY)), [
            {"court_id": court, "url": page.url, "method": page.method, "request_key": request_key,
             "kind": page.kind, "status": page.status, "case_number": page.case_number, "content_hash": digest,
             "body_gz": page.compressed(), "fetched_at": page.fetched_at}
            for (court, request_key, digest), page in fresh.items()])
        ids.update(_ids(conn, set(fresh)))
    return [ids[key] for key in keys]


def _ids(conn: Connection, keys: set[tuple[str, str, str]]) -> dict[tuple[str, str, str], int]:
    """The stored rows of these keys."""
    if not keys:
        return {}
    rows = conn.execute(select(*_KEY, _TABLE.c.id).where(tuple_(*_KEY).in_(sorted(keys))))
    return {(court, request_key, digest): row_id for court, request_key, digest, row_id in rows}
