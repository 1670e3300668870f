"""A street address as the matcher compares it: the house number and the street's name, without
directionals or the street type (`123 N Washington St.` and `123 WASHINGTON STREET` agree), so
that the way a list or a court abbreviates does not tell two addresses apart. A PO box is kept
whole. Only the key is kept of a list's address, never the address as written.
"""

from __future__ import annotations

import re

from pipeline.normalize.addresses import normalize_address

_DIRECTIONS = frozenset({"N", "S", "E", "W", "NE", "NW", "SE", "SW", "NORTH", "SOUTH", "EAST", "WEST",
                         "NORTHEAST", "NORTHWEST", "SOUTHEAST", "SOUTHWEST"})
_TYPES = frozenset({"ST", "STREET", "AVE", "AV", "AVENUE", "RD", "ROAD", "DR", "DRIVE", "LN", "LANE", "CT", "COURT",
                    "BLVD", "BOULEVARD", "WAY", "PL", "PLACE", "TER", "TERRACE", "CIR", "CIRCLE", "PKWY", "PARKWAY",
                    "HWY", "HIGHWAY", "TRL", "TRAIL", "SQ", "SQUARE", "LOOP", "PIKE", "RUN", "ROW", "XING", "CV",
                    "PLZ", "PLAZA", "ALY", "ALLEY", "EXPY", "FWY"})
_NUMBER = re.compile(r"^\d+[A-Z]?$")
MAX_KEY = 120


def street_key(text: str | None) -> str | None:
    """`123 WASHINGTON`, or None when the text holds no house number and street name."""
    if not text:
        return None
    address = normalize_address(text)
    street = address.street if address and address.street else None
    if street is None:
        return None
    words = street.split()
    if words[:2] == ["PO", "BOX"]:
        return " ".join(words)[:MAX_KEY]
    if len(words) < 2 or not _NUMBER.match(words[0]):
        return None
    name = [w for w in words[1:] if w not in _DIRECTIONS]
    if len(name) > 1 and name[-1] in _TYPES:
        name = name[:-1]
    return " ".join([words[0], *name])[:MAX_KEY] if name else None
