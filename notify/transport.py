"""Delivering a built message: to a folder of .eml files, or to an SMTP server.

Errors are sorted by what they mean for "exactly once":

* ``DeliveryUnreachable`` -- nothing was handed over (connection refused, DNS, TLS
  handshake, or the connection died before the message content was sent): safe to retry.
* ``DeliveryRefused`` -- the server answered and said no (auth failed, sender or a
  recipient refused, 4xx/5xx to DATA, no STARTTLS offered): nothing was delivered
  (see the recipient rule below); retry later or get a person to look.
* ``DeliveryUnknown`` -- the content was (perhaps partly) sent and no final answer
  arrived: the server may have accepted it. Never retry blindly.

Recipient rule (all or nothing): ``SmtpTransport`` runs MAIL/RCPT itself and only sends
DATA when *every* recipient was accepted. If any RCPT is refused it sends RSET and raises
``DeliveryRefused`` naming the refused addresses -- nobody, including the accepted
recipients, received the message, so a retry after fixing the list cannot double-deliver.
"""

from __future__ import annotations

import copy
import hashlib
import os
import re
import smtplib
import ssl
import tempfile
from collections.abc import Sequence
from datetime import UTC, datetime
from email.generator import BytesGenerator
from email.message import EmailMessage
from email.utils import getaddresses, parsedate_to_datetime
from io import BytesIO
from pathlib import Path
from typing import Protocol

from notify.message import KEY_HEADER

__all__ = [
    "DeliveryError",
    "DeliveryRefused",
    "DeliveryUnknown",
    "DeliveryUnreachable",
    "MissingSecretError",
    "OutboxTransport",
    "SmtpTransport",
    "Transport",
    "password_from_env",
    "private_folder",
]


class DeliveryError(Exception):
    """Base of the three delivery outcomes below."""


class DeliveryRefused(DeliveryError):
    """The server answered and said no; nothing was delivered."""

    def __init__(self, message: str, *, smtp_code: int | None = None,
                 refused: dict[str, tuple[int, str]] | None = None) -> None:
        super().__init__(message)
        self.smtp_code = smtp_code
        self.refused = refused or {}


class DeliveryUnreachable(DeliveryError):
    """The message was never handed over; safe to retry."""


class DeliveryUnknown(DeliveryError):
    """The message may have been handed over; never retry blindly."""


class MissingSecretError(RuntimeError):
    pass


class Transport(Protocol):
    def send(self, message: EmailMessage) -> str: ...


def password_from_env(variable: str) -> str:
    value = os.environ.get(variable)
    if not value:
        raise MissingSecretError(f"environment variable {variable} is not set (or empty); "
                                 f"the SMTP password is read only from the environment")
    return value


def _flatten(message: EmailMessage, *, utf8: bool = False) -> bytes:
    buf = BytesIO()
    pol = message.policy.clone(linesep="\r\n", utf8=utf8)
    BytesGenerator(buf, policy=pol).flatten(message)
    return buf.getvalue()


# ---------------------------------------------------------------- outbox

_UNSAFE = re.compile(r"[^A-Za-z0-9._-]+")


def private_folder(path: Path, *, tighten: bool = True) -> Path:
    """`path` as a folder for tenants' data: each level of it that is missing made 0700 (mkdir's
    mode goes through the umask, and `parents=True` would give the parents the default mode).

    With `tighten`, an existing folder open to others (made 0755 by an older release) is made
    0700 too; one that is not ours to change is left as it is."""
    missing: list[Path] = []
    at = Path(path)
    while not at.is_dir() and at != at.parent:
        missing.append(at)
        at = at.parent
    for folder in reversed(missing):
        try:
            folder.mkdir(mode=0o700)
        except FileExistsError:
            if not folder.is_dir():
                raise
            continue  # made meanwhile by another run, private as well
        os.chmod(folder, 0o700)
    if tighten and not missing:
        try:
            if path.stat().st_mode & 0o077:
                os.chmod(path, 0o700)
        except PermissionError:
            pass  # another user's folder: the operator's choice
    return path


