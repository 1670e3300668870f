"""Cases the law erases: gone from the store, the file, the archive, the outbox and the feeds on
their day, the report's figures unchanged, and one recall per partner that had them."""

from __future__ import annotations

import datetime as dt
import email
import gzip
from email import policy
from pathlib import Path

from typer.testing import CliRunner

from evictwatch.commands.app import app
from pipeline.prepare import prepare
from pipeline.store import trends
from scraper.base import Court
from scraper.courts import get_source
from scraper.courts.va_gdc.vocab import VOCABULARY
from scraper.records import Hearing, Judgment, Party, RawPage
from tests.expunge_support import in_file, planted
from tests.test_store import record

FILED = dt.date(2026, 10, 5)
DISMISSED_ON = dt.date(2026, 11, 16)
ERASED_ON = DISMISSED_ON + dt.timedelta(days=30)  # 2026-12-16
TENANT = "OYELARAN, QUENTIN"
COURT = 'courts:\n  - {id: alexandria, source: va-gdc, fips: "510", base_url: "https://portal.example.invalid/gdcourts/"}\n'


def case(number: str, tenant: str, hearings, judgment=None, filed=FILED, attorney="NONE"):
    return record(case_number=number, matter_key=number[:10], filed_date=filed, judgment=judgment,
                  defendants=(Party(name=tenant, address="12 ELM ST, ALEXANDRIA, VA 22304", attorney=attorney),),
                  hearings=hearings)


def pending(number: str, tenant: str, day=dt.date(2026, 11, 16)):
    return case(number, tenant, (Hearing(date=day, time=dt.time(9, 30), type="Return", courtroom="2B"),))


def dismissed(number: str, tenant: str, on=DISMISSED_ON, filed=FILED, attorney="NONE"):
    return case(number, tenant, (Hearing(date=on, time=dt.time(9, 30), result="Dismissed", type="Return"),),
                filed=filed, attorney=attorney)


def save(store, *records, today):
    store.save([prepare(r, today, "America/New_York", VOCABULARY) for r in records],
               now=dt.datetime.combine(today, dt.time(6), dt.timezone.utc))


def cli(store, config, *args):
    result = CliRunner().invoke(app, ["--config", str(config), "--db", str(store.engine.url), *args])
    assert result.exit_code == 0, result.output
    return result.output


