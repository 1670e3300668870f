"""Reading Odyssey Public Access pages with lxml: by section titles, labels and header text.

Nothing here depends on attribute order, ids' numbering or whitespace; a page missing what a
case record requires raises `LayoutError` naming the page and the field.
"""

from __future__ import annotations

import datetime as dt
import enum
import re
from dataclasses import dataclass
from typing import Any

import lxml.html
from lxml import etree

from scraper.errors import LayoutError, TruncatedPageError
from scraper.htmltree import MAX_DEPTH, too_deep, without_hidden_text
from scraper.money import MoneyFormat
from scraper.pagetext import key, norm

DETAIL_LINK = "casedetail.aspx?caseid="
# How registers print money (scraper/money.py refuses anything else): a disposition's
# `Judgment of $ 1,477.90`, and Financial Information amounts without `$`, credits in
# parentheses: `(250.00)`.
JUDGMENT_MONEY = MoneyFormat(symbol="$", gap=" ")
FINANCIAL_MONEY = MoneyFormat(symbol="", credits_in_parentheses=True)
_DATE = re.compile(r"^(\d{1,2})/(\d{1,2})/(\d{4})$")
_TIME = re.compile(r"\((\d{1,2}):(\d{2})\s*([AP])\.?M\.?\)", re.I)
_OFFICER = re.compile(r"\(Judicial Officer:?\s*([^()]+?)\s*\)", re.I)
# A disposition's amount text, read whole: from the `$` (or whatever stands in its place but a
# word, as in `Judgment of Possession`) after `Judgment of` to the next `Awarded To/Against:` or
# the end of the line, so `$ 1.477,90` or `$ 1,000.00 - $ 2,000.00` is refused whole, not half-read.
_AMOUNT = re.compile(r"Judgment of\s*([^\sA-Za-z].*?)\s*(?=Awarded (?:To|Against):|$)", re.I)
_AWARDED = re.compile(r"Awarded (To|Against):\s*(.+?)\s*(?=Awarded (?:To|Against):|Judgment of|$)", re.I)
_SERVED = re.compile(r"\bServed:?\s+(\d{1,2}/\d{1,2}/\d{4})", re.I)
_RECORD_COUNT = re.compile(r"Record Count:\s*([\d,]+)", re.I)
_BLOCKS = frozenset({"br", "div", "p", "tr", "td", "th", "table", "li", "ul", "tbody", "thead"})
ROLES = {"plaintiff": "plaintiffs", "defendant": "defendants"}


_WHOLE_NUMBER = re.compile(r"^[A-Z0-9]+(?:-[A-Z0-9]+){2,}$")


def is_case_number(text: str) -> bool:
    """Odyssey numbers differ by county (J1-CV-20-001590, 2026-CV-00123), but are three groups
    or more joined by hyphens, the last a sequence number: a prefix such as `J1-CV-20` (which
    the portal's search would widen into a list) is not one."""
    return len(text) <= 32 and bool(_WHOLE_NUMBER.match(text)) and text.rsplit("-", 1)[1].isdigit()


class PageKind(enum.StrEnum):
    MENU = "menu"
    SEARCH_FORM = "search_form"
    CAPTCHA = "captcha"
    EXPIRED = "expired"
    NO_RESULTS = "no_results"
    RESULTS = "results"
    DETAIL = "case_detail"
    OTHER = "other"


MAX_TEXT_CHARS = 4000  # no register holds a line of text this long


def document(html: str, url: str) -> Any:
    """The page's tree, without what a browser does not show (comments, scripts, styles)."""
    tail = html[-2000:].lower()
    # Some counties' saved registers end at `</body>` with no `</html>`: the body is whole.
    if "</html>" not in tail and "</body>" not in tail:
        raise TruncatedPageError(url)
    try:
        doc = lxml.html.document_fromstring(html)
    except (etree.ParserError, ValueError) as exc:
        raise LayoutError(url, "an HTML document", str(exc)) from None
    if too_deep(doc):
        raise LayoutError(url, "page of a shape the portal serves", f"elements nested over {MAX_DEPTH} deep")
    longest = max((len(t) for t in doc.itertext()), default=0)
    if longest > MAX_TEXT_CHARS:
        raise LayoutError(url, "page of a size the portal serves", f"a text of {longest} characters")
    return without_hidden_text(doc)


def _classed(doc: Any, tag: str, name: str) -> list[Any]:
    return doc.xpath(f"//{tag}[contains(concat(' ', normalize-space(@class), ' '), ' {name} ')]")


def _text(el: Any) -> str:
    """An element's text on one line, with a space where the page breaks a line or a cell."""
    return " ".join(_lines(el)) if el is not None else ""


def _lines(el: Any) -> list[str]:
    """An element's text split where the page breaks lines (br, div, p, cells, rows)."""
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
            if tag in _BLOCKS:
                flush()
            if node.text and tag not in ("script", "style"):
                current.append(node.text)
        else:
            if tag in _BLOCKS:
                flush()
            if node is not el and node.tail:
                current.append(node.tail)
    flush()
    return parts


