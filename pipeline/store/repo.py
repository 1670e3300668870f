"""Reading and writing the store. The rest of evictwatch speaks records, not rows."""

from __future__ import annotations

import datetime as dt
import gzip
from collections.abc import Iterator, Mapping, Sequence
from functools import cached_property

from sqlalchemy import delete, exists, func, insert, select
from sqlmodel import Session

from pipeline.store import models as m
from pipeline.store.archive import archive_pages
from pipeline.store.batch import BatchOutcome, save_batch
from pipeline.store.court_lists import CourtLists
from pipeline.store.deferred import DeferredStore
from pipeline.store.handle import Database
from pipeline.store.hostrates import HostRates
from pipeline.store.inputs import LandlordGroup, PreparedCase
from pipeline.store.ledger import Ledger
from pipeline.store.erasure.recalls import Recalls
from pipeline.store.rows import CASES, PARTIES, load_records, utc_now
from pipeline.store.runlog import RunLog
from pipeline.store.watch import WatchStore
from pipeline.store.workers import WorkerRegistry
from scraper.base import Court
from scraper.records import CaseRecord, RawPage

_TABLES = (m.CourtRow, m.Case, m.PartyRow, m.HearingRow, m.JudgmentRow, m.RawPageRow, m.ScrapeRun, m.Landlord,
           m.LandlordAlias, m.CaseEvent)


