"""Opening the database for a command: its URL checked, its schema brought up, the run lock.

The commands that use the database import this module; `evictwatch --help` and the light
commands never do (SQLAlchemy, the store and the landlords' matching load with it).
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import ArgumentError, NoSuchModuleError

from evictwatch.commands.common import Globals, err, fail, first_line, remember_opened
from pipeline.landlords import LandlordOverrides, OverridesError, load_overrides
from pipeline.store.faults import read_only_database
from pipeline.store.locks import RunLockHeld, run_lock
from pipeline.store.repo import Store


def database_url(g: Globals) -> URL:
    """The database's URL, parsed; exit 2 saying what to write when it is not one."""
    url = g.db_url or g.config().database.url
    try:
        return make_url(url)
    except ArgumentError as exc:
        _not_a_url(g, url, exc)


def _not_a_url(g: Globals, url: str, exc: Exception) -> None:
    where = "--db" if g.db_url else f"database.url in {g.config_path}"
    fail(f"{where} {url!r} is not a database URL this install can open ({first_line(exc)}): write "
         "sqlite:///relative/path.db, sqlite:////absolute/path.db or postgresql+psycopg://user@host/db", code=2)


def opened(g: Globals) -> Store:
    """The database at --db or database.url, opened as it is (its schema not upgraded yet)."""
    database_url(g)  # a path or garbage is said in words, not as SQLAlchemy's traceback
    url = g.db_url or g.config().database.url
    try:
        store = Store.open(url)
    except NoSuchModuleError as exc:
        _not_a_url(g, url, exc)
    remember_opened(store.file)
    return store


def open_store(g: Globals, given: Store | None = None, *, writes: bool = True) -> Store:
    """The database, its schema brought up to date and derived data backfilled. A command
    that writes stops here (exit 2) when the database can only be read."""
    store = given or opened(g)
    if store.read_only:
        if writes:
            fail(read_only_database(store.file), code=2)
        if not store.at_head():
            fail(f"{store.file} is read-only and its schema is older than this release: upgrade it "
                 "where it can be written (`evictwatch db upgrade`), then read it here.", code=2)
    store.upgrade()
    g.courts_listed_in(store)
    if not store.read_only and store.missing_derivations():
        # Only a database an older release stored: the pipeline the rebuild loads is a third of
        # every other command's start-up (0.35 of 1.0 s for `status`, measured).
        from evictwatch.jobs.rebuild import backfill_derivations

        backfill_derivations(store, overrides=overrides(g))
    return store


def existing_store(g: Globals) -> Store:
    """The database a command that only reads needs: it must be there already (a typo in
    --db must not quietly make an empty one and answer from it)."""
    url = database_url(g)
    database = url.database
    if url.get_backend_name() == "sqlite" and database not in (None, "", ":memory:") and not Path(database).exists():
        fail(f"no database at {database}: check --db or database.url in the configuration, or make it with "
             "`evictwatch scrape` (or `evictwatch db upgrade`) first", code=2)
    return open_store(g, writes=False)


def overrides(g: Globals) -> LandlordOverrides:
    """The landlords' merge and separate overrides beside the configuration (none without one)."""
    if not g.config_path.exists():
        return LandlordOverrides.empty()
    try:
        return load_overrides(g.config().overrides_path())
    except OverridesError as exc:
        fail(str(exc), code=2)


@contextmanager
def exclusive(store: Store) -> Iterator[None]:
    """The run lock, for commands that scrape, send or purge: never beside `evictwatch run`.
    Holding it proves no other run is alive: runs and scrapes still marked running are closed."""
    if store.read_only:
        yield  # a process that cannot write the database cannot disturb a run: it only reads
        return
    try:
        with run_lock(store):
            abandoned = store.runlog.abandon_unfinished()
            if abandoned:
                err.print(f"closed {len(abandoned)} run(s) a stopped process left unfinished", highlight=False)
            yield
    except RunLockHeld as exc:
        fail(str(exc), code=3)
