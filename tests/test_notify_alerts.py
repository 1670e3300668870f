"""Urgent alerts: which facts alert, one digest per partner per run, each fact told once."""

from __future__ import annotations

import csv
import datetime as dt
import io
from decimal import Decimal
from email import message_from_bytes, policy

import pytest
from typer.testing import CliRunner

from evictwatch.jobs import alerts as alerting
from evictwatch.jobs.alerts import resend_alerts, send_alerts
from evictwatch.commands.app import app
from evictwatch.config import parse_config
from evictwatch.jobs.mail import outbox_files
from notify.deliver import Channel
from evictwatch.jobs.operators import report_held
from notify.alerts import next_court_day
from notify.transport import DeliveryUnreachable, OutboxTransport
from pipeline.ingest import refresh_landlords
from pipeline.landlords import LandlordOverrides
from pipeline.prepare import prepare
from pipeline.store.ledger import Ledger
from scraper.base import Court
from scraper.courts import get_source
from scraper.records import Hearing, Judgment, Party
from tests.test_notify_deliver import Flaky, ProcessDied
from tests.test_store import record
from scraper.courts.va_gdc.vocab import VOCABULARY as VA_GDC

TODAY = dt.date(2026, 11, 27)  # a Friday: the next court day is Monday the 30th
MONDAY = dt.date(2026, 11, 30)
PLAINTIFF = Judgment(judgment="Plaintiff", principal=Decimal("2400.00"), possession=True)


def case(n: int, *, zip5="22304", attorney="NONE", name=None, hearings=(), judgment=None, filed=dt.date(2026, 10, 1)):
    return record(case_number=f"GV26000{n:03d}-00", matter_key=f"GV26000{n:03d}", filed_date=filed,
                  defendants=(Party(name=name or f"TENANT{n}, ANA", address=f"ALEXANDRIA, VA {zip5}",
                                    attorney=attorney),),
                  hearings=hearings, judgment=judgment, services=())


def heard(day, result):
    return Hearing(date=day, time=dt.time(9, 0), result=result, type="Return")


CASES = [
    # writ issued two days ago
    case(1, hearings=(heard(dt.date(2026, 11, 13), "Judgment"),),
         judgment=PLAINTIFF.model_copy(update={"writ_issued_date": dt.date(2026, 11, 25)})),
    # default judgment on Tuesday, no writ yet
    case(2, hearings=(heard(dt.date(2026, 11, 24), "Default Judgment"),), judgment=PLAINTIFF),
    # executed yesterday; issued before the look-back
    case(3, hearings=(heard(dt.date(2026, 11, 3), "Judgment"),),
         judgment=PLAINTIFF.model_copy(update={"writ_issued_date": dt.date(2026, 11, 16),
                                               "writ_executed_date": dt.date(2026, 11, 26)})),
    # first hearing Monday, nobody representing the tenant
    case(4, hearings=(Hearing(date=MONDAY, time=dt.time(9, 30), type="Return"),)),
    # the same, with an attorney: no alert
    case(5, attorney="ADVOCATE, A", hearings=(Hearing(date=MONDAY, time=dt.time(9, 30), type="Return"),)),
    # a writ issued weeks ago: no alert
    case(6, hearings=(heard(dt.date(2026, 10, 20), "Judgment"),),
         judgment=PLAINTIFF.model_copy(update={"writ_issued_date": dt.date(2026, 11, 2)})),
    # another ZIP, hostile name: alerts only partners serving 22311, the name neutralized/escaped
    case(7, zip5="22311", name='=HYPERLINK("http://x","y") <script>alert(1)</script>',
         hearings=(heard(dt.date(2026, 11, 13), "Judgment"),),
         judgment=PLAINTIFF.model_copy(update={"writ_issued_date": dt.date(2026, 11, 26)})),
    # a hearing Monday on a dismissed case: closed, no alert
    case(8, hearings=(heard(dt.date(2026, 11, 10), "Dismissed"), Hearing(date=MONDAY, type="Motion"))),
]


@pytest.fixture
def populated(store):
    store.ensure_court(Court("alexandria", get_source("va-gdc"), "510", "https://portal.example.invalid/gdcourts/"))
    store.save([prepare(r, TODAY, "America/New_York", VA_GDC) for r in CASES])
    refresh_landlords(store, LandlordOverrides.empty())
    return store


