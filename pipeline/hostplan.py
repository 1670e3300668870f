"""A host's daily budget spent by worth (issue 33): every court on one portal host shares what
that host allows, so a run plans the requests of all of them together.

Work comes in kinds of worth, the most urgent first:

1. new filings: walking the hearing dates where new cases appear, the nearest first (a tenant
   is best reached before the first hearing);
2. hearings in the next three court days: a continuance, non-suit or dismissal may be entered;
3. writs and default judgments: the days a tenant has to act;
4. other re-checks, the most overdue first;
5. a cold start's back-fill: hearing dates already past when the court was first scraped.

Within a kind of case work, work carried over from an earlier run comes first (the oldest
first); hearing dates go by their nearness to today, carried over or not. Then the courts take
turns, each in its own order: a court late in the list is never the one left out. What would
pass the budget is deferred, with the day it first became due (a cheaper piece after it may
still fit); deferred case work leads its kind next time.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field
from enum import IntEnum
from itertools import groupby

SECONDS_A_DAY = 86_400


class Worth(IntEnum):
    NEW_FILINGS = 1
    HEARINGS_SOON = 2
    JUDGMENTS = 3
    RECHECK = 4
    BACKFILL = 5


@dataclass(frozen=True)
class Task:
    """One piece of a court's work: a hearing date to walk or a case to open again."""

    court_id: str
    worth: Worth
    key: str  # what it is within the court: "2026-11-05" (a hearing date) or a case number
    cost: int  # the requests it is expected to take
    due_since: dt.date  # the day it first became due: deferred work keeps it
    rank: int = 0  # its place within its court and worth: nearer hearing dates, more overdue cases first


@dataclass
class HostPlan:
    host: str
    budget: int
    chosen: list[Task] = field(default_factory=list)
    deferred: list[Task] = field(default_factory=list)

    @property
    def spent(self) -> int:
        return sum(task.cost for task in self.chosen)

    def oldest_deferred_days(self, today: dt.date) -> int | None:
        """How long the longest-waiting deferred work has been due (None: nothing deferred)."""
        return max(((today - task.due_since).days for task in self.deferred), default=None)


def daily_budget(rate_per_s: float, share: float) -> int:
    """Requests a day within `share` of what the host's rate allows in a day."""
    return int(rate_per_s * SECONDS_A_DAY * share)


def plan_host(host: str, tasks: Iterable[Task], budget: int) -> HostPlan:
    """The tasks in the order they are worth doing, taken until the next one would pass `budget`."""
    plan = HostPlan(host, budget)
    left = budget
    for task in worth_order(tasks):
        if task.cost > left:
            plan.deferred.append(task)
            continue
        plan.chosen.append(task)
        left -= task.cost
    return plan


DATE_WALKS = frozenset({Worth.NEW_FILINGS, Worth.BACKFILL})  # ranked by nearness to today, not by age


def worth_order(tasks: Iterable[Task]) -> list[Task]:
    """By worth; within a worth of case work, carried-over work first (oldest first); then the
    courts in turn."""
    ordered: list[Task] = []
    for _, same in groupby(sorted(tasks, key=_class), key=_class):
        ordered.extend(_courts_in_turn(list(same)))
    return ordered


def _class(task: Task) -> tuple[Worth, dt.date]:
    return task.worth, dt.date.min if task.worth in DATE_WALKS else task.due_since


def _courts_in_turn(tasks: list[Task]) -> list[Task]:
    """Each court's tasks in its own order, the courts taking turns; the court whose first task
    ranks highest starts (then by id, so a plan is the same every time)."""
    queues: dict[str, list[Task]] = {}
    for task in sorted(tasks, key=lambda t: (t.rank, t.court_id, t.key)):
        queues.setdefault(task.court_id, []).append(task)
    turns: list[Task] = []
    depth = 0
    while len(turns) < len(tasks):
        turns.extend(queue[depth] for queue in queues.values() if depth < len(queue))
        depth += 1
    return turns
