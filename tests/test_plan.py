"""What an incremental run opens again: a judgment, even for the tenant (which closes the case),
is looked at while it can still be appealed."""

from __future__ import annotations

import pytest

import datetime as dt

from pipeline.plan import RecheckRules, recheck_due
from pipeline.prepare import prepare
from scraper.base import Court
from scraper.courts import get_source
from scraper.courts.va_gdc.vocab import VOCABULARY
from scraper.records import Hearing, Judgment
from tests.test_store import record


@pytest.fixture
def store(store_on_both):
    """This module's tests run on both engines."""
    return store_on_both


TODAY = dt.date(2026, 11, 27)


def judged(number: str, on: dt.date, side: str):
    return record(case_number=f"{number}-00", matter_key=number, filed_date=on - dt.timedelta(days=30),
                  hearings=(Hearing(date=on, time=dt.time(9, 0), result="Judgment", type="Trial"),),
                  judgment=Judgment(judgment=side, possession=side == "Plaintiff"))


def test_a_judgment_for_the_tenant_is_rechecked_while_it_can_be_appealed(store):
    store.ensure_court(Court("alexandria", get_source("va-gdc"), "510", "https://portal.example.invalid/gdcourts/"))
    cases = [judged("GV26000701", TODAY - dt.timedelta(days=5), "Defendant"),
             judged("GV26000702", TODAY - dt.timedelta(days=25), "Defendant"),
             judged("GV26000703", TODAY - dt.timedelta(days=5), "Plaintiff")]
    store.save([prepare(r, TODAY, "America/New_York", VOCABULARY) for r in cases])
    due = recheck_due(store, "alexandria", TODAY, RecheckRules(), last_run=TODAY - dt.timedelta(days=1))
    assert due.get("GV26000701-00") == "judgment still open to appeal"
    assert "GV26000702-00" not in due  # long past the appeal window: closed for good
    assert "GV26000703-00" in due  # a landlord's judgment is looked at too (for its writ, first)
    assert "GV26000701-00" not in recheck_due(store, "alexandria", TODAY, RecheckRules(appeal_days=0),
                                              last_run=TODAY - dt.timedelta(days=1))
