"""Party Information of a register of actions: each party's name, address and attorney, in every
county's configuration of the section (docs/courts/tyler-odyssey.md).

A party is a row of `th.ssTableHeader` cells (role, name) whose ids the party's `td` cells name in
`headers`. The attorney column is the header headed `Attorneys` or `Lead Attorneys`; its cell is the
one whose `headers` name that column (or, where a county's cells name only the party, the filled
cell beside the name). Every other filled cell of the party is its address block.
"""

from __future__ import annotations

import re
from typing import Any

from scraper.courts.tyler_odyssey.parse import ROLES, _lines, _text
from scraper.errors import LayoutError
from scraper.pagetext import key
from scraper.records import Party

_ATTORNEY_HEADING = re.compile(r"^(?:lead\s+)?attorneys?$")
# What an attorney cell holds besides the name: how the attorney came (`Retained`, `Court
# Appointed`) and phone numbers (`303-623-1800(W)`); neither is the attorney.
_REPRESENTATION = re.compile(r"^(?:retained|(?:court\s+)?appointed)$", re.I)
_PHONE = re.compile(r"^[+\d\s().-]*\d{3}[\s.-]?\d{4}\s*(?:\([A-Za-z]{1,4}\))?$")
# The party's co-occupants (`And All Other Occupants`): a line of the address block that names
# no place, or the end of a name.
_OCCUPANTS_PHRASE = r"(?:\band\s+|&\s*)?\ball\s+(?:the\s+)?(?:other\s+)?occupants\b\.?"
_OCCUPANTS = re.compile(rf"^{_OCCUPANTS_PHRASE}$", re.I)
_OCCUPANTS_IN_NAME = re.compile(_OCCUPANTS_PHRASE, re.I)
_OCCUPANTS_SUFFIX = re.compile(rf"[\s,;]*{_OCCUPANTS_PHRASE}$", re.I)


def read_parties(headers: list[Any], cells: list[Any], url: str) -> dict[str, list[Party]]:
    """Plaintiffs and defendants from the section's header cells (`th`) and data cells (`td`)."""
    heads = [th for th in headers if "ssTableHeader" in (th.get("class") or "").split()]
    attorney_columns = {th.get("id") for th in headers
                        if th.get("id") and _ATTORNEY_HEADING.match(key(th.text_content()))}
    out: dict[str, list[Party]] = {"plaintiffs": [], "defendants": []}
    for tr in dict.fromkeys(th.getparent() for th in heads):  # rows in page order
        row = [th for th in tr if th in heads]
        if len(row) < 2:
            continue
        group = ROLES.get(key(row[0].text_content()))
        name_th = next((th for th in row[1:] if key(th.text_content()) not in ROLES), row[1])
        name = _text(name_th)
        name_id = name_th.get("id")
        if group is None or not name:
            continue
        party_cells = [td for td in cells if name_id and name_id in _ids(td)]
        attorney_cells = [td for td in party_cells if _ids(td) & attorney_columns]
        if not attorney_cells and attorney_columns:
            attorney_cells = [td for td in party_cells if td.getparent() is tr and _lines(td)]
        address = next((lines for td in party_cells if td not in attorney_cells for lines in [_lines(td)] if lines), [])
        occupants = [line for line in address if _OCCUPANTS.match(line)]
        if occupants and not _OCCUPANTS_IN_NAME.search(name):
            name = f"{name} {occupants[0]}"
        street_lines = [line for line in address if not _OCCUPANTS.match(line)]
        out[group].append(Party(name=name, address=", ".join(street_lines) or None,
                                attorney=_attorney(attorney_cells[0]) if attorney_cells else None))
    if not out["plaintiffs"] and not out["defendants"]:
        raise LayoutError(url, "Party Information parties (Plaintiff, Defendant)")
    return out


def without_occupants(name: str) -> str:
    """A party's name without the occupants it names besides the person (`Doe, John And All
    Other Occupants` is `Doe, John`), as dispositions award to or against them."""
    return _OCCUPANTS_SUFFIX.sub("", name) or name


def _ids(td: Any) -> set[str]:
    """The ids a cell's `headers` names (counties break them over lines and pad them with spaces)."""
    return set((td.get("headers") or "").split())


def _attorney(td: Any) -> str | None:
    """The attorney's name as shown (in bold where the county prints it so), without how the
    attorney came or a phone; `Pro Se` as the court writes it, which downstream reads as no
    attorney, as Virginia's `NONE` and `SELF-REPRESENTED`."""
    bold = [text for b in td.iter("b") for text in [_text(b)] if text]
    names = [line for line in (bold or _lines(td)) if not _REPRESENTATION.match(line) and not _PHONE.match(line)]
    return names[0] if names else None
