"""A partner's watch list end to end: imported (errors by file, row and column), matched at once,
told once in a digest, reviewed by a person (a "no" is never proposed again), followed (a
hearing set, moved), watched case numbers opened by number, cleared and purged; and none of its
names in any log."""

from __future__ import annotations

import asyncio
import datetime as dt
import email
import json
import logging
import re
from email import policy
from pathlib import Path

import pytest
from typer.testing import CliRunner

from evictwatch.commands.app import app
from evictwatch.config import ConfigError, parse_config
from pipeline.plan import plan_court
from pipeline.prepare import prepare
from pipeline.store.watch import WatchStore
from scraper.base import Court
from scraper.courts import get_source
from scraper.courts.va_gdc.vocab import VOCABULARY
from scraper.records import Hearing, Party
from tests.test_store import record

TODAY = dt.date(2026, 12, 1)
NOW = dt.datetime(2026, 12, 1, 12, tzinfo=dt.timezone.utc)
PARTNER = "Helpline"
# Names only the partner's list holds: none of them may ever reach a log.
LIST_ONLY = ("Oyelaran", "OYELARAN", "Quentin", "QUENTIN", "Bob Smith", "Jose A. Pena")
LIST = ("Client ID,Name,ZIP,Case number\r\n"
        "H-1,Jose A. Pena,22304,\r\n"          # the court's PEÑA, JOSÉ A: confident
        "H-2,Bob Smith,,\r\n"                  # SMITH, ROBERT: a nickname, no ZIP code: to review
        "H-3,Bao Nguyen,22399,\r\n"            # NGUYEN, BAO in 22305: another ZIP, to review
        "H-4,,,GV26000604-00\r\n"              # not filed yet
        "H-5,Quentin Oyelaran,22314,\r\n")     # never sued


def case(number: str, tenant: str, zip5: str, hearing: dt.date, **changes):
    setting = Hearing(date=hearing, time=dt.time(9, 30), type="Return", courtroom="COURTROOM 2B")
    return record(**{"case_number": number, "matter_key": number[:10], "filed_date": dt.date(2026, 11, 10),
                     "judgment": None, "hearings": (setting,),
                     "defendants": (Party(name=tenant, address=f"ALEXANDRIA, VA {zip5}", attorney="NONE"),),
                     **changes})


def save(store, *records, today=TODAY):
    store.save([prepare(r, today, "America/New_York", VOCABULARY) for r in records],
               now=dt.datetime.combine(today, dt.time(6), dt.timezone.utc))


@pytest.fixture
def site(store, tmp_path):
    store.ensure_court(Court("alexandria", get_source("va-gdc"), "510", "https://portal.example.invalid/gdcourts/"))
    save(store, case("GV26000601-00", "PEÑA, JOSÉ A", "22304", dt.date(2026, 12, 8)),
         case("GV26000602-00", "SMITH, ROBERT", "22311", dt.date(2026, 12, 10)),
         case("GV26000603-00", "NGUYEN, BAO", "22305", dt.date(2026, 12, 9)))
    config = tmp_path / "c.yaml"
    config.write_text('http: {user_agent: "t (o@example.org)"}\n'
                      'notify: {transport: outbox, outbox: out, sender: "ew <ew@example.org>"}\n'
                      f'partners:\n  - {{name: {PARTNER}, emails: [h@example.org], receives: [watch_matches], '
                      'watch: {}}\n'
                      'courts:\n  - {id: alexandria, source: va-gdc, fips: "510", '
                      'base_url: "https://portal.example.invalid/gdcourts/"}\n')
    listed = tmp_path / "list.csv"
    listed.write_text(LIST, encoding="utf-8")
    return store, config, listed


def cli(store, config, *args):
    return CliRunner().invoke(app, ["--config", str(config), "--db", str(store.engine.url), *args])


def digests(config: Path) -> list[email.message.EmailMessage]:
    return [email.message_from_bytes(p.read_bytes(), policy=policy.default)
            for p in sorted((config.parent / "out").rglob("*.eml"), key=lambda p: p.stat().st_mtime_ns)]


def text_of(message) -> str:
    return message.get_body(("plain",)).get_content()


def csv_of(message) -> str:
    [part] = [p for p in message.iter_attachments() if p.get_filename().endswith(".csv")]
    content = part.get_content()
    return (content if isinstance(content, str) else content.decode("utf-8")).lstrip("\ufeff")


