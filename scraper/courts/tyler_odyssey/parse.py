"""Reading Odyssey Public Access pages with lxml: by section titles, labels and header text.

Nothing here depends on attribute order, ids' numbering or whitespace; a page missing what a
case record requires raises `LayoutError` naming the page and the field.
"""

from __future__ import annotations

import datetime as dt
import enum
import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

import lxml.html
from lxml import etree

from scraper.errors import LayoutError, TruncatedPageError
from scraper.pagetext import key, norm
from scraper.records import Appeal, CaseRecord, Hearing, Judgment, Party

DETAIL_LINK = "casedetail.aspx?caseid="
_DATE = re.compile(r"^(\d{1,2})/(\d{1,2})/(\d{4})$")
_TIME = re.compile(r"\((\d{1,2}):(\d{2})\s*([AP])\.?M\.?\)", re.I)
_OFFICER = re.compile(r"\(Judicial Officer:?\s*([^()]+?)\s*\)", re.I)
_AMOUNT = re.compile(r"Judgment of \$\s*([\d,]+(?:\.\d{2})?)", re.I)
_AWARDED_TO = re.compile(r"Awarded To:\s*(.+?)\s*(?:Awarded Against:|$)", re.I)
_SERVED = re.compile(r"\bServed\s+(\d{1,2}/\d{1,2}/\d{4})", re.I)
_RECORD_COUNT = re.compile(r"Record Count:\s*(\d+)", re.I)
ROLES = {"plaintiff": "plaintiffs", "defendant": "defendants"}
KNOWN_SECTIONS = {"party information", "events & orders of the court", "financial information"}
APPEAL_EVENTS = ("appeal bond", "appealed to county court")


class PageKind(enum.StrEnum):
    MENU = "menu"
    SEARCH_FORM = "search_form"
    CAPTCHA = "captcha"
    EXPIRED = "expired"
    NO_RESULTS = "no_results"
    RESULTS = "results"
    DETAIL = "case_detail"
    OTHER = "other"


def document(html: str, url: str) -> Any:
    if "</html>" not in html[-2000:].lower():
        raise TruncatedPageError(url)
    try:
        return lxml.html.document_fromstring(html)
    except (etree.ParserError, ValueError) as exc:
        raise LayoutError(url, "an HTML document", str(exc)) from None


def _classed(doc: Any, tag: str, name: str) -> list[Any]:
    return doc.xpath(f"//{tag}[contains(concat(' ', normalize-space(@class), ' '), ' {name} ')]")


def _text(el: Any) -> str:
    return norm(el.text_content()) if el is not None else ""


def _lines(el: Any) -> list[str]:
    """An element's text split where the page breaks lines (br, div, p, rows)."""
    parts: list[str] = []
    current: list[str] = []

    def flush() -> None:
        line = norm("".join(current))
        if line:
            parts.append(line)
        current.clear()

    for event, node in etree.iterwalk(el, events=("start", "end")):
        tag = node.tag if isinstance(node.tag, str) else ""
        if event == "start":
            if tag in ("br", "div", "p", "tr", "table"):
                flush()
            if node is not el and node.text and tag not in ("script", "style"):
                current.append(node.text)
            elif node is el and node.text:
                current.append(node.text)
        else:
            if tag in ("div", "p", "tr", "table"):
                flush()
            if node is not el and node.tail:
                current.append(node.tail)
    flush()
    return parts


def page_kind(html: str) -> PageKind:
    try:
        doc = lxml.html.document_fromstring(html)
    except (etree.ParserError, ValueError):
        return PageKind.OTHER
    text = _text(doc).lower()
    if "session has expired or the request is invalid" in text:
        return PageKind.EXPIRED
    if "captcha" in html.lower() and doc.xpath("//form"):
        return PageKind.CAPTCHA
    if _classed(doc, "div", "ssCaseDetailROA") or "register of actions" in text and "party information" in text:
        return PageKind.DETAIL
    if "no cases matched" in text:
        return PageKind.NO_RESULTS
    if _RECORD_COUNT.search(text):
        return PageKind.RESULTS
    if doc.xpath("//input[@name='__VIEWSTATE']") and doc.xpath("//*[@id='SearchSubmit']"):
        return PageKind.SEARCH_FORM
    if any(key(a.text_content()) == "court calendar" for a in doc.iter("a")):
        return PageKind.MENU
    return PageKind.OTHER


