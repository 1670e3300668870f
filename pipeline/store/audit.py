"""The workspace's audit trail: every view or download of personal data, by whom and when.

A row names the case (court and number) or the list, never a tenant; erasing a case replaces its
number here by the erased case's token (pipeline/store/erasure/erase.py), so the trail keeps
that someone looked, not at whom. Rows older than `web.audit_days` are deleted.
"""

from __future__ import annotations

import datetime as dt
import enum
from dataclasses import dataclass

from sqlalchemy import delete, insert, select

from pipeline.store import models as m
from pipeline.store.handle import Database
from pipeline.store.rows import utc_now

AUDIT = m.AuditEntry.__table__


class Seen(str, enum.Enum):
    """What was looked at."""

    CASE = "case_view"
    SEARCH = "search"  # which results were shown, never what was typed (it may be a name)
    LIST = "list_view"
    DOWNLOAD = "download"
    API = "api"


@dataclass(frozen=True, slots=True)
class AuditRow:
    at: dt.datetime
    user_email: str
    action: Seen
    court_id: str | None
    case_number: str | None
    detail: str | None


def record_view(db: Database, user_email: str, action: Seen, *, court_id: str | None = None,
                case_number: str | None = None, detail: str | None = None, at: dt.datetime | None = None) -> None:
    with db.engine.begin() as conn:
        conn.execute(insert(AUDIT).values(at=at or utc_now(), user_email=user_email, action=Seen(action).value,
                                          court_id=court_id, case_number=case_number,
                                          detail=detail[:200] if detail else None))


def record_views(db: Database, user_email: str, action: Seen, cases: list[tuple[str, str]], *,
                 detail: str | None = None, at: dt.datetime | None = None) -> None:
    """One row for each case shown (a search's results): whose names were on the screen."""
    at = at or utc_now()
    rows = [dict(at=at, user_email=user_email, action=Seen(action).value, court_id=court, case_number=number,
                 detail=detail) for court, number in cases]
    if not rows:
        rows = [dict(at=at, user_email=user_email, action=Seen(action).value, court_id=None, case_number=None,
                     detail=(detail or "") + ": no case shown")]
    with db.engine.begin() as conn:
        conn.execute(insert(AUDIT), rows)


def audit_rows(db: Database, *, user_email: str | None = None, since: dt.datetime | None = None,
               limit: int = 10_000) -> list[AuditRow]:
    """Newest first."""
    query = select(AUDIT).order_by(AUDIT.c.at.desc(), AUDIT.c.id.desc()).limit(limit)
    if user_email is not None:
        query = query.where(AUDIT.c.user_email == user_email.strip().lower())
    if since is not None:
        query = query.where(AUDIT.c.at >= since)
    with db.engine.connect() as conn:
        return [AuditRow(r.at if r.at.tzinfo else r.at.replace(tzinfo=dt.timezone.utc), r.user_email,
                         Seen(r.action), r.court_id, r.case_number, r.detail) for r in conn.execute(query)]


def forget_audit(db: Database, *, before: dt.datetime) -> int:
    with db.engine.begin() as conn:
        return conn.execute(delete(AUDIT).where(AUDIT.c.at < before)).rowcount
