"""Health alarms, judged after every run from the run log and the store.

Each alarm is (kind, court). Its state is kept in the store; the operators are told once when
it is raised and once when it clears (through the notifier's delivery log, so a retry never
repeats a message). Kinds, and what raises them:

    failing       the court's last `failed_runs` scrapes all failed
    gate          the portal asked for a verification code or CAPTCHA (a person must look)
    layout        the last scrape met pages whose layout changed (layout errors)
    parse_errors  the last scrape could not read more than `parse_error_rate` of its case pages
    drift         no new eviction cases where the court's own last `drift_weeks` weeks make
                  zero very unlikely (Poisson, per court day, below `drift_probability`), or none
                  listed at all
    stale         no successful scrape for more than `max_age_hours`
"""

from __future__ import annotations

import datetime as dt
import hashlib
import logging
import math
from dataclasses import dataclass

from evictwatch.config import AppConfig
from evictwatch.jobs.court_days import closed_days
from evictwatch.jobs.operators import tell_operators
from pipeline.store.repo import Store
from pipeline.store.runlog import AlarmRow, RunLog, ScrapeRow, alarm_changes

logger = logging.getLogger("evictwatch.jobs.alarms")

WHAT_TO_DO = {
    "failing": "Look at the error in `evictwatch status` and the run log; a portal outage passes by itself, "
               "a changed page needs the parser fixed (see the layout alarm).",
    "gate": "Open the portal in a browser. evictwatch never solves verification codes or CAPTCHAs; if the "
            "gate stays, ask the court's clerk about bulk access.",
    "layout": "The court changed its pages. Fetch one with `evictwatch archive page CASE`, compare with the "
              "golden pages, fix the parser, then `evictwatch reparse`.",
    "parse_errors": "Many pages could not be read fully: check the unread values in the scrape summary "
                    "and the archived pages.",
    "drift": "No new filings where many were expected: check the court's code in the configuration, the portal by hand, and "
             "whether the court is closed (a holiday week clears by itself).",
    "stale": "No scrape has succeeded for a while: is the scheduler (or cron) running? See `evictwatch status`.",
}


@dataclass(frozen=True)
class Judgement:
    kind: str
    court_id: str
    raised: bool | None  # None: the last scrape cannot tell (it failed for another reason): no change
    detail: str


def judge_court(config: AppConfig, log: RunLog, court_id: str, *, today: dt.date,
                now: dt.datetime) -> list[Judgement]:
    a = config.alarms
    scrapes = log.scrapes(court_id, limit=400)
    if not scrapes:
        return []
    latest = scrapes[0]
    out = []
    recent = scrapes[:a.failed_runs]
    failing = len(recent) == a.failed_runs and all(s.outcome != "ok" for s in recent)
    out.append(Judgement("failing", court_id, failing,
                         f"the last {a.failed_runs} scrapes failed; the latest: {latest.error_text or latest.outcome}"
                         if failing else "the latest scrape succeeded"))
    # A scrape that failed for another reason says nothing about the gate or the layout.
    other_failure = latest.outcome != "ok" and latest.error_kind not in ("GateError", "LayoutError")
    gate = None if other_failure else latest.error_kind == "GateError"
    out.append(Judgement("gate", court_id, gate, latest.error_text if gate else "no gate at the last scrape"))
    layout = None if other_failure else (latest.layout_errors > 0 or latest.error_kind == "LayoutError")
    out.append(Judgement("layout", court_id, layout,
                         f"{latest.layout_errors} pages with a changed layout at the last scrape"
                         + (f": {latest.error_text}" if latest.error_kind == "LayoutError" else "")
                         if layout else "no layout errors at the last scrape"))
    unreadable = latest.layout_errors + latest.bad_case_numbers + latest.unknown_values
    rate = unreadable / max(1, latest.detail_pages)
    too_many = None if latest.outcome != "ok" else (latest.detail_pages > 0 and rate > a.parse_error_rate)
    out.append(Judgement("parse_errors", court_id, too_many,
                         f"{unreadable} unreadable values or pages for {latest.detail_pages} case pages "
                         f"({rate:.0%}, threshold {a.parse_error_rate:.0%})"))
    out.append(_drift(config, scrapes, court_id))
    last_ok = next((s for s in scrapes if s.outcome == "ok"), None)
    if last_ok is None:
        stale, detail = True, "no scrape of this court has ever succeeded"
    else:
        finished = last_ok.finished_at
        if finished is not None and finished.tzinfo is None:
            finished = finished.replace(tzinfo=dt.timezone.utc)
        hours = max((now - finished).total_seconds() / 3600 if finished else 0.0,
                    ((today - last_ok.as_of).days * 24) if last_ok.as_of else 0.0)
        stale = hours > a.max_age_hours
        detail = f"last successful scrape covered {last_ok.as_of}, {hours:.0f} hours ago (limit {a.max_age_hours:g})"
    out.append(Judgement("stale", court_id, stale, detail))
    return out


