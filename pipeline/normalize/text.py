"""Small text helpers shared by the name and address normalizers."""

from __future__ import annotations

import re
import unicodedata

__all__ = ["ascii_fold", "clean_upper"]

# Letters that NFKD does not decompose into base letter + combining mark.
_SPECIAL = str.maketrans({
    "ß": "ss", "ẞ": "SS", "Æ": "AE", "æ": "ae", "Œ": "OE", "œ": "oe", "Ø": "O", "ø": "o",
    "Ł": "L", "ł": "l", "Đ": "D", "đ": "d", "Ð": "D", "ð": "d", "Þ": "TH", "þ": "th",
    "ı": "i", "Ħ": "H", "ħ": "h",
})
# Typographic punctuation that clerks paste in from word processors, made plain.
_PUNCT = {
    "\u2018": "'", "\u2019": "'", "\u02bc": "'", "\u201c": '"', "\u201d": '"',
    "\u2010": "-", "\u2011": "-", "\u2012": "-", "\u2013": "-", "\u2014": "-",
    "\u00a0": " ",
}
_SPECIAL.update(str.maketrans(_PUNCT))
_PLAIN_PUNCT = str.maketrans(_PUNCT)


def ascii_fold(text: str) -> str:
    """Strip accents and map other Latin letters to ASCII: ``"PEÑA, JOSÉ"`` -> ``"PENA, JOSE"``.

    Characters with no ASCII reading (e.g. CJK) are dropped. Case is kept.
    """
    if text.isascii():
        return text
    decomposed = unicodedata.normalize("NFKD", text.translate(_SPECIAL))
    folded = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return folded.encode("ascii", "ignore").decode("ascii")


_SEMICOLON = re.compile(r"\s*;\s*")


def clean_upper(text: str) -> str:
    """Upper case, typographic quotes/dashes made plain, single spaces, ``", "`` after commas."""
    if not text.isascii():
        text = unicodedata.normalize("NFC", text).translate(_PLAIN_PUNCT)
    text = " ".join(text.upper().split())
    if "," in text and (text.count(",") != text.count(", ") or " ," in text):
        text = ", ".join(part.strip() for part in text.split(",")).strip()
    if ";" in text:
        text = _SEMICOLON.sub("; ", text).strip()
    return text
