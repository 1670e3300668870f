"""Reading and writing the store. The rest of evictwatch speaks records, not rows."""

from __future__ import annotations

import datetime as dt
import gzip
import hashlib
import json
from collections.abc import Iterator
from decimal import Decimal
from typing import Literal

from sqlalchemy import Engine, delete, func, select
from sqlmodel import Session

from pipeline.store import models as m
from scraper.records import RawPage as FetchedPage
from scraper.records import Appeal, CaseRecord, Garnishment, Hearing, Judgment, Party, Report, Service

SaveOutcome = Literal["new", "updated", "unchanged"]

_JUDGMENT_MONEY = ("principal", "costs", "attorney_fees", "other_amount")
_JUDGMENT_PLAIN = (
    "judgment", "interest_award", "possession", "writ_issued_date", "writ_executed_date",
    "homestead_exemption_waived", "fifa_issued_date", "satisfied", "satisfaction_filed_date",
    "other_awarded", "further_case_information",
)


def _now() -> dt.datetime:
    return dt.datetime.now(dt.timezone.utc)


def _cents(value: Decimal | None) -> int | None:
    return None if value is None else int((value * 100).to_integral_value())


def _money(cents: int | None) -> Decimal | None:
    return None if cents is None else (Decimal(cents) / 100).quantize(Decimal("0.01"))


class Store:
    def __init__(self, engine: Engine) -> None:
        self.engine = engine

    # --- courts -------------------------------------------------------------------------

    def ensure_court(self, court_id: str, source: str, code: str, base_url: str) -> None:
        with Session(self.engine) as session:
            row = session.get(m.Court, court_id)
            if row is None:
                session.add(m.Court(id=court_id, source=source, code=code, base_url=base_url))
            elif (row.source, row.code, row.base_url) != (source, code, base_url):
                row.source, row.code, row.base_url = source, code, base_url
                session.add(row)
            else:
                return
            session.commit()

    def court_sources(self) -> dict[str, str]:
        with Session(self.engine) as session:
            return {c.id: c.source for c in session.execute(select(m.Court)).scalars()}

    # --- raw archive --------------------------------------------------------------------

    def archive_page(self, page: FetchedPage) -> int:
        """Keep a fetched page; the same answer to the same request is kept once."""
        digest = page.content_hash
        with Session(self.engine) as session:
            existing = session.execute(
                select(m.RawPage.id).where(
                    m.RawPage.court_id == page.court_id,
                    m.RawPage.request_key == page.request_key,
                    m.RawPage.content_hash == digest,
                )
            ).scalar()
            if existing is not None:
                return existing
            row = m.RawPage(
                court_id=page.court_id, url=page.url, method=page.method, request_key=page.request_key,
                kind=page.kind, status=page.status, case_number=page.case_number, content_hash=digest,
                body_gz=page.compressed(), fetched_at=page.fetched_at,
            )
            session.add(row)
            session.commit()
            return row.id  # type: ignore[return-value]

    def latest_case_pages(self, kind: str = "case_detail") -> Iterator[tuple[str, str, str, bytes]]:
        """(court_id, case_number, url, html bytes) of the newest archived page of each case."""
        newest = (
            select(func.max(m.RawPage.id))
            .where(m.RawPage.kind == kind, m.RawPage.case_number.is_not(None))
            .group_by(m.RawPage.court_id, m.RawPage.case_number)
        )
        with Session(self.engine) as session:
            rows = session.execute(
                select(m.RawPage.court_id, m.RawPage.case_number, m.RawPage.url, m.RawPage.body_gz)
                .where(m.RawPage.id.in_(newest))
                .order_by(m.RawPage.court_id, m.RawPage.case_number)
            )
            for court_id, number, url, body in rows:
                yield court_id, number, url, gzip.decompress(body)

    def latest_page(self, case_number: str, court_id: str | None = None) -> tuple[str, str, bytes] | None:
        """(court_id, url, html bytes) of the newest archived page fetched for a case."""
        query = select(m.RawPage.court_id, m.RawPage.url, m.RawPage.body_gz).where(
            m.RawPage.case_number == case_number).order_by(m.RawPage.id.desc()).limit(1)
        if court_id:
            query = query.where(m.RawPage.court_id == court_id)
        with Session(self.engine) as session:
            row = session.execute(query).first()
        return None if row is None else (row[0], row[1], gzip.decompress(row[2]))

    # --- cases --------------------------------------------------------------------------

    def save_case(self, record: CaseRecord, raw_page_id: int | None = None) -> SaveOutcome:
        """Upsert keyed on (court, case number); an unchanged case writes nothing."""
        if record.court is None:
            raise ValueError("a record must name its court before it is stored")
        digest = hashlib.sha256(record.content_json().encode()).hexdigest()
        with Session(self.engine) as session:
            row = session.execute(
                select(m.Case).where(m.Case.court_id == record.court, m.Case.case_number == record.case_number)
            ).scalar()
            if row is not None and row.content_hash == digest:
                return "unchanged"
            now = _now()
            outcome: SaveOutcome = "updated" if row is not None else "new"
            if row is None:
                row = m.Case(court_id=record.court, case_number=record.case_number, first_seen_at=now,
                             matter_key=record.matter_key, filed_date=record.filed_date,
                             case_type=record.case_type, content_hash=digest, last_changed_at=now)
            else:
                for child in (m.Party, m.Hearing, m.Judgment):
                    session.execute(delete(child).where(child.case_id == row.id))
            row.matter_key = record.matter_key
            row.filed_date = record.filed_date
            row.case_type = record.case_type
            row.debt_type = record.debt_type
            row.details_json = _details_json(record)
            row.content_hash = digest
            row.last_changed_at = now
            if raw_page_id is not None:
                row.raw_page_id = raw_page_id
            session.add(row)
            session.flush()
            session.add_all(_child_rows(row.id, record))  # type: ignore[arg-type]
            session.commit()
            return outcome

    def iter_cases(self, court_id: str | None = None, case_type: str | None = None) -> Iterator[CaseRecord]:
        with Session(self.engine) as session:
            query = select(m.Case).order_by(m.Case.court_id, m.Case.case_number)
            if court_id:
                query = query.where(m.Case.court_id == court_id)
            if case_type:
                query = query.where(m.Case.case_type == case_type)
            cases = list(session.execute(query).scalars())
            for chunk_start in range(0, len(cases), 500):
                chunk = cases[chunk_start:chunk_start + 500]
                yield from _records(session, chunk)

    def count(self, table: type) -> int:
        with Session(self.engine) as session:
            return session.execute(select(func.count()).select_from(table)).scalar_one()

    def table_counts(self) -> dict[str, int]:
        tables = (m.Court, m.Case, m.Party, m.Hearing, m.Judgment, m.RawPage, m.ScrapeRun)
        return {t.__tablename__: self.count(t) for t in tables}  # type: ignore[attr-defined]

    # --- run log ------------------------------------------------------------------------

    def start_run(self, court_id: str, since: dt.date, until: dt.date) -> int:
        with Session(self.engine) as session:
            run = m.ScrapeRun(court_id=court_id, started_at=_now(), since=since, until=until)
            session.add(run)
            session.commit()
            return run.id  # type: ignore[return-value]

    def finish_run(self, run_id: int, **fields: object) -> None:
        with Session(self.engine) as session:
            run = session.get(m.ScrapeRun, run_id)
            for name, value in fields.items():
                setattr(run, name, value)
            run.finished_at = _now()
            session.add(run)
            session.commit()


