"""The run's steps and the partners' deliveries are declared once (`evictwatch.steps`): the cycle,
the scheduler, the workers, `notify --kind` and the configuration all read that table."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from evictwatch.commands.notify import SENDERS, Kind
from evictwatch.config import PartnerConfig, ScheduleConfig
from evictwatch.jobs.cycle_steps import RUNNERS
from evictwatch.steps import (ALL_STEPS, CHOSEN_KINDS, DELIVERIES, EMAILED_KINDS, JOBS, STEPS, DeliveryKind,
                              StepName, job_steps)


def test_every_step_has_its_work_and_every_delivery_its_step():
    assert set(RUNNERS) == {s.name for s in STEPS} == set(StepName)
    assert {d.kind for d in DELIVERIES} == set(DeliveryKind)
    assert all(d.step in {s.name for s in STEPS} for d in DELIVERIES)
    assert StepName.HELD not in ALL_STEPS and len(ALL_STEPS) == len(STEPS) - 1


def test_the_scheduler_jobs_run_their_steps_in_the_cycles_order():
    assert set(JOBS) == {"scrape", "weekly", "alerts", "docket"}
    assert job_steps("scrape") == ALL_STEPS
    assert job_steps("weekly") == ("erase", "lists", "report", "eligible", "alarms")
    assert job_steps("alerts") == ("erase", "alerts", "watch", "recalls", "alarms")
    assert job_steps("docket") == ("erase", "docket", "alarms")
    assert all(job_steps(job)[0] in ("scrape", "erase") for job in JOBS)  # nothing sent before the law's erasures
    assert set(JOBS) <= set(ScheduleConfig.model_fields)  # each job has its cron line


def test_notify_offers_every_emailed_kind_and_sends_each_through_one_sender():
    assert [k.value for k in Kind] == ["all", *(k.value for k in EMAILED_KINDS)]
    assert set(SENDERS) == set(EMAILED_KINDS) and DeliveryKind.CALENDAR not in SENDERS


def test_partners_choose_among_the_tables_kinds():
    assert set(CHOSEN_KINDS) == {d.kind.value for d in DELIVERIES} - {"recall"}
    everything = PartnerConfig(name="P", emails=["p@example.org"], receives=list(CHOSEN_KINDS), watch={})
    assert everything.receives == list(CHOSEN_KINDS)
    with pytest.raises(ValidationError, match="weekly_list"):
        PartnerConfig(name="P", emails=["p@example.org"], receives=["recall"])