def test_an_expunged_case_is_gone_everywhere_on_its_day_and_recalled_once(store, tmp_path):
    store.ensure_court(Court("alexandria", get_source("va-gdc"), "510", "https://portal.example.invalid/gdcourts/"))
    config = tmp_path / "c.yaml"
    config.write_text('http: {user_agent: "t (o@example.org)"}\n'
                      'notify: {transport: outbox, outbox: out, sender: "ew <ew@example.org>"}\n'
                      'partners:\n  - {name: Aid, emails: [a@example.org], receives: [weekly_list, urgent_alerts]}\n'
                      '  - {name: Other, emails: [o@example.org], receives: [weekly_list], '
                      'filters: {zips: ["22399"]}}\n'
                      'courts:\n  - {id: alexandria, source: va-gdc, fips: "510", '
                      'base_url: "https://portal.example.invalid/gdcourts/"}\n')
    week_before = dt.date(2026, 11, 9)
    save(store, pending("GV26000901-00", TENANT), pending("GV26000902-00", "KEPT, KATHERINE"), today=week_before)
    store.archive_page(RawPage(court_id="alexandria", url="https://portal.example.invalid/d", method="GET",
                               request_key="case=GV26000901-00", kind="detail", status=200,
                               case_number="GV26000901-00", body=f"<td>{TENANT}</td>".encode(),
                               fetched_at=dt.datetime(2026, 11, 9, tzinfo=dt.timezone.utc)))
    store.archive_page(RawPage(court_id="alexandria", url="https://portal.example.invalid/l", method="POST",
                               request_key="hearingDate=2026-11-16", kind="results", status=200, case_number=None,
                               body=f"GV26000901-00 {TENANT} / GV26000902-00 KEPT".encode(),
                               fetched_at=dt.datetime(2026, 11, 9, tzinfo=dt.timezone.utc)))
    cli(store, config, "notify", "--kind", "weekly_list", "--week", "2026-W46", "--today", "2026-11-09")
    sent = sorted((tmp_path / "out").rglob("*.eml"))
    from evictwatch.jobs.erasure import _eml_text

    assert len(sent) == 2 and sum("GV26000901-00" in _eml_text(p) for p in sent) == 1  # Aid's list has it
    save(store, dismissed("GV26000901-00", TENANT, attorney="DOE, JOHN ESQ"),
         pending("GV26000902-00", "KEPT, KATHERINE", dt.date(2026, 12, 22)), today=DISMISSED_ON)
    monday, heard = dt.date(2026, 10, 5), dt.date(2026, 11, 16)

    def figures():
        return (trends.week_figures(store, monday), trends.week_figures(store, heard),
                trends.weekly_filings(store, monday, 8))
    before = figures()
    assert before[1].cases_heard_represented == 1  # the lawyer: erasing keeps that there was one

    shown = cli(store, config, "case", "GV26000901-00").replace("\n", " ")
    assert "personal data removed on 2026-12-16: dismissed 2026-11-16, Va. Code § 8.01-130.01" in " ".join(shown.split())
    dry = cli(store, config, "purge", "--dry-run", "--today", ERASED_ON.isoformat())
    assert ("alexandria GV26000901-00: personal data removed on 2026-12-16: dismissed 2026-11-16, "
            "Va. Code § 8.01-130.01") in dry
    assert "erased by law: 0 cases" in cli(store, config, "purge", "--today", (ERASED_ON - dt.timedelta(days=1)).isoformat())
    done = cli(store, config, "purge", "--today", ERASED_ON.isoformat())
    assert "erased by law: 1 case " in done and "1 recall owed" in done

    # Not in the store, not in the file itself, not in the archive, not in an export, not in the outbox.
    assert TENANT not in cli(store, config, "export", "cases") and "GV26000901-00" not in cli(store, config, "export", "cases")
    assert not in_database_file(store, b"OYELARAN")  # the number only in the recall owed, until it is sent
    with store.engine.connect() as conn:
        for (body,) in conn.exec_driver_sql("SELECT body_gz FROM raw_pages"):
            assert b"OYELARAN" not in gzip.decompress(body)
    mails = [p.read_bytes() for p in (tmp_path / "out").rglob("*.eml")]
    assert all(b"GV26000901" not in m and b"OYELARAN" not in m for m in mails)  # Aid's list went, Other's stays
    assert len(mails) == 1
    # The report's figures are as they were.
    assert figures() == before

    # One recall, to the partner that had the case; case numbers only; never twice.
    cli(store, config, "notify", "--kind", "recall", "--today", ERASED_ON.isoformat())
    [recall] = [m for m in (tmp_path / "out").rglob("*.eml") if "_recall_" in m.name]
    text = email.message_from_bytes(recall.read_bytes(), policy=policy.default).get_body(("plain",)).get_content()
    assert "GV26000901-00" in text and "OYELARAN" not in text and "KEPT" not in text and "remove" in text
    assert "expunged or sealed (Va. Code § 8.01-130.01)" in " ".join(text.split())  # the adapter's statute
    assert recall.name.startswith("Aid_")
    cli(store, config, "notify", "--kind", "recall", "--today", ERASED_ON.isoformat())
    assert len([m for m in (tmp_path / "out").rglob("*.eml") if "_recall_" in m.name]) == 1
    with store.engine.connect() as conn:
        assert conn.exec_driver_sql("SELECT count(*) FROM recalls").scalar() == 0  # sent: not kept
    assert not in_database_file(store, b"OYELARAN") and not in_database_file(store, b"GV26000901-00")
    import json

    status = json.loads(CliRunner().invoke(app, ["--config", str(config), "--db", str(store.engine.url), "status",
                                                 "--json", "--today", ERASED_ON.isoformat()]).stdout)
    assert status["purges"] == {"by_reason": {"retention": {"cases": 0, "last_30_days": 0},
                                              "expunged": {"cases": 1, "last_30_days": 1},
                                              "vanished": {"cases": 0, "last_30_days": 0}}, "recalls_owed": 0}


