from __future__ import annotations

import datetime as dt
import os
import uuid
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text

from pipeline.store import db
from pipeline.store.repo import Store

# scripts/test sets this; the default is the local cluster's trust login on this kind of machine.
PG_URL = os.environ.get("EVICTWATCH_TEST_PG_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test")
SIM_TODAY = dt.date(2026, 11, 27)


@pytest.fixture(autouse=True)
def _restore_logging():
    """CLI tests install evictwatch's log handler on a stream that closes after the call."""
    import logging

    root = logging.getLogger()
    handlers, level = list(root.handlers), root.level
    yield
    for handler in [h for h in root.handlers if h not in handlers]:
        root.removeHandler(handler)
    root.setLevel(level)


@pytest.fixture
def sqlite_url(tmp_path: Path) -> str:
    return f"sqlite:///{tmp_path / 'evictwatch.db'}"


@pytest.fixture
def store(sqlite_url: str) -> Store:
    engine = db.make_engine(sqlite_url)
    db.upgrade(engine)
    return Store(engine)


@pytest.fixture
def pg_url():
    """A private schema in the local PostgreSQL's `test` database, dropped afterwards."""
    schema = f"ew_{uuid.uuid4().hex[:12]}"
    admin = create_engine(PG_URL)
    try:
        with admin.begin() as conn:
            conn.execute(text(f'CREATE SCHEMA "{schema}"'))
    except Exception as exc:  # noqa: BLE001
        pytest.fail(f"PostgreSQL on 127.0.0.1:5432 is required (bash scripts/test sets it up): {exc}")
    yield f"{PG_URL}?options=-csearch_path%3D{schema}"
    with admin.begin() as conn:
        conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
    admin.dispose()