def _details_json(record: CaseRecord) -> str:
    data = record.model_dump(mode="json", include={"services", "reports", "garnishment", "appeal"})
    return json.dumps(data, sort_keys=True, separators=(",", ":"))


def _child_rows(case_id: int, record: CaseRecord) -> list[object]:
    rows: list[object] = []
    for role, parties in (("plaintiff", record.plaintiffs), ("defendant", record.defendants)):
        for pos, p in enumerate(parties):
            rows.append(m.Party(case_id=case_id, role=role, position=pos, **p.model_dump()))
    for pos, h in enumerate(record.hearings):
        rows.append(m.Hearing(case_id=case_id, position=pos, **h.model_dump()))
    if record.judgment is not None:
        j = record.judgment
        rows.append(m.Judgment(
            case_id=case_id,
            **{f"{name}_cents": _cents(getattr(j, name)) for name in _JUDGMENT_MONEY},
            **{name: getattr(j, name) for name in _JUDGMENT_PLAIN},
        ))
    return rows


def _records(session: Session, cases: list[m.Case]) -> Iterator[CaseRecord]:
    ids = [c.id for c in cases]
    parties: dict[int, list[m.Party]] = {i: [] for i in ids}
    hearings: dict[int, list[m.Hearing]] = {i: [] for i in ids}
    for p in session.execute(select(m.Party).where(m.Party.case_id.in_(ids)).order_by(m.Party.position)).scalars():
        parties[p.case_id].append(p)
    for h in session.execute(select(m.Hearing).where(m.Hearing.case_id.in_(ids)).order_by(m.Hearing.position)).scalars():
        hearings[h.case_id].append(h)
    judgments = {j.case_id: j for j in session.execute(select(m.Judgment).where(m.Judgment.case_id.in_(ids))).scalars()}
    for c in cases:
        details = json.loads(c.details_json or "{}")
        yield CaseRecord(
            court=c.court_id, case_number=c.case_number, matter_key=c.matter_key, filed_date=c.filed_date,
            case_type=c.case_type, debt_type=c.debt_type,
            plaintiffs=tuple(_party(p) for p in parties[c.id] if p.role == "plaintiff"),
            defendants=tuple(_party(p) for p in parties[c.id] if p.role == "defendant"),
            hearings=tuple(Hearing(date=h.date, time=h.time, result=h.result, type=h.type, courtroom=h.courtroom)
                           for h in hearings[c.id]),
            services=tuple(Service(**s) for s in details.get("services", [])),
            reports=tuple(Report(**r) for r in details.get("reports", [])),
            judgment=_judgment(judgments.get(c.id)),
            garnishment=Garnishment(**details["garnishment"]) if details.get("garnishment") else None,
            appeal=Appeal(**details["appeal"]) if details.get("appeal") else None,
        )


def _party(p: m.Party) -> Party:
    return Party(name=p.name, dba=p.dba, address=p.address, judgment=p.judgment, attorney=p.attorney)


def _judgment(j: m.Judgment | None) -> Judgment | None:
    if j is None:
        return None
    return Judgment(
        **{name: _money(getattr(j, f"{name}_cents")) for name in _JUDGMENT_MONEY},
        **{name: getattr(j, name) for name in _JUDGMENT_PLAIN},
    )