def config(tmp_path, partners=None, **notify):
    return parse_config({
        "http": {"user_agent": "t (ops@example.org)"},
        "notify": {"outbox": str(tmp_path / "outbox"), "sender": "Watch <watch@example.org>",
                   "operators": ["ops@example.org"], **notify},
        "partners": partners or [
            {"name": "Everyone", "emails": ["all@example.org"]},
            {"name": "Only 22304", "emails": ["z@example.org"], "filters": {"zips": ["22304"], "statuses": ["filed"]}},
            {"name": "Lists only", "emails": ["l@example.org"], "receives": ["weekly_list"]},
        ],
        "courts": [{"id": "alexandria", "source": "va-gdc", "fips": "510",
                    "base_url": "https://portal.example.invalid/gdcourts/"}],
    }, "test")


def read(path):
    return message_from_bytes(open(path, "rb").read(), policy=policy.default)


def csv_text(message):
    part = next(p for p in message.iter_attachments() if p.get_filename().endswith(".csv"))
    content = part.get_content()
    return content.decode("utf-8-sig") if isinstance(content, bytes) else content.lstrip("\ufeff")


def csv_alerts(message):
    return [(r["Case number"], r["Alert"]) for r in csv.DictReader(io.StringIO(csv_text(message)))]


def test_next_court_day_skips_the_weekend():
    assert next_court_day(dt.date(2026, 11, 27)) == MONDAY
    assert next_court_day(dt.date(2026, 11, 29)) == MONDAY
    assert next_court_day(dt.date(2026, 11, 30)) == dt.date(2026, 12, 1)


def test_the_next_court_day_skips_the_courts_holidays_and_closed_days():
    from evictwatch.config import parse_config
    from evictwatch.jobs.court_days import closed_days_of
    from notify.alerts import alert_window

    config = parse_config({"http": {"user_agent": "t (ops@example.org)"}, "courts": [
        {"id": "alexandria", "source": "va-gdc", "code": "510", "base_url": "https://portal.example.invalid/gdcourts/"},
        {"id": "travis", "source": "tyler-odyssey", "base_url": "https://portal.example.invalid/JPPublicAccess/",
         "closed_days": ["2026-12-01"]}]}, "test")
    wednesday = dt.date(2026, 11, 25)  # the day before Thanksgiving (and Virginia's and Texas's Friday after it)
    closed = closed_days_of(config, wednesday)
    assert {dt.date(2026, 11, 26), dt.date(2026, 11, 27)} <= closed["alexandria"] & closed["travis"]
    window = alert_window(wednesday, 7, closed)
    assert window.hearing_day_of("alexandria") == MONDAY
    assert alert_window(MONDAY, 7, closed).hearing_day_of("travis") == dt.date(2026, 12, 2)  # closed by config
    assert alert_window(MONDAY, 7, closed).hearing_day_of("alexandria") == dt.date(2026, 12, 1)
    assert next_court_day(dt.date(2026, 12, 24), closed["alexandria"]) == dt.date(2026, 12, 28)


def test_each_partner_gets_one_digest_of_what_is_urgent(populated, tmp_path):
    cfg = config(tmp_path)
    results = {r.partner: r for r in send_alerts(cfg, populated, today=TODAY)}
    assert set(results) == {"Everyone", "Only 22304"}  # "Lists only" does not receive alerts
    everyone = read(results["Everyone"].path)
    # By tier: Monday's unrepresented hearing, the default judgment, the writs; the removal last, for the record.
    assert csv_alerts(everyone) == [
        ("GV26000004-00", "Hearing next court day, no attorney of record"),
        ("GV26000002-00", "Default judgment entered"),
        ("GV26000001-00", "Writ of possession issued"),
        ("GV26000007-00", "Writ of possession issued"),
        ("GV26000003-00", "Writ executed (lockout)"),
    ]
    assert everyone["Subject"].startswith("URGENT: 5 eviction alerts")
    assert everyone["X-Evictwatch-Key"] == "Everyone|urgent_alerts|2026-11-27.1"
    # ZIP filter applies; the status filter does not (an alert is about a status that just changed).
    assert [n for n, _ in csv_alerts(read(results["Only 22304"].path))] == [
        "GV26000004-00", "GV26000002-00", "GV26000001-00", "GV26000003-00"]
    html = everyone.get_body(("html",)).get_content()
    assert "<script>alert(1)" not in html and "&lt;script&gt;" in html
    # The hearing alert says when and where, in every part.
    text = everyone.get_body(("plain",)).get_content()
    assert "Hearing next court day, no attorney of record - Mon 2026-11-30 9:30 AM, Return" in text
    assert "9:30 AM &middot; Return" in html and ",2026-11-30,09:30,,Return," in csv_text(everyone)
    assert "'=HYPERLINK" in csv_text(everyone) and "\n=HYPERLINK" not in csv_text(everyone)


