"""The courts the portal serves, as its welcome page lists them: pairs of hidden inputs
`courtFips` / `courtName`, in the same order (docs/courts/va-gdc.md). The codes are the portal's
own (a city with divided dockets has one per division): they are taken from the page, never
from a table of ours."""

from __future__ import annotations

import re
from dataclasses import dataclass

from scraper.errors import LayoutError
from scraper.htmltree import document

CODE = re.compile(r"\d{3}")


@dataclass(frozen=True, slots=True)
class ListedCourt:
    code: str
    name: str


def has_court_list(html: str) -> bool:
    doc = document(html)
    return doc is not None and bool(_hidden(doc, "courtfips"))


def listed_courts(html: str, page: str = "the welcome page") -> list[ListedCourt]:
    """Every court the page lists, in its order (a code listed twice: its first name). A page
    without the pairs, with codes and names that do not pair up, or with a code that is not three
    digits is a layout change, never an empty list."""
    doc = document(html)
    codes = _hidden(doc, "courtfips") if doc is not None else []
    names = _hidden(doc, "courtname") if doc is not None else []
    if not codes:
        raise LayoutError(page, "court list", "no hidden courtFips inputs")
    if len(codes) != len(names):
        raise LayoutError(page, "court list", f"{len(codes)} courtFips inputs but {len(names)} courtName inputs")
    wrong = [code for code in codes if not CODE.fullmatch(code)]
    if wrong:
        raise LayoutError(page, "court list", f"court codes are three digits, not {wrong[0]!r}")
    found: dict[str, ListedCourt] = {}
    for code, name in zip(codes, names):
        if not name:
            raise LayoutError(page, "court list", f"court {code} has no name")
        found.setdefault(code, ListedCourt(code, name))
    return list(found.values())


def _hidden(doc, name: str) -> list[str]:
    return [" ".join((el.get("value") or "").split()) for el in doc.iter("input")
            if (el.get("name") or "").strip().lower() == name and (el.get("type") or "").strip().lower() == "hidden"]
