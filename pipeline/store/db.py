"""Engine creation and schema upgrades; SQLite by default, PostgreSQL by URL."""

from __future__ import annotations

import logging
import os
import time
from pathlib import Path

from sqlalchemy import Engine, create_engine, event, inspect, text
from sqlalchemy.engine import make_url

import migrations

log = logging.getLogger("evictwatch.store.db")


def make_engine(url: str, *, wait_for_flush: bool = True) -> Engine:
    """`wait_for_flush=False` (PostgreSQL): commits return before the server has flushed them to
    disk (synchronous_commit off) — for writes a re-run repeats anyway (a scrape's pages and
    cases), never for the delivery log."""
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        database = parsed.database
        if database and database != ":memory:":
            folder = Path(database).parent
            if str(folder) not in ("", "."):
                folder.mkdir(parents=True, exist_ok=True)
            # Tenant data: the file is the owner's alone (SQLite gives its -wal and -shm files
            # the same permissions).
            os.close(os.open(database, os.O_RDWR | os.O_CREAT, 0o600))
            try:
                os.chmod(database, 0o600)  # a file made by an older release, too
            except PermissionError:
                pass  # not ours to change: the operator's choice
        # hide_parameters: a database error's text never carries the values it was given (names).
        engine = create_engine(url, connect_args={"timeout": 30}, hide_parameters=True)
        event.listen(engine, "connect", _sqlite_pragmas)
        return engine
    engine = create_engine(url, pool_pre_ping=True, hide_parameters=True)
    if not wait_for_flush:
        event.listen(engine, "connect", _no_flush_wait)
    return engine


def _no_flush_wait(dbapi_connection, _record) -> None:
    with dbapi_connection.cursor() as cursor:
        cursor.execute("SET synchronous_commit TO off")
    dbapi_connection.commit()


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
    from sqlalchemy.exc import OperationalError

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
