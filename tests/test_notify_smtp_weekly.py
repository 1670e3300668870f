"""Weekly lists through a real SMTP server on 127.0.0.1 (aiosmtpd, STARTTLS + AUTH)."""

from __future__ import annotations

import csv
import io

from evictwatch.config import parse_config
from evictwatch.jobs.lists import send_weekly_lists
from tests.test_notify_transport import (  # noqa: F401  (fixtures)
    PASSWORD,
    USER,
    Recorder,
    RejectsNobody,
    certs,
    client_tls,
    free_port,
    server_tls,
    smtpd,
)
from tests.test_notify_weekly import populate
from scraper.base import Court
from scraper.courts import get_source
from scraper.courts.va_gdc.vocab import VOCABULARY as VA_GDC


def smtp_config(tmp_path, port, cert, emails=("all@example.org",)):
    return parse_config({
        "http": {"user_agent": "t (ops@example.org)"},
        "notify": {"transport": "smtp", "sender": "Watch <watch@example.org>",
                   "smtp": {"host": "127.0.0.1", "port": port, "security": "starttls", "username": USER,
                            "password_env": "EVICTWATCH_TEST_SMTP_PASSWORD", "timeout_s": 5,
                            "ca_file": str(cert)}},
        "partners": [{"name": "Everyone", "emails": list(emails)}],
        "courts": [{"id": "alexandria", "source": "va-gdc", "fips": "510",
                    "base_url": "https://portal.example.invalid/gdcourts/"}],
    }, "test")


def csv_numbers(message):
    part = next(p for p in message.iter_attachments() if p.get_filename().endswith(".csv"))
    rows = list(csv.reader(io.StringIO(part.get_content())))
    column = rows[0].index("Case number")
    return [r[column] for r in rows[1:]]


def test_lists_arrive_over_starttls_with_rows_from_the_database(store, tmp_path, smtpd, certs, monkeypatch):
    monkeypatch.setenv("EVICTWATCH_TEST_SMTP_PASSWORD", PASSWORD)
    populate(store)
    handler, port = smtpd(Recorder())
    [result] = send_weekly_lists(smtp_config(tmp_path, port, certs[1]), store, week="2026-W49")
    assert result.outcome.state == "sent" and len(handler.envelopes) == 1
    assert handler.envelopes[0].rcpt_tos == ["all@example.org"]
    message = handler.parsed()
    assert message.get_body(("plain",)) is not None and message.get_body(("html",)) is not None
    assert sorted(p.get_filename().rsplit(".", 1)[1] for p in message.iter_attachments()) == ["csv", "xlsx"]
    assert csv_numbers(message) == ["GV26000501-00", "GV26000502-00"]
    assert [r.outcome.state for r in send_weekly_lists(smtp_config(tmp_path, port, certs[1]), store,
                                                       week="2026-W49")] == ["already_sent"]
    assert len(handler.envelopes) == 1


def test_a_down_server_leaves_it_pending_and_the_next_run_sends_once(store, tmp_path, smtpd, certs, monkeypatch):
    monkeypatch.setenv("EVICTWATCH_TEST_SMTP_PASSWORD", PASSWORD)
    populate(store)
    port = free_port()
    config = smtp_config(tmp_path, port, certs[1])
    [down] = send_weekly_lists(config, store, week="2026-W49")
    assert down.outcome.state == "failed"
    handler, _ = smtpd(Recorder(), port=port)
    assert [r.outcome.state for r in send_weekly_lists(config, store, week="2026-W49")] == ["sent"]
    assert [r.outcome.state for r in send_weekly_lists(config, store, week="2026-W49")] == ["already_sent"]
    assert len(handler.envelopes) == 1


def test_a_rejected_recipient_leaves_it_pending(store, tmp_path, smtpd, certs, monkeypatch):
    monkeypatch.setenv("EVICTWATCH_TEST_SMTP_PASSWORD", PASSWORD)
    populate(store)
    handler, port = smtpd(RejectsNobody())
    bad = smtp_config(tmp_path, port, certs[1], emails=("all@example.org", "nobody@example.org"))
    [refused] = send_weekly_lists(bad, store, week="2026-W49")
    assert refused.outcome.state == "failed" and "nobody@example.org" in refused.outcome.detail
    assert handler.envelopes == []
    fixed = smtp_config(tmp_path, port, certs[1])
    assert [r.outcome.state for r in send_weekly_lists(fixed, store, week="2026-W49")] == ["sent"]
    assert len(handler.envelopes) == 1


def test_alerts_and_operator_messages_arrive_over_starttls(store, tmp_path, smtpd, certs, monkeypatch):
    import datetime as dt

    from evictwatch.jobs.alerts import send_alerts
    from evictwatch.jobs.operators import report_failed_courts
    from pipeline.ingest import refresh_landlords
    from pipeline.landlords import LandlordOverrides
    from pipeline.prepare import prepare
    from tests.test_notify_alerts import CASES, TODAY

    monkeypatch.setenv("EVICTWATCH_TEST_SMTP_PASSWORD", PASSWORD)
    store.ensure_court(Court("alexandria", get_source("va-gdc"), "510", "https://portal.example.invalid/gdcourts/"))
    store.save([prepare(r, TODAY, "America/New_York", VA_GDC) for r in CASES])
    refresh_landlords(store, LandlordOverrides.empty())
    handler, port = smtpd(Recorder())
    cfg = smtp_config(tmp_path, port, certs[1])
    cfg.notify.operators = ["ops@example.org"]
    [result] = send_alerts(cfg, store, today=TODAY)
    assert result.outcome.state == "sent" and handler.envelopes[0].rcpt_tos == ["all@example.org"]
    assert csv_numbers(handler.parsed()) == ["GV26000004-00", "GV26000002-00", "GV26000001-00",
                                             "GV26000007-00", "GV26000003-00"]  # by tier (notify.urgency)
    assert send_alerts(cfg, store, today=TODAY)[0].outcome.state == "nothing_new" and len(handler.envelopes) == 1

    failures = [("alexandria", 41, "LayoutError: case detail page GV26000001-00: no 'Hearing Information' section")]
    assert report_failed_courts(cfg, store, failures, now=dt.datetime(2026, 11, 27, 6, tzinfo=dt.UTC)).state == "sent"
    assert report_failed_courts(cfg, store, failures).state == "already_sent"
    assert len(handler.envelopes) == 2 and handler.envelopes[1].rcpt_tos == ["ops@example.org"]
    told = handler.parsed(1)
    assert "alexandria" in told["Subject"] and "Hearing Information" in told.get_body(("plain",)).get_content()
    cfg.notify.operators = []
    assert report_failed_courts(cfg, store, failures) is None  # nobody to tell: nothing recorded either
