"""Every court on one portal host planned together within the host's daily budget (issue 33).

Each court's own plan (`pipeline.plan.plan_court`: which hearing dates to walk, which cases to
open again and why) becomes tasks of a worth (`pipeline.hostplan`); work an earlier run deferred
joins them with the day it first became due (and a case with why it was due); the host's plan
takes them in order of worth up to what is left of the day's budget. Each court then walks only
its chosen hearing dates (as ranges) and opens only its chosen cases.

All of it is written to the store before the scrape, and a court's chosen work is struck off
once its scrape succeeded (`done_keys`): a run killed or failed half-way leaves its work
waiting, never lost, however far the court's last good run has moved on.
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass, field, replace

from pipeline.hostplan import HostPlan, Task, Worth, daily_budget, plan_host
from pipeline.plan import Plan
from pipeline.store.deferred import Deferred, requests_on
from pipeline.store.recheck import PRESENCE, hearing_soon, walk_cost
from pipeline.store.repo import Store

DAY, CASE = "day", "case"
SOON_COURT_DAYS = 3  # hearings this many court days ahead are an essential of each day
DEFAULT_DAY_COST = 4  # requests to walk a hearing date before a court has a run to go by
_JUDGMENT_REASONS = ("writ not yet executed", "judgment without a writ", "judgment still open to appeal")
_RECHECK_RANK = {"last hearing shows no result": 0, "hearing near today": 1, "weekly look at an unpaid judgment": 2,
                 PRESENCE: 3}


@dataclass(frozen=True)
class HostBudget:
    rate_per_s: float
    daily_share: float
    cold_start_share: float


@dataclass
class CourtWork:
    """What one court does this run: its plan with only the chosen cases due, the hearing-date
    ranges to walk, and how much of its work waits."""

    plan: Plan
    ranges: list[tuple[dt.date, dt.date]] = field(default_factory=list)
    chosen: list[Task] = field(default_factory=list)
    deferred: int = 0

    @property
    def idle(self) -> bool:
        return not self.ranges and not self.plan.due


def plan_courts_of_host(store: Store, host: str, plans: dict[str, Plan], todays: dict[str, dt.date],
                        budget: HostBudget, host_courts: list[str]) -> tuple[HostPlan, dict[str, CourtWork]]:
    """`plans`: the plans of the courts scraped now on this host; `todays`: each court's local
    date; `host_courts`: every configured court on the host, whose requests today count."""
    carried = store.deferred.of(plans)
    reasons = {(d.court_id, d.key): d.reason for d in carried if d.reason}
    fresh: list[Task] = []
    for court_id, plan in plans.items():
        fresh += _court_tasks(store, court_id, plan, todays[court_id])
        reasons.update(((court_id, number), reason) for number, reason in plan.due.items())
    tasks = _merged(carried, fresh, todays)
    cold = any(p.mode == "full" for p in plans.values()) or any(d.worth == Worth.BACKFILL for d in carried)
    share = budget.cold_start_share if cold else budget.daily_share
    day = max(todays.values())
    left = max(0, daily_budget(budget.rate_per_s, share) - requests_on(store, host_courts, day))
    plan = plan_host(host, tasks, left)
    work = {court_id: CourtWork(p) for court_id, p in plans.items()}
    for task in plan.chosen:
        work[task.court_id].chosen.append(task)
    for task in plan.deferred:
        work[task.court_id].deferred += 1
    for court_id, court in work.items():
        days = sorted(dt.date.fromisoformat(t.key) for t in court.chosen if _kind(t) == DAY)
        court.ranges = _ranges(days)
        # Carried cases too, with why they were due: the court's own plan may no longer name them.
        court.plan = replace(court.plan, due={t.key: reasons.get((court_id, t.key)) or "deferred re-check"
                                              for t in court.chosen if _kind(t) == CASE})
    store.deferred.replace(plans, [Deferred(t.court_id, t.key, _kind(t), int(t.worth), t.cost, t.due_since,
                                            reasons.get((t.court_id, t.key)) if _kind(t) == CASE else None)
                                   for t in plan.chosen + plan.deferred])
    return plan, work


def done_keys(work: CourtWork) -> list[str]:
    """What a court's successful scrape did of its chosen work (struck off the waiting work)."""
    return [task.key for task in work.chosen]


def _court_tasks(store: Store, court_id: str, plan: Plan, today: dt.date) -> list[Task]:
    days = [plan.list_since + dt.timedelta(days=n) for n in range((plan.list_until - plan.list_since).days + 1)]
    measured = walk_cost(store, court_id, plan.mode)
    cost = DEFAULT_DAY_COST if measured is None else measured
    tasks = []
    for day in days:  # the nearest dates first, past or ahead
        worth = Worth.BACKFILL if plan.mode == "full" and day < today else Worth.NEW_FILINGS
        tasks.append(Task(court_id, worth, day.isoformat(), max(1, math.ceil(cost)), today, abs((day - today).days)))
    soon = hearing_soon(store, court_id, list(plan.due), today, _court_days_ahead(today, SOON_COURT_DAYS))
    for number, reason in plan.due.items():
        if number in soon or reason == "hearing today":
            worth, rank = Worth.HEARINGS_SOON, 0
        elif reason in _JUDGMENT_REASONS or reason.startswith("watched by a partner"):
            worth, rank = Worth.JUDGMENTS, 0
        else:
            worth, rank = Worth.RECHECK, _RECHECK_RANK.get(reason, 2)
        tasks.append(Task(court_id, worth, number, 1, today, rank))
    return tasks


def _merged(carried: list[Deferred], fresh: list[Task], todays: dict[str, dt.date]) -> list[Task]:
    """One task per court and key: a carried one keeps the day it first became due."""
    tasks: dict[tuple[str, str], Task] = {}
    for item in carried:
        rank = abs((dt.date.fromisoformat(item.key) - todays[item.court_id]).days) if item.kind == DAY else 0
        tasks[(item.court_id, item.key)] = Task(item.court_id, Worth(item.worth), item.key, item.cost,
                                                item.due_since, rank)
    for task in fresh:
        old = tasks.get((task.court_id, task.key))
        tasks[(task.court_id, task.key)] = task if old is None else replace(
            task, due_since=min(old.due_since, task.due_since), worth=min(old.worth, task.worth))
    return list(tasks.values())


def _kind(task: Task) -> str:
    return DAY if task.worth in (Worth.NEW_FILINGS, Worth.BACKFILL) else CASE


def _ranges(days: list[dt.date]) -> list[tuple[dt.date, dt.date]]:
    ranges: list[tuple[dt.date, dt.date]] = []
    for day in days:
        if ranges and (day - ranges[-1][1]).days == 1:
            ranges[-1] = (ranges[-1][0], day)
        else:
            ranges.append((day, day))
    return ranges


def _court_days_ahead(today: dt.date, count: int) -> dt.date:
    """The last of the next `count` weekdays after today (holidays make it only a little wider)."""
    day = today
    while count:
        day += dt.timedelta(days=1)
        count -= day.weekday() < 5
    return day
