"""Letters to tenants (issue 32): against an Odyssey portal that publishes street addresses, a
letter for each new case whose tenants' street it shows, with that address, never two for one
case, recorded as outreach; the letter itself in English and Spanish, safe to print."""

from __future__ import annotations

import asyncio
import csv
import datetime as dt
import io
import re
import sqlite3
import stat

import pytest
import yaml
from typer.testing import CliRunner

from evictwatch.commands.app import app
from evictwatch.config import parse_config, scrape_window
from evictwatch.jobs.letters import LettersError, write_letters
from evictwatch.jobs.scrape import scrape_courts
from notify.letters import ENGLISH, SPANISH, Letter, Sender, mail_house_csv, render_labels, render_letters
from pipeline.normalize.addresses import normalize_address
from pipeline.store import db
from pipeline.store.contact_summary import outreach_summary
from pipeline.store.contacts import Method, Result, attempts_on
from pipeline.store.repo import Store
from scraper.courts import get_source
from tests.test_integration_sim import fast_governor

TODAY = dt.date(2026, 11, 27)  # a Friday
COURT = "travis-jp5"
NOW = dt.datetime(2026, 11, 27, 16, tzinfo=dt.timezone.utc)


def settings(base_url: str, letters: dict | None) -> dict:
    partner = {"name": "Texas Legal Aid", "emails": ["intake@example.org"], "filters": {"courts": [COURT]}}
    if letters is not None:
        partner["letters"] = letters
    return {
        "http": {"user_agent": "evictwatch-test (ops@example.org)", "throttle_wait_s": 0.05, "timeout_s": 20},
        "scrape": {"browser_check": False, "window": {"look_back_days": 7, "look_ahead_days": 30}},
        "courts": [{"id": COURT, "source": "tyler-odyssey", "code": "Precinct Five", "base_url": base_url,
                    "name": "Travis County Justice of the Peace, Precinct Five"}],
        "partners": [partner],
    }


@pytest.fixture(scope="module")
def scraped(tmp_path_factory):
    """A week of Precinct Five's filings from a portal that publishes tenants' streets."""
    folder = tmp_path_factory.mktemp("letters")
    simulator = get_source("tyler-odyssey").simulator(seed=3, today=TODAY, result_cap=20, street_addresses=True)
    running = simulator.start()
    try:
        config = parse_config(settings(running.base_url, {}), "test")
        engine = db.make_engine(f"sqlite:///{folder / 'o.db'}")
        db.upgrade(engine)
        asyncio.run(scrape_courts(config, Store(engine), config.courts, scrape_window(config, TODAY), today=TODAY,
                                  full=True, governor=fast_governor(config)))
    finally:
        running.stop()
    return simulator, folder


def streets_on_the_portal(simulator) -> dict[str, set[tuple[str, str | None, str]]]:
    """Each new eviction case whose first hearing is 5 days away or more, with the streets the
    portal shows for its tenants (an empty set: it shows none)."""
    found = {}
    for record in simulator.docket.truth(TODAY - dt.timedelta(days=10), TODAY + dt.timedelta(days=40),
                                         frozenset({5}), COURT):
        first = min(h.date for h in record.hearings)
        if TODAY - dt.timedelta(days=7) <= record.filed_date <= TODAY and (first - TODAY).days >= 5:
            addresses = [normalize_address(p.address) for p in record.defendants]
            found[record.case_number] = {(a.street, a.unit, a.zip5) for a in addresses if a and a.street}
    return found


