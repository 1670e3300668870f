"""A watch list's street address, where the court's portal shows tenants' streets (Odyssey's
do, Virginia's do not): kept only as a house number and street name, it tells namesakes in one
ZIP code apart and is never stored or logged as written."""

from __future__ import annotations

import datetime as dt
import logging

import pytest
from scraper.base import Court
from scraper.courts import get_source
from sqlalchemy import text

from pipeline.linkage.matcher import Matcher, Person, Verdict
from pipeline.linkage.names import name_key
from pipeline.linkage.streets import street_key
from tests.test_watch import PARTNER, case, cli, save
from tests.test_watchmatch import CROWD


@pytest.mark.parametrize("written, key", [
    ("123 N Washington St.", "123 WASHINGTON"), ("123 WASHINGTON STREET", "123 WASHINGTON"),
    ("123 Washington St Apt 4", "123 WASHINGTON"), ("4500 S FOUR MILE RUN DR, ARLINGTON, VA 22204", "4500 FOUR MILE RUN"),
    ("PO Box 55", "PO BOX 55"), ("Washington St", None), ("ALEXANDRIA, VA 22304", None), ("", None), (None, None),
])
def test_a_street_is_kept_as_its_house_number_and_name(written, key):
    assert street_key(written) == key


def _namesakes(streets: bool) -> Matcher:
    """Two households of one name in one ZIP code, their streets shown or not, in a crowd."""
    people = [Person("H0", "H0", name_key("NGUYEN, BAO"), "22305", "12 OAK" if streets else None),
              Person("H1", "H1", name_key("NGUYEN, BAO"), "22305", "980 ELM" if streets else None)]
    crowd = [Person(f"C{i}", f"C{i}", name_key(name), zip5, f"{i} MAIN" if streets else None)
             for i, (name, zip5) in enumerate(CROWD)]
    return Matcher(people + crowd)


def test_the_street_tells_namesakes_in_one_zip_code_apart():
    shown = _namesakes(streets=True)
    [found] = shown.propose(name_key("Bao Nguyen"), "22305", street_key("12 Oak Street"))
    assert (found.ref, found.verdict) == ("H0", Verdict.CONFIDENT)
    assert "same street address" in found.evidence
    # Without a street on the list, or where the court shows none, the two tie: a person looks.
    for matcher, street in ((shown, None), (_namesakes(streets=False), street_key("12 Oak Street"))):
        found = matcher.propose(name_key("Bao Nguyen"), "22305", street)
        assert {(p.ref, p.verdict) for p in found} == {("H0", Verdict.REVIEW), ("H1", Verdict.REVIEW)}
        assert all("1 other household fits as well" in p.evidence for p in found)


def test_another_street_is_never_confident():
    people = [Person("H0", "H0", name_key("OYELARAN, QUENTIN"), "22314", "7 PINE")]
    crowd = [Person(f"C{i}", f"C{i}", name_key(name), zip5, f"{i} MAIN") for i, (name, zip5) in enumerate(CROWD)]
    matcher = Matcher(people + crowd)
    [same] = matcher.propose(name_key("Quentin Oyelaran"), "22314", "7 PINE")
    [moved] = matcher.propose(name_key("Quentin Oyelaran"), "22314", "31 CEDAR")
    assert same.verdict is Verdict.CONFIDENT and moved.verdict is Verdict.REVIEW
    assert moved.probability < same.probability and "another street address" in moved.evidence


def test_an_imported_address_matches_and_is_kept_only_as_its_key(store, tmp_path, caplog):
    store.ensure_court(Court("alexandria", get_source("va-gdc"), "510", "https://portal.example.invalid/gdcourts/"))
    save(store, case("GV26000611-00", "NGUYEN, BAO", "22305", dt.date(2026, 12, 9)),
         case("GV26000612-00", "OYELARAN, QUENTIN", "22314", dt.date(2026, 12, 10)))
    with store.engine.begin() as conn:  # a portal that shows streets (as Odyssey's does)
        for number, street in (("GV26000611-00", "12 OAK ST"), ("GV26000612-00", "980 ELM ST")):
            conn.execute(text("UPDATE parties SET street = :s WHERE case_id = (SELECT id FROM cases "
                              "WHERE case_number = :n)"), {"s": street, "n": number})
    config = tmp_path / "c.yaml"
    config.write_text('http: {user_agent: "t (o@example.org)"}\n'
                      f'partners:\n  - {{name: {PARTNER}, emails: [h@example.org], receives: [watch_matches], '
                      'watch: {}}\n'
                      'courts:\n  - {id: alexandria, source: va-gdc, fips: "510", '
                      'base_url: "https://portal.example.invalid/gdcourts/"}\n')
    listed = tmp_path / "list.csv"
    listed.write_text("id,name,zip,address\r\nA-1,Bao Nguyen,22305,12 Oak Street Apt 3\r\n"
                      "A-2,Quentin Oyelaran,22314,31 Cedar Lane\r\n", encoding="utf-8")
    caplog.set_level(logging.DEBUG)
    imported = cli(store, config, "watch", "import", "--partner", PARTNER, str(listed))
    assert imported.exit_code == 0, imported.output
    with store.engine.connect() as conn:
        assert sorted(conn.execute(text("SELECT street_key FROM watch_entries")).scalars()) == ["12 OAK", "31 CEDAR"]
        matches = conn.execute(text("SELECT row_id, verdict, reasons FROM watch_matches ORDER BY row_id")).all()
    assert [(m.row_id, m.verdict) for m in matches] == [("A-1", "confident"), ("A-2", "to review")]
    assert "same street address" in matches[0].reasons and "another street address" in matches[1].reasons
    assert not any(word in caplog.text + imported.output for word in ("Oak", "OAK", "Cedar", "CEDAR"))


def test_an_address_added_to_a_row_keeps_its_matches_and_answers(store, tmp_path):
    from pipeline.store.watch import WatchKeys, WatchStore

    watch = WatchStore(store.engine)
    now = dt.datetime(2026, 12, 1, 12, tzinfo=dt.timezone.utc)
    watch.replace(PARTNER, [WatchKeys("A-1", "NGUYEN", "BAO", None, False, "22305")], now=now)
    change = watch.replace(PARTNER, [WatchKeys("A-1", "NGUYEN", "BAO", None, False, "22305", street="12 OAK")], now=now)
    assert (change.added, change.changed, change.unchanged) == (0, 0, 1)  # the same row, its address added
    assert [k.street for k in watch.entries(PARTNER)] == ["12 OAK"]