def in_database_file(store, text: bytes) -> bool:
    """In the SQLite file's bytes (free pages included) or its WAL."""
    from pipeline.store.db import checkpoint

    checkpoint(store.engine)
    return in_file(Path(store.engine.url.database), text)


def test_what_the_law_does_not_erase_stays(store, tmp_path):
    from evictwatch.courts import stored_laws
    from pipeline.erasure import due, petition_eligible, scheduled

    store.ensure_court(Court("alexandria", get_source("va-gdc"), "510", "https://portal.example.invalid/gdcourts/"))
    heard = (Hearing(date=dt.date(2026, 3, 2), result="Judgment", type="Trial"),)
    save(store,
         dismissed("GV26000911-00", "A, ONE"),                                              # erased on its day
         dismissed("GV24000912-00", "B, TWO", on=dt.date(2024, 9, 2), filed=dt.date(2024, 6, 3)),  # older: petition
         case("GV26000913-00", "C, THREE", heard, Judgment(judgment="Defendant"), filed=dt.date(2026, 2, 2)),
         case("GV26000914-00", "D, FOUR", (Hearing(date=dt.date(2026, 3, 2), result="Non-suit", type="Trial"),),
              filed=dt.date(2026, 2, 2)),                                                  # nonsuited: +6 months
         today=dt.date(2026, 12, 1))
    # A dismissal after a judgment for the landlord whose page leaves possession blank: kept.
    save(store, case("GV26000915-00", "E, FIVE", (Hearing(date=dt.date(2026, 3, 2), result="Judgment", type="Trial"),
                                                  Hearing(date=dt.date(2026, 4, 6), result="Dismissed", type="Motion")),
                     Judgment(judgment="Plaintiff"), filed=dt.date(2026, 2, 2)), today=dt.date(2026, 12, 1))
    law_of = stored_laws(store)
    assert {d.case.case_number: d.erasure.on for d in scheduled(store, law_of)} == {
        "GV26000911-00": ERASED_ON, "GV26000914-00": dt.date(2026, 9, 2)}
    assert [d.case.case_number for d in due(store, dt.date(2026, 12, 1), law_of)] == ["GV26000914-00"]
    assert sorted(c.case_number for c in petition_eligible(store, law_of)) == ["GV24000912-00", "GV26000913-00"]


def test_a_case_the_law_has_erased_is_never_stored_again_and_its_pages_go(store):
    """A full scrape looks back further than 30 days: a listing (or a court slow to erase) may
    still show a case dismissed long enough ago. It is not stored, and its pages are not kept."""
    from pipeline.ingest import Ingest
    from scraper.courts import get_source

    store.ensure_court(Court("alexandria", get_source("va-gdc"), "510", "https://portal.example.invalid/gdcourts/"))
    today = ERASED_ON + dt.timedelta(days=3)
    ingest = Ingest(store, today=today, timezone="America/New_York", vocabulary=VOCABULARY, law=get_source("va-gdc"))
    page = RawPage(court_id="alexandria", url="https://portal.example.invalid/d", method="GET",
                   request_key="case=GV26000921-00", kind="case_detail", status=200, case_number="GV26000921-00",
                   body=f"<td>{TENANT}</td>".encode(), fetched_at=dt.datetime(2026, 12, 19, tzinfo=dt.timezone.utc))
    ingest.archived(page, store.archive_page(page))
    ingest.record(dismissed("GV26000921-00", TENANT))                              # erased by law on 12-16
    ingest.record(dismissed("GV26000922-00", "RECENT, RITA", on=today - dt.timedelta(days=5)))  # not yet
    ingest.flush()
    assert ingest.not_kept_total == 1 and ingest.new == 1
    assert [r.case_number for r in store.iter_cases()] == ["GV26000922-00"]
    with store.engine.connect() as conn:
        assert conn.exec_driver_sql("SELECT count(*) FROM raw_pages").scalar() == 0