def parse_date(text: str) -> dt.date | None:
    match = _DATE.match(norm(text))
    if not match:
        return None
    month, day, year = (int(g) for g in match.groups())
    try:
        return dt.date(year, month, day)
    except ValueError:
        return None


def _money(text: str) -> Decimal | None:
    try:
        return Decimal(text.replace(",", "")).quantize(Decimal("0.01"))
    except InvalidOperation:
        return None


# --- results ------------------------------------------------------------------------


@dataclass(frozen=True)
class ResultRow:
    case_number: str
    href: str  # CaseDetail.aspx?CaseID=..., valid only in the session that listed it
    case_type: str
    hearing_date: dt.date | None = None  # calendar rows: the setting's date


@dataclass(frozen=True)
class Results:
    record_count: int
    capped: bool  # "too many matches to display": the search must be narrowed
    rows: tuple[ResultRow, ...]


def parse_results(html: str, url: str) -> Results:
    """A case-search or court-calendar results page (or its no-match answer)."""
    doc = document(html, url)
    text = _text(doc)
    if "no cases matched" in text.lower():
        return Results(0, False, ())
    count = _RECORD_COUNT.search(text)
    if count is None:
        raise LayoutError(url, "Record Count")
    capped = "too many matches to display" in text.lower()
    headers = _classed(doc, "th", "ssSearchResultHeader")
    if not headers:
        raise LayoutError(url, "results header (th.ssSearchResultHeader)")
    table = headers[0].getparent()
    while table is not None and table.tag != "table":
        table = table.getparent()
    columns = [key(th.text_content()) for th in headers if th.getparent() is headers[0].getparent()]
    type_column = next((i for i, name in enumerate(columns) if name.startswith("type")), None)
    rows: dict[str, ResultRow] = {}
    for link in doc.xpath("//a[@href]"):
        href = link.get("href", "")
        if DETAIL_LINK not in href.lower():
            continue
        row = _row_of(link, table)
        if row is None:
            continue
        cells = [c for c in row if isinstance(c.tag, str) and c.tag in ("td", "th")]
        number = _text(link)
        case_cell = next(c for c in cells if link in c.iter("a"))
        case_type = ""
        if type_column is not None and type_column < len(cells):
            case_type = (_lines(cells[type_column]) or [""])[0]
        if not case_type:
            case_type = next((line for line in _lines(case_cell) if line != number), "")
        hearing = next((d for c in cells for d in [parse_date((_lines(c) or [""])[0])] if d is not None
                        and c is not case_cell and not _looks_filed(c, columns, cells)), None)
        rows.setdefault(f"{number}|{hearing}", ResultRow(number, href, case_type, hearing))
    if not rows and not capped and int(count.group(1)) > 0:
        raise LayoutError(url, "result rows", f"Record Count {count.group(1)} but no case links")
    return Results(int(count.group(1)), capped, tuple(rows.values()))


def _looks_filed(cell: Any, columns: list[str], cells: list[Any]) -> bool:
    index = cells.index(cell)
    return index < len(columns) and columns[index].startswith("filed")


def _row_of(link: Any, table: Any) -> Any:
    """The results table's own row holding `link` (calendar cells nest tables of their own)."""
    node = link.getparent()
    while node is not None:
        if node.tag == "tr":
            parent = node.getparent()
            owner = parent if parent is not None and parent.tag == "table" else (
                parent.getparent() if parent is not None else None)
            if owner is table:
                return node
        node = node.getparent()
    return None