def notify(store, config, today=TODAY):
    result = cli(store, config, "notify", "--kind", "watch_matches", "--today", today.isoformat())
    assert result.exit_code == 0, result.output
    return result.output


def test_a_watch_list_is_matched_told_once_reviewed_and_followed_and_no_log_holds_its_names(site, caplog):
    store, config, listed = site
    caplog.set_level(logging.DEBUG)
    imported = cli(store, config, "watch", "import", "--partner", PARTNER, str(listed))
    assert imported.exit_code == 0, imported.output
    assert "5 rows (4 people, 1 case numbers)" in imported.output
    assert "1 confident, 2 to review, 0 by case number; 1 case numbers not stored yet" in imported.output

    assert "3 cases" in notify(store, config)
    [first] = digests(config)
    body = text_of(first)
    assert "Your id H-1: New match (confident); Hearing set: Tue 2026-12-08 9:30 AM" in body
    assert "Your id H-2: New match (to review)" in body and "first name a nickname of ROBERT" in body
    assert "no ZIP code on the list" in body
    assert "Your id H-3: New match (to review)" in body and "another ZIP code" in body
    assert "Oyelaran" not in body and "H-5" not in body
    table = csv_of(first)
    assert table.splitlines()[0].startswith("Your id,Match,Matched by,Likely (%),What is new,Evidence")
    likely = re.search(r"H-1,confident,name and ZIP code,(\d+),", table)
    assert likely and 70 <= int(likely.group(1)) <= 100  # the match probability, in percent
    assert "0 cases" in notify(store, config) and len(digests(config)) == 1  # nothing new: nothing sent

    pending = {m.row_id: m.id for m in WatchStore(store.engine).matches(PARTNER, pending=True)}
    assert set(pending) == {"H-2", "H-3"}
    listing = cli(store, config, "watch", "review")
    assert f"match {pending['H-3']}: {PARTNER}, id H-3 -> alexandria GV26000603-00" in listing.output
    decided = cli(store, config, "watch", "review", "--no", str(pending["H-3"]), "--yes", str(pending["H-2"]))
    assert decided.exit_code == 0, decided.output
    assert "never proposed again" in decided.output and "followed from now on" in decided.output
    status = json.loads(cli(store, config, "status", "--json", "--today", TODAY.isoformat()).stdout)
    assert status["watch_lists"] == [{"partner": PARTNER, "rows": 5, "case_numbers": 1, "followed": 2,
                                      "to_review": 0, "rejected": 1}]

    # The rejected pair is not proposed again; the confirmed one is followed: its hearing is news.
    cli(store, config, "watch", "import", "--partner", PARTNER, str(listed))  # the same list again
    assert "nothing to review" in cli(store, config, "watch", "review").output
    notify(store, config)
    second = text_of(digests(config)[-1])
    assert "Your id H-2: Match confirmed by review; Hearing set: Thu 2026-12-10 9:30 AM" in second
    assert "H-3" not in second

    # The court moves H-1's hearing, and files H-4's case.
    later = TODAY + dt.timedelta(days=2)
    save(store, case("GV26000601-00", "PEÑA, JOSÉ A", "22304", dt.date(2026, 12, 15)),
         case("GV26000604-00", "DOE, JANE", "22302", dt.date(2026, 12, 22)), today=later)
    notify(store, config, later)
    third = text_of(digests(config)[-1])
    assert "Your id H-1: Hearing moved: Tue 2026-12-15 9:30 AM" in third
    assert "Your id H-4: New match (confident); Hearing set: Tue 2026-12-22 9:30 AM" in third
    assert "by case number" in third and "H-2" not in third

    logged = "\n".join(f"{r.getMessage()} {r.__dict__}" for r in caplog.records)
    assert "watch list imported" in logged and "watch list matched" in logged
    for name in LIST_ONLY + ("PEÑA", "PENA", "NGUYEN", "SMITH"):
        assert name not in logged