class OutboxTransport:
    """Writes ``<folder>/<YYYY-MM-DD>/<safe key>.eml`` atomically (temp file 0600, fsync, replace).

    The day is the message's own Date header (as written, in its timezone), so the same
    message always maps to the same path; the name is the delivery key made safe plus a
    short hash of the key, so distinct keys never collide.
    """

    def __init__(self, folder: Path) -> None:
        self.folder = Path(folder)

    def path_for(self, message: EmailMessage) -> Path:
        key = message.get(KEY_HEADER) or message.get("Message-ID")
        if not key:
            raise ValueError(f"message has neither {KEY_HEADER} nor Message-ID")
        key = str(key)
        safe = _UNSAFE.sub("_", key).strip("._-")[:80] or "message"
        digest = hashlib.sha256(key.encode("utf-8")).hexdigest()[:12]
        return self.folder / self._day(message) / f"{safe}-{digest}.eml"

    @staticmethod
    def _day(message: EmailMessage) -> str:
        raw = message.get("Date")
        when = None
        if raw:
            try:
                when = parsedate_to_datetime(str(raw))
            except (TypeError, ValueError):
                when = None
        return (when or datetime.now(UTC)).strftime("%Y-%m-%d")

    def send(self, message: EmailMessage) -> str:
        target = self.path_for(message)
        data = _flatten(message)
        try:
            self._write(target, data)
        except OSError as exc:
            # Nothing reached the outbox (the file appears whole or not at all): failed, retried.
            raise DeliveryUnreachable(f"cannot write the outbox {self.folder}: {exc.strerror or exc}") from exc
        dir_fd = os.open(target.parent, os.O_RDONLY)
        try:
            os.fsync(dir_fd)
        finally:
            os.close(dir_fd)
        return str(target)

    def _write(self, target: Path, data: bytes) -> None:
        private_folder(self.folder)
        private_folder(target.parent)
        fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=".tmp-", suffix=".part")  # 0600
        try:
            with os.fdopen(fd, "wb") as fh:
                fh.write(data)
                fh.flush()
                os.fsync(fh.fileno())
            os.replace(tmp, target)
        except BaseException:
            try:
                os.unlink(tmp)
            except FileNotFoundError:
                pass
            raise


# ---------------------------------------------------------------- smtp

def _addr_specs(values: Sequence[str]) -> list[str]:
    return [addr for _, addr in getaddresses([str(v) for v in values]) if addr]


def _text(resp: bytes | str) -> str:
    return resp.decode("utf-8", "replace") if isinstance(resp, bytes) else str(resp)


