"""Hostile variants of a portal page, for the fuzz test and bench/parse.py.

Each operator takes a page and a seeded `random.Random` and returns the page changed in one
way a broken or malicious portal (or a broken network) could change it. Operators that keep
the page's meaning (reordered rows, reordered columns, nesting, right-to-left marks, script
inside a cell) are marked so: a parser must read the same facts from them.
"""

from __future__ import annotations

import random
import re
from dataclasses import dataclass
from typing import Callable

_INNER_TABLE = re.compile(r"<table\b[^>]*>(?:(?!<table\b).)*?</table>", re.S | re.I)
_ROW = re.compile(r"<tr\b[^>]*>(?:(?!<tr\b).)*?</tr>", re.S | re.I)
_CELL = re.compile(r"<t([dh])\b[^>]*>(?:(?!<t[dh]\b).)*?</t\1>", re.S | re.I)
_TEXT = re.compile(r">([^<>]+)<")
_SCRIPT = re.compile(r"<(script|style)\b.*?</\1\s*>", re.S | re.I)  # text inside one is not the page's
# A header or sub-title row (rows below one belong to it: they are not moved past another).
_HEADER_ROW = re.compile(r"<tr\b(?:[^>]*class=\"[^\"]*header|[^>]*>\s*<th(?:\s*>|\b(?![^>]*headerlabel)[^>]*>)"
                         r"|[^>]*>\s*<t[dh]\b[^>]*class=\"[^\"]*(?:header(?!label)|title))", re.I)
HUGE = 1_000_000
BIDI = ("\u202e", "\u200f", "\u2066", "\u202b", "\u061c")


@dataclass(frozen=True)
class Operator:
    name: str
    change: Callable[[str, random.Random], str]
    keeps_meaning: bool = False


def _pick(pattern: re.Pattern[str], html: str, rng: random.Random) -> re.Match[str] | None:
    found = list(pattern.finditer(html))
    return rng.choice(found) if found else None


def _splice(html: str, match: re.Match[str], text: str) -> str:
    return html[:match.start()] + text + html[match.end():]


def _dropping(pattern: re.Pattern[str]) -> Callable[[str, random.Random], str]:
    """An operator that removes one random match of `pattern` (a cell, a row)."""
    def change(html: str, rng: random.Random) -> str:
        found = _pick(pattern, html, rng)
        return _splice(html, found, "") if found else html
    return change


def _doubling(pattern: re.Pattern[str]) -> Callable[[str, random.Random], str]:
    """An operator that writes one random match of `pattern` twice."""
    def change(html: str, rng: random.Random) -> str:
        found = _pick(pattern, html, rng)
        return _splice(html, found, found.group(0) * 2) if found else html
    return change


def _table_rows(html: str, rng: random.Random, headed: bool = False) -> tuple[re.Match[str], list[re.Match[str]]] | None:
    """A table of several rows (`headed`: whose first row is a header row, and one more) and its rows."""
    tables = [t for t in _INNER_TABLE.finditer(html) if len(_ROW.findall(t.group(0))) > (1 if headed else 2)
              and (not headed or _HEADER_ROW.match(_ROW.search(t.group(0)).group(0)))]
    if not tables:
        return None
    table = rng.choice(tables)
    return table, list(_ROW.finditer(table.group(0)))


def _rebuild(table: str, rows: list[re.Match[str]], new_rows: list[str]) -> str:
    out, last = [], 0
    for row, text in zip(rows, new_rows):
        out += [table[last:row.start()], text]
        last = row.end()
    return "".join(out) + table[last:]


def _reorder_rows(html: str, rng: random.Random) -> str:
    """One run of data rows of a table shuffled (header and sub-title rows stay where they are)."""
    found = _table_rows(html, rng)
    if not found:
        return html
    table, rows = found
    texts = [r.group(0) for r in rows]
    runs, start = [], None
    for i, text in enumerate([*texts, "<tr><th>"]):
        if _HEADER_ROW.match(text):
            if start is not None and i - start > 1:
                runs.append((start, i))
            start = None
        elif start is None:
            start = i
    if not runs:
        return html
    first, end = rng.choice(runs)
    run = texts[first:end]
    rng.shuffle(run)
    return _splice(html, table, _rebuild(table.group(0), rows, texts[:first] + run + texts[end:]))