def test_letters_reach_each_new_case_whose_street_the_portal_shows_once(scraped, tmp_path):
    simulator, folder = scraped
    with sqlite3.connect(folder / "o.db") as source, sqlite3.connect(tmp_path / "o.db") as copy:
        source.backup(copy)
    config_path = tmp_path / "config.yaml"
    config_path.write_text(yaml.safe_dump(settings("http://127.0.0.1:9/JPPublicAccess/", {
        "phone": "512-555-0100", "return_address": ["Texas Legal Aid", "PO Box 1", "Austin, TX 78701"]})))
    expected = streets_on_the_portal(simulator)
    with_street = {number for number, streets in expected.items() if streets}
    assert len(with_street) >= 4 and len(with_street) < len(expected)  # the portal shows some streets, not all

    store = Store(db.make_engine(f"sqlite:///{tmp_path / 'o.db'}"))
    opted = sorted(with_street)[0]
    with store.engine.connect() as conn:
        household = conn.exec_driver_sql("SELECT household_key FROM cases WHERE case_number = ?", (opted,)).scalar()
    store.ledger.opt_out(household, opted, "asked not to be contacted")

    runner = CliRunner()
    args = ["--config", str(config_path), "--db", f"sqlite:///{tmp_path / 'o.db'}", "letters",
            "--partner", "Texas Legal Aid", "--today", TODAY.isoformat(), "--out", str(tmp_path / "letters")]
    first = runner.invoke(app, args)
    assert first.exit_code == 0, first.output
    run = tmp_path / "letters" / TODAY.isoformat()
    with open(run / "mail-house.csv", newline="", encoding="utf-8-sig") as fh:
        rows = list(csv.DictReader(fh))
    lettered = {r["Case number"] for r in rows}
    # Only cases whose street the portal shows, at that street; at least 80% of those it should reach.
    assert lettered <= with_street - {opted}
    assert len(lettered) >= 0.8 * len(with_street - {opted})
    for r in rows:
        unit = r["Address line 2"] or None
        assert (r["Address line 1"], unit, r["ZIP"]) in expected[r["Case number"]], r
        assert r["Name"] and r["City"] == "AUSTIN" and r["State"] == "TX"
    assert f"letters: {len(rows)} for {len(lettered)} cases" in first.stdout
    assert re.search(r"no letter, the court shows no street address \(none guessed\): [1-9]", first.stdout)
    assert "no letter, the household opted out: 1" in first.stdout
    # Two printed pages a letter (English front, Spanish back), and a label a letter; private files.
    pdf = (run / "letters.pdf").read_bytes()
    assert pdf.startswith(b"%PDF-") and len(re.findall(rb"/Type\s*/Page\b", pdf)) == 2 * len(rows)
    assert (run / "labels-avery-5160.pdf").read_bytes().startswith(b"%PDF-")
    for path in run.iterdir():
        assert stat.S_IMODE(path.stat().st_mode) == 0o600, path
    # Each case written to is recorded as a letter sent, and counted as attempted.
    for number in lettered:
        [attempt] = attempts_on(store, "Texas Legal Aid", COURT, number)
        assert (attempt.method, attempt.result, attempt.contacted_on) == (Method.LETTER, Result.SENT, TODAY)
    summary = outreach_summary(store, TODAY - dt.timedelta(days=7), TODAY, courts=[COURT], partner="Texas Legal Aid")
    assert summary.attempted_before_first_hearing == len(lettered) and summary.reached_before_first_hearing == 0

    # Again: it also looks back two weeks for cases not written to yet (found late, or given their
    # hearing late) whose hearing is far enough off; never a case twice, nothing written over.
    again = runner.invoke(app, args)
    assert again.exit_code == 0, again.output
    assert f"filed {(TODAY - dt.timedelta(days=14)).isoformat()} to {TODAY.isoformat()}" in again.stdout
    assert f"no letter, written to before: {len(lettered)}" in again.stdout
    later = tmp_path / "letters" / f"{TODAY.isoformat()}-2" / "mail-house.csv"
    if later.exists():
        with open(later, newline="", encoding="utf-8-sig") as fh:
            caught_up = {r["Case number"] for r in csv.DictReader(fh)}
        assert caught_up and not caught_up & lettered
        assert all(simulator.docket.record(n).filed_date < TODAY - dt.timedelta(days=7) for n in caught_up)
    third = runner.invoke(app, args)
    assert "letters: 0 for 0 cases" in third.stdout and len(list((tmp_path / "letters").iterdir())) <= 2


def test_a_partner_without_letters_is_told_how_to_turn_them_on(scraped, tmp_path):
    config = parse_config(settings("http://127.0.0.1:9/JPPublicAccess/", None), "test")
    store = Store(db.make_engine(f"sqlite:///{scraped[1] / 'o.db'}"))
    with pytest.raises(LettersError, match=r"no `letters:` entry .*`letters: \{\}` for the defaults"):
        write_letters(config, store, config.partners[0], today=TODAY, now=NOW, out=tmp_path)
    assert not list(tmp_path.iterdir())


