"""Engine creation and schema upgrades; SQLite by default, PostgreSQL by URL."""

from __future__ import annotations

import logging
import os
import sqlite3
import threading
import time
import weakref
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote

from sqlalchemy import Engine, create_engine, event, inspect, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import OperationalError
from sqlalchemy.pool import QueuePool

import migrations

log = logging.getLogger("evictwatch.store.db")


# The process's engines, by database: one engine (one pool, one set of SQLite connections) per
# database while anything in the process holds it.
_engines: weakref.WeakValueDictionary[tuple, Engine] = weakref.WeakValueDictionary()
_engines_lock = threading.Lock()
BUSY_TIMEOUT_S = 30.0


def _forget_engines_in_child() -> None:
    """A forked child's engines are its parent's connections: it makes its own."""
    global _engines_lock
    for engine in list(_engines.values()):
        engine.dispose(close=False)
    _engines.clear()
    _engines_lock = threading.Lock()


os.register_at_fork(after_in_child=_forget_engines_in_child)


def make_engine(url: str, *, wait_for_flush: bool = True) -> Engine:
    """The process's engine for the database at `url`: made on first use, the same one while
    anything holds it (the scheduler and the worker hold theirs for their whole life).

    A SQLite file is never opened behind SQLite's back: closing any descriptor of a file drops
    every POSIX lock the process holds on it, SQLite's included, and another process would then
    believe it is alone and delete the write-ahead log still being written here. The file is
    made with its private mode only when it is not there yet (no connection can hold a lock on a
    file that did not exist), and its mode is set by path.

    A SQLite file this process cannot write (a read-only mount or file) is opened read-only:
    commands that only read work; a write raises `sqlite3.OperationalError` (readonly database).

    `wait_for_flush=False` (PostgreSQL): commits return before the server has flushed them to
    disk (synchronous_commit off) — for writes a re-run repeats anyway (a scrape's pages and
    cases), never for the delivery log."""
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        database = parsed.database
        if database and database.startswith("file:"):
            raise ValueError(f"{url}: give the SQLite database as sqlite:///PATH, not a file: URI (the run lock "
                             "and the file's private mode need its path)")
        if not database or database == ":memory:":
            return _sqlite_engine(url, None, read_only=False)  # each in-memory database is its own
        path = _private_file(database)
        read_only = not _writable(path)
        identity = os.stat(path)
        # The path with the inode: a file deleted and made again may reuse its inode. The busy
        # timeout does not make another database.
        options = tuple(sorted((k, v) for k, v in parsed.query.items() if k != "timeout"))
        key: tuple = ("sqlite", path, identity.st_dev, identity.st_ino, read_only, options)
        return _shared(key, lambda: _sqlite_engine(url, path, read_only=read_only))
    key = (parsed.render_as_string(hide_password=False), wait_for_flush)
    return _shared(key, lambda: _server_engine(url, wait_for_flush))


def _shared(key: tuple, make: Callable[[], Engine]) -> Engine:
    with _engines_lock:
        engine = _engines.get(key)
        if engine is None:
            engine = make()
            _engines[key] = engine
        return engine


def _private_file(database: str) -> str:
    """The database file's real path, the file made 0600 (tenant data; SQLite gives its -wal and
    -shm files the same mode) if it was not there."""
    folder = Path(database).parent
    if str(folder) not in ("", ".") and not folder.exists():
        folder.mkdir(mode=0o700, parents=True, exist_ok=True)
        os.chmod(folder, 0o700)  # the database's folder holds tenant data (mkdir's mode passes the umask)
    try:
        os.close(os.open(database, os.O_RDWR | os.O_CREAT | os.O_EXCL, 0o600))
    except FileExistsError:
        pass
    path = os.path.realpath(database)
    try:
        if os.stat(path).st_mode & 0o077:
            os.chmod(path, 0o600)  # a file made by an older release, too
    except OSError:
        pass  # not ours to change, or a read-only file system: the operator's choice
    return path


def _writable(path: str) -> bool:
    """Whether this process may write the file and the folder its WAL and shared memory go into."""
    try:
        if os.statvfs(path).f_flag & os.ST_RDONLY:
            return False
    except OSError:
        return True
    return os.access(path, os.W_OK) and os.access(os.path.dirname(path), os.W_OK | os.X_OK)


def _sqlite_engine(url: str, path: str | None, *, read_only: bool) -> Engine:
    parsed = make_url(url)
    timeout = float(parsed.query.get("timeout", BUSY_TIMEOUT_S))  # type: ignore[arg-type]
    # hide_parameters: a database error's text never carries the values it was given (names).
    if read_only and path is not None:
        engine = create_engine("sqlite://", poolclass=QueuePool, hide_parameters=True,
                               creator=lambda: _read_only_connection(path, timeout))
    else:
        engine = create_engine(url, connect_args={"timeout": timeout}, hide_parameters=True)
    event.listen(engine, "connect", _sqlite_read_pragmas if read_only else _sqlite_pragmas)
    if path is not None:
        _files[engine] = _DatabaseFile(path, read_only)
    return engine


def _read_only_connection(path: str, timeout: float) -> sqlite3.Connection:
    """A connection that never writes. A read-only mount keeps no -shm for readers to share:
    SQLite reads the file as unchanging there (immutable), which it is, unless a write-ahead log
    was left beside it (it is read through the log then, which needs its -shm too)."""
    unchanging = os.statvfs(path).f_flag & os.ST_RDONLY and not os.path.exists(path + "-wal")
    return sqlite3.connect(f"file:{quote(path)}?mode=ro" + ("&immutable=1" if unchanging else ""), uri=True,
                           timeout=timeout, check_same_thread=False)


