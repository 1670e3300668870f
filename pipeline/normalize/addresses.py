"""Party addresses.

Virginia's public pages show ``CITY, ST 12345`` or ``CITY, ST 12345-6789`` only; that shape
is read with one regular expression. Anything longer (a street address a partner adds) goes
through usaddress.

Output conventions (all text upper case, single spaces, dots and commas dropped):

- ``street``: address number + directionals + street name + street type, as written
  (``123 N WASHINGTON ST``); no abbreviation or expansion of street types. A PO box is a
  street too: ``PO BOX 1234``.
- ``unit``: designator + identifier, designator abbreviated the USPS way (``APARTMENT 4B``
  and ``APT. #4B`` -> ``APT 4B``, ``SUITE 500`` -> ``STE 500``). An identifier with no
  designator (``#1203``) becomes ``# 1203`` (USPS Pub. 28: ``#`` when the designator is
  unknown); no designator is invented. A building part follows: ``UNIT 2 BLDG 3``.
- ``state``: the 2-letter USPS code (``Virginia`` -> ``VA``); None if not a US state/territory.
- ``zip5``: the first five digits of the ZIP code.

Never raises: what cannot be read is None.
"""

from __future__ import annotations

import re
from functools import lru_cache

import usaddress

from pipeline.normalize.text import clean_upper
from pipeline.store.inputs import NormalizedAddress

__all__ = ["NormalizedAddress", "normalize_address", "STATE_CODES"]


_STATE_NAMES = {
    "ALABAMA": "AL", "ALASKA": "AK", "ARIZONA": "AZ", "ARKANSAS": "AR", "CALIFORNIA": "CA",
    "COLORADO": "CO", "CONNECTICUT": "CT", "DELAWARE": "DE", "DISTRICT OF COLUMBIA": "DC",
    "FLORIDA": "FL", "GEORGIA": "GA", "HAWAII": "HI", "IDAHO": "ID", "ILLINOIS": "IL",
    "INDIANA": "IN", "IOWA": "IA", "KANSAS": "KS", "KENTUCKY": "KY", "LOUISIANA": "LA",
    "MAINE": "ME", "MARYLAND": "MD", "MASSACHUSETTS": "MA", "MICHIGAN": "MI", "MINNESOTA": "MN",
    "MISSISSIPPI": "MS", "MISSOURI": "MO", "MONTANA": "MT", "NEBRASKA": "NE", "NEVADA": "NV",
    "NEW HAMPSHIRE": "NH", "NEW JERSEY": "NJ", "NEW MEXICO": "NM", "NEW YORK": "NY",
    "NORTH CAROLINA": "NC", "NORTH DAKOTA": "ND", "OHIO": "OH", "OKLAHOMA": "OK", "OREGON": "OR",
    "PENNSYLVANIA": "PA", "RHODE ISLAND": "RI", "SOUTH CAROLINA": "SC", "SOUTH DAKOTA": "SD",
    "TENNESSEE": "TN", "TEXAS": "TX", "UTAH": "UT", "VERMONT": "VT", "VIRGINIA": "VA",
    "WASHINGTON": "WA", "WEST VIRGINIA": "WV", "WISCONSIN": "WI", "WYOMING": "WY",
    "PUERTO RICO": "PR", "GUAM": "GU", "VIRGIN ISLANDS": "VI", "AMERICAN SAMOA": "AS",
    "NORTHERN MARIANA ISLANDS": "MP", "WASHINGTON DC": "DC",
}
STATE_CODES = frozenset(_STATE_NAMES.values()) | {"AA", "AE", "AP"}  # + military mail

_CITY_STATE_ZIP = re.compile(
    r"(?P<city>[A-Z][A-Z .'\-]*?)\s*(?:,\s*|\s)(?P<state>[A-Z]{2})\.?"
    r"(?:\s*,?\s*(?P<zip>\d{5})(?:\s*-\s*\d{4}|\d{4})?)?\s*"
)

