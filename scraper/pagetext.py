"""Text as every court page parser reads it: a page's bytes decoded by the charset it declares,
cells as one line with no control or bidi characters."""

from __future__ import annotations

import codecs
import re

_META_CHARSET = re.compile(rb"<meta[^>]+charset=[\"']?([A-Za-z0-9_.:-]+)", re.I)

# C0 and C1 controls (tab, CR and LF are whitespace and fold to a space) and the bidirectional
# controls, which make a name read differently from what it is: none belongs in court data.
_CONTROLS = dict.fromkeys(
    [c for c in range(0x20) if c not in (0x09, 0x0A, 0x0D)] + list(range(0x7F, 0xA0))
    + [0x200E, 0x200F, 0x061C, *range(0x202A, 0x202F), *range(0x2066, 0x206A)])


def norm(text: str | None) -> str:
    """Cell text as one line: runs of whitespace (with the controls Python counts as whitespace:
    VT, FF, FS to US, NEL) folded to one space, the other controls and bidi marks removed."""
    if not text:
        return ""
    line = " ".join(text.split())  # str.split takes no-break spaces too
    if line.isprintable():  # no control or bidi character (the common case, tested in C)
        return line
    return " ".join(line.translate(_CONTROLS).split())


def key(text: str | None) -> str:
    """Label/title/header text reduced for matching: lower case, no trailing colon."""
    return norm(text).rstrip(":").strip().lower()


# Codecs a page may name that do not decode a web page (they raise, or turn it into nonsense).
_NOT_PAGE_CODECS = {"idna", "punycode", "undefined", "unicode-escape", "raw-unicode-escape", "utf-7"}


def body_text(content: bytes, header_charset: str | None = None) -> str:
    """A page's bytes as text: by the HTTP header's charset (None for a saved or archived page),
    else the page's `<meta charset>`, else UTF-8; a charset that is unknown or cannot decode a
    page is passed over, never fatal.

    Bytes the chosen charset cannot decode become U+FFFD, which the case parser counts as
    unread values (`undecodable:...`): a charset is never guessed in their place."""
    declared = _META_CHARSET.search(content[:4096])
    for name in (header_charset, declared.group(1).decode("ascii") if declared else None):
        text = _decoded(content, name)
        if text is not None:
            return text
    return content.decode("utf-8", errors="replace")


def _decoded(content: bytes, name: str | None) -> str | None:
    if not name:
        return None
    try:
        codec = codecs.lookup(name)
        if codec.name.replace("_", "-") in _NOT_PAGE_CODECS or not getattr(codec, "_is_text_encoding", True):
            return None
        return content.decode(codec.name, errors="replace")
    except (LookupError, UnicodeError, ValueError, TypeError):
        return None
