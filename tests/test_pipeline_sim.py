"""Eight simulated weeks against the simulator, a run a week: status, landlords, households and
history must match the simulator's own ground truth (derived from its generation facts)."""

from __future__ import annotations

import asyncio
import datetime as dt
from collections import Counter, defaultdict

import pytest
from sqlalchemy import text

from evictwatch.config import parse_config, scrape_window
from evictwatch.jobs.scrape import scrape_courts
from pipeline.store.queries import iter_export
from scraper.courts import get_source
from tests.test_integration_sim import fast_governor

START = dt.date(2026, 10, 2)
WEEKS = 8
# Arlington (~30 filings a week) rather than Alexandria (~65): eight weeks of the same rules over
# half the cases (still several hundred), each week's re-checks included.
FIPS = "013"


def pairwise(labels_true: dict[str, str], labels_pred: dict[str, str]) -> tuple[float, float]:
    """Pairwise precision and recall of a clustering, counted without listing every pair."""
    def pairs(counter):
        return sum(n * (n - 1) // 2 for n in counter.values())
    keys = labels_true.keys() & labels_pred.keys()
    both = pairs(Counter((labels_true[k], labels_pred[k]) for k in keys))
    predicted = pairs(Counter(labels_pred[k] for k in keys))
    actual = pairs(Counter(labels_true[k] for k in keys))
    return (both / predicted if predicted else 1.0), (both / actual if actual else 1.0)


@pytest.fixture(scope="module")
def eight_weeks(tmp_path_factory):
    from pipeline.store import db
    from pipeline.store.repo import Store

    sim = get_source("va-gdc").simulator(seed=11, today=START)
    running = sim.start(host="127.0.0.1", port=0)
    try:
        engine = db.make_engine(f"sqlite:///{tmp_path_factory.mktemp('weeks') / 'w.db'}")
        db.upgrade(engine)
        store = Store(engine)
        config = parse_config({
            "http": {"user_agent": "evictwatch-test (ops@example.org)", "throttle_wait_s": 0.05},
            "scrape": {"browser_check": False, "window": {"look_back_days": 21, "look_ahead_days": 35}},
            "courts": [{"id": "arlington", "source": "va-gdc", "fips": FIPS, "base_url": running.base_url}],
        }, "test")
        snapshots, outcomes = [], []
        for week in range(WEEKS):
            today = START + dt.timedelta(weeks=week)
            sim.set_today(today)
            [outcome] = asyncio.run(scrape_courts(config, store, config.courts, scrape_window(config, today),
                                                  today=today, governor=fast_governor(config)))
            assert outcome.ok, outcome.error
            outcomes.append(outcome)
            snapshots.append({r.case_number: d["status"] for r, d in iter_export(store)})
        # The same day again: nothing changed at the court.
        [again] = asyncio.run(scrape_courts(config, store, config.courts, scrape_window(config, today),
                                            today=today, governor=fast_governor(config)))
        assert again.ok and (again.new, again.updated) == (0, 0)
        outcomes.append(again)
    finally:
        running.stop()
    return sim, store, outcomes, snapshots


def test_runs_after_the_first_are_incremental_and_cheaper(eight_weeks):
    _, _, outcomes, _ = eight_weeks
    assert outcomes[0].mode == "full" and all(o.mode == "incremental" for o in outcomes[1:])
    full = outcomes[0].summary.requests
    weekly, unchanged = outcomes[1:-1], outcomes[-1]
    for o in weekly:  # a week moves most cases of a short window on: these cost about a full scrape
        assert o.summary.skipped_known > 0 and o.full_requests == full
    assert unchanged.summary.requests < full * 0.25, (unchanged.summary.requests, full)
    print(f"requests: full {full}; weekly {[o.summary.requests for o in weekly]}; "
          f"same day again {unchanged.summary.requests}")


def test_every_case_has_the_status_the_simulator_says(eight_weeks):
    sim, store, _, _ = eight_weeks
    stored = {r.case_number: d for r, d in iter_export(store)}
    assert len(stored) > 300
    wrong = {n: (d["status"], sim.docket.status(FIPS, n)) for n, d in stored.items()
             if d["status"] != sim.docket.status(FIPS, n)}
    assert not wrong, f"{len(wrong)} of {len(stored)} cases disagree, e.g. {list(wrong.items())[:5]}"


def test_landlord_groups_match_the_simulator(eight_weeks):
    sim, store, _, _ = eight_weeks
    predicted = {r.case_number: d["landlord"] for r, d in iter_export(store)}
    truth = {n: sim.docket.landlord_id(FIPS, n) for n in predicted}
    precision, recall = pairwise(truth, predicted)
    print(f"landlords: pairwise precision {precision:.3f}, recall {recall:.3f} over {len(predicted)} cases")
    assert precision >= 0.95 and recall >= 0.95, (precision, recall)


def test_repeat_tenant_links_match_the_simulator(eight_weeks):
    sim, store, _, _ = eight_weeks
    predicted = {r.case_number: d["household"] for r, d in iter_export(store)}
    truth = {n: sim.docket.household_id(FIPS, n) for n in predicted}
    precision, recall = pairwise(truth, predicted)
    print(f"households: pairwise precision {precision:.3f}, recall {recall:.3f} over {len(predicted)} cases")
    assert precision >= 0.95 and recall >= 0.95, (precision, recall)
    repeats = Counter(predicted.values())
    assert any(count >= 2 for count in repeats.values())


def test_prior_cases_count_earlier_matters_of_the_household(eight_weeks):
    _, store, _, _ = eight_weeks
    cases = list(iter_export(store))
    by_household = defaultdict(list)
    for record, derived in cases:
        by_household[derived["household"]].append(record)
    for record, derived in cases:
        earlier = {r.matter_key for r in by_household[derived["household"]]
                   if r.filed_date < record.filed_date and r.matter_key != record.matter_key}
        assert derived["prior_cases"] == len(earlier), record.case_number
    assert any(d["prior_cases"] > 0 for _, d in cases)


def test_history_holds_every_status_change_once(eight_weeks):
    _, store, _, snapshots = eight_weeks
    seen: dict[str, list[str]] = defaultdict(list)
    for snapshot in snapshots:
        for number, status in snapshot.items():
            if not seen[number] or seen[number][-1] != status:
                seen[number].append(status)
    with store.engine.connect() as conn:
        rows = conn.execute(text(
            "SELECT c.case_number, e.kind, e.new_value FROM case_events e JOIN cases c ON c.id = e.case_id "
            "WHERE e.field = 'status' AND c.erased_at IS NULL ORDER BY e.id")).all()
        gone = conn.execute(text("SELECT count(*) FROM cases WHERE erased_reason = 'vanished'")).scalar()
    logged: dict[str, list[str]] = defaultdict(list)
    for number, kind, value in rows:
        logged[number].append(value)
    # Cases the court expunged in those weeks vanished from the portal, and so from the store.
    kept = {number for number in seen if number in logged or not any(seen[number])}
    assert gone > 0 and logged == {n: s for n, s in seen.items() if n in kept}
