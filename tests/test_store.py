from __future__ import annotations

import pytest

import datetime as dt
from decimal import Decimal

from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlmodel import SQLModel

from pipeline.store import db
from pipeline.prepare import prepare
from pipeline.store.repo import Store
from scraper.base import Court
from scraper.courts import get_source
from scraper.records import CaseRecord, Hearing, Judgment, Party, RawPage, Service
from scraper.courts.va_gdc.vocab import VOCABULARY as VA_GDC


@pytest.fixture
def store(store_on_both):
    """This module's tests run on both engines."""
    return store_on_both


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


def save(store: Store, rec: CaseRecord, today: dt.date = dt.date(2026, 11, 27)) -> str:
    outcome = store.save([prepare(rec, today, "America/New_York", VA_GDC)])
    return outcome.outcomes[(rec.court, rec.case_number)]


def _setup(store: Store) -> None:
    store.ensure_court(Court("alexandria", get_source("va-gdc"), "510", "https://portal.example.invalid/gdcourts/"))


def test_round_trip_keeps_every_field(store: Store):
    _setup(store)
    original = record()
    assert save(store, original) == "new"
    [back] = list(store.iter_cases())
    assert back == original
    assert back.export_dict()["judgment"]["principal"] == "12480.55"


def test_unchanged_case_writes_nothing(store: Store):
    _setup(store)
    save(store, record())
    before = store.table_counts()
    with store.engine.connect() as conn:
        stamp = conn.exec_driver_sql("SELECT last_changed_at FROM cases").scalar()
    assert save(store, record()) == "unchanged"
    assert store.table_counts() == before
    with store.engine.connect() as conn:
        assert conn.exec_driver_sql("SELECT last_changed_at FROM cases").scalar() == stamp


def test_changed_case_is_updated_in_place(store: Store):
    _setup(store)
    save(store, record())
    later = record(hearings=record().hearings[:1] + (Hearing(date=dt.date(2026, 10, 20), time=dt.time(13, 30),
                                                             result="Judgment", type="Trial"),))
    assert save(store, later) == "updated"
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


def test_pages_archived_many_at_once_keep_each_answer_once(store: Store):
    def page(key: str, body: bytes) -> RawPage:
        return RawPage(court_id="alexandria", url="https://x/caseSearch.do", method="GET", request_key=key,
                       kind="case_detail", fetched_at=dt.datetime.now(dt.timezone.utc), status=200, body=body,
                       case_number=None)

    earlier = store.archive_page(page("case=1", b"<html>one</html>"))
    batch = [page("case=1", b"<html>one</html>"), page("case=2", b"<html>two</html>"),
             page("case=2", b"<html>two</html>"), page("case=2", b"<html>two, changed</html>")]
    ids = store.archive_pages(batch)
    assert ids[0] == earlier  # already there
    assert ids[1] == ids[2] != ids[3]  # the same answer twice in one batch: one row
    assert len(set(ids)) == 3 and store.table_counts()["raw_pages"] == 3
    assert store.archive_pages(batch) == ids  # again: nothing new


def _schema_diff(engine):
    import pipeline.store.models  # noqa: F401

    with engine.connect() as conn:
        return compare_metadata(MigrationContext.configure(conn, opts={"compare_type": True}), SQLModel.metadata)


def test_migrations_match_models_on_sqlite(sqlite_url: str):
    engine = db.make_engine(sqlite_url)
    db.upgrade(engine)
    assert db.current_revision(engine) == db.head_revision() == "0020"
    assert _schema_diff(engine) == []
    db.upgrade(engine)  # idempotent


def test_migrations_and_store_on_postgresql(pg_url: str):
    engine = db.make_engine(pg_url)
    db.upgrade(engine)
    assert _schema_diff(engine) == []
    store = Store(engine)
    _setup(store)
    assert save(store, record()) == "new"
    assert save(store, record()) == "unchanged"
    [back] = list(store.iter_cases())
    assert back == record()
    engine.dispose()


def test_changes_are_written_once_to_the_history(store: Store):
    from sqlalchemy import text

    _setup(store)
    save(store, record(judgment=None, hearings=record().hearings[:1]))
    later = record()
    save(store, later)
    save(store, later)  # unchanged: no new history
    with store.engine.connect() as conn:
        rows = conn.execute(text("SELECT kind, field, old_value, new_value FROM case_events ORDER BY id")).all()
    kinds = [r[0] for r in rows]
    assert kinds[0] == "first_seen" and rows[0][3] == "continued"
    assert "hearing_added" in kinds and kinds.count("judgment") >= 4
    assert ("status", "status", "continued", "writ_issued") in [tuple(r) for r in rows]
    assert len(rows) == len(set(rows))


def test_numbers_sharing_a_matter_key_are_one_matter(store: Store):
    from sqlalchemy import text

    _setup(store)
    save(store, record())
    save(store, record(case_number="GV26000123-01", filed_date=dt.date(2026, 11, 2), judgment=None))
    save(store, record(case_number="GV26000124-00", matter_key="GV26000124"))
    with store.engine.connect() as conn:
        matters = conn.execute(text("SELECT case_number, matter_key FROM cases ORDER BY case_number")).all()
    assert matters[0][1] == matters[1][1] != matters[2][1]