def test_import_problems_name_the_file_row_and_column_and_the_rest_is_imported(site, tmp_path):
    store, config, _ = site
    bad = tmp_path / "bad.csv"
    bad.write_text("id,name,zip\r\nA-1,\"PEÑA, JOSÉ A\",22304\r\nA-2,\"SMITH, ANA\",2231\r\nA-3,Cher,22304\r\n",
                   encoding="utf-8")
    result = cli(store, config, "watch", "import", "--partner", PARTNER, str(bad))
    assert result.exit_code == 1
    assert f"{bad}: row 3, column 'zip': '2231' is not a ZIP code" in result.output
    assert f"{bad}: row 4, column 'name': a name needs a last and a first name" in result.output
    assert "2 rows could not be read and were left out" in result.output
    assert [e.row_id for e in WatchStore(store.engine).entries(PARTNER)] == ["A-1"]
    refused = tmp_path / "dob.csv"
    refused.write_text("name,zip,Date of birth\r\n", encoding="utf-8")
    result = cli(store, config, "watch", "import", "--partner", PARTNER, str(refused))
    assert result.exit_code == 2 and "holds dates of birth" in result.output
    unknown = cli(store, config, "watch", "import", "--partner", "Nobody", str(bad))
    assert unknown.exit_code == 2 and "no partner named 'Nobody'" in unknown.output


def test_only_match_keys_are_stored_and_clear_and_retention_remove_them(site):
    store, config, listed = site
    cli(store, config, "watch", "import", "--partner", PARTNER, str(listed))
    with store.engine.connect() as conn:
        stored = " ".join(str(v) for table in ("watch_entries", "watch_matches")
                          for row in conn.exec_driver_sql(f"SELECT * FROM {table}") for v in row)
    assert "PENA" in stored and "JOSE" in stored  # the keys, folded
    for written in ("Pena", "Jose A.", "Bob", "Bao Nguyen", "Quentin Oyelaran"):
        assert written not in stored  # never the name as the partner wrote it
    watch = WatchStore(store.engine)
    assert watch.purge(keep=[PARTNER]) == {"watch_entries": 0, "watch_matches": 0}
    assert watch.purge(keep=[]) == {"watch_entries": 5, "watch_matches": 3}  # no `watch:` entry any more
    cli(store, config, "watch", "import", "--partner", PARTNER, str(listed))
    cleared = cli(store, config, "watch", "clear", "--partner", PARTNER)
    assert "5 rows and 3 matches removed" in cleared.output
    assert watch.entries(PARTNER) == [] and watch.matches(PARTNER) == []


def test_a_watched_number_is_due_until_its_case_closes_and_only_where_it_fits(site):
    store, _, _ = site
    watched = {"GV26000601-00", "GV26000999-00"}
    full = plan_court(store, "alexandria", TODAY, TODAY, TODAY, watched=watched)
    assert full.due == {"GV26000601-00": "watched by a partner", "GV26000999-00": "watched by a partner, not found yet"}
    save(store, case("GV26000601-00", "PEÑA, JOSÉ A", "22304", dt.date(2026, 11, 24),
                     hearings=(Hearing(date=dt.date(2026, 11, 24), result="Dismissed", type="Return"),)))
    assert "GV26000601-00" not in plan_court(store, "alexandria", TODAY, TODAY, TODAY, watched=watched).due
    from scraper.courts import get_source

    assert get_source("va-gdc").is_case_number("GV26000999-00")
    assert not get_source("va-gdc").is_case_number("J1-CV-20-001590")
    assert get_source("tyler-odyssey").is_case_number("J1-CV-20-001590")


def test_receiving_watch_matches_needs_a_watch_entry():
    with pytest.raises(ConfigError, match="watch_matches but has no `watch:` entry"):
        parse_config({"http": {"user_agent": "t (o@example.org)"},
                      "partners": [{"name": "P", "emails": ["p@example.org"], "receives": ["watch_matches"]}],
                      "courts": [{"id": "a", "source": "va-gdc", "fips": "510",
                                  "base_url": "https://portal.example.invalid/"}]}, "test")
    with pytest.raises(ConfigError, match="review"):
        parse_config({"http": {"user_agent": "t (o@example.org)"},
                      "partners": [{"name": "P", "emails": ["p@example.org"], "watch": {"auto_match": 80,
                                                                                         "review": 90}}],
                      "courts": [{"id": "a", "source": "va-gdc", "fips": "510",
                                  "base_url": "https://portal.example.invalid/"}]}, "test")


