"""Months of `evictwatch run` against the simulator, which expunges cases on its own clock
(Va. Code § 8.01-130.01): afterwards no name or number of an expunged case is in the store,
the SQLite file, the raw archive, an export or the outbox (recall notices aside, which carry
numbers only), each partner that had one got its recall once, and the report's figures were
the same just before and just after each run's erasures."""

from __future__ import annotations

import datetime as dt
import gzip
import re
from scraper.base import Court
from collections import Counter

import pytest
from typer.testing import CliRunner

from evictwatch.commands.app import app
from evictwatch.jobs.cycle import run_cycle
from evictwatch.steps import ALL_STEPS
from evictwatch.jobs.erasure import _eml_text
from pipeline.store import trends
from pipeline.store.db import checkpoint
from tests.expunge_support import expunged_truth, in_file, named, planted
from tests.ops_support import ARLINGTON, config_of, fast_governor, open_store, start_sim

START = dt.date(2026, 9, 7)  # a Monday
WEEKS = 8
REPORT_MONDAY = dt.date(2026, 9, 14)


@pytest.fixture(scope="module")
def months(tmp_path_factory):
    folder = tmp_path_factory.mktemp("months")
    sim, running = start_sim(today=START, seed=7)
    try:
        (folder / "config.yaml").write_text(
            'http: {user_agent: "evictwatch-test (ops@example.org)", max_concurrency_per_host: 4, max_attempts: 2,\n'
            '       throttle_wait_s: 0.2}\n'
            'scrape: {window: {look_back_days: 7, look_ahead_days: 17}, browser_check: false}\n'
            'pipeline: {recheck: {recent_days: 7, upcoming_days: 7, judgment_days: 7, writ_days: 7, appeal_days: 3, '
            'satisfaction_days: 30}}\n'
            'retention: {vanish_check_days: 3}\n'
            'notify: {outbox: outbox}\n'
            'partners:\n'
            '  - {name: Legal Aid, emails: [intake@example.org], receives: [weekly_list, urgent_alerts, calendar,'
            ' expungement_eligible], send_day: monday, send_time: "07:00"}\n'
            '  - {name: Tenant Union, emails: [union@example.org], receives: [weekly_list], send_day: monday,'
            f' filters: {{zips: ["{ARLINGTON.zip5}"]}}}}\n'
            f'courts:\n  - {{id: {ARLINGTON.id}, source: va-gdc, fips: "{ARLINGTON.fips}", '
            f'base_url: "{running.base_url}", rate_limit_per_s: 50}}\n')
        config = config_of(folder / "config.yaml")
        store = open_store(folder)
        unchanged = []
        for week in range(WEEKS):
            for offset in (0,):  # a run a week, on Mondays
                day = START + dt.timedelta(days=7 * week + offset)
                sim.set_today(day)
                scraped = run_cycle(config, store, today=day, steps=("scrape",), governor=fast_governor(config))
                assert scraped.exit_code == 0, scraped.error
                before = trends.week_figures(store, REPORT_MONDAY)
                rest = run_cycle(config, store, today=day, steps=tuple(s for s in ALL_STEPS if s != "scrape"))
                assert rest.exit_code == 0, rest.error
                unchanged.append(trends.week_figures(store, REPORT_MONDAY) == before)
        yield sim, store, folder, day, unchanged
    finally:
        running.stop()


def test_expunged_cases_leave_no_trace_and_each_recipient_gets_one_recall(months):
    sim, store, folder, last_day, unchanged = months
    gone, names = expunged_truth(sim.docket, ARLINGTON.fips, last_day, seen_by=last_day - dt.timedelta(days=7))
    with store.engine.connect() as conn:
        erased = dict(conn.exec_driver_sql("SELECT erased_reason, count(*) FROM cases WHERE erased_at IS NOT NULL "
                                           "GROUP BY erased_reason").all())
    assert erased.get("expunged", 0) > 10, erased
    assert all(unchanged)  # the report's figures, just before and after each run's erasures

    exported = CliRunner().invoke(app, ["--config", str(folder / "config.yaml"), "--db", str(store.engine.url),
                                        "export", "cases", "--format", "csv"]).stdout
    assert not gone & set(re.findall(r"GV\d{8}-\d{2}", exported))
    assert not named(exported, names)
    with store.engine.connect() as conn:
        pages = [gzip.decompress(b).decode("utf-8", "replace") for (b,) in conn.exec_driver_sql("SELECT body_gz FROM raw_pages")]
        stored = " ".join(str(v) for t in ("parties", "cases", "case_events", "alert_claims", "case_recipients",
                                           "opt_outs", "watch_matches") for r in conn.exec_driver_sql(f"SELECT * FROM {t}")
                          for v in r)
    # No case number spans two pages or two values: every one in them is found by its pattern.
    assert not named("\n".join(pages), names) and not gone & set(re.findall(r"GV\d{8}-\d{2}", "\n".join(pages)))
    assert not named(stored, names) and not gone & set(re.findall(r"GV\d{8}-\d{2}", stored))
    checkpoint(store.engine)
    database = folder / "data" / "evictwatch.db"
    raw = b"".join(p.read_bytes() for p in (database, database.with_name(database.name + "-wal")) if p.exists())
    assert not named(raw.decode("utf-8", "replace"), names) and not gone & {
        n.decode() for n in re.findall(rb"GV\d{8}-\d{2}", raw)}

    mails = sorted((folder / "outbox").rglob("*.eml"))
    recalls = [m for m in mails if "_recall_" in m.name]
    assert recalls and all(m.name.startswith("Legal_Aid_") or m.name.startswith("Tenant_Union_") for m in recalls)
    for mail in mails:
        text = _eml_text(mail)
        assert not named(text, names), mail.name
        if mail not in recalls:
            assert not gone & set(re.findall(r"GV\d{8}-\d{2}", text)), mail.name
    recalled = Counter((m.name.split("_recall_")[0], n) for m in recalls for n in set(re.findall(r"GV\d{8}-\d{2}", _eml_text(m))))
    assert recalled and max(recalled.values()) == 1  # once per case and partner
    assert all((on := sim.docket.expunged_on(ARLINGTON.fips, n)) and on <= last_day for _, n in recalled)
    [feed] = (folder / "data" / "calendars").glob("*.ics")
    assert not gone & set(re.findall(r"GV\d{8}-\d{2}", feed.read_text())) and not named(feed.read_text(), names)