def _server_engine(url: str, wait_for_flush: bool) -> Engine:
    engine = create_engine(url, pool_pre_ping=True, hide_parameters=True)
    if not wait_for_flush:
        event.listen(engine, "connect", _no_flush_wait)
    return engine


@dataclass(frozen=True)
class _DatabaseFile:
    path: str  # the real path: the same file whatever link or relative path named it
    read_only: bool


_files: weakref.WeakKeyDictionary[Engine, _DatabaseFile] = weakref.WeakKeyDictionary()


def database_file(engine: Engine) -> str | None:
    """The real path of a SQLite engine's file (None: PostgreSQL, or an in-memory database)."""
    known = _files.get(engine)
    return known.path if known is not None else None


def is_read_only(engine: Engine) -> bool:
    """Whether the engine was opened read-only (a SQLite file this process cannot write)."""
    known = _files.get(engine)
    return known is not None and known.read_only


def _no_flush_wait(dbapi_connection, _record) -> None:
    with dbapi_connection.cursor() as cursor:
        cursor.execute("SET synchronous_commit TO off")
    dbapi_connection.commit()


def _sqlite_read_pragmas(dbapi_connection, _record) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA cache_size=-32768")
    cursor.close()


def _sqlite_pragmas(dbapi_connection, _record) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    # What is deleted is overwritten: a tenant's name removed by retention or expungement must
    # not linger in the file's free pages.
    cursor.execute("PRAGMA secure_delete=ON")
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.execute("PRAGMA cache_size=-32768")  # 32 MiB: bulk upserts touch many index pages
    cursor.execute("PRAGMA wal_autocheckpoint=4000")  # fewer, larger checkpoints during bulk writes
    cursor.execute("PRAGMA temp_store=MEMORY")
    cursor.close()


# Alembic (its import and its scripts: ~0.5 s) loads only when a schema is behind: every
# command upgrades, and at the head that is one query (`upgrade`, `at_head`).


def alembic_config(url: str):
    from alembic.config import Config

    cfg = Config()
    cfg.set_main_option("script_location", os.path.dirname(migrations.__file__))
    cfg.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    return cfg


def upgrade(engine: Engine, revision: str = "head") -> None:
    """Bring the schema up to `revision`; safe to call on every start."""
    if revision == "head" and at_head(engine):
        return  # every command upgrades: one query, not Alembic's import and scripts (~0.5 s)
    from alembic import command

    cfg = alembic_config(engine.url.render_as_string(hide_password=False))
    sqlite = engine.dialect.name == "sqlite"
    with engine.connect() as connection:
        if sqlite:
            # A migration that rebuilds a table must not cascade-delete its children.
            connection.exec_driver_sql("PRAGMA foreign_keys=OFF")
            connection.commit()
        try:
            with connection.begin():
                if sqlite:
                    # Python's sqlite3 opens no transaction for DDL: without this BEGIN each
                    # statement commits alone, and a process killed mid-upgrade leaves a half-made
                    # schema that the next upgrade cannot finish.
                    connection.exec_driver_sql("BEGIN")
                cfg.attributes["connection"] = connection
                command.upgrade(cfg, revision)
        finally:
            if sqlite:
                connection.exec_driver_sql("PRAGMA foreign_keys=ON")
                connection.commit()


def at_head(engine: Engine) -> bool:
    """Whether the schema is at the newest migration (its version row is written in the same
    transaction as the migration's changes)."""
    with engine.connect() as connection:
        if not inspect(connection).has_table("alembic_version"):
            return False
        return connection.execute(text("SELECT version_num FROM alembic_version")).scalars().all() == [
            migrations.HEAD_REVISION]


def current_revision(engine: Engine) -> str | None:
    from alembic.runtime.migration import MigrationContext

    with engine.connect() as connection:
        return MigrationContext.configure(connection).get_current_revision()


def head_revision() -> str:
    from alembic.script import ScriptDirectory

    return ScriptDirectory.from_config(alembic_config("sqlite://")).get_current_head()


def scrub(engine: Engine) -> bool:
    """SQLite, after tenant data was deleted or overwritten: rebuild the file (VACUUM) and empty
    the WAL, so none of it is left in either. `secure_delete` zeroes the cell it deletes, but a
    page rebuilt when its b-tree was rebalanced keeps stale copies of cells in its free space (a
    case number in an index page, measured), and only a rebuild of the file clears those.
    False when it could not (the next scrub tries again): a writer held the file past the busy
    timeout, or the disk had no room for the rebuild; what was deleted stays deleted."""
    if engine.dialect.name != "sqlite":
        return True
    try:
        with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
            conn.exec_driver_sql("VACUUM")
    except OperationalError as exc:
        log.warning("the database file could not be rebuilt after tenant data was removed (%s): stale copies may "
                    "stay in its free space until the next removal", exc.orig)
        return False
    return checkpoint(engine)


def checkpoint(engine: Engine, attempts: int = 5) -> bool:
    """SQLite: fold the WAL into the file and empty it, so old pages are not left in it.
    False when a reader kept it from finishing."""
    if engine.dialect.name != "sqlite":
        return True
    for attempt in range(attempts):
        with engine.connect() as conn:
            busy = conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)").first()[0]
        if not busy:
            return True
        time.sleep(0.2 * (attempt + 1))
    log.warning("the WAL could not be emptied after tenant data was removed: a reader holds it; the next "
                "removal tries again")
    return False
