"""A database written by the first release (schema 0001) upgrades without losing anything,
and the pipeline then derives what the first release did not store."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import text

from evictwatch.jobs.rebuild import backfill_derivations
from pipeline.store import db
from pipeline.store.queries import iter_export
from pipeline.store.repo import Store
from scraper.records import CaseRecord
from tests.test_store import record

NOW = "2026-10-01 12:00:00.000000"


def write_first_release_rows(engine, case: CaseRecord) -> None:
    """Rows exactly as release 0001 wrote them (its columns only)."""
    import hashlib

    from pipeline.store.rows import details_json

    digest = hashlib.sha256(case.content_json().encode()).hexdigest()
    with engine.begin() as conn:
        conn.execute(text("INSERT INTO courts (id, source, code, base_url) VALUES "
                          "('alexandria', 'va-gdc', '510', 'https://portal.example.invalid/gdcourts/')"))
        conn.execute(text("INSERT INTO raw_pages (court_id, url, method, request_key, kind, status, case_number, "
                          "content_hash, body_gz, fetched_at) VALUES ('alexandria', 'https://x', 'GET', :key, "
                          "'case_detail', 200, :number, 'abc', :body, :now)"),
                     {"key": f"case={case.case_number}", "number": case.case_number, "body": b"\x1f\x8b", "now": NOW})
        conn.execute(text("INSERT INTO cases (court_id, case_number, matter_key, filed_date, case_type, debt_type, "
                          "details_json, content_hash, raw_page_id, first_seen_at, last_changed_at) VALUES "
                          "('alexandria', :number, :matter, :filed, :type, NULL, :details, :digest, 1, :now, :now)"),
                     {"number": case.case_number, "matter": case.matter_key, "filed": case.filed_date.isoformat(),
                      "type": case.case_type, "details": details_json(case), "digest": digest, "now": NOW})
        case_id = conn.execute(text("SELECT id FROM cases")).scalar_one()
        for role, parties in (("plaintiff", case.plaintiffs), ("defendant", case.defendants)):
            for position, p in enumerate(parties):
                conn.execute(text("INSERT INTO parties (case_id, role, position, name, dba, address, judgment, "
                                  "attorney) VALUES (:c, :role, :pos, :name, :dba, :address, :judgment, :attorney)"),
                             {"c": case_id, "role": role, "pos": position, **p.model_dump()})
        for position, h in enumerate(case.hearings):
            conn.execute(text("INSERT INTO hearings (case_id, position, date, time, result, type, courtroom) "
                              "VALUES (:c, :pos, :date, :time, :result, :type, :courtroom)"),
                         {"c": case_id, "pos": position, "date": h.date.isoformat(),
                          "time": h.time.strftime("%H:%M:%S.%f") if h.time else None,
                          "result": h.result, "type": h.type, "courtroom": h.courtroom})
        j = case.judgment
        conn.execute(text("INSERT INTO judgments (case_id, judgment, principal_cents, costs_cents, possession, "
                          "writ_issued_date, satisfied) VALUES (:c, :j, :p, :costs, :pos, :writ, :sat)"),
                     {"c": case_id, "j": j.judgment, "p": int(j.principal * 100), "costs": int(j.costs * 100),
                      "pos": j.possession, "writ": j.writ_issued_date.isoformat(), "sat": j.satisfied})
        conn.execute(text("INSERT INTO scrape_runs (court_id, started_at, since, until, outcome, result_pages, "
                          "detail_pages, requests, retries, throttled, cases_seen, new_cases, updated_cases, "
                          "unchanged_cases, bad_case_numbers, layout_errors) VALUES ('alexandria', :now, "
                          "'2026-09-01', '2026-10-01', 'ok', 3, 1, 6, 0, 0, 1, 1, 0, 0, 0, 0)"), {"now": NOW})


def first_release_case() -> CaseRecord:
    return record()


@pytest.mark.parametrize("backend", ["sqlite", "postgresql"])
def test_upgrade_from_the_first_release_keeps_everything(backend, sqlite_url, request):
    url = sqlite_url if backend == "sqlite" else request.getfixturevalue("pg_url")
    engine = db.make_engine(url)
    db.upgrade(engine, "0001")
    case = first_release_case()
    write_first_release_rows(engine, case)

    db.upgrade(engine)
    assert db.current_revision(engine) == db.head_revision()
    store = Store(engine)
    [kept] = list(store.iter_cases())
    assert kept == case  # every field the first release stored survives the schema change
    assert store.table_counts()["raw_pages"] == 1 and store.table_counts()["scrape_runs"] == 1
    with engine.connect() as conn:  # 0007: what the adapter says the case is, and the court's zone
        assert conn.execute(text("SELECT kind FROM cases")).scalar_one() == "eviction"
        assert conn.execute(text("SELECT timezone FROM courts")).scalar_one() == "America/New_York"

    assert backfill_derivations(store, today=dt.date(2026, 11, 27)) == 1
    [(again, derived)] = list(iter_export(Store(engine)))
    assert again == case
    assert derived["status"] == "writ_issued" and derived["landlord"] is not None
    assert derived["household"] == "NAME|PENA|MARISOL|22304"
    with engine.connect() as conn:
        assert conn.execute(text("SELECT raw_page_id FROM cases")).scalar_one() == 1
        assert conn.execute(text("SELECT count(*) FROM parties WHERE zip5 IS NOT NULL")).scalar_one() == 3
    assert backfill_derivations(store, today=dt.date(2026, 11, 27)) == 0  # once only
    engine.dispose()


@pytest.mark.parametrize("backend", ["sqlite", "postgresql"])
def test_migrations_build_exactly_the_models_schema(backend, sqlite_url, request):
    """Tables, columns and indexes the models declare are the ones the migrations create."""
    from alembic.autogenerate import compare_metadata
    from alembic.migration import MigrationContext
    from sqlmodel import SQLModel

    import pipeline.store.models  # noqa: F401  (registers the tables)

    url = sqlite_url if backend == "sqlite" else request.getfixturevalue("pg_url")
    engine = db.make_engine(url)
    db.upgrade(engine)
    with engine.connect() as conn:
        context = MigrationContext.configure(conn, opts={"compare_type": False})
        diff = [d for d in compare_metadata(context, SQLModel.metadata)
                if not (isinstance(d, tuple) and d[0] == "remove_table" and d[1].name == "alembic_version")]
    assert diff == []


def test_the_head_every_command_checks_is_the_newest_migration(tmp_path):
    import migrations

    assert migrations.HEAD_REVISION == db.head_revision()
    engine = db.make_engine(f"sqlite:///{tmp_path / 'ew.db'}")
    assert not db.at_head(engine)  # nothing there yet
    db.upgrade(engine)
    assert db.at_head(engine)
    engine.dispose()


def test_tables_that_never_give_an_id_twice_keep_autoincrement_through_every_migration(sqlite_url):
    """SQLite rebuilds a table to alter one of its columns (batch mode): a rebuild that forgot
    AUTOINCREMENT would let a deleted match's id be given to another pair."""
    from sqlmodel import SQLModel

    import pipeline.store.models  # noqa: F401  (registers the tables)

    engine = db.make_engine(sqlite_url)
    db.upgrade(engine)
    wanted = [t.name for t in SQLModel.metadata.tables.values() if t.dialect_options["sqlite"].get("autoincrement")]
    with engine.connect() as conn:
        created = dict(conn.execute(text("SELECT name, sql FROM sqlite_master WHERE type = 'table'")).all())
    assert "watch_matches" in wanted
    assert [name for name in wanted if "AUTOINCREMENT" not in created[name]] == []


def test_a_deleted_match_id_is_not_given_again_after_the_evidence_column_is_widened(sqlite_url):
    engine = db.make_engine(sqlite_url)
    db.upgrade(engine, "0012")
    with engine.begin() as conn:
        for i in range(10):
            conn.execute(text("INSERT INTO watch_matches (partner, row_id, court_id, case_number, matched_by, verdict, "
                              "score, found_at) VALUES ('P', :r, 'c', :n, 'name', 'to review', 90, '2026-12-01')"),
                         {"r": f"R{i}", "n": f"N{i}"})
        conn.execute(text("DELETE FROM watch_matches WHERE id > 8"))
    db.upgrade(engine)
    with engine.begin() as conn:
        conn.execute(text("INSERT INTO watch_matches (partner, row_id, court_id, case_number, matched_by, verdict, "
                          "score, found_at) VALUES ('P', 'new', 'c', 'new', 'name', 'to review', 50, '2026-12-07')"))
        assert conn.execute(text("SELECT id FROM watch_matches WHERE row_id = 'new'")).scalar_one() == 11
        assert set(conn.execute(text("SELECT score FROM watch_matches WHERE row_id <> 'new'")).scalars()) == {-1}
