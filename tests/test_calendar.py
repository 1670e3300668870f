"""A partner's hearings feed: merged by UID across generations, as a calendar app merges it."""

from __future__ import annotations

import datetime as dt
import stat

from icalendar import Calendar
from typer.testing import CliRunner

from evictwatch.commands.app import app
from pipeline.prepare import prepare
from scraper.base import Court
from scraper.courts import get_source
from scraper.courts.va_gdc.vocab import VOCABULARY
from scraper.records import Hearing, Party
from tests.test_store import record

TODAY = dt.date(2026, 12, 1)
RESET = dt.date(2026, 12, 3)


def case_a(hearing: Hearing):
    return record(case_number="GV26000501-00", matter_key="GV26000501", judgment=None,
                  defendants=(Party(name="PEÑA, JOSÉ\r\nX-INJECTED:1", address="ALEXANDRIA, VA 22304", attorney="NONE"),),
                  hearings=(Hearing(date=dt.date(2026, 11, 17), time=dt.time(9, 0), result="Continued", type="Return",
                                    courtroom="COURTROOM 2B"), hearing))


def case_b(first_result: str | None):
    return record(case_number="GV26000502-00", matter_key="GV26000502", judgment=None,
                  hearings=(Hearing(date=dt.date(2026, 11, 20), time=dt.time(9, 0), result=first_result, type="Return",
                                    courtroom="COURTROOM 2A"),
                            Hearing(date=dt.date(2026, 12, 10), time=dt.time(10, 0), type="Trial",
                                    courtroom="COURTROOM 2A")))


def generation(tmp_path, config, store, name: str) -> dict[str, object]:
    out = tmp_path / f"{name}.ics"
    result = CliRunner().invoke(app, ["--config", str(config), "--db", str(store.engine.url), "calendar",
                                      "--partner", "Volunteers", "--out", str(out), "--today", TODAY.isoformat()])
    assert result.exit_code == 0, result.output
    assert stat.S_IMODE(out.stat().st_mode) == 0o600  # tenants' names
    cal = Calendar.from_ical(out.read_bytes())
    assert {str(tz["TZID"]) for tz in cal.walk("VTIMEZONE")} == {"America/New_York"}
    return {str(e["UID"]): e for e in cal.walk("VEVENT")}


def merged(*generations: dict[str, object]) -> dict[str, object]:
    """What a subscribing calendar shows: per UID, the event of the highest SEQUENCE (later wins ties)."""
    shown: dict[str, object] = {}
    for events in generations:
        for uid, event in events.items():
            if uid not in shown or int(event["SEQUENCE"]) >= int(shown[uid]["SEQUENCE"]):
                shown[uid] = event
    return shown


def test_a_reset_hearing_keeps_its_uid_with_a_higher_sequence_and_a_closed_cases_hearing_is_cancelled(store, tmp_path):
    store.ensure_court(Court("alexandria", get_source("va-gdc"), "510", "https://portal.example.invalid/gdcourts/"))
    config = tmp_path / "c.yaml"
    config.write_text('http: {user_agent: "t (o@example.org)"}\n'
                      'partners:\n  - {name: Volunteers, emails: [v@example.org], receives: [calendar]}\n'
                      'courts:\n  - {id: alexandria, source: va-gdc, fips: "510", '
                      'base_url: "https://portal.example.invalid/gdcourts/"}\n')
    first_setting = Hearing(date=dt.date(2026, 12, 8), time=dt.time(9, 30), type="Trial", courtroom="COURTROOM 2B")
    store.save([prepare(r, TODAY, "America/New_York", VOCABULARY) for r in (case_a(first_setting), case_b("Continued"))],
               now=dt.datetime(2026, 12, 1, 6, tzinfo=dt.timezone.utc))
    before = generation(tmp_path, config, store, "before")
    uid = "alexandria.GV26000501-00.hearing-2@evictwatch"
    event = before[uid]
    assert event["DTSTART"].dt == dt.datetime(2026, 12, 8, 9, 30, tzinfo=event["DTSTART"].dt.tzinfo)
    assert str(event["DTSTART"].params["TZID"]) == "America/New_York" and int(event["SEQUENCE"]) == 0
    assert str(event["SUMMARY"]) == "Eviction hearing GV26000501-00 · COURTROOM 2B"
    assert "PEÑA, JOSÉ X-INJECTED:1" in str(event["DESCRIPTION"]) and "Status: Continued" in str(event["DESCRIPTION"])
    assert str(event["STATUS"]) == "CONFIRMED" and "DTSTAMP" in event
    assert str(before["alexandria.GV26000502-00.hearing-2@evictwatch"]["STATUS"]) == "CONFIRMED"

    # The court resets A's trial to another day (the unheard setting is replaced) and B is dismissed.
    moved = Hearing(date=dt.date(2026, 12, 15), time=dt.time(11, 0), type="Trial", courtroom="COURTROOM 2C")
    store.save([prepare(r, RESET, "America/New_York", VOCABULARY) for r in (case_a(moved), case_b("Dismissed"))],
               now=dt.datetime(2026, 12, 3, 6, tzinfo=dt.timezone.utc))
    after = generation(tmp_path, config, store, "after")
    assert set(after) == set(before)  # the same events, by UID: nothing added, nothing orphaned
    shown = merged(before, after)
    assert int(shown[uid]["SEQUENCE"]) > int(event["SEQUENCE"])
    assert shown[uid]["DTSTART"].dt.replace(tzinfo=None) == dt.datetime(2026, 12, 15, 11, 0)
    assert "COURTROOM 2C" in str(shown[uid]["SUMMARY"])
    b_uid = "alexandria.GV26000502-00.hearing-2@evictwatch"
    assert str(shown[b_uid]["STATUS"]) == "CANCELLED" and int(shown[b_uid]["SEQUENCE"]) > int(before[b_uid]["SEQUENCE"])
    assert "Dismissed" in str(shown["alexandria.GV26000502-00.hearing-2@evictwatch"]["DESCRIPTION"])
    missing = CliRunner().invoke(app, ["--config", str(config), "--db", str(store.engine.url), "calendar",
                                       "--partner", "Nobody"])
    assert missing.exit_code == 2 and "no partner named 'Nobody'" in missing.output
    assert "configured: 'Volunteers'" in missing.output  # what to write instead