def test_a_watched_number_is_opened_by_number_before_its_hearing_is_in_the_window(store, tmp_path):
    """Against the simulator: a case filed, its return hearing weeks ahead, outside the walked days."""
    from evictwatch.config import scrape_window
    from evictwatch.jobs.scrape import scrape_courts
    from evictwatch.jobs.watch import import_watch_list
    from scraper.courts import get_source
    from tests.ops_support import fast_governor

    today = dt.date(2026, 11, 18)
    sim = get_source("va-gdc").simulator(seed=3, today=today)
    window = (today - dt.timedelta(days=2), today + dt.timedelta(days=2))
    ahead = [c for c in sim.docket.court_year("510", 2026).cases
             if c.case_type == "Unlawful Detainer" and (found := sim.docket.case("510", c.case_number)) is not None
             and found.hearings and all(not window[0] <= h.date <= window[1] for h in found.hearings)
             and min(h.date for h in found.hearings) > today]
    number = ahead[-1].case_number
    running = sim.start(host="127.0.0.1", port=0)
    try:
        config = parse_config({
            "http": {"user_agent": "evictwatch-test (ops@example.org)", "throttle_wait_s": 0.05},
            "scrape": {"browser_check": False, "window": {"look_back_days": 2, "look_ahead_days": 2}},
            "courts": [{"id": "alexandria", "source": "va-gdc", "fips": "510", "base_url": running.base_url}],
            "partners": [{"name": PARTNER, "emails": ["h@example.org"], "watch": {}}],
        }, "test")
        listed = tmp_path / "numbers.csv"
        listed.write_text(f"id,case number\r\nN-1,{number}\r\nN-2,J1-CV-20-001590\r\n", encoding="utf-8")
        result = import_watch_list(config, store, PARTNER, listed)  # now: the lookup days count from here
        assert (result.numbers, result.numbers_not_stored) == (1, 1)
        # An Odyssey number on a list of a partner with only a Virginia court: refused, by row and column.
        assert [str(p) for p in result.problems] == [
            "row 3, column 'case number': 'J1-CV-20-001590' is not a case number of alexandria"]
        [outcome] = asyncio.run(scrape_courts(config, store, config.courts, scrape_window(config, today), today=today,
                                              governor=fast_governor(config)))
        assert outcome.ok, outcome.error
    finally:
        running.stop()
    from pipeline.store.notices import numbered

    assert [c.case_number for c in numbered(store, [number])] == [number]
    from evictwatch.jobs.watch import match_partner

    assert match_partner(config, store, config.partners[0]).by_number == 1


def two_courts(store, tmp_path, list_text: str):
    store.ensure_court(Court("alexandria", get_source("va-gdc"), "510", "https://portal.example.invalid/gdcourts/"))
    store.ensure_court(Court("arlington", get_source("va-gdc"), "013", "https://portal.example.invalid/gdcourts/"))
    config = parse_config({"http": {"user_agent": "t (o@example.org)"},
                           "partners": [{"name": PARTNER, "emails": ["h@example.org"], "watch": {}}],
                           "courts": [{"id": c, "source": "va-gdc", "fips": f,
                                       "base_url": "https://portal.example.invalid/gdcourts/"}
                                      for c, f in (("alexandria", "510"), ("arlington", "013"))]}, "test")
    listed = tmp_path / "l.csv"
    listed.write_text(list_text, encoding="utf-8")
    return config, listed


def test_a_case_number_wins_over_a_name_and_one_number_in_two_courts_is_for_a_person(store, tmp_path):
    from evictwatch.jobs.watch import import_watch_list

    config, listed = two_courts(store, tmp_path, "id,name,zip,case number,court\r\n"
                                                 "B-1,Bao Nguyen,22399,GV26000603-00,\r\n"
                                                 "B-2,,,GV26000601-00,\r\n"
                                                 "B-3,,,GV26000601-00,arlington\r\n")
    save(store, case("GV26000603-00", "NGUYEN, BAO", "22305", dt.date(2026, 12, 9)),
         case("GV26000601-00", "PEÑA, JOSÉ A", "22304", dt.date(2026, 12, 8)),
         case("GV26000601-00", "DOE, JANE", "22201", dt.date(2026, 12, 8), court="arlington"))
    result = import_watch_list(config, store, PARTNER, listed, now=NOW)
    found = {(m.row_id, m.court): (m.matched_by, m.verdict, m.reasons) for m in WatchStore(store.engine).matches()}
    assert found[("B-1", "alexandria")] == ("case_number", "confident", None)  # not "to review" by its name
    assert found[("B-2", "alexandria")] == found[("B-2", "arlington")] == ("case_number", "to review",
                                                                           "the same number in 2 courts")
    assert found[("B-3", "arlington")] == ("case_number", "confident", None) and ("B-3", "alexandria") not in found
    assert (result.matched.by_number, result.matched.review) == (4, 0)