class Store(Database):
    """The one way to the rows: the stages, jobs, commands and the workspace hold one of these.

    What the run log, the delivery ledger, watch lists, recalls and learned host rates keep is
    reached through their parts (`store.ledger`, …); queries are the functions of the store's
    query modules (`notices`, `queries`, `trends`, `erase`, …), each taking the store."""

    @cached_property
    def ledger(self) -> Ledger:
        return Ledger(self.engine)

    @cached_property
    def runlog(self) -> RunLog:
        return RunLog(self.engine)

    @cached_property
    def watch(self) -> WatchStore:
        return WatchStore(self.engine)

    @cached_property
    def recalls(self) -> Recalls:
        return Recalls(self.engine)

    @cached_property
    def host_rates(self) -> HostRates:
        return HostRates(self.engine)

    @cached_property
    def court_lists(self) -> CourtLists:
        return CourtLists(self.engine)

    @cached_property
    def deferred(self) -> DeferredStore:
        return DeferredStore(self.engine)

    @cached_property
    def workers(self) -> WorkerRegistry:
        return WorkerRegistry(self.engine)

    # --- courts -------------------------------------------------------------------------

    def court_ids(self) -> list[str]:
        with Session(self.engine) as session:
            return sorted(session.execute(select(m.CourtRow.id)).scalars())

    def ensure_court(self, court: Court) -> None:
        """Keep the court as configured: its court system, portal code, address and time zone
        (its configured zone only: none means its court system's own)."""
        wanted = (court.source, court.code, court.base_url, court.timezone or None)
        with Session(self.engine) as session:
            row = session.get(m.CourtRow, court.id)
            if row is None:
                session.add(m.CourtRow(id=court.id, source=wanted[0], code=wanted[1], base_url=wanted[2],
                                    timezone=wanted[3]))
            elif (row.source, row.code, row.base_url, row.timezone) != wanted:
                row.source, row.code, row.base_url, row.timezone = wanted
                session.add(row)
            else:
                return
            session.commit()

    def court_sources(self) -> dict[str, tuple[str, str | None]]:
        """Each stored court's source and time zone (None: its source's own)."""
        with Session(self.engine) as session:
            return {c.id: (c.source, c.timezone) for c in session.execute(select(m.CourtRow)).scalars()}

    # --- raw archive --------------------------------------------------------------------

    def archive_page(self, page: RawPage) -> int:
        """Keep a fetched page; the same answer to the same request is kept once."""
        return self.archive_pages([page])[0]

    def archive_pages(self, pages: Sequence[RawPage]) -> list[int]:
        """Keep fetched pages in one transaction; each one's row id, in order."""
        with self.engine.begin() as conn:
            return archive_pages(conn, pages)

    def latest_case_pages(self, kind: str = "case_detail") -> Iterator[tuple[str, str, str, bytes]]:
        """(court_id, case_number, url, html bytes) of the newest archived page of each case."""
        newest = (
            select(func.max(m.RawPageRow.id))
            .where(m.RawPageRow.kind == kind, m.RawPageRow.case_number.is_not(None))
            .group_by(m.RawPageRow.court_id, m.RawPageRow.case_number)
        )
        with Session(self.engine) as session:
            rows = session.execute(
                select(m.RawPageRow.court_id, m.RawPageRow.case_number, m.RawPageRow.url, m.RawPageRow.body_gz)
                .where(m.RawPageRow.id.in_(newest))
                .order_by(m.RawPageRow.court_id, m.RawPageRow.case_number)
            )
            for court_id, number, url, body in rows:
                yield court_id, number, url, gzip.decompress(body)

    def latest_page(self, case_number: str, court_id: str | None = None) -> tuple[str, str, bytes] | None:
        """(court_id, url, html bytes) of the newest archived page fetched for a case."""
        query = select(m.RawPageRow.court_id, m.RawPageRow.url, m.RawPageRow.body_gz).where(
            m.RawPageRow.case_number == case_number).order_by(m.RawPageRow.id.desc()).limit(1)
        if court_id:
            query = query.where(m.RawPageRow.court_id == court_id)
        with Session(self.engine) as session:
            row = session.execute(query).first()
        return None if row is None else (row[0], row[1], gzip.decompress(row[2]))

    # --- cases --------------------------------------------------------------------------

    def save(self, items: Sequence[PreparedCase], page_ids: Mapping[tuple[str, str], int] | None = None,
             *, now: dt.datetime | None = None) -> BatchOutcome:
        """Upsert keyed on (court, case number); an unchanged case writes nothing."""
        return save_batch(self.engine, items, page_ids, now=now)

    def has_case(self, court_id: str, case_number: str) -> bool:
        with self.engine.connect() as conn:
            return conn.execute(select(CASES.c.id).where(CASES.c.court_id == court_id,
                                                         CASES.c.case_number == case_number)).first() is not None

    def iter_cases(self, court_id: str | None = None) -> Iterator[CaseRecord]:
        """Every stored case as a record (not the anonymous remains of cases erased by law)."""
        query = select(CASES.c.id).where(CASES.c.erased_at.is_(None)).order_by(CASES.c.court_id, CASES.c.case_number)
        if court_id:
            query = query.where(CASES.c.court_id == court_id)
        with self.engine.connect() as conn:
            ids = list(conn.execute(query).scalars())
            for start in range(0, len(ids), 500):
                chunk = ids[start:start + 500]
                records = load_records(conn, chunk)
                yield from (records[i] for i in chunk)

    def first_seen_times(self) -> dict[tuple[str, str], dt.datetime]:
        with self.engine.connect() as conn:
            query = select(CASES.c.court_id, CASES.c.case_number, CASES.c.first_seen_at)
            return {(court, number): seen for court, number, seen in conn.execute(query)}

    def missing_derivations(self) -> bool:
        """Whether cases or tenants stored by an older release still lack what this one derives
        (a status and keys; tenants' names folded for search, migration 0015)."""
        with self.engine.connect() as conn:
            return conn.execute(select(exists().where(CASES.c.status.is_(None)) | exists().where(
                PARTIES.c.kind == "person", PARTIES.c.last_name.is_not(None), PARTIES.c.last_fold.is_(None)))
            ).scalar_one()

    def records_missing_derivations(self) -> Iterator[CaseRecord]:
        """Cases stored before the pipeline derived status and keys (a database from an older release)."""
        with self.engine.connect() as conn:
            ids = list(conn.execute(select(CASES.c.id).where(CASES.c.status.is_(None))).scalars())
            for start in range(0, len(ids), 500):
                yield from load_records(conn, ids[start:start + 500]).values()

    def count(self, table: type) -> int:
        with Session(self.engine) as session:
            return session.execute(select(func.count()).select_from(table)).scalar_one()

    def table_counts(self) -> dict[str, int]:
        return {t.__tablename__: self.count(t) for t in _TABLES}  # type: ignore[attr-defined]

    # --- landlords ----------------------------------------------------------------------

    def plaintiff_name_counts(self) -> dict[str, int]:
        """Each first-plaintiff spelling and how many cases it filed."""
        query = (select(PARTIES.c.name, func.count()).where(PARTIES.c.role == "plaintiff", PARTIES.c.position == 0)
                 .group_by(PARTIES.c.name))
        with self.engine.connect() as conn:
            return {name: count for name, count in conn.execute(query)}

    def replace_landlords(self, groups: Sequence[LandlordGroup]) -> None:
        """Landlord groups are derived data: rewritten whole, in one transaction."""
        with self.engine.begin() as conn:
            conn.execute(delete(m.LandlordAlias.__table__))
            conn.execute(delete(m.Landlord.__table__))
            if not groups:
                return
            conn.execute(insert(m.Landlord.__table__), [
                {"id": g.landlord_id, "canonical_name": g.canonical_name, "key": g.key, "case_count": g.case_count}
                for g in groups])
            conn.execute(insert(m.LandlordAlias.__table__), [
                {"key": key, "landlord_id": g.landlord_id} for g in groups for key in g.keys])

    # --- run log ------------------------------------------------------------------------

    def start_run(self, court_id: str, since: dt.date, until: dt.date, mode: str = "full",
                  as_of: dt.date | None = None, cycle_id: int | None = None) -> int:
        with Session(self.engine) as session:
            run = m.ScrapeRun(court_id=court_id, started_at=utc_now(), since=since, until=until, mode=mode,
                              as_of=as_of, run_id=cycle_id)
            session.add(run)
            session.commit()
            return run.id  # type: ignore[return-value]

    def finish_run(self, run_id: int, **fields: object) -> None:
        with Session(self.engine) as session:
            run = session.get(m.ScrapeRun, run_id)
            for name, value in fields.items():
                setattr(run, name, value)
            run.finished_at = utc_now()
            session.add(run)
            session.commit()

    def last_full_run_requests(self, court_id: str) -> int | None:
        query = (select(m.ScrapeRun.requests).where(m.ScrapeRun.court_id == court_id, m.ScrapeRun.mode == "full",
                                                    m.ScrapeRun.outcome == "ok")
                 .order_by(m.ScrapeRun.id.desc()).limit(1))
        with Session(self.engine) as session:
            return session.execute(query).scalar()