_CAPTCHA = ("//img[contains(translate(concat(@src, @alt, @id), 'CAPTH', 'capth'), 'captcha')]"
            " | //input[contains(translate(concat(@name, @id), 'CAPTH', 'capth'), 'captcha')]"
            " | //*[contains(@class, 'g-recaptcha') or contains(@class, 'h-captcha')]")


def page_kind(html: str) -> PageKind:
    try:
        doc = without_hidden_text(lxml.html.document_fromstring(html))
    except (etree.ParserError, ValueError):
        return PageKind.OTHER
    text = norm(doc.text_content()).lower()
    if "session has expired or the request is invalid" in text:
        return PageKind.EXPIRED
    if _classed(doc, "div", "ssCaseDetailROA") or "register of actions" in text and "party information" in text:
        return PageKind.DETAIL
    count = _RECORD_COUNT.search(text)
    if "no cases matched" in text or (count and int(count.group(1).replace(",", "")) == 0
                                      and "too many matches" not in text):
        return PageKind.NO_RESULTS
    if count:
        return PageKind.RESULTS
    if doc.xpath(_CAPTCHA):  # a CAPTCHA's own image, field or widget: not the word in a script
        return PageKind.CAPTCHA
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
    text = norm(doc.text_content())
    if "no cases matched" in text.lower():
        return Results(0, False, ())
    count = _RECORD_COUNT.search(text)
    if count is None:
        raise LayoutError(url, "Record Count")
    record_count = int(count.group(1).replace(",", ""))
    capped = "too many matches to display" in text.lower()
    links = [a for a in doc.xpath("//a[@href]") if DETAIL_LINK in a.get("href", "").lower()]
    if record_count == 0 and not links:
        return Results(0, capped, ())
    headers = _classed(doc, "th", "ssSearchResultHeader") or _classed(doc, "th", "ssSearchResultHeaderBottom")
    if not headers:
        raise LayoutError(url, "results header (th.ssSearchResultHeader)")
    head_row = headers[0].getparent()
    columns = _columns([c for c in head_row if isinstance(c.tag, str)])
    # The case search's own columns (`Case Number | Style | Filed/Location | Type/Status`); the
    # calendar's cells are read by what they hold.
    type_column = columns.get("type/status")
    filed_column = columns.get("filed/location")
    rows: dict[str, ResultRow] = {}
    mixed = _rows_holding_several_cases(links)
    for link in links:
        row = _row_of(link, mixed)
        cells = [c for c in row if isinstance(c.tag, str) and c.tag in ("td", "th")] if row is not None else []
        starts = _starts(cells)
        number = _text(link)
        if not is_case_number(number):  # the link's text broken off or run into the next cell's
            raise LayoutError(url, "result row case number", f"a case link reads {len(number)} characters, no number")
        case_cell = next((c for c in cells if link in c.iter("a")), None)
        if case_cell is None:
            raise LayoutError(url, "result row of a case link", "the link is in no row's cell")
        by_start = {start: cell for cell, start in zip(cells, starts)}
        case_type = ""
        if type_column is not None and type_column in by_start and by_start[type_column] is not case_cell:
            case_type = (_lines(by_start[type_column]) or [""])[0]
        if not case_type:
            case_type = next((line for line in _lines(case_cell) if line != number), "")
        hearing = next((d for c, start in zip(cells, starts) if c is not case_cell and start != filed_column
                        for line in _lines(c) for d in [parse_date(line)] if d is not None), None)
        rows.setdefault(f"{number}|{hearing}", ResultRow(number, href=link.get("href", ""), case_type=case_type,
                                                         hearing_date=hearing))
    if not rows and not capped and record_count > 0:
        raise LayoutError(url, "result rows", f"Record Count {record_count} but no case links")
    return Results(record_count, capped, tuple(rows.values()))


def _starts(cells: list[Any]) -> list[int]:
    """Each cell's first column, counting colspans."""
    out, column = [], 0
    for cell in cells:
        out.append(column)
        span = cell.get("colspan", "1")
        column += int(span) if span.isdigit() and int(span) > 0 else 1
    return out


def _columns(cells: list[Any]) -> dict[str, int]:
    """Header text (lower case, no spaces: `type/status`) to its first column."""
    return {key(cell.text_content()).replace(" ", ""): start for cell, start in zip(cells, _starts(cells))}


def _rows_holding_several_cases(links: list[Any]) -> set[Any]:
    """The rows that hold links to more than one case (one walk up from each link)."""
    first: dict[Any, str] = {}
    mixed: set[Any] = set()
    for link in links:
        href = link.get("href", "")
        for row in link.iterancestors("tr"):
            if first.setdefault(row, href) != href:
                mixed.add(row)
    return mixed


def _row_of(link: Any, mixed: set[Any]) -> Any:
    """The result row holding `link`: its outermost row that holds no other case's link (calendar
    cells nest tables of their own; pages nest everything in layout tables)."""
    row = None
    for node in link.iterancestors("tr"):
        if node in mixed:
            break
        row = node
    return row
