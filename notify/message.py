"""Building the MIME message evictwatch e-mails to legal-aid partners.

Everything a caller passes ends up in headers, so every header value is sanitized:
control characters (CR, LF, NUL, DEL, ...) and Unicode line/paragraph separators in
subjects, display names and filenames become spaces, and addresses that are not a
single clean token are rejected with ``ValueError``. Non-ASCII text is encoded by the
``email`` package (RFC 2047 / RFC 2231), bodies are UTF-8 quoted-printable, so the
whole message is 7-bit clean and needs no 8BITMIME from the server.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from email import policy as email_policy
from email.headerregistry import Address
from email.message import EmailMessage
from email.utils import format_datetime

__all__ = ["KEY_HEADER", "Attachment", "build_message", "message_id", "sanitize_header_text"]

KEY_HEADER = "X-Evictwatch-Key"

# C0 controls, DEL, C1 controls, and the Unicode line/paragraph separators.
_CONTROL = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029\u0085]")
_DOMAIN = re.compile(r"^[A-Za-z0-9](?:[A-Za-z0-9.-]{0,251}[A-Za-z0-9])?$")
_MIME_TYPE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9!#$&^_.+-]*/[A-Za-z0-9][A-Za-z0-9!#$&^_.+-]*$")


@dataclass(frozen=True)
class Attachment:
    filename: str
    content: bytes
    mime_type: str  # e.g. "text/csv"


def sanitize_header_text(value: str) -> str:
    """Control characters become spaces; runs of whitespace collapse; ends are stripped."""
    return " ".join(_CONTROL.sub(" ", value).split())


def message_id(key: str, domain: str) -> str:
    """Deterministic Message-ID for a delivery key: a resend carries the same id."""
    _check_domain(domain)
    digest = hashlib.sha256(key.encode("utf-8")).hexdigest()[:32]
    return f"<evictwatch.{digest}@{domain}>"


def _check_domain(domain: str) -> None:
    if not _DOMAIN.match(domain):
        raise ValueError(f"invalid Message-ID domain: {domain!r}")


def parse_address(value: str) -> Address:
    """'addr@x' or 'Display Name <addr@x>' -> Address; the name is sanitized, the address must be clean."""
    name, addr = "", value.strip()
    if addr.endswith(">") and "<" in addr:
        cut = addr.rindex("<")
        name, addr = addr[:cut], addr[cut + 1 : -1]
    name = sanitize_header_text(name).strip('"').strip()
    addr = addr.strip()
    if not addr or _CONTROL.search(addr) or any(c.isspace() for c in addr) or addr.count("@") != 1 \
            or any(c in addr for c in "<>,;\"()[]\\"):
        raise ValueError(f"invalid e-mail address: {value!r}")
    try:
        return Address(display_name=name, addr_spec=addr)
    except (ValueError, IndexError) as exc:  # the header parser's own complaint
        raise ValueError(f"invalid e-mail address: {value!r}") from exc


def _safe_filename(name: str) -> str:
    cleaned = sanitize_header_text(name).replace("/", "_").replace("\\", "_").lstrip(".")
    return cleaned or "attachment"


# SMTP line endings; headers folded only past RFC 5322's hard limit: Python's folding at 78
# broke a long Subject right after "Subject:", which some mail programs show as a blank subject
# line followed by a leading space.
_POLICY = email_policy.SMTP.clone(max_line_length=998)


def build_message(
    *,
    key: str,
    sender: str,
    to: Sequence[str],
    subject: str,
    text: str,
    html: str | None,
    attachments: Sequence[Attachment] = (),
    reply_to: str | None = None,
    domain: str = "evictwatch.local",
    date: datetime | None = None,
) -> EmailMessage:
    """multipart/mixed [ multipart/alternative [text/plain, text/html], attachments... ].

    Without ``html`` the first part is a plain text/plain part. ``key`` is the delivery
    key (must be non-empty, without control characters); it is both the
    ``X-Evictwatch-Key`` header and the source of the Message-ID.
    """
    if isinstance(to, str):
        raise TypeError("`to` must be a sequence of addresses, not a single string")
    if not key or _CONTROL.search(key):
        raise ValueError(f"delivery key must be non-empty and free of control characters: {key!r}")
    recipients = [parse_address(a) for a in to]
    if not recipients:
        raise ValueError("at least one recipient is required")

    msg = EmailMessage(policy=_POLICY)
    msg["From"] = parse_address(sender)
    msg["To"] = recipients
    if reply_to:
        msg["Reply-To"] = parse_address(reply_to)
    msg["Subject"] = sanitize_header_text(subject)
    when = date if date is not None else datetime.now(UTC)
    msg["Date"] = format_datetime(when)
    msg["Message-ID"] = message_id(key, domain)
    msg[KEY_HEADER] = key
    msg["Auto-Submitted"] = "auto-generated"

    msg.set_content(text, subtype="plain", charset="utf-8", cte="quoted-printable")
    if html is not None:
        msg.add_alternative(html, subtype="html", charset="utf-8", cte="quoted-printable")
    msg.make_mixed()
    for att in attachments:
        if not _MIME_TYPE.match(att.mime_type):
            raise ValueError(f"invalid MIME type for {att.filename!r}: {att.mime_type!r}")
        maintype, subtype = att.mime_type.lower().split("/", 1)
        # Text attachments (CSV) are UTF-8: say so, or readers take them for ASCII.
        params = {"charset": "utf-8"} if maintype == "text" else {}
        msg.add_attachment(bytes(att.content), maintype=maintype, subtype=subtype,
                           filename=_safe_filename(att.filename), cte="base64", params=params)
    return msg