class SmtpTransport:
    SECURITY = ("starttls", "tls", "none")

    def __init__(self, host: str, port: int, *, security: str = "starttls", username: str | None = None,
                 password: str | None = None, timeout_s: float = 30.0,
                 ssl_context: ssl.SSLContext | None = None) -> None:
        if security not in self.SECURITY:
            raise ValueError(f"security must be one of {self.SECURITY}, not {security!r}")
        if username and security == "none":
            raise ValueError("refusing to send SMTP credentials without TLS (security='none')")
        if username and password is None:
            raise ValueError("username given without password")
        self.host, self.port, self.security = host, port, security
        self.username, self._password = username, password
        self.timeout_s = timeout_s
        self.ssl_context = ssl_context or ssl.create_default_context()

    def __repr__(self) -> str:  # never show the password
        return f"SmtpTransport({self.host!r}, {self.port}, security={self.security!r}, username={self.username!r})"

    def send(self, message: EmailMessage) -> str:
        sender = _addr_specs(message.get_all("Sender") or message.get_all("From") or [])
        rcpts = _addr_specs((message.get_all("To") or []) + (message.get_all("Cc") or [])
                            + (message.get_all("Bcc") or []))
        if len(sender) != 1 or not rcpts:
            raise ValueError("message needs exactly one From address and at least one recipient")
        where = f"{self.host}:{self.port}"

        # 1. connect, TLS, login: any failure here means nothing was handed over.
        try:
            if self.security == "tls":
                smtp: smtplib.SMTP = smtplib.SMTP_SSL(self.host, self.port, timeout=self.timeout_s,
                                                      context=self.ssl_context)
            else:
                smtp = smtplib.SMTP(self.host, self.port, timeout=self.timeout_s)
        except smtplib.SMTPConnectError as exc:
            raise DeliveryRefused(f"{where} refused the connection: {exc.smtp_code} {_text(exc.smtp_error)}",
                                  smtp_code=exc.smtp_code) from exc
        except OSError as exc:  # refused, DNS, timeout, TLS handshake, early disconnect
            raise DeliveryUnreachable(f"cannot reach {where}: {exc!r}") from exc
        try:
            return self._session(smtp, message, sender[0], rcpts, where)
        finally:
            smtp.close()

    def _session(self, smtp: smtplib.SMTP, message: EmailMessage, sender: str, rcpts: list[str],
                 where: str) -> str:
        try:
            smtp.ehlo()
            if self.security == "starttls":
                if not smtp.has_extn("starttls"):
                    raise DeliveryRefused(f"{where} does not offer STARTTLS; not sending in clear")
                smtp.starttls(context=self.ssl_context)
                smtp.ehlo()
            if self.username:
                smtp.login(self.username, self._password or "")
            mail_opts: list[str] = []
            utf8 = any(not a.isascii() for a in [sender, *rcpts])
            if utf8:
                if not smtp.has_extn("smtputf8"):
                    raise DeliveryRefused(f"{where} lacks SMTPUTF8, needed for non-ASCII addresses")
                mail_opts.append("SMTPUTF8")
            if smtp.has_extn("8bitmime"):
                mail_opts.append("BODY=8BITMIME")
            code, resp = smtp.mail(sender, mail_opts)
            if code != 250:
                self._rset(smtp)
                raise DeliveryRefused(f"{where} refused sender {sender}: {code} {_text(resp)}", smtp_code=code)
            refused: dict[str, tuple[int, str]] = {}
            for rcpt in rcpts:
                code, resp = smtp.rcpt(rcpt)
                if code not in (250, 251):
                    refused[rcpt] = (code, _text(resp))
            if refused:
                self._rset(smtp)
                names = ", ".join(f"{a} ({c} {r})" for a, (c, r) in refused.items())
                raise DeliveryRefused(
                    f"{where} refused recipient(s) {names}; the message was sent to NO ONE "
                    f"(all-or-nothing, the other recipients did not receive it)", refused=refused)
            smtp.putcmd("data")
            code, resp = smtp.getreply()
            if code != 354:
                self._rset(smtp)
                raise DeliveryRefused(f"{where} refused DATA: {code} {_text(resp)}", smtp_code=code)
        except DeliveryError:
            raise
        except smtplib.SMTPServerDisconnected as exc:
            raise DeliveryUnreachable(f"{where} disconnected before the message was sent: {exc}") from exc
        except smtplib.SMTPAuthenticationError as exc:
            raise DeliveryRefused(f"{where} rejected the login for {self.username}: {exc.smtp_code} "
                                  f"{_text(exc.smtp_error)}", smtp_code=exc.smtp_code) from exc
        except smtplib.SMTPResponseException as exc:
            raise DeliveryRefused(f"{where} said {exc.smtp_code} {_text(exc.smtp_error)}",
                                  smtp_code=exc.smtp_code) from exc
        except smtplib.SMTPException as exc:  # e.g. no AUTH offered / no usable mechanism
            raise DeliveryRefused(f"{where}: {exc}") from exc
        except OSError as exc:  # TLS handshake failure, reset, timeout before content
            raise DeliveryUnreachable(f"{where} failed before the message was sent: {exc!r}") from exc

        # 2. content: from here on the server may have accepted the message.
        wire = message
        if wire.get("Bcc") is not None or wire.get("Resent-Bcc") is not None:
            wire = copy.copy(message)  # __delitem__ rebinds the header list: the original keeps its Bcc
            del wire["Bcc"], wire["Resent-Bcc"]
        payload = re.sub(rb"(?m)^\.", b"..", _flatten(wire, utf8=utf8))
        if not payload.endswith(b"\r\n"):
            payload += b"\r\n"
        try:
            smtp.send(payload + b".\r\n")
            code, resp = smtp.getreply()
        except OSError as exc:  # includes SMTPServerDisconnected
            raise DeliveryUnknown(f"{where}: connection lost after the message content was sent; it may "
                                  f"have been delivered ({message.get('Message-ID')}): {exc!r}") from exc
        if code != 250:
            raise DeliveryRefused(f"{where} rejected the message: {code} {_text(resp)}", smtp_code=code)
        try:
            smtp.quit()
        except (smtplib.SMTPException, OSError):
            pass  # already accepted
        return f"{code} {_text(resp)}".strip()

    @staticmethod
    def _rset(smtp: smtplib.SMTP) -> None:
        try:
            smtp.rset()
        except (smtplib.SMTPException, OSError):
            pass
