"""What stands for an erased case's court and number: a keyed hash, never the number.

An erased case keeps its anonymous figures under this token (in `cases.case_number` and
`matter_key`), whether the law erased it before evictwatch first saw it or later. A portal slow
to drop an expunged case lists it again: the same token then says its figures are counted
already. Case numbers are few enough to try every one, so the hash is keyed: without the
key a token says nothing. A SQLite store keeps its key in a 0600 file beside the database file,
not in it: the database copied alone (a backup, a file shared to debug) cannot be searched for an
expunged case's number. PostgreSQL keeps it in the `store_keys` table, which every machine that
writes the rows reaches (and a dump of the server is the server's to protect).
"""

from __future__ import annotations

import hashlib
import hmac
import os
import secrets
import tempfile
from collections.abc import Iterable, Mapping
from pathlib import Path

from sqlalchemy import Connection, select

from pipeline.store import db
from pipeline.store.handle import Database
from pipeline.store.keys import store_secret
from pipeline.store.rows import CASES

ERASED_CASE_KEY = "erased_case_token"
PREFIX = "erased:"
_HEX_DIGITS = 24  # 96 bits: no two cases of a court meet; PREFIX and these fit cases.case_number (32)


class ErasureKeyMissing(RuntimeError):
    """The key file beside a SQLite store is gone while rows keyed by it remain."""


def the_erasure_key(database: Database) -> bytes:
    """The store's key for erased cases' tokens (see `erasure_key`)."""
    with database.engine.begin() as conn:
        return erasure_key(conn)


def numbers_present(database: Database, wanted: Mapping[str, Iterable[str]]) -> dict[str, set[str]]:
    """For each court, which of its wanted case numbers (or tokens) it has a row under."""
    with database.engine.connect() as conn:
        return {court: stored_numbers(conn, court, numbers) for court, numbers in wanted.items()}


def erasure_key(conn: Connection) -> bytes:
    """The store's key for erased cases' tokens, made on first use (by whichever writer comes
    first: the others read it)."""
    beside = db.database_file(conn.engine)
    if beside is not None:
        path = Path(beside + ".erasure-key")
        if not path.exists() and conn.execute(select(CASES.c.id).where(
                CASES.c.case_number.startswith(PREFIX)).limit(1)).first() is not None:
            # A new key would not know the cases erased under the old one: seen again on a slow
            # portal, each would be counted twice.
            raise ErasureKeyMissing(f"{path} is missing, but the database holds cases erased under it: restore the "
                                    "file from where the database is backed up (it is made once, beside the database, "
                                    "and must move with it)")
        return _key_file(path)
    return store_secret(conn, ERASED_CASE_KEY)


def _key_file(path: Path) -> bytes:
    if not path.exists():
        # Written whole under another name, then linked into place: a writer racing this one
        # either makes the key or reads the one made, never half of it.
        fd, partial = tempfile.mkstemp(dir=path.parent, prefix=".erasure-key-")  # 0600
        try:
            with os.fdopen(fd, "wb") as out:
                out.write(secrets.token_bytes(32))
                out.flush()
                os.fsync(out.fileno())
            try:
                os.link(partial, path)
            except FileExistsError:
                pass
        finally:
            os.unlink(partial)
    key = path.read_bytes()
    if len(key) != 32:
        raise RuntimeError(f"{path} holds no key of 32 bytes: it was damaged. Restore it from where the database "
                           "is backed up (without it, cases erased before cannot be recognised when seen again)")
    return key


def erased_token(key: bytes, court: str, case_number: str) -> str:
    digest = hmac.new(key, f"{court}\n{case_number.strip().upper()}".encode("utf-8"), hashlib.sha256).hexdigest()
    return PREFIX + digest[:_HEX_DIGITS]


def stored_numbers(conn: Connection, court: str, numbers: Iterable[str]) -> set[str]:
    """Which of these case numbers (or tokens) the court has a row under."""
    wanted = sorted(set(numbers))
    found: set[str] = set()
    for start in range(0, len(wanted), 500):
        found.update(conn.execute(select(CASES.c.case_number).where(
            CASES.c.court_id == court, CASES.c.case_number.in_(wanted[start:start + 500]))).scalars())
    return found