def letter(**changes) -> Letter:
    fields = dict(letter_id="J5-CV-26-000421", court=COURT, court_name="Travis County Justice of the Peace, Precinct Five",
                  case_number="J5-CV-26-000421", hearing_date=dt.date(2026, 12, 9), hearing_time=dt.time(13, 30),
                  place="Precinct Five", names=("ISAAC ADAMS",), all_occupants=True, street="9542 WICKERSHAM LN",
                  unit="UNIT B7", city="AUSTIN", state="TX", zip5="78753")
    return Letter(**{**fields, **changes})


def test_the_letter_says_the_case_date_time_and_place_in_english_and_spanish():
    sender = Sender("Texas Legal Aid", ("Texas Legal Aid", "PO Box 1"), "512-555-0100", "Maria Lopez", ENGLISH, SPANISH)
    html = render_letters([letter()], sender)
    front, back = html.split('class="page back"')
    assert "Wednesday, December 9, 2026 at 1:30 PM at Precinct Five" in front and "J5-CV-26-000421" in front
    assert "miércoles 9 de diciembre de 2026 a las 1:30 p. m. en Precinct Five" in back and "J5-CV-26-000421" in back
    assert "Texas Legal Aid ofrece ayuda legal gratuita" in back and "Llámenos: 512-555-0100" in back
    assert "ISAAC ADAMS<br>AND ALL OTHER OCCUPANTS<br>9542 WICKERSHAM LN UNIT B7<br>AUSTIN TX 78753" in front
    assert "Maria Lopez" in front and "not from the court or from your landlord" in front
    # No time published: the letter says so rather than inventing one.
    untimed = render_letters([letter(hearing_time=None)], sender)
    assert "The court has not published its time." in untimed and "El tribunal no ha publicado la hora." in untimed


def test_what_a_court_printed_cannot_change_the_letter_the_labels_or_the_mail_house_file():
    hostile = letter(names=("<b>EVE</b>\u202eEVIL", "=HYPERLINK(\"x\")", "THIRD PERSON"), street="1 MAIN ST\r\nINJECTED",
                     all_occupants=False)
    sender = Sender("Aid <script>", (), "", "", ENGLISH, SPANISH)
    html = render_letters([hostile], sender) + render_labels([hostile])
    assert "<b>EVE" not in html and "&lt;B&gt;EVE&lt;/B&gt;" in html and "\u202e" not in html
    assert "<script>" not in html and "1 MAIN ST INJECTED" in html
    assert "=HYPERLINK(&#34;X&#34;) ET AL" in html  # two names at most on an envelope
    [row] = list(csv.DictReader(io.StringIO(mail_house_csv([hostile]).decode("utf-8-sig"))))
    assert row["Name 2"].startswith("'=HYPERLINK") and "\r" not in row["Address line 1"]
    # Avery 5160: thirty labels a sheet.
    assert render_labels([letter()] * 31).count('class="sheet"') == 2


def test_a_partner_keeping_to_some_zip_codes_writes_only_to_households_there(scraped, tmp_path):
    simulator, folder = scraped
    with sqlite3.connect(folder / "o.db") as source, sqlite3.connect(tmp_path / "o.db") as copy:
        source.backup(copy)
    store = Store(db.make_engine(f"sqlite:///{tmp_path / 'o.db'}"))
    expected = streets_on_the_portal(simulator)
    zips = sorted({zip5 for streets in expected.values() for _, _, zip5 in streets})[:2]
    raw = settings("http://127.0.0.1:9/JPPublicAccess/", {"phone": "512-555-0100"})
    raw["partners"][0]["filters"]["zips"] = zips
    config = parse_config(raw, "test")
    run = write_letters(config, store, config.partners[0], today=TODAY, now=NOW, out=tmp_path / "out")
    with open(next((tmp_path / "out").iterdir()) / "mail-house.csv", newline="", encoding="utf-8-sig") as fh:
        rows = list(csv.DictReader(fh))
    assert rows and {r["ZIP"] for r in rows} <= set(zips) and run.letters == len(rows)
