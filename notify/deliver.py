"""The one delivery workflow: every e-mail evictwatch sends goes through `deliver_all`.

For each planned delivery: skip it when the log says it was sent (or may have been: held),
build what to send, then either write it to the dry-run folder (recording nothing) or record
the intent, hand it over and record the outcome. A dry run reads the log as the real run does,
so it previews that run: what was sent is "already sent — nothing would go", a held key is held.
The states a key moves through, and why a held one waits for a person, are `DeliveryState`'s
docstring.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from email.message import EmailMessage
from enum import StrEnum
from pathlib import Path

from notify.transport import DeliveryRefused, DeliveryUnknown, DeliveryUnreachable, OutboxTransport, Transport
from pipeline.store.ledger import DeliveryKey, DeliveryRecord, DeliveryState, Ledger

log = logging.getLogger(__name__)

__all__ = ["Channel", "Content", "DeliveryKey", "DeliveryOutcome", "DeliveryResult", "DeliveryState", "Outcome",
           "Planned", "deliver_all"]


class Outcome(StrEnum):
    """What one pass over a planned delivery did."""

    SENT = "sent"
    ALREADY_SENT = "already_sent"  # the log says sent: not again
    HELD = "held"                  # the log says it may have arrived: waits for --resend
    FAILED = "failed"              # refused or unreachable before hand-over: the next run retries
    UNKNOWN = "unknown"            # lost after hand-over: held from now on
    DRY_RUN = "dry_run"            # written beside the outbox, nothing recorded
    NOTHING_NEW = "nothing_new"    # nothing to send (an alert digest with no new fact)


@dataclass(frozen=True)
class DeliveryOutcome:
    key: str
    state: Outcome
    detail: str = ""


@dataclass(frozen=True)
class Channel:
    """Where messages go: the transport, its name in the log, and whether this is a dry run."""

    transport: Transport
    name: str  # outbox | smtp | dry-run
    dry_run: bool = False
    # A delivery left `sending` is settled by its outbox file: an outbox only this machine
    # writes (not the distributed mode's, one per worker machine).
    local_outbox: bool = False

    @property
    def settles_by_file(self) -> bool:
        return self.local_outbox and not self.dry_run and isinstance(self.transport, OutboxTransport)


@dataclass(frozen=True)
class Content:
    """What one delivery carries, made only once it is known to be due."""

    rows: int
    build: Callable[[], EmailMessage]  # its Message-ID is derived from the delivery key
    # Run just before the intent is recorded (never in a dry run): alert digests claim their facts.
    claim: Callable[[], None] | None = None
    # The (court, case number) pairs it lists: recorded as given to the partner, so that a recall
    # reaches it should the court erase one of them.
    cases: Sequence[tuple[str, str]] = ()


@dataclass(frozen=True)
class Planned:
    key: DeliveryKey
    prepare: Callable[[], Content | None]  # None: nothing to send
    nothing: Callable[[], None] | None = None  # run when there is nothing to send (not in a dry run)


@dataclass(frozen=True)
class DeliveryResult:
    key: DeliveryKey
    outcome: DeliveryOutcome
    rows: int
    path: str | None = None  # the .eml file written (outbox or dry run)

    @property
    def partner(self) -> str:
        return self.key.partner

    @property
    def kind(self) -> str:
        return self.key.kind


def deliver_all(planned: Iterable[Planned], *, ledger: Ledger, channel: Channel,
                resend: bool = False) -> list[DeliveryResult]:
    """Each planned delivery once, in order. `resend`: send keys the log holds (a person checked).

    One delivery's failure never stops the others': an error while building it is a failure
    (nothing was handed over), an unexpected error inside the transport an unknown outcome."""
    results = []
    for p in planned:
        try:
            results.append(_deliver(p, ledger, channel, resend))
        except _HandOverError as exc:
            cause = exc.__cause__
            log.error("delivery outcome unknown", extra={"key": str(p.key), "error": type(cause).__name__})
            _record(ledger, p.key, DeliveryState.UNKNOWN, f"{type(cause).__name__} while handing over")
            results.append(DeliveryResult(p.key, DeliveryOutcome(str(p.key), Outcome.UNKNOWN,
                                                                 f"{type(cause).__name__} while handing over"), 0))
        except Exception as exc:  # noqa: BLE001 - isolation is the point; the key is retried next run
            log.error("delivery not built", extra={"key": str(p.key), "error": type(exc).__name__})
            # The log is left as it was: nothing was handed over, so the next run tries again.
            detail = f"{type(exc).__name__} while building the message: {_first_line(exc)}"
            results.append(DeliveryResult(p.key, DeliveryOutcome(str(p.key), Outcome.FAILED, detail), 0))
    return results


class _HandOverError(Exception):
    """Something unexpected went wrong inside the transport, after the intent was recorded."""


def _record(ledger: Ledger, key: DeliveryKey, state: DeliveryState, error: str) -> None:
    try:
        ledger.outcome(key, state, error=error)
    except Exception:  # noqa: BLE001 - the store itself failing (a full disk): the next run sees `sending`
        log.error("delivery outcome not recorded", extra={"key": str(key)})


def _written(current: DeliveryRecord) -> str | None:
    """The outbox file a delivery left `sending` was to be (its intent records the path), if it is
    there: an outbox file appears whole or not at all, so it alone tells whether the message was
    handed over."""
    if current.transport != "outbox" or not current.receipt:
        return None
    return current.receipt if Path(current.receipt).is_file() else None


_NOTHING_WOULD_GO = "already sent — nothing would go"


def _as_logged(key: DeliveryKey, ledger: Ledger, channel: Channel) -> DeliveryResult | None:
    """What the delivery log decides before anything is built: sent already, or held for a
    person; None when the message is to be built and sent (or, in a dry run, previewed). A dry
    run reads the log as the real run does and says what it would do, changing nothing."""
    text = str(key)
    current = ledger.get(key)
    if current is not None and current.state == DeliveryState.SENT:
        # What was sent, as it was sent: not rebuilt as it would be now.
        detail = _NOTHING_WOULD_GO if channel.dry_run else current.receipt or ""
        return DeliveryResult(key, DeliveryOutcome(text, Outcome.ALREADY_SENT, detail), current.rows)
    if current is not None and current.state == DeliveryState.SENDING and _settled_by_file(current, channel):
        written = _written(current)
        if written is not None:  # handed over, only its outcome went unrecorded (a full disk)
            if channel.dry_run:
                return DeliveryResult(key, DeliveryOutcome(text, Outcome.ALREADY_SENT, _NOTHING_WOULD_GO),
                                      current.rows)
            ledger.outcome(key, DeliveryState.SENT, receipt=written)
            return DeliveryResult(key, DeliveryOutcome(text, Outcome.ALREADY_SENT, written), current.rows)
        if current.receipt and (channel.dry_run or current.transport == channel.name):
            return None  # its file was never written: nothing was handed over, so it is sent now
    if current is not None and current.state.held:
        return DeliveryResult(key, DeliveryOutcome(
            text, Outcome.HELD, f"outcome unknown since {current.updated_at:%Y-%m-%d %H:%M} UTC; "
                                f"check with the partner, then: evictwatch notify --resend '{text}'"),
            current.rows)
    return None


def _settled_by_file(current: DeliveryRecord, channel: Channel) -> bool:
    """A key left `sending` is settled by its outbox file on this machine's own outbox; a dry run
    previews that for a key the outbox was writing (the only transport that records its file)."""
    if channel.dry_run:
        return current.transport == "outbox" and bool(current.receipt)
    return channel.settles_by_file


def _first_line(exc: BaseException) -> str:
    return (str(exc).splitlines() or [""])[0][:200]


def _deliver(planned: Planned, ledger: Ledger, channel: Channel, resend: bool) -> DeliveryResult:
    key, text = planned.key, str(planned.key)
    if not resend:
        logged = _as_logged(key, ledger, channel)
        if logged is not None:
            return logged
    content = planned.prepare()
    if content is None:
        if planned.nothing is not None and not channel.dry_run:
            planned.nothing()
        return DeliveryResult(key, DeliveryOutcome("", Outcome.NOTHING_NEW), 0)
    if channel.dry_run:
        path = channel.transport.send(content.build())
        return DeliveryResult(key, DeliveryOutcome(text, Outcome.DRY_RUN, path), content.rows, path)
    message = content.build()
    if content.claim is not None:
        content.claim()
    target = str(channel.transport.path_for(message)) if channel.settles_by_file else None
    ledger.intend(key, message_id=message["Message-ID"], transport=channel.name, rows=content.rows,
                  cases=content.cases, target=target)
    try:
        receipt = channel.transport.send(message)
    except DeliveryUnknown as exc:
        ledger.outcome(key, DeliveryState.UNKNOWN, error=str(exc))
        return DeliveryResult(key, DeliveryOutcome(text, Outcome.UNKNOWN, str(exc)), content.rows)
    except (DeliveryRefused, DeliveryUnreachable) as exc:
        ledger.outcome(key, DeliveryState.FAILED, error=str(exc))
        return DeliveryResult(key, DeliveryOutcome(text, Outcome.FAILED, str(exc)), content.rows)
    except Exception as exc:
        raise _HandOverError() from exc
    ledger.outcome(key, DeliveryState.SENT, receipt=receipt)
    path = receipt if channel.name == "outbox" else None
    return DeliveryResult(key, DeliveryOutcome(text, Outcome.SENT, receipt), content.rows, path)
