"""Reading the Virginia GDC portal's markup: page kinds, sections, label/value cells, grids.

Everything is located by section titles, label text and header text (case- and
whitespace-insensitive), never by position or by the section `tr` ids, which the live
site has swapped.
"""

from __future__ import annotations

import datetime as dt
import enum
import re
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

import lxml.html
from bs4 import BeautifulSoup, Tag
from lxml import etree

from scraper.errors import LayoutError

CASE_NUMBER_RE = re.compile(r"^GV\d{8}-\d{2}$")
RESULT_CASE_HEADERS = ("case #", "case number", "case no.")


class PageKind(str, enum.Enum):
    BROWSER_CHECK = "browser_check"
    RATE_LIMITED = "rate_limited"
    EXPIRED = "session_expired"
    VERIFICATION = "verification_code"
    TERMS = "terms"
    INVALID_NUMBER = "invalid_case_number"
    NO_RESULTS = "no_results"
    RESULTS = "results"
    DETAIL = "case_detail"
    OTHER = "other"


def norm(text: str | None) -> str:
    return " ".join((text or "").split())


def key(text: str | None) -> str:
    """Label/title/header text reduced for matching: lower case, no trailing colon."""
    return norm(text).rstrip(":").strip().lower()


def soup_of(html: str) -> BeautifulSoup:
    return BeautifulSoup(html, "lxml")


def _has_class(name: str) -> str:
    return f'contains(concat(" ", normalize-space(@class), " "), " {name} ")'


def classify(html: str) -> PageKind:
    """What kind of portal page this is, from its text and controls (lxml: every page gets this)."""
    try:
        doc = lxml.html.document_fromstring(html)
    except (etree.ParserError, ValueError):
        return PageKind.OTHER
    text = norm(doc.text_content()).lower()
    title = key(doc.findtext(".//title"))
    if "exceeded the rate limit for this application" in text or (
        "maximum number of requests allowed for a given time period" in text
    ):
        return PageKind.RATE_LIMITED
    has_accept = bool(doc.xpath('//input[@name="accept"]'))
    if title.startswith("just a moment") or ("just a moment" in text and doc.xpath("//script") and not has_accept):
        return PageKind.BROWSER_CHECK
    if "previous session has expired" in text:
        return PageKind.EXPIRED
    if doc.xpath('//input[@name="verificationCode"]'):
        return PageKind.VERIFICATION
    if has_accept:
        return PageKind.TERMS
    error = doc.xpath('//*[@id="error"]')
    if error and "valid case number" in norm(error[0].text_content()).lower():
        return PageKind.INVALID_NUMBER
    if "no results found for the search criteria" in text:
        return PageKind.NO_RESULTS
    titles = {key(td.text_content()) for td in doc.xpath(f"//td[{_has_class('subheader')}]")}
    if "case information" in titles:
        return PageKind.DETAIL
    headers = doc.xpath(f"//td[{_has_class('gridheader')}] | //th[{_has_class('gridheader')}]")
    if any(key(cell.text_content()) in RESULT_CASE_HEADERS for cell in headers):
        return PageKind.RESULTS
    return PageKind.OTHER



def find_results_header(soup: BeautifulSoup) -> Tag | None:
    """The header row of the hearing-date result grid: the row whose header cells include `Case #`."""
    for cell in soup.select("td.gridheader, th.gridheader"):
        if key(cell.get_text(" ")) in RESULT_CASE_HEADERS:
            row = cell.find_parent("tr")
            if row is not None:
                return row
    return None


@dataclass
class Section:
    title: str
    labels: dict[str, str] = field(default_factory=dict)  # label key -> value text
    grids: list[list[dict[str, str]]] = field(default_factory=list)  # rows as header key -> text
    grid_headers: list[list[str]] = field(default_factory=list)

    @property
    def grid(self) -> list[dict[str, str]] | None:
        return self.grids[0] if self.grids else None


def sections(soup: BeautifulSoup) -> dict[str, Section]:
    """Sections keyed by normalized title; each holds the label cells and grids up to the next title."""
    found: dict[str, Section] = {}
    current: Section | None = None
    for el in soup.find_all(["td", "th", "tr"]):
        classes = el.get("class") or []
        if el.name == "td" and "subheader" in classes:
            current = Section(title=key(el.get_text(" ")))
            found.setdefault(current.title, current)
            current = found[current.title]
            continue
        if current is None:
            continue
        if el.name in ("td", "th") and any(c.startswith("labelgrid") for c in classes):
            value = el.find_next_sibling(["td", "th"])
            label = key(el.get_text(" "))
            if label:
                current.labels[label] = norm(value.get_text(" ")) if value is not None else ""
        elif el.name == "tr" and "gridheader" in classes:
            headers, rows = _grid(el)
            current.grid_headers.append(headers)
            current.grids.append(rows)
    return found


def _grid(header_row: Tag) -> tuple[list[str], list[dict[str, str]]]:
    headers = [key(c.get_text(" ")) for c in header_row.find_all(["td", "th"], recursive=False)]
    rows: list[dict[str, str]] = []
    table = header_row.find_parent("table")
    following = table.find_all("tr") if table is not None else [header_row]
    start = next(i for i, tr in enumerate(following) if tr is header_row) + 1
    for tr in following[start:]:
        classes = tr.get("class") or []
        if "gridheader" in classes:
            break
        cells = tr.find_all(["td", "th"], recursive=False)
        if not cells or not any(norm(c.get_text(" ")) for c in cells):
            continue
        rows.append({h: norm(c.get_text(" ")) for h, c in zip(headers, cells) if h})
    return headers, rows


# --- typed values -------------------------------------------------------------------------


def opt(text: str | None) -> str | None:
    text = norm(text)
    return text or None


def parse_date(text: str | None, page: str, what: str) -> dt.date | None:
    text = norm(text)
    if not text:
        return None
    for fmt in ("%m/%d/%Y", "%m/%d/%y", "%Y-%m-%d"):
        try:
            return dt.datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    raise LayoutError(page, what, f"unreadable date {text!r}")


def parse_time(text: str | None, page: str, what: str) -> dt.time | None:
    text = norm(text).upper().replace(".", "")
    if not text:
        return None
    for fmt in ("%I:%M %p", "%I:%M%p", "%H:%M"):
        try:
            return dt.datetime.strptime(text, fmt).time()
        except ValueError:
            continue
    raise LayoutError(page, what, f"unreadable time {text!r}")


def parse_money(text: str | None, page: str, what: str) -> Decimal | None:
    text = norm(text)
    if not text:
        return None
    negative = text.startswith("(") and text.endswith(")") or text.startswith("-")
    digits = re.sub(r"[\s$,()\-]", "", text)
    try:
        value = Decimal(digits).quantize(Decimal("0.01"))
    except InvalidOperation:
        raise LayoutError(page, what, f"unreadable amount {text!r}") from None
    return -value if negative else value


_YES = {"y", "yes", "true"}
_NO = {"n", "no", "false"}


def parse_yes_no(text: str | None, unknown: list[str], what: str) -> bool | None:
    value = norm(text).lower()
    if value in _YES:
        return True
    if value in _NO:
        return False
    if value:
        unknown.append(f"{what}={value}")
    return None
