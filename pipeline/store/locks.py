"""One run at a time per database: a file lock beside a SQLite file, an advisory lock in PostgreSQL.

Both are held by the process (an open file, an open connection), so the operating system or
the server lets go when the process dies, however it dies: a killed run never leaves a lock
that blocks the next one. What the killed run left marked "running" in the run log is
closed by the next run that takes the lock.
"""

from __future__ import annotations

import fcntl
import hashlib
import os
import socket
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy import text

from pipeline.store.handle import Database


def pg_lock_key(database: str, schema: str) -> int:
    """The 64-bit pg_try_advisory_lock key of one deployment: its database and schema (an
    advisory lock is the whole server's, so a fixed key would let two deployments in two
    schemas of one database exclude each other)."""
    return int.from_bytes(hashlib.sha256(f"evictwatch run|{database}|{schema}".encode()).digest()[:8], "big",
                          signed=True)


class RunLockHeld(Exception):
    """Another run holds the lock; this one must not start."""


def lock_path(database: Database) -> Path | None:
    """Beside the database file's real path: the same lock whatever link or relative path named it."""
    file = database.file
    if file is None:
        return None
    return Path(file).with_name(Path(file).name + ".lock")


@contextmanager
def run_lock(db: Database) -> Iterator[str]:
    """Holds the run lock for the block; raises RunLockHeld at once if another run has it."""
    if db.dialect == "postgresql":
        with db.engine.connect() as conn:
            database, schema = conn.execute(text("SELECT current_database(), current_schema()")).one()
            key = pg_lock_key(database, schema)
            if not conn.execute(text("SELECT pg_try_advisory_lock(:key)"), {"key": key}).scalar():
                holder = conn.execute(text(  # a bigint key shows as its two 32-bit halves
                    "SELECT a.pid FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid "
                    "WHERE l.locktype = 'advisory' AND l.granted AND l.objsubid = 1 "
                    "AND l.classid::text::bigint = :high AND l.objid::text::bigint = :low LIMIT 1"),
                    {"high": (key >> 32) & 0xFFFFFFFF, "low": key & 0xFFFFFFFF}).first()
                raise RunLockHeld(f"another evictwatch run holds the advisory lock of {database}, schema {schema} "
                                  f"(server process {holder[0] if holder else '?'}); this run did nothing")
            conn.commit()
            try:
                yield f"postgresql advisory lock {key} ({database}, schema {schema})"
            finally:
                conn.execute(text("SELECT pg_advisory_unlock(:key)"), {"key": key})
                conn.commit()
        return
    path = lock_path(db)
    if path is None:  # an in-memory database belongs to this process alone
        yield "in-memory database"
        return
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o600)
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            holder = os.pread(fd, 200, 0).decode("utf-8", "replace").strip() or "unknown"
            raise RunLockHeld(f"another evictwatch run holds {path} ({holder}); this run did nothing") from None
        os.ftruncate(fd, 0)
        os.pwrite(fd, f"pid {os.getpid()} on {socket.gethostname()}\n".encode(), 0)
        try:
            yield str(path)
        finally:
            os.ftruncate(fd, 0)
            fcntl.flock(fd, fcntl.LOCK_UN)
    finally:
        os.close(fd)


@contextmanager
def upgrade_lock(db: Database) -> Iterator[None]:
    """Waits for, then holds, the deployment's schema-upgrade lock in PostgreSQL: workers
    started together on several machines upgrade the schema one after the other. (SQLite's
    one process takes the run lock instead.)"""
    if db.dialect != "postgresql":
        yield
        return
    with db.engine.connect() as conn:
        database, schema = conn.execute(text("SELECT current_database(), current_schema()")).one()
        key = pg_lock_key(database, f"{schema}|upgrade")
        conn.execute(text("SELECT pg_advisory_lock(:key)"), {"key": key})
        conn.commit()
        try:
            yield
        finally:
            conn.execute(text("SELECT pg_advisory_unlock(:key)"), {"key": key})
            conn.commit()