def test_the_eligibility_list_holds_exactly_the_petition_eligible_cases_once_a_month(store, tmp_path):
    import csv
    import io

    from evictwatch.courts import stored_laws
    from pipeline.erasure import petition_eligible

    store.ensure_court(Court("alexandria", get_source("va-gdc"), "510", "https://portal.example.invalid/gdcourts/"))
    heard = (Hearing(date=dt.date(2026, 3, 2), result="Judgment", type="Trial"),)
    save(store,
         dismissed("GV24000932-00", "B, TWO", on=dt.date(2024, 9, 2), filed=dt.date(2024, 6, 3)),
         case("GV26000933-00", "C, THREE", heard, Judgment(judgment="Defendant"), filed=dt.date(2026, 2, 2)),
         dismissed("GV26000931-00", "A, ONE"), pending("GV26000934-00", "D, FOUR", dt.date(2026, 12, 8)),
         today=dt.date(2026, 12, 1))
    config = tmp_path / "c.yaml"
    config.write_text('http: {user_agent: "t (o@example.org)"}\n'
                      'notify: {transport: outbox, outbox: out, sender: "ew <ew@example.org>"}\n'
                      'partners:\n  - {name: Aid, emails: [a@example.org], receives: [expungement_eligible]}\n'
                      'courts:\n  - {id: alexandria, source: va-gdc, fips: "510", name: Alexandria GDC, '
                      'base_url: "https://portal.example.invalid/gdcourts/"}\n')
    first = cli(store, config, "notify", "--kind", "expungement_eligible", "--today", "2026-12-01")
    assert "Aid (expungement_eligible): sent, 2 cases" in first
    [mail] = (tmp_path / "out").rglob("*.eml")
    message = email.message_from_bytes(mail.read_bytes(), policy=policy.default)
    [part] = [p for p in message.iter_attachments() if p.get_filename().endswith(".csv")]
    rows = list(csv.DictReader(io.StringIO(part.get_payload(decode=True).decode("utf-8-sig"))))
    assert sorted(r["Case number"] for r in rows) == sorted(c.case_number for c in petition_eligible(store, stored_laws(store)))
    assert {r["Case number"]: r["Disposition"] for r in rows} == {
        "GV24000932-00": "dismissed (filed before 1 July 2024)", "GV26000933-00": "judgment for the tenant"}
    assert rows[0]["Plaintiff (as filed)"] and rows[0]["Property ZIP"] == "22304" and rows[0]["Court"] == "Alexandria GDC"
    text = message.get_body(("plain",)).get_content()
    assert "B, TWO" not in text and "C, THREE" not in text  # the facts of a petition, not the tenants' names
    again = cli(store, config, "notify", "--kind", "expungement_eligible", "--today", "2026-12-20")
    assert "already_sent" in again and len(list((tmp_path / "out").rglob("*.eml"))) == 1


def _intact(store) -> bool:
    with store.engine.connect() as conn:
        return conn.exec_driver_sql("PRAGMA integrity_check").scalar() == "ok"