def _drift(config: AppConfig, scrapes: list[ScrapeRow], court_id: str) -> Judgement:
    latest = scrapes[0]
    if latest.error_kind == "EmptyWindowError":
        return Judgement("drift", court_id, True, f"the portal listed no eviction cases at all: {latest.error_text}")
    if latest.outcome != "ok" or latest.as_of is None:
        return Judgement("drift", court_id, None, "no judgement: the last scrape did not finish")
    previous = next((s for s in scrapes[1:] if s.outcome == "ok" and s.as_of is not None), None)
    since = latest.as_of - dt.timedelta(weeks=config.alarms.drift_weeks)
    history = [s for s in scrapes[1:] if s.outcome == "ok" and s.mode == "incremental" and s.as_of is not None
               and since <= s.as_of < latest.as_of]
    days = {s.as_of for s in history}
    if previous is None or len(days) < 3:
        return Judgement("drift", court_id, False, "not enough history to expect anything yet")
    # Courts sit on weekdays that are not their holidays: the expectation is per court day, so a
    # run after a weekend or a holiday expects nothing for those days.
    closed = _closed(config, court_id, min(days).year, latest.as_of.year)
    per_day = (sum(s.new_cases for s in history)
               / max(1, _court_days(min(days) - dt.timedelta(days=1), max(days), closed)))
    expected = per_day * _court_days(previous.as_of, latest.as_of, closed)
    chance = math.exp(-expected)
    drift = latest.new_cases == 0 and chance < config.alarms.drift_probability
    return Judgement("drift", court_id, drift,
                     f"{latest.new_cases} new cases in the last scrape; the last {config.alarms.drift_weeks} weeks "
                     f"predict {expected:.1f} (chance of none: {chance:.2%})")


def _court_days(after: dt.date, until: dt.date, closed: frozenset[dt.date]) -> int:
    """Days the court sits in (after, until]."""
    days = (after + dt.timedelta(days=i) for i in range(1, (until - after).days + 1))
    return sum(day.weekday() < 5 and day not in closed for day in days)


def _closed(config: AppConfig, court_id: str, first_year: int, last_year: int) -> frozenset[dt.date]:

    court = next((c for c in config.courts if c.id == court_id), None)
    return closed_days(court, range(first_year, last_year + 1)) if court is not None else frozenset()


def evaluate(config: AppConfig, store: Store, *, today: dt.date, now: dt.datetime) -> list[AlarmRow]:
    """Judge every enabled court, record changes, tell the operators; returns the changes."""
    log = store.runlog
    changes = []
    known = {alarm.key: alarm for alarm in log.alarms()}
    for court in (c for c in config.courts if c.enabled):
        for j in judge_court(config, log, court.id, today=today, now=now):
            if j.raised is None:
                continue
            if not alarm_changes(known.get(f"{j.kind}|{j.court_id}"), j.raised, j.detail):
                continue  # as it was (mostly never raised): no need to ask the store
            changed = log.set_alarm(f"{j.kind}|{j.court_id}", j.kind, j.court_id, j.raised, j.detail, now=now)
            if changed is not None:
                changes.append(changed)
    # Every alarm's latest news goes through the delivery log: sent once, and a message that
    # failed (the mail server down) goes out with a later run.
    for alarm in log.alarms():
        try:
            _tell(config, store, alarm, now)
        except Exception as exc:  # noqa: BLE001 - telling must not stop judging; the next run retries
            logger.error("could not tell the operators", extra={"alarm": alarm.key, "error": type(exc).__name__})
    return changes


def _tell(config: AppConfig, store: Store, alarm: AlarmRow, now: dt.datetime) -> None:
    word = "raised" if alarm.state == "raised" else "cleared"
    when = alarm.raised_at if alarm.state == "raised" else alarm.cleared_at
    period = hashlib.sha256(f"{alarm.key}|{word}|{when.isoformat()}".encode()).hexdigest()[:24]
    lines = [f"Alarm {alarm.kind} for court {alarm.court_id}: {word} at {when:%Y-%m-%d %H:%M} UTC.", "",
             alarm.detail, ""]
    lines += [f"What to do: {WHAT_TO_DO[alarm.kind]}"] if word == "raised" else ["Nothing to do: it cleared."]
    tell_operators(config, store, topic="alarm", period=period,
                   subject=f"alarm {word}: {alarm.kind} at {alarm.court_id}", lines=lines, now=now)