def test_a_case_vanishes_only_on_the_portals_own_answer_twice_never_on_an_outage_throttle_or_layout_change(tmp_path):
    from evictwatch.config import parse_config, scrape_window
    from evictwatch.jobs.erasure import send_recalls
    from evictwatch.jobs.scrape import scrape_courts
    from pipeline.prepare import prepare
    from pipeline.store.ledger import Ledger
    from scraper.courts import get_source
    from scraper.courts.va_gdc.sim import FaultSpec
    from scraper.courts.va_gdc.vocab import VOCABULARY
    from scraper.records import Hearing, Party
    from tests.test_store import record

    import asyncio

    day = dt.date(2026, 11, 25)
    number = "GV26999001-00"  # a number the portal does not have: what an expunged case's number answers
    store = open_store(tmp_path)
    store.ensure_court(Court("arlington", get_source("va-gdc"), "013", "http://127.0.0.1/gdcourts/"))
    gone_case = record(court="arlington", case_number=number, matter_key=number[:10], filed_date=dt.date(2026, 10, 1),
                       judgment=None, defendants=(Party(name="VANISHED, VERA", address="ARLINGTON, VA 22204"),),
                       hearings=(Hearing(date=dt.date(2026, 11, 20), result="Dismissed", type="Return"),))
    store.save([prepare(gone_case, day, "America/New_York", VOCABULARY)],
               now=dt.datetime(2026, 11, 20, 12, tzinfo=dt.timezone.utc))
    Ledger(store.engine).given("Legal Aid", [("arlington", number)])
    steady = get_source("va-gdc").simulator(seed=7, today=day)
    throttling = get_source("va-gdc").simulator(seed=7, today=day, rate_limit_per_s=0.01)

    def run(sim, today, faults=""):
        sim.set_today(today)
        sim.set_faults(FaultSpec.parse(faults))
        running = sim.start(host="127.0.0.1", port=0)
        try:
            config = parse_config({
                "http": {"user_agent": "evictwatch-test (ops@example.org)", "max_attempts": 2, "throttle_wait_s": 0.05},
                "scrape": {"browser_check": False, "window": {"look_back_days": 1, "look_ahead_days": 1}},
                "retention": {"vanish_check_days": 1}, "notify": {"outbox": str(tmp_path / "outbox")},
                "partners": [{"name": "Legal Aid", "emails": ["intake@example.org"]}],
                "courts": [{"id": "arlington", "source": "va-gdc", "fips": "013", "base_url": running.base_url,
                            "rate_limit_per_s": 50}]}, "test")
            [outcome] = asyncio.run(scrape_courts(config, store, config.courts, scrape_window(config, today),
                                                  today=today, governor=fast_governor(config)))
            return config, outcome
        finally:
            running.stop()

    def state():
        with store.engine.connect() as conn:
            return conn.exec_driver_sql("SELECT missing_since, erased_reason FROM cases WHERE case_number = ? OR "
                                        "erased_reason IS NOT NULL", (number,)).all()

    assert run(steady, day - dt.timedelta(days=1))[1].mode == "full"  # the first scrape walks everything
    _, first = run(steady, day)
    assert first.ok and number in first.summary.not_found and state() == [("2026-11-25", None)]
    from evictwatch.jobs.erasure import apply_retention

    listed = apply_retention(run(steady, day)[0], store, dry_run=True, today=day).erasures.vanishing
    assert listed == [("arlington", number, dt.date(2026, 11, 25))]  # what purge --dry-run shows
    later = day + dt.timedelta(days=1)
    for sim, faults in ((steady, "5xx=1.0"), (steady, "layout=results-header"), (throttling, "")):
        _, failed = run(sim, later, faults)
        assert not failed.ok, faults  # no answer about the case: it stays
        assert state() == [("2026-11-25", None)], faults
    # A stale copy of the tenant's name in a page's free space (as SQLite leaves them): the scrape
    # that erases the case rebuilds the file once every court is done.
    database = planted(store, ("parties", b"VANISHED, VERA"))
    config, confirmed = run(steady, later)
    assert confirmed.ok and confirmed.erased is not None and confirmed.erased.cases == 1
    assert state() == [(None, "vanished")]
    assert not in_file(database, b"VANISHED, VERA")
    [recall] = send_recalls(config, store, today=later)
    assert recall.outcome.state == "sent" and recall.rows == 1
    assert send_recalls(config, store, today=later) == []