def test_what_sqlite_leaves_in_a_pages_free_space_goes_with_each_erasure(store, tmp_path):
    """secure_delete zeroes each cell deleted, not the stale copies of cells that a rebalanced
    page keeps in its free space: an erasure, a retention purge and a recall's sending each
    rebuild the file, so none survives."""
    from evictwatch.courts import stored_laws
    from pipeline.erasure import due
    from pipeline.store.erasure.erase import erase

    store.ensure_court(Court("alexandria", get_source("va-gdc"), "510", "https://portal.example.invalid/gdcourts/"))
    save(store, dismissed("GV26000931-00", "QUARRY, QUINN"), dismissed("GV26000932-00", "KEPT, KIRA",
                                                                        on=ERASED_ON), today=DISMISSED_ON)
    database = planted(store, ("sqlite_autoindex_cases_1", b"GV26000931-00"), ("parties", b"QUARRY, QUINN"))
    [doomed] = due(store, ERASED_ON, stored_laws(store))
    erase(store, [doomed.case.case_id], "expunged", today=ERASED_ON)
    assert not in_file(database, b"GV26000931-00") and not in_file(database, b"QUARRY, QUINN")
    assert in_file(database, b"GV26000932-00") and in_file(database, b"KEPT, KIRA") and _intact(store)

    # The recall owed keeps the number until it is sent; then that goes too.
    from pipeline.store.ledger import Ledger

    Ledger(store.engine).given("Aid", [("alexandria", "GV26000932-00")])
    [kept] = [d for d in due(store, ERASED_ON + dt.timedelta(days=30), stored_laws(store))]
    erase(store, [kept.case.case_id], "expunged", today=ERASED_ON + dt.timedelta(days=30))
    config = tmp_path / "c.yaml"
    config.write_text('http: {user_agent: "t (o@example.org)"}\n'
                      'notify: {transport: outbox, outbox: out, sender: "ew <ew@example.org>"}\n'
                      'partners:\n  - {name: Aid, emails: [a@example.org], receives: [weekly_list]}\n' + COURT)
    planted(store, ("sqlite_autoindex_cases_1", b"GV26000932-00"))
    cli(store, config, "notify", "--kind", "recall", "--today", (ERASED_ON + dt.timedelta(days=30)).isoformat())
    assert [m for m in (tmp_path / "out").rglob("*.eml") if "_recall_" in m.name]
    assert not in_file(database, b"GV26000932-00") and _intact(store)


def test_what_sqlite_leaves_in_a_pages_free_space_goes_with_a_retention_purge(store, tmp_path):
    store.ensure_court(Court("alexandria", get_source("va-gdc"), "510", "https://portal.example.invalid/gdcourts/"))
    long_ago = dt.date(2024, 3, 4)
    heard = (Hearing(date=long_ago, result="Judgment", type="Trial"),)
    save(store, case("GV24000941-00", "OLDHAM, OTTO", heard, Judgment(judgment="Defendant"),
                     filed=long_ago - dt.timedelta(days=30)), today=long_ago)
    database = planted(store, ("parties", b"OLDHAM, OTTO"), ("ix_parties_case_id", b"OLDHAM, OTTO"))
    config = tmp_path / "c.yaml"
    config.write_text('http: {user_agent: "t (o@example.org)"}\nnotify: {outbox: out}\n' + COURT)
    assert "cases closed and unchanged since" in cli(store, config, "purge")
    with store.engine.connect() as conn:
        assert conn.exec_driver_sql("SELECT count(*) FROM cases WHERE purged_at IS NOT NULL").scalar() == 1
    assert not in_file(database, b"OLDHAM, OTTO") and _intact(store)


def test_no_statute_is_cited_outside_the_court_systems_adapters():
    """Adding a court touches nothing outside its adapter: the law's name and wording come from
    it (scraper.retention.HasRetentionLaw.retention_law), never from the jobs or the messages."""
    import re
    from pathlib import Path

    root = Path(__file__).resolve().parents[1]
    cited = re.compile(r"§|\bCode\s+(?:Ann\.\s+)?§?\s*\d|\bVa\.\s*Code\b|Tex\.\s*(?:Prop|Gov)")
    found = [f"{path.relative_to(root)}:{n}" for folder in ("evictwatch", "notify", "pipeline", "reports")
             for path in sorted((root / folder).rglob("*")) if path.suffix in (".py", ".j2")
             for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1) if cited.search(line)]
    assert found == []
