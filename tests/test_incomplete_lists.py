"""A weekly list is built only from complete court data: after a failed scrape it waits for the
next good run, up to notify.incomplete_wait_hours, then goes with a banner and the operators told."""

from __future__ import annotations

import datetime as dt
from email import message_from_bytes, policy

import pytest

from evictwatch.jobs.cycle import run_cycle
from scraper.courts.va_gdc.sim.config import FaultSpec
from tests.ops_support import ARLINGTON, START, config_of, open_store, start_sim, write_config

MONDAY, TUESDAY, WEDNESDAY = START, START + dt.timedelta(days=1), START + dt.timedelta(days=2)


@pytest.fixture
def failing_site(tmp_path):
    sim, running = start_sim()
    try:
        path = write_config(tmp_path, running.base_url, court=ARLINGTON)
        sim.set_faults(FaultSpec.parse("5xx=1"))
        yield sim, config_of(path), open_store(tmp_path)
    finally:
        running.stop()


def lists(tmp_path, partner="Legal_Aid"):
    return sorted((tmp_path / "outbox").rglob(f"{partner}_weekly_list*.eml"))


def read(path):
    return message_from_bytes(path.read_bytes(), policy=policy.default)


def test_a_failed_scrape_holds_the_list_until_a_good_run(failing_site, tmp_path):
    sim, config, store = failing_site
    failed = run_cycle(config, store, today=MONDAY)  # Monday 23:59, 17 h after the list was due
    assert failed.exit_code == 1 and lists(tmp_path) == []
    assert not [r for r in failed.sent if r.kind == "weekly_list"]
    sim.set_faults(FaultSpec())
    recovered = run_cycle(config, store, today=MONDAY)
    [sent] = [r for r in recovered.sent if r.kind == "weekly_list" and r.partner == "Legal Aid"]
    assert recovered.exit_code == 0 and sent.outcome.state == "sent" and sent.rows > 0
    body = read(lists(tmp_path)[0]).get_body(("plain",)).get_content()
    assert "INCOMPLETE" not in body


def test_after_the_wait_the_list_goes_with_a_banner_and_the_operators_are_told(failing_site, tmp_path):
    _, config, store = failing_site
    run_cycle(config, store, today=MONDAY)
    late = run_cycle(config, store, today=TUESDAY)  # 41 h after it was due: over the 24 h wait
    [sent] = [r for r in late.sent if r.kind == "weekly_list" and r.partner == "Legal Aid"]
    assert late.exit_code == 1 and sent.outcome.state == "sent"
    body = read(lists(tmp_path)[0]).get_body(("plain",)).get_content()
    assert "INCOMPLETE: the last scrape of arlington failed" in body
    told = sorted((tmp_path / "outbox").rglob("operators_operator_incomplete_list*.eml"))
    assert len(told) == 1 and "Legal Aid" in read(told[0])["Subject"]
    run_cycle(config, store, today=WEDNESDAY)
    assert len(sorted((tmp_path / "outbox").rglob("operators_operator_incomplete_list*.eml"))) == 1
