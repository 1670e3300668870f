"""Every court on one portal host planned together within the host's daily budget (issue 33).

Each court's own plan (`pipeline.plan.plan_court`: which hearing dates to walk, which cases to
open again and why) becomes tasks of a worth (`pipeline.hostplan`); work an earlier run deferred
joins them with the day it first became due; the host's plan takes them in order of worth up to
what is left of the day's budget. Each court then walks only its chosen hearing dates (as ranges)
and opens only its chosen cases; the rest waits in the store for the next run.
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
                        budget: HostBudget) -> tuple[HostPlan, dict[str, CourtWork]]:
    """`plans`: each court's own plan on this host; `todays`: each court's local date."""
    carried = store.deferred.of(plans)
    fresh: list[Task] = []
    for court_id, plan in plans.items():
        fresh += _court_tasks(store, court_id, plan, todays[court_id])
    tasks = _merged(carried, fresh)
    cold = any(p.mode == "full" for p in plans.values()) or any(d.worth == Worth.BACKFILL for d in carried)
    share = budget.cold_start_share if cold else budget.daily_share
    day = max(todays.values())
    left = max(0, daily_budget(budget.rate_per_s, share) - requests_on(store, plans, day))
    plan = plan_host(host, tasks, left)
    work = {court_id: CourtWork(p) for court_id, p in plans.items()}
    for task in plan.chosen:
        work[task.court_id].chosen.append(task)
    for task in plan.deferred:
        work[task.court_id].deferred += 1
    for court_id, court in work.items():
        days = sorted(dt.date.fromisoformat(t.key) for t in court.chosen if _kind(t) == DAY)
        numbers = {t.key for t in court.chosen if _kind(t) == CASE}
        court.ranges = _ranges(days)
        court.plan = replace(court.plan, due={n: r for n, r in court.plan.due.items() if n in numbers})
    return plan, work


def keep_deferred(store: Store, plan: HostPlan, failed: dict[str, CourtWork]) -> None:
    """What the host's plan deferred waits in the store; so does the chosen hearing-date work of
    a court whose scrape failed (its re-checks are found due again from its last good run)."""
    again = [t for work in failed.values() for t in work.chosen if _kind(t) == DAY]
    courts = {t.court_id for t in plan.chosen} | {t.court_id for t in plan.deferred}
    store.deferred.replace(courts, [Deferred(t.court_id, t.key, _kind(t), int(t.worth), t.cost, t.due_since)
                                    for t in _merged([], plan.deferred + again)])


def _court_tasks(store: Store, court_id: str, plan: Plan, today: dt.date) -> list[Task]:
    days = [plan.list_since + dt.timedelta(days=n) for n in range((plan.list_until - plan.list_since).days + 1)]
    measured = walk_cost(store, court_id, plan.mode)
    cost = DEFAULT_DAY_COST if measured is None else measured
    tasks = []
    for day in days:
        if plan.mode == "full" and day < today:
            worth, rank = Worth.BACKFILL, (today - day).days  # nearest past date first
        else:
            worth, rank = Worth.NEW_FILINGS, (day - plan.list_since).days
        tasks.append(Task(court_id, worth, day.isoformat(), max(1, math.ceil(cost)), today, rank))
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


def _merged(carried: list[Deferred] | list[Task], fresh: list[Task]) -> list[Task]:
    """One task per court and key: a carried one keeps the day it first became due."""
    tasks: dict[tuple[str, str], Task] = {}
    for item in carried:
        task = item if isinstance(item, Task) else Task(item.court_id, Worth(item.worth), item.key, item.cost,
                                                          item.due_since)
        tasks[(task.court_id, task.key)] = task
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