def _reorder_columns(html: str, rng: random.Random) -> str:
    """One permutation applied to the cells of every row of a grid (a table whose first row is a
    header row) that has the header's width: the same facts under the same headers."""
    found = _table_rows(html, rng, headed=True)
    if not found:
        return html
    table, rows = found
    width = len(_CELL.findall(rows[0].group(0)))
    if any(len(_CELL.findall(row.group(0))) not in (1, width) for row in rows):
        return html  # a row this cannot split into the header's cells: moving the rest would shift it
    order = list(range(width))
    rng.shuffle(order)
    new_rows = []
    for row in rows:
        text = row.group(0)
        cells = list(_CELL.finditer(text))
        if len(cells) != width or width < 2:
            new_rows.append(text)
            continue
        head, tail = text[:cells[0].start()], text[cells[-1].end():]
        new_rows.append(head + "".join(cells[i].group(0) for i in order) + tail)
    return _splice(html, table, _rebuild(table.group(0), rows, new_rows))


def _truncate(html: str, rng: random.Random) -> str:
    return html[:rng.randrange(len(html))] if html else html


def _wrong_encoding(html: str, rng: random.Random) -> str:
    if rng.random() < 0.5:
        return html.encode("utf-8").decode("latin-1")  # UTF-8 read as Latin-1: mojibake
    return html.encode("cp1252", "replace").decode("utf-8", "replace")


def _nul_bytes(html: str, rng: random.Random) -> str:
    for _ in range(rng.randint(1, 5)):
        at = rng.randrange(len(html) + 1)
        html = html[:at] + "\x00" + html[at:]
    return html


def _in_text(html: str, rng: random.Random, change: Callable[[str], str]) -> str:
    """`change` applied to one text node of the body (not the head's title or scripts)."""
    body = re.search(r"<body\b", html, re.I)
    start = body.end() if body else 0
    scripts = [(m.start(), m.end()) for m in _SCRIPT.finditer(html)]
    nodes = [n for n in _TEXT.finditer(html, start)
             if not n.group(1).isspace() and not any(a <= n.start() < b for a, b in scripts)]
    if not nodes:
        return html
    node = rng.choice(nodes)
    return html[:node.start(1)] + change(node.group(1)) + html[node.end(1):]


def _huge_value(html: str, rng: random.Random) -> str:
    return _in_text(html, rng, lambda text: text + " " + "X" * HUGE)


def _deep_nesting(html: str, rng: random.Random) -> str:
    depth = rng.choice((30, 100, 300, 1000))
    tag = rng.choice(("span", "div", "b"))
    return _in_text(html, rng, lambda text: f"<{tag}>" * depth + text + f"</{tag}>" * depth)


def _broken_markup(html: str, rng: random.Random) -> str:
    choice = rng.randrange(4)
    if choice < 2:
        marks = [m.start() for m in re.finditer("[<>]" if choice else "<", html)]
        if not marks:
            return html
        at = rng.choice(marks)
        return html[:at] + html[at + 1:]
    at = rng.randrange(len(html) + 1)
    return html[:at] + rng.choice(("<td>", "</table>", "<table>", "<!--", "</tr><tr>", "<td colspan=x>")) + html[at:]


def _script_in_text(html: str, rng: random.Random) -> str:
    script = '<script>document.write("</td><td>GV99000001-00 01/01/1999");</script>'
    return _in_text(html, rng, lambda text: text + script if rng.random() < 0.5 else script + text)


def _bidi_in_text(html: str, rng: random.Random) -> str:
    mark = rng.choice(BIDI)
    return _in_text(html, rng, lambda text: mark + text if rng.random() < 0.5 else text + mark)


OPERATORS: tuple[Operator, ...] = (
    Operator("drop_cell", _dropping(_CELL)),
    Operator("duplicate_cell", _doubling(_CELL)),
    Operator("drop_row", _dropping(_ROW)),
    Operator("duplicate_row", _doubling(_ROW)),
    Operator("reorder_rows", _reorder_rows, keeps_meaning=True),
    Operator("reorder_columns", _reorder_columns, keeps_meaning=True),
    Operator("truncate", _truncate),
    Operator("wrong_encoding", _wrong_encoding),
    Operator("nul_bytes", _nul_bytes),
    Operator("huge_value", _huge_value),
    Operator("deep_nesting", _deep_nesting, keeps_meaning=True),
    Operator("broken_markup", _broken_markup),
    Operator("script_in_text", _script_in_text, keeps_meaning=True),
    Operator("bidi_in_text", _bidi_in_text, keeps_meaning=True),
)


def mutate(html: str, rng: random.Random, steps: int = 1) -> tuple[str, list[Operator]]:
    """The page changed by `steps` operators drawn at random, and the operators."""
    used = []
    for _ in range(steps):
        operator = rng.choice(OPERATORS)
        html = operator.change(html, rng)
        used.append(operator)
    return html, used


def mutations(html: str, rng: random.Random, count: int) -> list[str]:
    """`count` hostile variants of one page (one to three changes each)."""
    return [mutate(html, rng, rng.randint(1, 3))[0] for _ in range(count)]
