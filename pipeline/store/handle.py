"""A database as everything above the store holds it: opened by URL, upgraded, kept clean.

The SQLAlchemy engine inside stays inside `pipeline.store`: the stages, the jobs, the commands
and the workspace hold a `Database` (in practice its subclass `Store`) and call the store's
functions with it, so no SQL and no connection handling is written anywhere else.
"""

from __future__ import annotations

from sqlalchemy import Engine

from pipeline.store import db


class Database:
    def __init__(self, engine: Engine) -> None:
        self.engine = engine

    @classmethod
    def open(cls, url: str, *, wait_for_flush: bool = True):
        """The process's database at `url` (see `db.make_engine`; `wait_for_flush=False` for
        writes a re-run repeats anyway, on PostgreSQL)."""
        return cls(db.make_engine(url, wait_for_flush=wait_for_flush))

    @property
    def url(self) -> str:
        """The URL with its password: for the processes and connections that share this
        database (the shared rate limiter, the queue's workers)."""
        return self.engine.url.render_as_string(hide_password=False)

    @property
    def shown_url(self) -> str:
        """The URL as a person may read it (no password)."""
        return self.engine.url.render_as_string()

    @property
    def dialect(self) -> str:
        return self.engine.dialect.name

    @property
    def named_file(self) -> str | None:
        """A SQLite file as its URL names it (a relative path stays relative; None: PostgreSQL or memory)."""
        return self.engine.url.database if self.dialect == "sqlite" else None

    @property
    def file(self) -> str | None:
        """The real path of a SQLite file (None: PostgreSQL, or an in-memory database)."""
        return db.database_file(self.engine)

    @property
    def read_only(self) -> bool:
        """Opened read-only (a SQLite file this process cannot write)."""
        return db.is_read_only(self.engine)

    def at_head(self) -> bool:
        return db.at_head(self.engine)

    def revision(self) -> str | None:
        return db.current_revision(self.engine)

    def upgrade(self, revision: str = "head") -> None:
        db.upgrade(self.engine, revision)

    def scrub(self) -> bool:
        """SQLite, after tenant data was removed: rebuild the file and empty the WAL."""
        return db.scrub(self.engine)

    def checkpoint(self, attempts: int = 5) -> bool:
        return db.checkpoint(self.engine, attempts)

    def close(self) -> None:
        """Let go of the connections (a command that opened the database only to look at it)."""
        self.engine.dispose()