_UNIT_TYPES = {
    "APARTMENT": "APT", "APT": "APT", "SUITE": "STE", "STE": "STE", "UNIT": "UNIT",
    "ROOM": "RM", "RM": "RM", "FLOOR": "FL", "FL": "FL", "FLR": "FL", "BUILDING": "BLDG",
    "BLDG": "BLDG", "BLD": "BLDG", "LOT": "LOT", "SPACE": "SPC", "SPC": "SPC",
    "TRAILER": "TRLR", "TRLR": "TRLR", "DEPARTMENT": "DEPT", "DEPT": "DEPT",
    "BASEMENT": "BSMT", "BSMT": "BSMT", "PENTHOUSE": "PH", "PH": "PH", "#": "#", "NO": "#",
    "NUMBER": "#", "NUM": "#", "TOWNHOUSE": "TH", "TH": "TH", "STUDIO": "STUDIO",
}
_STREET_LABELS = (
    "AddressNumberPrefix", "AddressNumber", "AddressNumberSuffix", "StreetNamePreModifier",
    "StreetNamePreDirectional", "StreetNamePreType", "StreetName", "StreetNamePostType",
    "StreetNamePostDirectional", "StreetNamePostModifier",
)
_JUNK = re.compile(r"[.,;]+")
_SPACES = re.compile(r"\s+")


def _plain(text: str | None) -> str | None:
    """Upper case, dots/commas dropped, single spaces; None when nothing is left."""
    if not text:
        return None
    text = _SPACES.sub(" ", _JUNK.sub(" ", text.upper())).strip(" -")
    return text or None


def _state(text: str | None) -> str | None:
    text = _plain(text)
    if not text:
        return None
    compact = text.replace(" ", "")
    if len(compact) == 2:
        return compact if compact in STATE_CODES else None
    return _STATE_NAMES.get(text)


def _zip5(text: str | None) -> str | None:
    m = re.match(r"\s*(\d{5})", text or "")
    return m.group(1) if m else None


def _unit_part(kind: str | None, ident: str | None) -> str | None:
    kind, ident = _plain(kind), _plain(ident)
    if ident:
        # "Apartment No. 14" and "Apt #14" are the same unit as "Apt 14": the household must link.
        ident = re.sub(r"^(?:NUMBER|NO)\b\s*", "", ident.lstrip("# ")).lstrip("# ") or None
    if kind:
        kind = _UNIT_TYPES.get(kind.replace(" ", ""), kind)
    if kind and ident:
        return f"{kind} {ident}"
    if ident:
        return f"# {ident}"
    return kind if kind and kind != "#" else None


def _labels(text: str) -> dict[str, str]:
    """usaddress components; on a repeated label, the first run of each label."""
    try:
        tagged, _ = usaddress.tag(text)
        return dict(tagged)
    except usaddress.RepeatedLabelError:
        pass
    except Exception:  # usaddress on very odd input
        return {}
    found: dict[str, list[str]] = {}
    closed: set[str] = set()
    previous = None
    try:
        parsed = usaddress.parse(text)
    except Exception:
        return {}
    for token, label in parsed:
        if label != previous and previous in found:
            closed.add(previous)
        if label not in closed:
            found.setdefault(label, []).append(token)
        previous = label
    return {label: " ".join(tokens) for label, tokens in found.items()}


def _full_address(raw: str, text: str) -> NormalizedAddress:
    parts = _labels(text)
    street = None
    if parts.get("StreetName") or parts.get("AddressNumber"):
        street = _plain(" ".join(parts[k] for k in _STREET_LABELS if parts.get(k)))
    elif parts.get("USPSBoxID"):
        box_type = _plain(parts.get("USPSBoxType")) or "PO BOX"
        box_type = "PO BOX" if box_type.replace(" ", "") in {"POBOX", "POSTOFFICEBOX", "BOX"} else box_type
        street = _plain(f"{box_type} {parts['USPSBoxID']}")
    units = [
        _unit_part(parts.get("OccupancyType"), parts.get("OccupancyIdentifier")),
        _unit_part(parts.get("SubaddressType"), parts.get("SubaddressIdentifier")),
    ]
    unit = " ".join(u for u in units if u) or None
    return NormalizedAddress(
        raw=raw,
        street=street,
        unit=unit,
        city=_plain(parts.get("PlaceName")),
        state=_state(parts.get("StateName")),
        zip5=_zip5(parts.get("ZipCode")),
    )


@lru_cache(maxsize=65_536)
def normalize_address(text: str | None) -> NormalizedAddress | None:
    """Read an address cell. None for None/empty; otherwise never raises (unknown parts None)."""
    if not isinstance(text, str) or not text.strip():
        return None
    cleaned = clean_upper(text)
    m = _CITY_STATE_ZIP.fullmatch(cleaned)
    if m and m.group("state") in STATE_CODES:
        return NormalizedAddress(text, None, None, _plain(m.group("city")), m.group("state"), m.group("zip"))
    try:
        return _full_address(text, cleaned)
    except Exception:  # pragma: no cover - belt and braces: an address must never stop a run
        return NormalizedAddress(text, None, None, None, None, None)
