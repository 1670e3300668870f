"""notify.message + notify.transport against a real aiosmtpd server on 127.0.0.1."""

from __future__ import annotations

import email
import email.policy
import os
import socket
import ssl
import stat
import subprocess
import time
from datetime import UTC, datetime
from pathlib import Path

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword

from notify.message import Attachment, build_message, message_id
from notify.transport import (
    DeliveryRefused,
    DeliveryUnknown,
    DeliveryUnreachable,
    MissingSecretError,
    OutboxTransport,
    SmtpTransport,
    password_from_env,
)

HOST = "127.0.0.1"
USER, PASSWORD = "partner-relay", "s3cret"
CSV = Attachment("cases-2026-W48.csv", "case,landlord\n24-1,Ünïcode LLC\n".encode(), "text/csv")
XLSX = Attachment("cases.xlsx", bytes(range(256)) * 4,
                  "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")


# ---------------------------------------------------------------- fixtures

def free_port() -> int:
    with socket.socket() as s:
        s.bind((HOST, 0))
        return s.getsockname()[1]


@pytest.fixture(scope="session")
def certs(tmp_path_factory) -> tuple[Path, Path]:
    d = tmp_path_factory.mktemp("tls")
    key, cert = d / "k.pem", d / "c.pem"
    subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", str(key),
                    "-out", str(cert), "-days", "2", "-subj", "/CN=localhost",
                    "-addext", "subjectAltName=IP:127.0.0.1,DNS:localhost"],
                   check=True, capture_output=True)
    return key, cert


@pytest.fixture(scope="session")
def server_tls(certs) -> ssl.SSLContext:
    ctx = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    ctx.load_cert_chain(certs[1], certs[0])
    return ctx


@pytest.fixture(scope="session")
def client_tls(certs) -> ssl.SSLContext:
    return ssl.create_default_context(cafile=str(certs[1]))  # full verification, hostname included


class Recorder:
    def __init__(self) -> None:
        self.envelopes = []

    async def handle_DATA(self, server, session, envelope):
        self.envelopes.append(envelope)
        return "250 OK queued as test-1"

    def parsed(self, i: int = -1) -> email.message.EmailMessage:
        return email.message_from_bytes(self.envelopes[i].content, policy=email.policy.default)


class RejectsNobody(Recorder):
    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if address.startswith("nobody@"):
            return "550 no such user"
        envelope.rcpt_tos.append(address)
        return "250 OK"


class DropsAfterData(Recorder):
    async def handle_DATA(self, server, session, envelope):
        self.envelopes.append(envelope)  # the server did get the content...
        server.transport.close()         # ...but the client never hears the 250
        return "250 never seen"


def authenticator(server, session, envelope, mechanism, auth_data):
    ok = isinstance(auth_data, LoginPassword) and auth_data.login == USER.encode() \
        and auth_data.password == PASSWORD.encode()
    return AuthResult(success=ok, handled=False)


@pytest.fixture
def smtpd(server_tls):
    """Factory: start an aiosmtpd Controller on a free 127.0.0.1 port; stopped afterwards."""
    started = []

    def start(handler=None, *, implicit_tls=False, starttls=True, **kwargs):
        handler = handler or Recorder()
        port = free_port()
        opts = {"hostname": HOST, "port": port, "authenticator": authenticator, "server_hostname": "localhost"}
        if implicit_tls:
            # AUTH is advertised only after STARTTLS when auth_require_tls=True; the whole
            # connection is TLS here, so that check is moot.
            opts.update(ssl_context=server_tls, auth_require_tls=False)
        elif starttls:
            opts.update(tls_context=server_tls, require_starttls=True, auth_require_tls=True)
        opts.update(kwargs)
        ctl = Controller(handler, **opts)
        ctl.start()
        started.append(ctl)
        return handler, port

    yield start
    for ctl in started:
        ctl.stop()


def make(key="weekly:2026-W48:partner-7", **kw):
    args = {"key": key, "sender": "Evictwatch <alerts@evictwatch.example>",
            "to": ["Legal Aid Intake <intake@legalaid.example>", "staff@legalaid.example"],
            "subject": "Weekly eviction cases — 12 new", "text": "Plain body.\nSecond line: ünïcode.\n",
            "html": "<p>HTML body — <b>12</b> new</p>", "attachments": [CSV, XLSX],
            "date": datetime(2026, 11, 27, 8, 0, tzinfo=UTC)}
    args.update(kw)
    return build_message(**args)


