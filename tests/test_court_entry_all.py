"""A court entry with `all: true` (issue 33): every court the portal lists, read from its welcome
page, kept in the store, refreshed weekly, each court its own id (`<entry>-<code>`) that partners'
filters, `scrape --court` and the run use."""

from __future__ import annotations

import asyncio
import datetime as dt
import sqlite3

import pytest
from typer.testing import CliRunner

from evictwatch.commands.app import app
from evictwatch.config import ConfigError, load_config, parse_config
from evictwatch.jobs.court_lists import REFRESH_DAYS, refresh_court_lists
from evictwatch.listed_courts import use_listed_courts
from scraper.courts import get_source
from scraper.courts.va_gdc.sim.state import STATE_COURT_COUNT, state_courts
from tests.ops_support import open_store

TODAY = dt.date(2026, 11, 4)


@pytest.fixture(scope="module")
def state_portal():
    sim = get_source("va-gdc").simulator(seed=5, today=TODAY, whole_state=True)
    running = sim.start(host="127.0.0.1", port=0)
    try:
        yield sim, running.base_url
    finally:
        running.stop()


def write_config(folder, base_url: str, *, extra_court: str = "", partner_courts: str = '["va-013"]'):
    path = folder / "config.yaml"
    path.write_text(
        'http: {user_agent: "evictwatch-test (ops@example.org)", max_attempts: 2}\n'
        "scrape: {browser_check: false}\n"
        "notify: {outbox: outbox}\n"
        f"partners:\n  - {{name: Legal Aid, emails: [intake@example.org], filters: {{courts: {partner_courts}}}}}\n"
        f'courts:\n  - {{id: va, source: va-gdc, all: true, base_url: "{base_url}", rate_limit_per_s: 50}}\n'
        + extra_court)
    return path


def test_the_portals_courts_become_courts_of_their_own_and_are_asked_again_weekly(state_portal, tmp_path):
    sim, base_url = state_portal
    config = load_config(write_config(tmp_path, base_url, extra_court=(
        f'  - {{id: alexandria, source: va-gdc, code: "510", base_url: "{base_url}", rate_limit_per_s: 50}}\n')))
    store = open_store(tmp_path)
    use_listed_courts(config, store)
    assert [c.id for c in config.courts] == ["alexandria"]  # never listed yet: only the court of its own
    assert asyncio.run(refresh_court_lists(config, store, TODAY)) == []
    courts = {c.id: c for c in config.courts}
    # Alexandria is configured on its own (the same host and code): it keeps its id, no va-510 beside it.
    assert len(courts) == STATE_COURT_COUNT and "va-510" not in courts and courts["alexandria"].code == "510"
    assert courts["va-013"].display_name == "Arlington General District Court" and courts["va-013"].code == "013"
    assert {c.code for c in courts.values()} == set(state_courts())
    assert courts["va-013"].base_url == base_url and courts["va-013"].rate_limit_per_s == 50
    # Within the week the stored list is used; a week on, the portal is asked again.
    asked = sim.stats.requests
    asyncio.run(refresh_court_lists(config, store, TODAY + dt.timedelta(days=REFRESH_DAYS - 1)))
    assert sim.stats.requests == asked
    asyncio.run(refresh_court_lists(config, store, TODAY + dt.timedelta(days=REFRESH_DAYS)))
    assert sim.stats.requests > asked
    assert store.court_lists.refreshed_on("va") == TODAY + dt.timedelta(days=REFRESH_DAYS)
    # A court the portal stops listing stays in the store, no longer scraped.
    store.court_lists.record("va", [(c, n) for c, n in ((c.code, c.name) for c in store.court_lists.current("va"))
                                    if c != "013"], TODAY + dt.timedelta(days=14))
    use_listed_courts(config, store)
    assert "va-013" not in {c.id for c in config.courts}
    assert [c.code for c in store.court_lists.no_longer_listed("va")] == ["013"]


def test_scrape_court_names_a_listed_court_and_its_cases_are_stored_under_it(state_portal, tmp_path, monkeypatch):
    _, base_url = state_portal
    write_config(tmp_path, base_url)
    monkeypatch.chdir(tmp_path)
    runner = CliRunner()
    done = runner.invoke(app, ["scrape", "--court", "va-013", "--today", TODAY.isoformat(),
                               "--since", "2026-11-05", "--until", "2026-11-06"])
    assert done.exit_code == 0, done.output + str(done.exception)
    with sqlite3.connect(tmp_path / "data" / "evictwatch.db") as conn:
        courts = dict(conn.execute("SELECT court_id, count(*) FROM cases GROUP BY court_id"))
        listed = conn.execute("SELECT count(*) FROM listed_courts WHERE entry_id = 'va'").fetchone()[0]
    assert list(courts) == ["va-013"] and courts["va-013"] > 0 and listed == STATE_COURT_COUNT
    unknown = runner.invoke(app, ["scrape", "--court", "va-998", "--today", TODAY.isoformat()])
    assert unknown.exit_code == 2 and "no court with id 'va-998'" in unknown.output


@pytest.mark.parametrize("court, why", [
    ('{id: va, source: va-gdc, all: true, code: "510", base_url: "https://portal.example.invalid/"}',
     "give no `code`"),
    ('{id: tx, source: tyler-odyssey, all: true, base_url: "https://portal.example.invalid/"}',
     "does not list its courts"),
])
def test_all_is_exclusive_with_code_and_only_for_portals_that_list_their_courts(court, why):
    raw = {"http": {"user_agent": "evictwatch-test (ops@example.org)"}, "courts": [_yaml(court)]}
    with pytest.raises(ConfigError, match=why):
        parse_config(raw, "config.yaml")


def test_partners_filters_may_name_a_listed_court_before_the_portal_was_asked():
    court = _yaml('{id: va, source: va-gdc, all: true, base_url: "https://portal.example.invalid/"}')

    def config(courts: list[str]):
        return parse_config({"http": {"user_agent": "evictwatch-test (ops@example.org)"}, "courts": [court],
                             "partners": [{"name": "Aid", "emails": ["a@example.org"], "filters": {"courts": courts}}]},
                            "config.yaml")

    assert config(["va-510", "va-013"]).partners[0].filters.courts == ["va-510", "va-013"]
    for wrong in (["va-51"], ["va"], ["vb-510"]):
        with pytest.raises(ConfigError, match="unknown courts"):
            config(wrong)


def _yaml(text: str) -> dict:
    import yaml

    return yaml.safe_load(text)