def test_nothing_is_told_twice_and_new_facts_come_in_the_next_digest(populated, tmp_path):
    cfg = config(tmp_path)
    send_alerts(cfg, populated, today=TODAY)
    files = outbox_files(cfg)
    again = send_alerts(cfg, populated, today=TODAY)
    assert {r.outcome.state for r in again} == {"nothing_new"} and outbox_files(cfg) == files
    # Monday's hearing for case 5 loses its attorney; case 6 gets an executed writ.
    later = [CASES[4].model_copy(update={"defendants": (Party(name="TENANT5, ANA", address="ALEXANDRIA, VA 22304",
                                                               attorney="NONE"),)}),
             CASES[5].model_copy(update={"judgment": CASES[5].judgment.model_copy(
                 update={"writ_executed_date": TODAY})})]
    populated.save([prepare(r, TODAY, "America/New_York", VA_GDC) for r in later])
    third = {r.partner: r for r in send_alerts(cfg, populated, today=TODAY)}
    assert third["Everyone"].outcome.key == "Everyone|urgent_alerts|2026-11-27.2"
    assert csv_alerts(read(third["Everyone"].path)) == [
        ("GV26000005-00", "Hearing next court day, no attorney of record"), ("GV26000006-00", "Writ executed (lockout)")]
    assert len(outbox_files(cfg)) == len(files) + 2
    # Monday: the hearing facts are past; nothing new.
    assert {r.outcome.state for r in send_alerts(cfg, populated, today=MONDAY)} == {"nothing_new"}


def test_opted_out_households_get_no_alert(populated, tmp_path):
    cfg = config(tmp_path, partners=[{"name": "Everyone", "emails": ["all@example.org"]}])
    ledger = Ledger(populated.engine)
    household = next(c for c in __import__("pipeline.store.queries", fromlist=["x"]).case_files(
        populated.engine, "GV26000001-00")).derived["household"]
    ledger.opt_out(household, "GV26000001-00", "asked")
    [result] = send_alerts(cfg, populated, today=TODAY)
    assert "GV26000001-00" not in [n for n, _ in csv_alerts(read(result.path))]


def test_a_failed_digest_is_retried_once_under_its_key(populated, tmp_path, monkeypatch):
    cfg = config(tmp_path, partners=[{"name": "Everyone", "emails": ["all@example.org"]}])
    outbox = OutboxTransport(tmp_path / "outbox")
    flaky = Flaky(outbox, [DeliveryUnreachable("connection refused")])
    monkeypatch.setattr(alerting, "channel", lambda config, dry_run=False: Channel(flaky, "outbox"))
    [failed] = send_alerts(cfg, populated, today=TODAY)
    assert failed.outcome.state == "failed" and outbox_files(cfg) == []
    [retried] = send_alerts(cfg, populated, today=TODAY)
    assert retried.outcome.state == "sent" and retried.outcome.key == failed.outcome.key
    assert len(csv_alerts(read(retried.path))) == 5 and len(outbox_files(cfg)) == 1
    assert send_alerts(cfg, populated, today=TODAY)[0].outcome.state == "nothing_new"


def test_a_failed_digest_whose_facts_went_stale_expires(populated, tmp_path, monkeypatch):
    cfg = config(tmp_path, partners=[{"name": "Everyone", "emails": ["all@example.org"]}])
    flaky = Flaky(OutboxTransport(tmp_path / "outbox"), [DeliveryUnreachable("down")])
    monkeypatch.setattr(alerting, "channel", lambda config, dry_run=False: Channel(flaky, "outbox"))
    [failed] = send_alerts(cfg, populated, today=TODAY)
    # Three weeks later every fact is out of the look-back: nothing is sent, the digest expires.
    [later] = send_alerts(cfg, populated, today=TODAY + dt.timedelta(days=21))
    assert later.outcome.state == "nothing_new" and outbox_files(cfg) == []
    assert Ledger(populated.engine).get(failed.outcome.key).state == "expired"


