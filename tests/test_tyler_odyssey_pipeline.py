"""Odyssey cases through the pipeline: the status machine, landlord groups and repeat-tenant
links must match the simulator's ground truth, with Texas wording mapped by the adapter's own
vocabulary."""

from __future__ import annotations

import datetime as dt

from pipeline.ingest import Ingest, refresh_landlords
from pipeline.landlords import LandlordOverrides
from pipeline.store import db
from pipeline.store.queries import iter_export
from pipeline.store.repo import Store
from scraper.base import Court
from scraper.courts import get_source
from scraper.courts.tyler_odyssey.sim.docket import Docket
from tests.test_pipeline_sim import pairwise

TODAY = dt.date(2026, 11, 27)
COURT = "travis-jp"


def test_statuses_landlords_and_households_match_the_ground_truth(tmp_path):
    source = get_source("tyler-odyssey")
    docket = Docket(5, TODAY)
    records = docket.truth(dt.date(2026, 1, 15), TODAY + dt.timedelta(days=21), court_id=COURT)  # most of a year
    engine = db.make_engine(f"sqlite:///{tmp_path / 'tx.db'}")
    db.upgrade(engine)
    store = Store(engine)
    store.ensure_court(Court(COURT, get_source("tyler-odyssey"), "", "https://portal.example.invalid/JPPublicAccess/"))
    ingest = Ingest(store, today=TODAY, timezone=source.timezone, vocabulary=source.vocabulary)
    for record in records:
        ingest.record(record)
    ingest.flush()
    refresh_landlords(store, LandlordOverrides.empty())
    assert ingest.new == len(records) > 500 and not ingest.unknown_values  # every wording known
    stored = {r.case_number: d for r, d in iter_export(Store(engine), evictions_only=True)}
    assert len(stored) == len(records)
    wrong = {n: (d["status"], docket.status(n)) for n, d in stored.items() if d["status"] != docket.status(n)}
    assert not wrong, f"{len(wrong)} of {len(stored)} disagree, e.g. {list(wrong.items())[:5]}"
    statuses = {d["status"] for d in stored.values()}
    assert {"writ_executed", "writ_issued", "judgment_plaintiff", "judgment_defendant", "dismissed",
            "non_suited", "appealed", "hearing_scheduled"} <= statuses
    for field, truth in (("landlord", docket.landlord_id), ("household", docket.household_id)):
        precision, recall = pairwise({n: truth(n) for n in stored}, {n: d[field] for n, d in stored.items()})
        assert precision >= 0.95 and recall >= 0.95, (field, precision, recall)
    # A default judgment at the first hearing counts as the tenant's absence.
    defaults = [d for d in stored.values() if d["flags"]["first_hearing_default"]]
    assert defaults and all(d["status"] != "hearing_scheduled" for d in defaults)
    with engine.connect() as conn:
        from sqlalchemy import text

        kinds = set(conn.execute(text("SELECT DISTINCT kind FROM cases")).scalars())
        officers = conn.execute(text("SELECT count(*) FROM hearings WHERE judicial_officer LIKE 'Judge %'")).scalar()
    assert kinds == {"eviction"} and officers > 0
