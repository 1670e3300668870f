"""The run log (every `evictwatch run` and the court scrapes within it) and the alarms, as rows."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import Engine, case, func, or_, select, update
from sqlmodel import Session

from pipeline.store import models as m
from pipeline.store.ledger import HELD, DeliveryState
from pipeline.store.rows import EVICTION, utc_now
from pipeline.store.triggers import QUEUED_TRIGGER, WORKER_TRIGGER

SCRAPES = m.ScrapeRun.__table__


@dataclass(frozen=True)
class DeliveryTally:
    kind: str                      # weekly_list | urgent_alerts | weekly_report | operators ...
    sent: int
    sent_since: int                # of those, sent from the tally's `since`
    last_sent_at: dt.datetime | None
    failed: int                    # retried by the next run
    held: int                      # waiting for a person (`notify --resend`)


@dataclass(frozen=True)
class ScrapeRow:
    id: int
    court_id: str
    as_of: dt.date | None
    started_at: dt.datetime
    finished_at: dt.datetime | None
    outcome: str
    mode: str | None
    new_cases: int
    updated_cases: int
    detail_pages: int
    result_pages: int
    layout_errors: int
    bad_case_numbers: int
    unknown_values: int
    error_kind: str | None
    error_text: str | None


@dataclass(frozen=True)
class AlarmRow:
    key: str
    kind: str
    court_id: str | None
    state: str
    detail: str
    raised_at: dt.datetime
    cleared_at: dt.datetime | None


def _scrape(row) -> ScrapeRow:
    return ScrapeRow(row.id, row.court_id, row.as_of, row.started_at, row.finished_at, row.outcome, row.mode,
                     row.new_cases, row.updated_cases, row.detail_pages, row.result_pages, row.layout_errors,
                     row.bad_case_numbers, row.unknown_values or 0, row.error_kind, row.error_text)


class RunLog:
    def __init__(self, engine: Engine) -> None:
        self.engine = engine

    def start(self, today: dt.date, trigger: str, pid: int, host: str) -> int:
        with Session(self.engine) as session:
            run = m.Run(started_at=utc_now(), today=today, trigger=trigger, pid=pid, host=host)
            session.add(run)
            session.commit()
            return run.id  # type: ignore[return-value]

    def finish(self, run_id: int, outcome: str, *, courts_ok: int = 0, courts_failed: int = 0, sent: int = 0,
               error_text: str | None = None) -> None:
        with Session(self.engine) as session:
            run = session.get(m.Run, run_id)
            run.outcome, run.finished_at, run.courts_ok, run.courts_failed = outcome, utc_now(), courts_ok, courts_failed
            run.sent, run.error_text = sent, error_text
            session.add(run)
            session.commit()

    def abandon_unfinished(self) -> list[int]:
        """Runs and court scrapes still marked running: their process died (call with the run lock held).
        The distributed mode's runs are not the lock holder's to close: their workers hold no run
        lock, and a stopped worker's tasks are taken again by another."""
        now = utc_now()
        queued = or_(m.Run.trigger == QUEUED_TRIGGER, m.Run.trigger.startswith(WORKER_TRIGGER))
        with Session(self.engine) as session:
            ids = list(session.execute(select(m.Run.id).where(m.Run.outcome == "running", ~queued)).scalars())
            session.execute(update(m.Run).where(m.Run.id.in_(ids)).values(
                outcome="abandoned", finished_at=now,
                error_text="the run's end was never recorded: its process stopped (killed, the machine went down) "
                           "or could not write it (a full disk; the command said so)"))
            session.execute(update(m.ScrapeRun).where(
                m.ScrapeRun.outcome == "running",
                or_(m.ScrapeRun.run_id.is_(None), ~m.ScrapeRun.run_id.in_(select(m.Run.id).where(queued)))).values(
                outcome="abandoned", finished_at=now, error_kind="Abandoned",
                error_text="the process stopped before the scrape finished"))
            session.commit()
            return ids

    def cycle_scrapes(self, run_id: int) -> dict[str, ScrapeRow]:
        """Each court's latest scrape in the run (a retried court has several), finished or not."""
        query = select(SCRAPES).where(SCRAPES.c.run_id == run_id).order_by(SCRAPES.c.id)
        with self.engine.connect() as conn:
            return {row.court_id: _scrape(row) for row in conn.execute(query)}

    def abandon_court_attempts(self, run_id: int, court_id: str) -> int:
        """Close a court's scrapes in the run still marked running (a killed worker's attempt),
        before the court is scraped again in it."""
        with Session(self.engine) as session:
            done = session.execute(update(m.ScrapeRun).where(
                m.ScrapeRun.run_id == run_id, m.ScrapeRun.court_id == court_id,
                m.ScrapeRun.outcome == "running").values(
                outcome="abandoned", finished_at=utc_now(), error_kind="Abandoned",
                error_text="the worker stopped before the scrape finished; another worker took it again"))
            session.commit()
            return done.rowcount

    def is_open(self, run_id: int) -> bool:
        """Whether the run is still open (its end has not been done by another task)."""
        with self.engine.connect() as conn:
            return conn.execute(select(m.Run.outcome).where(m.Run.id == run_id)).scalar() == "running"

    def runs(self, limit: int = 20) -> list[m.Run]:
        with Session(self.engine) as session:
            return list(session.execute(select(m.Run).order_by(m.Run.id.desc()).limit(limit)).scalars())

    def scrapes(self, court_id: str, limit: int = 20) -> list[ScrapeRow]:
        """This court's finished scrapes, newest first."""
        query = (select(SCRAPES).where(SCRAPES.c.court_id == court_id, SCRAPES.c.outcome != "running")
                 .order_by(SCRAPES.c.id.desc()).limit(limit))
        with self.engine.connect() as conn:
            return [_scrape(r) for r in conn.execute(query)]

    def last_ok(self, court_id: str) -> ScrapeRow | None:
        query = (select(SCRAPES).where(SCRAPES.c.court_id == court_id, SCRAPES.c.outcome == "ok")
                 .order_by(SCRAPES.c.id.desc()).limit(1))
        with self.engine.connect() as conn:
            row = conn.execute(query).first()
            return _scrape(row) if row else None

    def open_cases(self) -> dict[str, int]:
        query = (select(m.Case.court_id, func.count()).where(m.Case.closed.is_(False),
                                                              m.Case.kind == EVICTION)
                 .group_by(m.Case.court_id))
        with self.engine.connect() as conn:
            return dict(conn.execute(query).all())

    def deliveries_pending(self) -> dict[str, int]:
        """Deliveries not sent: "failed" (retried by the next run) and "held" (waiting for a person)."""
        query = (select(m.Delivery.state, func.count())
                 .where(m.Delivery.state.in_((DeliveryState.FAILED, *HELD))).group_by(m.Delivery.state))
        with self.engine.connect() as conn:
            counts = {DeliveryState(state): n for state, n in conn.execute(query).all()}
        return {"failed": counts.get(DeliveryState.FAILED, 0), "held": sum(counts.get(s, 0) for s in HELD)}

    def deliveries_by_kind(self, *, since: dt.datetime) -> list[DeliveryTally]:
        """Per kind of e-mail: how many went out (ever, and from `since`), the last one, and how
        many are failed or held."""
        query = (select(m.Delivery.kind, m.Delivery.state, func.count(), func.max(m.Delivery.updated_at),
                        func.sum(case((m.Delivery.updated_at >= since, 1), else_=0)))
                 .group_by(m.Delivery.kind, m.Delivery.state))
        tallies: dict[str, dict] = {}
        with self.engine.connect() as conn:
            for kind, state, n, last, recent in conn.execute(query).all():
                t = tallies.setdefault(kind, {"sent": 0, "recent": 0, "last": None, "failed": 0, "held": 0})
                if state == DeliveryState.SENT:
                    t.update(sent=n, recent=int(recent or 0), last=last)
                elif state == DeliveryState.FAILED:
                    t["failed"] += n
                elif state in HELD:
                    t["held"] += n
        return [DeliveryTally(kind, t["sent"], t["recent"], t["last"], t["failed"], t["held"])
                for kind, t in sorted(tallies.items())]

    # --- alarms ---------------------------------------------------------------------------

    def alarms(self, state: str | None = None) -> list[AlarmRow]:
        with Session(self.engine) as session:
            query = select(m.Alarm).order_by(m.Alarm.key)
            if state:
                query = query.where(m.Alarm.state == state)
            return [AlarmRow(a.key, a.kind, a.court_id, a.state, a.detail, a.raised_at, a.cleared_at)
                    for a in session.execute(query).scalars()]

    def set_alarm(self, key: str, kind: str, court_id: str | None, raised: bool, detail: str,
                  now: dt.datetime | None = None) -> AlarmRow | None:
        """Record the alarm's state; returns the row when the state changed (raised or cleared)."""
        now = now or utc_now()
        with Session(self.engine) as session:
            alarm = session.get(m.Alarm, key)
            if not alarm_changes(alarm, raised, detail):
                return None
            was_raised = alarm is not None and alarm.state == "raised"
            if alarm is None:
                alarm = m.Alarm(key=key, kind=kind, court_id=court_id, state="raised", detail=detail,
                                raised_at=now, updated_at=now)
            if raised and not was_raised:
                alarm.state, alarm.raised_at, alarm.cleared_at = "raised", now, None
            elif was_raised and not raised:
                alarm.state, alarm.cleared_at = "cleared", now
            alarm.detail, alarm.updated_at = detail or alarm.detail, now  # the latest words on it
            session.add(alarm)
            session.commit()
            if raised == was_raised:
                return None
            return AlarmRow(alarm.key, alarm.kind, alarm.court_id, alarm.state, alarm.detail, alarm.raised_at,
                            alarm.cleared_at)


def alarm_changes(before, raised: bool, detail: str) -> bool:
    """Whether judging an alarm `raised` (with `detail`) changes its stored row `before` (an
    Alarm or AlarmRow, None if never raised): raised or cleared, or new words while raised."""
    if before is None:
        return raised  # never raised: nothing to clear
    if raised != (before.state == "raised"):
        return True
    return raised and detail != before.detail
