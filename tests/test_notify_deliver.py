"""Exactly once, with the outbox transport: intent before hand-over, outcome after."""

from __future__ import annotations

from email import message_from_bytes
from pathlib import Path

import pytest

from notify.deliver import Channel, Content, DeliveryKey, Planned, deliver_all
from notify.message import build_message
from notify.transport import DeliveryUnknown, DeliveryUnreachable, OutboxTransport
from pipeline.store.ledger import Ledger


@pytest.fixture
def store(store_on_both):
    """This module's tests run on both engines."""
    return store_on_both


class ProcessDied(BaseException):
    """Stands for SIGKILL between the hand-over and the ledger write."""


class Flaky:
    def __init__(self, inner, failures):
        self.inner, self.failures = inner, list(failures)

    def send(self, message):
        if self.failures:
            failure = self.failures.pop(0)
            if failure == "die-after-send":
                self.inner.send(message)
                raise ProcessDied()
            raise failure
        return self.inner.send(message)


@pytest.fixture
def ledger(store) -> Ledger:
    return Ledger(store.engine)


KEY = DeliveryKey("Legal Aid", "weekly_list", "2026-W48")


class DyingOutbox(OutboxTransport):
    """Writes the message's file, then the process dies before its outcome is recorded."""

    def send(self, message):
        super().send(message)
        raise ProcessDied()


def builder(key=KEY):
    def build():
        return build_message(key=str(key), sender="watch@example.org", to=["intake@example.org"],
                             subject=f"Outreach {key.period}", text="rows", html="<p>rows</p>",
                             domain="evictwatch.test")
    return build


def send(ledger, transport, key=KEY, local=False, **kw):
    [result] = deliver_all([Planned(key, lambda: Content(3, builder(key)))], ledger=ledger,
                           channel=Channel(transport, "outbox", local_outbox=local), **kw)
    return result.outcome


def emls(folder: Path) -> list[Path]:
    return sorted(folder.rglob("*.eml"))


def test_sent_once_then_never_again(ledger, tmp_path):
    outbox = OutboxTransport(tmp_path / "outbox")
    assert send(ledger, outbox).state == "sent"
    assert send(ledger, outbox).state == "already_sent"
    [eml] = emls(tmp_path / "outbox")
    parsed = message_from_bytes(eml.read_bytes())
    assert parsed["Message-ID"] == ledger.get("Legal Aid|weekly_list|2026-W48").message_id


def test_a_death_after_hand_over_is_held_not_repeated(ledger, tmp_path):
    """A transport that cannot tell afterwards whether the message arrived (SMTP, here one
    that only wraps the outbox): the delivery waits for a person."""
    outbox = OutboxTransport(tmp_path / "outbox")
    with pytest.raises(ProcessDied):
        send(ledger, Flaky(outbox, ["die-after-send"]))
    assert len(emls(tmp_path / "outbox")) == 1
    again = send(ledger, Flaky(outbox, []))
    assert again.state == "held" and "--resend" in again.detail
    assert len(emls(tmp_path / "outbox")) == 1
    assert [d.key for d in ledger.unsettled()] == ["Legal Aid|weekly_list|2026-W48"]
    assert send(ledger, Flaky(outbox, []), resend=True).state == "sent"  # after a person checked
    assert ledger.unsettled() == [] and len(emls(tmp_path / "outbox")) == 1


def test_the_outbox_tells_whether_a_delivery_left_sending_was_handed_over(ledger, tmp_path):
    """A local outbox's file is written whole or not at all, at the path its intent recorded: a
    `sending` key with its file was sent (only its outcome went unrecorded); without it, nothing
    was handed over and it is sent."""
    outbox = OutboxTransport(tmp_path / "outbox")
    with pytest.raises(ProcessDied):
        send(ledger, DyingOutbox(tmp_path / "outbox"), local=True)
    assert ledger.get(KEY).state == "sending" and ledger.get(KEY).receipt
    again = send(ledger, outbox, local=True)
    assert again.state == "already_sent"
    assert ledger.get(KEY).state == "sent" and len(emls(tmp_path / "outbox")) == 1
    other = DeliveryKey("Legal Aid", "weekly_list", "2026-W49")
    ledger.intend(other, message_id="<x@evictwatch.test>", transport="outbox", rows=3,
                  target=str(tmp_path / "outbox" / "2026-12-07" / "never-written.eml"))  # died before the file
    assert send(ledger, outbox, key=other, local=True).state == "sent"
    assert len(emls(tmp_path / "outbox")) == 2 and ledger.unsettled() == []
    third = DeliveryKey("Legal Aid", "weekly_list", "2026-W50")
    ledger.intend(third, message_id="<y@evictwatch.test>", transport="outbox", rows=3,
                  target=str(tmp_path / "outbox" / "2026-12-07" / "never-written-either.eml"))
    assert send(ledger, outbox, key=third).state == "held"  # an outbox of several machines: a person checks


def test_a_failed_send_is_retried_by_the_next_run(ledger, tmp_path):
    outbox = OutboxTransport(tmp_path / "outbox")
    first = send(ledger, Flaky(outbox, [DeliveryUnreachable("connection refused")]))
    assert first.state == "failed" and emls(tmp_path / "outbox") == []
    assert send(ledger, outbox).state == "sent"
    assert ledger.get("Legal Aid|weekly_list|2026-W48").attempts == 2
    assert len(emls(tmp_path / "outbox")) == 1


def test_an_unknown_outcome_is_held(ledger, tmp_path):
    outbox = OutboxTransport(tmp_path / "outbox")
    assert send(ledger, Flaky(outbox, [DeliveryUnknown("lost after DATA")])).state == "unknown"
    assert send(ledger, outbox).state == "held"


class DiskFull:
    """An outbox whose disk is full: the write fails before anything is handed over."""

    def __init__(self, folder: Path):
        self.inner = OutboxTransport(folder)

    def send(self, message):
        import errno

        def full(*args, **kwargs):
            raise OSError(errno.ENOSPC, "No space left on device")
        self.inner._write = full
        return self.inner.send(message)


def test_a_full_outbox_disk_is_a_failure_retried_not_a_held_delivery(ledger, tmp_path):
    outcome = send(ledger, DiskFull(tmp_path / "outbox"))
    assert outcome.state == "failed" and "No space left" in outcome.detail
    assert ledger.get(KEY).state == "failed" and ledger.unsettled() == []
    assert send(ledger, OutboxTransport(tmp_path / "outbox")).state == "sent"


def test_one_partners_failure_never_stops_anothers(ledger, tmp_path):
    def broken():
        raise ValueError("invalid e-mail address: 'x'")
    other = DeliveryKey("Other", "weekly_list", "2026-W48")
    results = deliver_all([Planned(KEY, lambda: Content(1, broken)), Planned(other, lambda: Content(2, builder(other)))],
                          ledger=ledger, channel=Channel(OutboxTransport(tmp_path / "outbox"), "outbox"))
    assert [r.outcome.state for r in results] == ["failed", "sent"]
    assert ledger.get(KEY) is None and len(emls(tmp_path / "outbox")) == 1