def test_a_no_survives_a_new_zip_code_and_rows_renumbered_and_answers_are_all_or_none(site, tmp_path):
    store, config, listed = site
    cli(store, config, "watch", "import", "--partner", PARTNER, str(listed))
    watch = WatchStore(store.engine)
    pending = {m.row_id: m.id for m in watch.matches(PARTNER, pending=True)}
    refused = cli(store, config, "watch", "review", "--partner", "Other", "--no", str(pending["H-3"]))
    assert refused.exit_code == 2 and "nothing was recorded" in refused.output
    bad = cli(store, config, "watch", "review", "--no", str(pending["H-3"]), "--yes", "999")
    assert bad.exit_code == 2 and all(m.decision is None for m in watch.matches(PARTNER))
    assert cli(store, config, "watch", "review", "--no", str(pending["H-3"])).exit_code == 0
    moved = tmp_path / "moved.csv"  # H-3 corrected to its right ZIP code: still the person said no to
    moved.write_text(LIST.replace("H-3,Bao Nguyen,22399", "H-3,Bao Nguyen,22305"), encoding="utf-8")
    cli(store, config, "watch", "import", "--partner", PARTNER, str(moved))
    assert [m.decision for m in watch.matches(PARTNER) if m.row_id == "H-3"] == ["no"]
    bare = tmp_path / "bare.csv"  # no id column, rows in another order: the no follows the name
    bare.write_text("Name,ZIP\r\nQuentin Oyelaran,22314\r\nBao Nguyen,22305\r\n", encoding="utf-8")
    result = cli(store, config, "watch", "import", "--partner", PARTNER, str(bare))
    assert "no id column" in result.output
    assert [(m.row_id, m.decision) for m in watch.matches(PARTNER)] == [("3", "no")]
    assert "nothing to review" in cli(store, config, "watch", "review").output
    again = watch.matches(PARTNER)[0].id
    assert again > max(pending.values())  # a match id is never given to another pair


def test_unfound_numbers_are_looked_up_for_lookup_days_and_only_where_they_may_be(store, tmp_path):
    from evictwatch.jobs.watch import import_watch_list, watched_numbers

    config, listed = two_courts(store, tmp_path, "id,case number,court\r\nN-1,GV26000777-00,\r\n"
                                                 "N-2,GV26000888-00,arlington\r\nN-3,GV26000601-00,\r\n")
    save(store, case("GV26000601-00", "PEÑA, JOSÉ A", "22304", dt.date(2026, 12, 8)))
    import_watch_list(config, store, PARTNER, listed, now=NOW)
    assert watched_numbers(config, store, "alexandria", now=NOW) == {"GV26000777-00", "GV26000601-00"}
    assert watched_numbers(config, store, "arlington", now=NOW) == {"GV26000777-00", "GV26000888-00"}
    later = NOW + dt.timedelta(days=15)  # past watch.lookup_days (14): only the case found is opened still
    assert watched_numbers(config, store, "alexandria", now=later) == {"GV26000601-00"}
    assert watched_numbers(config, store, "arlington", now=later) == set()


def test_the_next_hearing_after_one_heard_is_not_called_moved(site):
    store, config, listed = site
    cli(store, config, "watch", "import", "--partner", PARTNER, str(listed))
    notify(store, config)
    later = dt.date(2026, 12, 9)
    save(store, case("GV26000601-00", "PEÑA, JOSÉ A", "22304", dt.date(2026, 12, 8),
                     hearings=(Hearing(date=dt.date(2026, 12, 8), time=dt.time(9, 30), result="Continued",
                                       type="Return"),
                               Hearing(date=dt.date(2026, 12, 29), time=dt.time(13, 30), type="Trial"))), today=later)
    notify(store, config, later)
    assert "Your id H-1: Next hearing set: Tue 2026-12-29 1:30 PM" in text_of(digests(config)[-1])


def test_notify_says_when_no_partner_receives_the_kind(site, tmp_path):
    store, _, _ = site
    config = tmp_path / "none.yaml"
    config.write_text('http: {user_agent: "t (o@example.org)"}\n'
                      'partners:\n  - {name: Lists, emails: [l@example.org], receives: [weekly_list]}\n'
                      'courts:\n  - {id: alexandria, source: va-gdc, fips: "510", '
                      'base_url: "https://portal.example.invalid/gdcourts/"}\n')
    result = cli(store, config, "notify", "--kind", "watch_matches", "--today", TODAY.isoformat())
    assert result.exit_code == 0 and f"nothing to send: no partner in {config} receives watch_matches" in result.output
