"""The run's steps and what partners receive, declared once.

`evictwatch run`, the scheduler's jobs, the distributed workers, `evictwatch notify --kind` and
the configuration's `partners[].receives` all read these tables; the functions that do each
step are bound to their names in `evictwatch.jobs.cycle_steps` (a test keeps the two alike). This
module imports nothing heavy: the configuration loads it.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class DeliveryKind(StrEnum):
    WEEKLY_LIST = "weekly_list"
    URGENT_ALERTS = "urgent_alerts"
    WEEKLY_REPORT = "weekly_report"
    DOCKET_SHEET = "docket_sheet"
    CALENDAR = "calendar"
    WATCH_MATCHES = "watch_matches"
    EXPUNGEMENT_ELIGIBLE = "expungement_eligible"
    RECALL = "recall"


class StepName(StrEnum):
    SCRAPE = "scrape"
    ERASE = "erase"
    LISTS = "lists"
    REPORT = "report"
    ALERTS = "alerts"
    WATCH = "watch"
    RECALLS = "recalls"
    ELIGIBLE = "eligible"
    DOCKET = "docket"
    CALENDAR = "calendar"
    HELD = "held"
    ALARMS = "alarms"
    RETENTION = "retention"


@dataclass(frozen=True)
class Delivery:
    kind: DeliveryKind
    what: str
    due: str
    step: StepName  # the step that sends it
    emailed: bool = True  # False: a file written for the partner (the calendar feed)
    chosen: bool = True  # False: not chosen in partners[].receives (a recall goes to whoever was given the case)


@dataclass(frozen=True)
class Step:
    name: StepName
    does: str
    jobs: tuple[str, ...]  # the scheduler's jobs that run it ("scrape" runs every step)
    always: bool = False  # runs in every cycle, whichever steps were asked for


DELIVERIES: tuple[Delivery, ...] = (
    Delivery(DeliveryKind.WEEKLY_LIST, "the partner's weekly outreach list (XLSX and CSV)",
             "once a week, from the partner's send_day and send_time", StepName.LISTS),
    Delivery(DeliveryKind.URGENT_ALERTS, "urgent alerts: a hearing soon, a default judgment, a writ",
             "every run, as cases change", StepName.ALERTS),
    Delivery(DeliveryKind.WEEKLY_REPORT, "the task force's trend report of the last full week",
             "once a week, from the partner's send_day and send_time", StepName.REPORT),
    Delivery(DeliveryKind.DOCKET_SHEET, "the next court day's docket sheet",
             "the court day before, from the partner's docket_time", StepName.DOCKET),
    Delivery(DeliveryKind.CALENDAR, "the hearings feed (.ics) at the partner's calendar_file",
             "rewritten every run", StepName.CALENDAR, emailed=False),
    Delivery(DeliveryKind.WATCH_MATCHES, "the watch-list digest: the partner's people found in court",
             "every run, when a match is new or its case changes", StepName.WATCH),
    Delivery(DeliveryKind.EXPUNGEMENT_ELIGIBLE, "the cases a tenant can have expunged by petition",
             "once a month", StepName.ELIGIBLE),
    Delivery(DeliveryKind.RECALL, "a recall of cases the law has erased since the partner was given them",
             "every run, when the law erases such a case", StepName.RECALLS, chosen=False),
)

JOBS: dict[str, str] = {
    "scrape": "scrape every court, then what is due",
    "weekly": "weekly lists and report, when due",
    "alerts": "urgent alerts and watch-list digests",
    "docket": "the next court day's docket sheets, when due",
}

_EVERY_JOB = tuple(JOBS)
# In the order a cycle runs them: the law's erasures before anything is sent.
STEPS: tuple[Step, ...] = (
    Step(StepName.SCRAPE, "scrape every enabled court (incremental after the first time)", ("scrape",)),
    Step(StepName.ERASE, "erase what the law has erased by today, before anything is sent", _EVERY_JOB),
    Step(StepName.LISTS, "each partner's weekly list, once its send day and time have come", ("scrape", "weekly")),
    Step(StepName.REPORT, "the last full week's report, written once and e-mailed on the partners' days",
         ("scrape", "weekly")),
    Step(StepName.ALERTS, "the urgent alerts", ("scrape", "alerts")),
    Step(StepName.WATCH, "watch lists matched again, and their digests", ("scrape", "alerts")),
    Step(StepName.RECALLS, "recall notices for erased cases partners were given", ("scrape", "alerts")),
    Step(StepName.ELIGIBLE, "the monthly lists of cases eligible for expungement", ("scrape", "weekly")),
    Step(StepName.DOCKET, "the next court day's docket sheets, once their time has come", ("scrape", "docket")),
    Step(StepName.CALENDAR, "the partners' hearing feeds", ("scrape",)),
    Step(StepName.HELD, "the operators told of deliveries whose outcome is unknown", (), always=True),
    Step(StepName.ALARMS, "the health alarms, raised and cleared", _EVERY_JOB),
    Step(StepName.RETENTION, "closed cases' personal data removed after the retention period", ("scrape",)),
)

ALL_STEPS: tuple[StepName, ...] = tuple(s.name for s in STEPS if not s.always)
CHOSEN_KINDS: tuple[str, ...] = tuple(d.kind.value for d in DELIVERIES if d.chosen)
EMAILED_KINDS: tuple[DeliveryKind, ...] = tuple(d.kind for d in DELIVERIES if d.emailed)


def job_steps(job: str) -> tuple[StepName, ...]:
    """The steps one of the scheduler's jobs runs, in the cycle's order."""
    return tuple(s.name for s in STEPS if job in s.jobs)