def test_a_digest_lost_after_hand_over_is_held_reported_and_resent_by_hand(populated, tmp_path, monkeypatch):
    cfg = config(tmp_path, partners=[{"name": "Everyone", "emails": ["all@example.org"]}])
    outbox = OutboxTransport(tmp_path / "outbox")
    dying = Flaky(outbox, ["die-after-send"])
    monkeypatch.setattr(alerting, "channel", lambda config, dry_run=False: Channel(dying, "outbox"))
    with pytest.raises(ProcessDied):
        send_alerts(cfg, populated, today=TODAY)
    assert len(outbox_files(cfg)) == 1
    ledger = Ledger(populated.engine)
    [held] = ledger.unsettled()
    assert held.key == "Everyone|urgent_alerts|2026-11-27.1" and held.state == "sending"
    # The next run neither repeats the held digest nor re-alerts its facts.
    assert send_alerts(cfg, populated, today=TODAY)[0].outcome.state == "nothing_new"
    assert len(outbox_files(cfg)) == 1
    # The operators are told, once, without tenants' names.
    monkeypatch.undo()
    [told] = report_held(cfg, populated, ledger.unsettled())
    assert told.state == "sent"
    assert [o.state for o in report_held(cfg, populated, ledger.unsettled())] == ["already_sent"]
    operator_mail = read(told.detail)
    body = operator_mail.get_body(("plain",)).get_content()
    assert operator_mail["To"] == "ops@example.org" and "--resend 'Everyone|urgent_alerts|2026-11-27.1'" in body
    assert "TENANT" not in body and "TENANT" not in operator_mail["Subject"]
    # A person checked: resend carries the same facts under the same Message-ID.
    [lost] = [p for p in outbox_files(cfg) if "urgent_alerts" in p.name]
    first = read(lost)
    lost.unlink()  # the outbox's reader took it and lost it
    again = resend_alerts(cfg, populated, held.key, today=TODAY)
    assert again.outcome.state == "sent" and ledger.unsettled() == []
    second = read(again.path)
    assert first["Message-ID"] == second["Message-ID"] and csv_alerts(first) == csv_alerts(second)


def test_dry_run_claims_nothing(populated, tmp_path):
    cfg = config(tmp_path, partners=[{"name": "Everyone", "emails": ["all@example.org"]}])
    [dry] = send_alerts(cfg, populated, today=TODAY, dry_run=True)
    assert dry.outcome.state == "dry_run" and "outbox-dry-run" in dry.path and outbox_files(cfg) == []
    assert send_alerts(cfg, populated, today=TODAY)[0].outcome.state == "sent"


def test_notify_command_sends_alerts_and_resends_by_key(populated, tmp_path):
    url = str(populated.engine.url)
    config_file = tmp_path / "c.yaml"
    config_file.write_text(
        'http: {user_agent: "t (ops@example.org)"}\n'
        f'notify: {{outbox: "{tmp_path}/outbox"}}\n'
        'partners:\n  - {name: Everyone, emails: [all@example.org], receives: [urgent_alerts]}\n'
        'courts:\n  - {id: alexandria, source: va-gdc, fips: "510", '
        'base_url: "https://portal.example.invalid/gdcourts/"}\n')
    base = ["--config", str(config_file), "--db", url]
    runner = CliRunner()
    first = runner.invoke(app, [*base, "notify", "--kind", "urgent_alerts", "--today", "2026-11-27"])
    assert first.exit_code == 0 and "Everyone (urgent_alerts): sent, 5 alerts" in first.stdout
    again = runner.invoke(app, [*base, "notify", "--today", "2026-11-27"])
    assert "nothing_new" in again.stdout
    resent = runner.invoke(app, [*base, "notify", "--resend", "Everyone|urgent_alerts|2026-11-27.1"])
    assert resent.exit_code == 0 and "sent, 5 alerts" in resent.stdout
    bad = runner.invoke(app, [*base, "notify", "--resend", "Everyone|urgent_alerts|2026-01-01.9"])
    assert bad.exit_code == 2 and "no alert digest" in bad.stderr


def test_a_partner_name_with_the_key_separator_is_resent_by_its_key(populated, tmp_path, monkeypatch):
    # The delivery key is typed: its text is looked up in the log, never split back apart.
    name = "North|South Aid"
    cfg = config(tmp_path, partners=[{"name": name, "emails": ["ns@example.org"]}])
    dying = Flaky(OutboxTransport(tmp_path / "outbox"), ["die-after-send"])
    monkeypatch.setattr(alerting, "channel", lambda config, dry_run=False: Channel(dying, "outbox"))
    with pytest.raises(ProcessDied):
        send_alerts(cfg, populated, today=TODAY)
    monkeypatch.undo()
    ledger = Ledger(populated.engine)
    [held] = ledger.unsettled()
    assert (held.partner, held.kind, held.period) == (name, "urgent_alerts", "2026-11-27.1")
    again = resend_alerts(cfg, populated, held.key, today=TODAY)
    assert again.outcome.state == "sent" and again.partner == name and again.rows == 5
    assert ledger.unsettled() == []
