"""Hostile pages: golden pages of both portals mutated (scraper/simkit/hostile.py) and parsed.

The parser must return a record or raise a ScrapeError (a layout, truncation or unexpected-page
error) — never another exception, never a case number or date the page does not hold, never a
value read under another column; a change that keeps the page's meaning must give the same
record. `EVICTWATCH_FUZZ_EXAMPLES` sets the examples per test (10,000 for the long form; CI runs
the default). Deterministic: derandomized, every draw from Hypothesis's own data.
"""

from __future__ import annotations

import json
import os
import re
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any, Callable

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from lxml import etree

from scraper.courts import get_source
from scraper.htmltree import document, without_hidden_text
from scraper.pagetext import norm
from scraper.courts.tyler_odyssey.parse import parse_results
from scraper.courts.va_gdc.results import parse_result_page
from scraper.errors import ScrapeError
from scraper.simkit.hostile import mutate

GOLDEN = Path(__file__).parent / "golden"
EXAMPLES = int(os.environ.get("EVICTWATCH_FUZZ_EXAMPLES", "300"))
FUZZ = settings(max_examples=EXAMPLES, derandomize=True, deadline=None, database=None,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
URL = "https://portal.example.invalid/gdcourts/caseSearch.do"


def _golden(portal: str, kind: str) -> list[tuple[str, str]]:
    out = []
    for page in sorted((GOLDEN / portal).glob("*.html")):
        expected = json.loads(page.with_suffix(".json").read_text(encoding="utf-8"))
        if expected["kind"] == kind and "error" not in expected:
            out.append((page.read_bytes().decode("utf-8"), expected.get("url", URL)))
    return out


def _flat(data: Any, path: str = "") -> dict[str, set[str]]:
    """Every scalar of a record by its path without list positions: `defendants.name` -> names."""
    out: dict[str, set[str]] = {}
    if isinstance(data, dict):
        items = data.items()
    elif isinstance(data, (list, tuple)):
        items = (("", v) for v in data)
    else:
        if data is not None and data != "":
            out.setdefault(path, set()).add(str(data))
        return out
    for name, value in items:
        if name == "unknown_fields":
            continue
        for key, values in _flat(value, f"{path}.{name}".strip(".") if name else path).items():
            out.setdefault(key, set()).update(values)
    return out


# Odyssey derives these from one event's text (a hearing's result is its disposition's name,
# as the judgment may be): the same value under both is the page's meaning, not a misread.
DERIVED = {"judgment.judgment", "hearings.result"}


def visible_text(html: str) -> str:
    doc = document(html)
    return "" if doc is None else norm(etree.tostring(without_hidden_text(doc), method="text", encoding=str))


def _on_page(value: str, text: str) -> bool:
    if ISO_DATE.match(value):
        year, month, day = value.split("-")
        return any(f in text for f in (f"{month}/{day}/{year}", f"{int(month)}/{int(day)}/{year}"))
    return value in text


# Changes to a page's cells and rows. After one, a row has a cell too many or too few and
# must not be read into the wrong columns; after two (a cell dropped and another doubled in
# one row) the page itself says something else under each header, and only what is on it
# can be checked.
STRUCTURAL = {"drop_cell", "duplicate_cell", "drop_row", "duplicate_row", "broken_markup",
              "nul_bytes"}  # a NUL inside a tag (`</tr\x00>`) breaks it as a deleted `>` does


def _same_facts(mutated: dict[str, set[str]], original: dict[str, set[str]], html: str, columns: bool) -> None:
    text = None
    for path, values in mutated.items():
        for value in values:
            if value in original.get(path, ()):
                if not (ISO_DATE.match(value) or "number" in path):
                    continue
            elif columns and path not in DERIVED:
                elsewhere = sorted(p for p, vs in original.items() if value in vs and p not in DERIVED)
                assert not elsewhere, f"{path} = {value[:60]!r}: the page has that under {elsewhere}"
            if ISO_DATE.match(value) or "number" in path:
                text = visible_text(html) if text is None else text
                assert _on_page(value, text), f"{path} = {value!r} is not on the page"


def _check(original: Any, parse: Callable[[str], Any], changed: Changed,
           facts: Callable[[Any], dict[str, set[str]]]) -> None:
    try:
        got = parse(changed.html)
    except ScrapeError:
        return
    before, after = facts(original), facts(got)
    _same_facts(after, before, changed.html, columns=changed.structural <= 1)
    if changed.keeps_meaning:
        assert after == before


def _hostile(pages: list[tuple[str, str]]):
    return st.tuples(st.sampled_from(range(len(pages))), st.randoms(use_true_random=False), st.integers(1, 3))


@dataclass(frozen=True)
class Changed:
    html: str
    url: str
    keeps_meaning: bool
    structural: int  # how many of the changes were STRUCTURAL


def _mutated(pages: list[tuple[str, str]], drawn) -> Changed:
    index, rng, steps = drawn
    html, url = pages[index]
    changed, used = mutate(html, rng, steps)
    names = [op.name for op in used]
    structural = sum(name in STRUCTURAL for name in names)
    first = next((i for i, name in enumerate(names) if name in STRUCTURAL), len(names))
    # Moving columns of a table whose rows were already broken moves some rows, not others.
    structural += any(name == "reorder_columns" for name in names[first + 1:])
    return Changed(changed, url, all(op.keeps_meaning for op in used), structural)


def _records(record) -> dict[str, set[str]]:
    return _flat(record.model_dump(mode="json"))


def _rows(rows) -> dict[str, set[str]]:
    return _flat([asdict(row) for row in rows])


PORTALS = ("va-gdc", "tyler-odyssey")
DETAILS = {portal: _golden(portal, "case_detail") for portal in PORTALS}
VA_RESULTS = _golden("va-gdc", "results")
OD_RESULTS = _golden("tyler-odyssey", "results")


def test_the_fuzz_has_pages_of_every_kind():
    assert all(len(pages) >= 5 for pages in DETAILS.values()) and VA_RESULTS and OD_RESULTS


@pytest.mark.parametrize("portal", PORTALS)
@FUZZ
@given(data=st.data())
def test_hostile_detail_pages(portal, data):
    pages = DETAILS[portal]
    drawn = data.draw(_hostile(pages))
    changed = _mutated(pages, drawn)
    parse = get_source(portal).parse_case_page
    original = parse(pages[drawn[0]][0], changed.url, None)
    _check(original, lambda h: parse(h, changed.url, None), changed, _records)


@FUZZ
@given(drawn=_hostile(VA_RESULTS))
def test_hostile_va_result_pages(drawn):
    changed = _mutated(VA_RESULTS, drawn)
    original = parse_result_page(VA_RESULTS[drawn[0]][0], changed.url, None).rows
    _check(original, lambda h: parse_result_page(h, changed.url, None).rows, changed, _rows)


@FUZZ
@given(drawn=_hostile(OD_RESULTS))
def test_hostile_odyssey_result_pages(drawn):
    changed = _mutated(OD_RESULTS, drawn)
    original = parse_results(OD_RESULTS[drawn[0]][0], changed.url).rows
    _check(original, lambda h: parse_results(h, changed.url).rows, changed, _rows)