def smtp(port, client_tls, **kw):
    opts = {"security": "starttls", "username": USER, "password": PASSWORD, "timeout_s": 5,
            "ssl_context": client_tls}
    opts.update(kw)
    return SmtpTransport(HOST, port, **opts)


def check_full_message(got, key):
    assert got["Message-ID"] == message_id(key, "evictwatch.local")
    assert got["X-Evictwatch-Key"] == key
    assert got["Subject"] == "Weekly eviction cases — 12 new"
    assert got.get_content_type() == "multipart/mixed"
    parts = got.get_payload()
    assert parts[0].get_content_type() == "multipart/alternative"
    alt = [p.get_content_type() for p in parts[0].get_payload()]
    assert alt == ["text/plain", "text/html"]
    assert got.get_body(("plain",)).get_content().replace("\r\n", "\n") == "Plain body.\nSecond line: ünïcode.\n"
    assert "<b>12</b>" in got.get_body(("html",)).get_content()
    atts = list(got.iter_attachments())
    assert [(a.get_filename(), a.get_content_type(), a.get_payload(decode=True)) for a in atts] == [
        (CSV.filename, "text/csv", CSV.content), (XLSX.filename, XLSX.mime_type, XLSX.content)]


# ---------------------------------------------------------------- SMTP

def test_starttls_auth_delivers_full_mime(smtpd, client_tls):
    handler, port = smtpd()
    key = "weekly:2026-W48:partner-7"
    receipt = smtp(port, client_tls).send(make(key))
    assert receipt.startswith("250") and "queued" in receipt
    [env] = handler.envelopes
    assert env.mail_from == "alerts@evictwatch.example"
    assert env.rcpt_tos == ["intake@legalaid.example", "staff@legalaid.example"]
    assert max(env.content) < 128  # 7-bit clean on the wire
    check_full_message(handler.parsed(), key)


def test_implicit_tls_with_auth(smtpd, client_tls):
    handler, port = smtpd(implicit_tls=True)
    key = "alert:case-24-1"
    assert smtp(port, client_tls, security="tls").send(make(key)).startswith("250")
    check_full_message(handler.parsed(), key)


def test_wrong_password_is_refused_quickly(smtpd, client_tls):
    handler, port = smtpd()
    t0 = time.monotonic()
    with pytest.raises(DeliveryRefused, match="login") as info:
        smtp(port, client_tls, password="wrong").send(make())
    assert time.monotonic() - t0 < 5
    assert info.value.smtp_code == 535
    assert handler.envelopes == []


def test_server_down_is_unreachable(client_tls):
    with pytest.raises(DeliveryUnreachable):
        smtp(free_port(), client_tls).send(make())


def test_untrusted_certificate_is_unreachable(smtpd):
    _, port = smtpd()
    with pytest.raises(DeliveryUnreachable):
        smtp(port, ssl.create_default_context()).send(make())  # self-signed cert not trusted


def test_no_starttls_offered_is_refused_not_sent_in_clear(smtpd, client_tls):
    handler, port = smtpd(starttls=False, auth_require_tls=False)
    with pytest.raises(DeliveryRefused, match="STARTTLS"):
        smtp(port, client_tls).send(make())
    assert handler.envelopes == []


def test_refused_recipient_sends_to_no_one(smtpd, client_tls):
    handler, port = smtpd(RejectsNobody())
    msg = make(to=["intake@legalaid.example", "nobody@legalaid.example"])
    with pytest.raises(DeliveryRefused, match="nobody@legalaid.example") as info:
        smtp(port, client_tls).send(msg)
    assert list(info.value.refused) == ["nobody@legalaid.example"]
    assert info.value.refused["nobody@legalaid.example"][0] == 550
    assert "NO ONE" in str(info.value)
    assert handler.envelopes == []  # all or nothing: the accepted recipient got nothing either


def test_disconnect_after_data_is_unknown(smtpd, client_tls):
    handler, port = smtpd(DropsAfterData())
    with pytest.raises(DeliveryUnknown, match="may have been delivered"):
        smtp(port, client_tls).send(make())
    assert len(handler.envelopes) == 1  # it really was handed over: retrying would duplicate


def test_header_injection_does_not_create_headers(smtpd, client_tls):
    handler, port = smtpd()
    msg = make(subject="Cases\r\nBcc: evil@x", sender="Evictwatch\r\nBcc: evil@x <alerts@evictwatch.example>",
               to=["Intake\nBcc: evil@x <intake@legalaid.example>"], reply_to="Desk\r\nX-Bad: 1 <desk@la.example>")
    smtp(port, client_tls).send(msg)
    [env] = handler.envelopes
    assert env.rcpt_tos == ["intake@legalaid.example"]
    got = handler.parsed()
    assert got["Bcc"] is None and got["X-Bad"] is None
    assert b"\nBcc:" not in env.content and b"\nX-Bad:" not in env.content
    assert got["Subject"] == "Cases Bcc: evil@x"
    assert got["To"].addresses[0].addr_spec == "intake@legalaid.example"
    assert got["To"].addresses[0].display_name == "Intake Bcc: evil@x"


