from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlmodel import SQLModel

from pipeline.store import db
from pipeline.store.repo import Store
from scraper.records import CaseRecord, Hearing, Judgment, Party, RawPage, Service


def record(**changes) -> CaseRecord:
    base = CaseRecord(
        court="alexandria", case_number="GV26000123-00", matter_key="GV26000123",
        filed_date=dt.date(2026, 9, 1), case_type="Unlawful Detainer",
        plaintiffs=(Party(name="ORCHARD RIDGE APTS LLC", dba="LAUREL COURT", address="FAIRFAX, VA 22030",
                          attorney="QUILLEN, T BRANDT"),),
        defendants=(Party(name="PEÑA, MARISOL R", address="ALEXANDRIA, VA 22304", attorney="NONE"),
                    Party(name="=HYPERLINK(\"x\")", address="ALEXANDRIA, VA 22304")),
        hearings=(Hearing(date=dt.date(2026, 9, 29), time=dt.time(9, 30), result="Continued", type="Return",
                          courtroom="COURTROOM 2B"),
                  Hearing(date=dt.date(2026, 10, 20), time=dt.time(13, 30), type="Trial")),
        services=(Service(person_served="PEÑA, MARISOL R", date_served=dt.date(2026, 9, 8)),),
        judgment=Judgment(judgment="Plaintiff", principal=Decimal("12480.55"), costs=Decimal("86.00"),
                          possession=True, writ_issued_date=dt.date(2026, 11, 2), satisfied=False),
    )
    return base.model_copy(update=changes)


def _setup(store: Store) -> None:
    store.ensure_court("alexandria", "va-gdc", "510", "https://eapps.courts.state.va.us/gdcourts/")


def test_round_trip_keeps_every_field(store: Store):
    _setup(store)
    original = record()
    assert store.save_case(original) == "new"
    [back] = list(store.iter_cases())
    assert back == original
    assert back.export_dict()["judgment"]["principal"] == "12480.55"


def test_unchanged_case_writes_nothing(store: Store):
    _setup(store)
    store.save_case(record())
    before = store.table_counts()
    with store.engine.connect() as conn:
        stamp = conn.exec_driver_sql("SELECT last_changed_at FROM cases").scalar()
    assert store.save_case(record()) == "unchanged"
    assert store.table_counts() == before
    with store.engine.connect() as conn:
        assert conn.exec_driver_sql("SELECT last_changed_at FROM cases").scalar() == stamp


def test_changed_case_is_updated_in_place(store: Store):
    _setup(store)
    store.save_case(record())
    later = record(hearings=record().hearings[:1] + (Hearing(date=dt.date(2026, 10, 20), time=dt.time(13, 30),
                                                             result="Judgment", type="Trial"),))
    assert store.save_case(later) == "updated"
    assert store.table_counts()["cases"] == 1
    [back] = list(store.iter_cases())
    assert back.hearings[1].result == "Judgment"
    assert store.table_counts()["hearings"] == 2


def test_raw_page_archive_dedupes_identical_answers(store: Store):
    page = RawPage(court_id="alexandria", url="https://x/caseSearch.do?displayCaseNumber=GV26000123-00",
                   method="GET", request_key="case=GV26000123-00", kind="case_detail",
                   fetched_at=dt.datetime.now(dt.timezone.utc), status=200, body="<html>é</html>".encode(),
                   case_number="GV26000123-00")
    first = store.archive_page(page)
    assert store.archive_page(page) == first
    changed = RawPage(**{**page.__dict__, "body": b"<html>2</html>"})
    assert store.archive_page(changed) != first
    [(court, number, url, body)] = list(store.latest_case_pages())
    assert (court, number, body) == ("alexandria", "GV26000123-00", b"<html>2</html>")


def _schema_diff(engine):
    import pipeline.store.models  # noqa: F401

    with engine.connect() as conn:
        return compare_metadata(MigrationContext.configure(conn, opts={"compare_type": True}), SQLModel.metadata)


def test_migrations_match_models_on_sqlite(sqlite_url: str):
    engine = db.make_engine(sqlite_url)
    db.upgrade(engine)
    assert db.current_revision(engine) == "0001"
    assert _schema_diff(engine) == []
    db.upgrade(engine)  # idempotent


def test_migrations_and_store_on_postgresql(pg_url: str):
    engine = db.make_engine(pg_url)
    db.upgrade(engine)
    assert _schema_diff(engine) == []
    store = Store(engine)
    _setup(store)
    assert store.save_case(record()) == "new"
    assert store.save_case(record()) == "unchanged"
    [back] = list(store.iter_cases())
    assert back == record()
    engine.dispose()
