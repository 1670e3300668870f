"""A host's budget spent by worth (issue 33): with a budget deliberately too small, the most
urgent work of every court is done, the rest deferred fairly across courts and done first later."""

from __future__ import annotations

import datetime as dt
from collections import Counter

from pipeline.hostplan import Task, Worth, daily_budget, plan_host, worth_order

TODAY = dt.date(2026, 11, 4)
COURTS = ("alexandria", "arlington", "zuni")  # the last in any list order is never the one starved


def day_work(day: dt.date, courts=COURTS) -> list[Task]:
    tasks = []
    for court in courts:
        tasks += [Task(court, Worth.NEW_FILINGS, (day + dt.timedelta(days=14 + n)).isoformat(), 3, day, rank=n)
                  for n in range(5)]
        tasks += [Task(court, Worth.HEARINGS_SOON, f"{court}-soon-{n}", 1, day, rank=n) for n in range(4)]
        tasks += [Task(court, Worth.JUDGMENTS, f"{court}-{day}-writ-{n}", 1, day, rank=n) for n in range(3)]
        tasks += [Task(court, Worth.RECHECK, f"{court}-{day}-recheck-{n}", 1, day, rank=n) for n in range(10)]
    return tasks


def test_a_budget_too_small_does_the_most_urgent_of_every_court_and_defers_the_rest_evenly():
    essentials = 3 * (5 * 3 + 4)  # every court's new-filing walks and hearings in the next three court days
    plan = plan_host("127.0.0.1", day_work(TODAY), budget=essentials + 4)
    assert plan.spent == essentials + 4
    chosen = Counter(t.worth for t in plan.chosen)
    assert chosen[Worth.NEW_FILINGS] == 15 and chosen[Worth.HEARINGS_SOON] == 12
    # The 4 requests left go to the judgments, the courts taking turns: 2, 1, 1, never 4, 0, 0.
    judged = Counter(t.court_id for t in plan.chosen if t.worth is Worth.JUDGMENTS)
    assert sorted(judged.values()) == [1, 1, 2] and set(judged) == set(COURTS)
    deferred = Counter(t.court_id for t in plan.deferred)
    assert max(deferred.values()) - min(deferred.values()) <= 1 and sum(deferred.values()) == 5 + 30
    assert all(t.worth >= Worth.JUDGMENTS for t in plan.deferred)
    assert plan.oldest_deferred_days(TODAY) == 0


def test_deferred_work_leads_its_kind_the_next_day_so_no_court_waits_long():
    day_total = sum(t.cost for t in day_work(TODAY))
    carried: list[Task] = []
    waited = []
    for offset in range(4):
        day = TODAY + dt.timedelta(days=offset)
        # The first day's budget falls 35 requests short; later ones leave 20 a day to catch up.
        budget = 3 * (15 + 4) + 4 if offset == 0 else day_total + 20
        plan = plan_host("127.0.0.1", carried + day_work(day), budget=budget)
        assert all(t in plan.chosen for t in day_work(day) if t.worth <= Worth.HEARINGS_SOON)
        # Work carried over goes before the day's own of the same kind: none of it waits again.
        assert all(t.due_since == day for t in plan.deferred)
        carried = plan.deferred
        waited.append(plan.oldest_deferred_days(day))
    # Each day finishes what the day before left (only the day's own re-checks wait), caught up on the third.
    assert waited == [0, 0, None, None]


def test_new_filings_nearest_hearing_date_first_with_the_courts_in_turn():
    order = [t for t in worth_order(reversed(day_work(TODAY))) if t.worth is Worth.NEW_FILINGS]
    assert [t.rank for t in order] == sorted(t.rank for t in order)
    assert [t.court_id for t in order[:3]] == sorted(COURTS)


def test_the_daily_budget_is_a_share_of_what_the_rate_allows_in_a_day():
    assert daily_budget(1.0, 0.25) == 21_600 and daily_budget(1.0, 0.5) == 43_200