def test_injection_in_address_itself_is_rejected():
    with pytest.raises(ValueError):
        make(to=["intake@legalaid.example\r\nBcc: evil@x"])
    with pytest.raises(ValueError):
        make(key="k\r\nBcc: evil@x")


def test_non_ascii_subject_and_names_round_trip(smtpd, client_tls):
    handler, port = smtpd()
    subject = "Räumungsklagen: 3 neue Fälle — 緊急 🏠"
    msg = make(subject=subject, to=["Zoë Ångström <intake@legalaid.example>"], attachments=[],
               html=None)
    smtp(port, client_tls).send(msg)
    env = handler.envelopes[0]
    assert max(env.content) < 128
    got = handler.parsed()
    assert got["Subject"] == subject
    assert got["To"].addresses[0].display_name == "Zoë Ångström"
    assert got.get_content_type() == "multipart/mixed"
    assert got.get_body(("plain",)).get_content().replace("\r\n", "\n") == "Plain body.\nSecond line: ünïcode.\n"


def test_message_id_is_deterministic():
    a, b = message_id("k1", "x.example"), message_id("k1", "x.example")
    assert a == b != message_id("k2", "x.example")
    assert a.startswith("<evictwatch.") and a.endswith("@x.example>") and len(a) == len("<evictwatch.@x.example>") + 32
    assert make(key="k1", domain="x.example")["Message-ID"] == a
    with pytest.raises(ValueError):
        message_id("k1", "bad\r\ndomain")


def test_password_from_env(monkeypatch):
    monkeypatch.setenv("EW_TEST_SMTP_PW", "pw")
    assert password_from_env("EW_TEST_SMTP_PW") == "pw"
    monkeypatch.delenv("EW_TEST_SMTP_PW")
    with pytest.raises(MissingSecretError, match="EW_TEST_SMTP_PW"):
        password_from_env("EW_TEST_SMTP_PW")


def test_credentials_never_sent_without_tls():
    with pytest.raises(ValueError):
        SmtpTransport(HOST, 25, security="none", username="u", password="p")
    assert "p'" not in repr(SmtpTransport(HOST, 25, username="u", password="p"))


# ---------------------------------------------------------------- outbox

def test_outbox_writes_private_atomic_eml(tmp_path):
    root = tmp_path / "outbox"
    box = OutboxTransport(root)
    key = "weekly:2026-W48:partner/7"
    msg = make(key)
    path = Path(box.send(msg))
    assert path == box.path_for(msg) == box.path_for(make(key))
    assert path.parent == root / "2026-11-27" and path.suffix == ".eml" and "/" not in path.name
    assert stat.S_IMODE(os.stat(root).st_mode) == 0o700
    assert stat.S_IMODE(os.stat(path.parent).st_mode) == 0o700
    assert stat.S_IMODE(os.stat(path).st_mode) == 0o600
    check_full_message(email.message_from_bytes(path.read_bytes(), policy=email.policy.default), key)

    again = Path(box.send(make(key, subject="Rewritten")))
    assert again == path
    assert os.listdir(path.parent) == [path.name]  # no temp files, no duplicate
    reread = email.message_from_bytes(path.read_bytes(), policy=email.policy.default)
    assert reread["Subject"] == "Rewritten"

    other = Path(box.send(make("weekly:2026-W48:partner_7")))  # sanitizes alike, still distinct
    assert other != path and sorted(os.listdir(path.parent)) == sorted([path.name, other.name])


def test_a_long_subject_is_not_folded_after_its_name():
    import email
    import email.policy

    from notify.message import build_message

    subject = "Eviction outreach list 2026-W48: 148 cases (Alexandria Legal Aid (demo))"
    msg = build_message(key="P|weekly_list|2026-W48", sender="a <a@example.org>", to=["b@example.org"],
                        subject=subject, text="hi", html=None, attachments=[], reply_to=None, domain="x.local")
    raw = msg.as_bytes()
    assert f"\r\nSubject: {subject}\r\n".encode() in raw
    assert email.message_from_bytes(raw, policy=email.policy.default)["Subject"] == subject
