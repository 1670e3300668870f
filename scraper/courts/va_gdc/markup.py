"""Reading the Virginia GDC portal's markup: page kinds, sections, label/value cells, grids.

Everything is located by section titles, label text and header text (case- and
whitespace-insensitive), never by position or by the section `tr` ids, which the live
site has swapped. lxml throughout: a page is parsed once, and the text of a cell is read as
a browser shows it (no script, style or comment text).
"""

from __future__ import annotations

import datetime as dt
import enum
import re
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Iterator

from lxml import etree

from scraper.errors import LayoutError, TruncatedPageError
from scraper.htmltree import MAX_DEPTH, Element, document, text_of, too_deep, without_hidden_text
from scraper.money import MoneyFormat, read_amount
from scraper.pagetext import key, norm  # noqa: F401  (re-exported: the parser reads text through these)

CASE_NUMBER_RE = re.compile(r"^GV\d{8}-\d{2}$")


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


def compact(text: str | None) -> str:
    """Header text with only its letters: `Case #`, `Case#` and `CASE NO.` all become `case`/`caseno`."""
    return re.sub(r"[^a-z]", "", norm(text).lower())


RESULT_CASE_HEADERS = {"case", "caseno", "casenumber"}


def _has_class(name: str) -> str:
    return f'contains(concat(" ", normalize-space(@class), " "), " {name} ")'


_ERRORS = etree.XPath(f'//*[@id="error"] | //*[{_has_class("errorFont")}]')
# A word of each phrase that tells a page kind by its text: only a page whose text holds one
# is read word by word (the slower, exact reading).
_PHRASE_WORDS = ("exceeded", "maximum", "moment", "expired", "criteria")


def classes(el: Element) -> list[str]:
    return (el.get("class") or "").split()


def cells(row: Element) -> list[Element]:
    """A row's own cells (not those of tables nested in them)."""
    return [c for c in row if c.tag == "td" or c.tag == "th"]


def _named(doc: Element, name: str) -> bool:
    return any((el.get("name") or "").lower() == name for el in doc.iter("input", "button"))


def classify(page: str | Element) -> PageKind:
    """What kind of portal page this is, from its text and controls. Given a tree, it reads it
    through `without_hidden_text` (the tree is left that way)."""
    doc = document(page) if isinstance(page, str) else page
    if doc is None:
        return PageKind.OTHER
    title = key(doc.findtext(".//title"))
    has_script = next(doc.iter("script"), None) is not None
    quick = etree.tostring(without_hidden_text(doc), method="text", encoding=str).lower()
    text = text_of(doc).lower() if any(word in quick for word in _PHRASE_WORDS) else ""
    if "exceeded the rate limit for this application" in text or (
        "maximum number of requests allowed for a given time period" in text
    ):
        return PageKind.RATE_LIMITED
    has_accept = _named(doc, "accept")
    if title.startswith("just a moment") or ("just a moment" in text and has_script and not has_accept):
        return PageKind.BROWSER_CHECK
    if "previous session has expired" in text:
        return PageKind.EXPIRED
    if _named(doc, "verificationcode"):
        return PageKind.VERIFICATION
    if has_accept:
        return PageKind.TERMS
    if "valid case number" in quick and any("valid case number" in text_of(e).lower() for e in _ERRORS(doc)):
        return PageKind.INVALID_NUMBER
    if any(section_title(text_of(td)) == "case information" for td in classed_cells(doc, "subheader")):
        return PageKind.DETAIL
    if "no results found for the search criteria" in text:
        return PageKind.NO_RESULTS
    if any(compact(text_of(cell)) in RESULT_CASE_HEADERS for cell in classed_cells(doc, "gridheader")):
        return PageKind.RESULTS
    return PageKind.OTHER


def classed_cells(doc: Element, name: str) -> Iterator[Element]:
    """The td and th cells with the class `name`, in document order."""
    for cell in doc.iter("td", "th"):
        attr = cell.get("class")
        if attr is not None and name in attr.split():
            yield cell


def section_title(text: str | None) -> str:
    # The title cell's first span is decoration (an expand/collapse toggle on some pages).
    return re.sub(r"^[^a-z0-9]+", "", key(text))


def find_results_header(doc: Element) -> Element | None:
    """The header row of the hearing-date result grid: the row whose header cells include `Case #`."""
    for cell in classed_cells(doc, "gridheader"):
        if compact(text_of(cell)) in RESULT_CASE_HEADERS:
            row = next(cell.iterancestors("tr"), None)
            if row is not None:
                return row
    return None


class GridShapeError(ValueError):
    """A grid row whose cells do not line up with the header: reading it would shift columns."""


class RepeatedSectionError(ValueError):
    """Two label sections with one title (two Case Informations): which one the court meant
    cannot be told. A grid section may repeat: its rows add up (defendants split over tables)."""


MAX_GRID_ROWS = 500
MAX_PAGE_BYTES = 2_000_000


def oversized(html: str, max_page_bytes: int = MAX_PAGE_BYTES) -> str | None:
    size = len(html) if html.isascii() else len(html.encode("utf-8", "replace"))
    return f"{size} bytes, over scrape.max_page_bytes {max_page_bytes}" if size > max_page_bytes else None


def misshapen(doc: Element, max_grid_rows: int = MAX_GRID_ROWS) -> str | None:
    """Why a parsed page is too deep or its tables too long to be a portal page (None: it is not)."""
    if too_deep(doc):
        return f"elements nested over {MAX_DEPTH} deep"
    if doc.xpath("boolean(//table[count(tr | tbody/tr | thead/tr) > $most])", most=max_grid_rows + 2):
        return f"a table with over {max_grid_rows} rows, over scrape.max_grid_rows"
    return None


def ensure_complete(html: str, page: str) -> None:
    if "</html>" not in html[-4096:].lower():
        raise TruncatedPageError(page)


def read_page(html: str, page: str, max_page_bytes: int = MAX_PAGE_BYTES,
              max_grid_rows: int = MAX_GRID_ROWS) -> Element:
    """A whole page of a size and shape the portal serves, parsed (once: every reader takes the tree)."""
    ensure_complete(html, page)
    problem = oversized(html, max_page_bytes)
    doc = None if problem else document(html)
    if doc is None and not problem:
        raise LayoutError(page, "an HTML document", "no markup in the page")
    problem = problem or misshapen(doc, max_grid_rows)
    if problem:
        raise LayoutError(page, "page of a size the portal serves", problem)
    return doc


@dataclass
class Section:
    title: str
    labels: dict[str, str] = field(default_factory=dict)  # label key -> value text
    grids: list[list[dict[str, str]]] = field(default_factory=list)  # rows as header key -> text

    @property
    def grid(self) -> list[dict[str, str]] | None:
        """All grid rows of the section (a repeated section adds its rows), or None without a grid."""
        if not self.grids:
            return None
        return [row for grid in self.grids for row in grid]


def sections(doc: Element, max_grid_rows: int = MAX_GRID_ROWS) -> dict[str, Section]:
    """Sections keyed by normalized title; each holds the label cells and grids up to the next title
    (the tree read through `without_hidden_text`).

    Raises RepeatedSectionError for a section with labels whose title is met twice,
    GridShapeError for a grid row that does not fit its header (or a grid over `max_grid_rows`),
    OversizedCellError for a value no portal cell holds."""
    found: dict[str, Section] = {}
    repeated: set[str] = set()
    current: Section | None = None
    grids_here = 0  # grids under the current title (its occurrence, when a title repeats)
    done: set[Element] = set()
    for el in doc.iter("td", "th", "tr"):
        attr = el.get("class")
        if attr is None:
            continue
        names = attr.split()
        if el.tag == "tr":
            header = el if "gridheader" in names else None
        elif "subheader" in names:
            title = section_title(text_of(el))
            if title in found:
                repeated.add(title)
            current = found.setdefault(title, Section(title=title))
            grids_here = 0
            continue
        elif "subgridheader" in names:
            header = el.getparent()  # a header row is one with a subgridheader cell: read at its first
        else:
            header = None
            if current is not None and any(c.startswith("labelgrid") for c in names):
                label = key(text_of(el))
                if label:
                    current.labels[label] = _value_of(el, current.title)
        if header is not None and header.tag == "tr" and current is not None and header not in done:
            done.add(header)
            grids_here += 1
            if grids_here > 1:
                # Each section is one table with one grid: a second one means the next
                # section's title is missing, and its rows would be read as this one's.
                raise GridShapeError(f"section {current.title!r} holds two grids: a section title is missing")
            current.grids.append(_grid(header, current.title, max_grid_rows))
    for title in sorted(repeated):
        if found[title].labels:
            raise RepeatedSectionError(title)
    return found


def _value_of(label: Element, title: str) -> str:
    """The value cell after a label cell; none when the next cell is another label (a dropped
    value must not read the next label's text as this one's value)."""
    value = next((s for s in label.itersiblings() if s.tag == "td" or s.tag == "th"), None)
    if value is None or any(c.startswith("labelgrid") for c in classes(value)):
        return ""
    return _sized(text_of(value), title)


class OversizedCellError(ValueError):
    """A cell holding more text than any portal cell: a broken or hostile page."""


MAX_CELL_CHARS = 4000


def _sized(text: str, title: str) -> str:
    if len(text) > MAX_CELL_CHARS:
        raise OversizedCellError(f"a value of {len(text)} characters in section {title!r}, "
                                 f"over {MAX_CELL_CHARS}")
    return text


def _is_grid_header(tr: Element) -> bool:
    if "gridheader" in classes(tr):
        return True
    for cell in tr:
        attr = cell.get("class")
        if attr and "subgridheader" in attr.split() and (cell.tag == "td" or cell.tag == "th"):
            return True
    return False


def own_rows(header_row: Element) -> list[Element]:
    """The rows after `header_row` in its own table (not rows of tables nested in its cells)."""
    table = next(header_row.iterancestors("table"), None)
    if table is None:
        return []
    rows = [tr for tr in table.iter("tr") if next(tr.iterancestors("table")) is table]
    return rows[rows.index(header_row) + 1:]


def _width(row_cells: list[Element]) -> tuple[int, bool]:
    """Columns the cells cover, and whether one spans several."""
    spans = [c.get("colspan") for c in row_cells]
    if not any(spans):
        return len(row_cells), False
    widths = []
    for span in spans:
        try:
            widths.append(max(1, int(str(span or 1).strip())))
        except ValueError:
            widths.append(1)
    return sum(widths), any(w > 1 for w in widths)


def _grid(header_row: Element, title: str, max_rows: int) -> list[dict[str, str]]:
    header_cells = cells(header_row)
    headers = [key(text_of(c)) for c in header_cells]
    named = [h for h in headers if h]
    if len(set(named)) != len(named):
        raise GridShapeError(f"section {title!r} has a header twice: which column is which cannot be told")
    width, _ = _width(header_cells)
    rows: list[dict[str, str]] = []
    for tr in own_rows(header_row):
        if _is_grid_header(tr):
            break
        row_cells = cells(tr)
        texts = [text_of(c) for c in row_cells]
        if not any(texts):
            continue
        if len(row_cells) == 1 and len(headers) > 1:
            continue  # a message row spanning the grid ("No hearings scheduled")
        covered, spanning = _width(row_cells)
        if covered != width or spanning:
            # A missing or extra cell would put every later value under the wrong header.
            raise GridShapeError(f"a row of section {title!r} has {len(row_cells)} cells under {len(headers)} headers")
        if len(rows) >= max_rows:
            raise GridShapeError(f"section {title!r} has more than {max_rows} rows")
        rows.append({h: _sized(t, title) for h, t in zip(headers, texts) if h})
    return rows


# --- typed values -------------------------------------------------------------------------
# A value that cannot be read becomes None and is recorded in `problems` (counted in the run
# summary); the caller raises a LayoutError only when the field is a required one.


def opt(text: str | None) -> str | None:
    text = norm(text)
    return text or None


def parse_date(text: str | None, problems: list[str], what: str) -> dt.date | None:
    text = norm(text)
    if not text:
        return None
    for fmt in ("%m/%d/%Y", "%m/%d/%y", "%Y-%m-%d", "%m-%d-%Y"):
        try:
            return dt.datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    problems.append(f"unreadable:{what}")
    return None


_TIME_WORDS = {"NOON": "12:00 PM", "MIDNIGHT": "12:00 AM"}


def parse_time(text: str | None, problems: list[str], what: str) -> dt.time | None:
    text = norm(text).upper().replace(".", "")
    if not text:
        return None
    for word, value in _TIME_WORDS.items():
        if word in text:
            text = value
    for fmt in ("%I:%M %p", "%I:%M%p", "%I:%M:%S %p", "%I %p", "%I%p", "%H:%M", "%H:%M:%S"):
        try:
            return dt.datetime.strptime(text, fmt).time()
        except ValueError:
            continue
    problems.append(f"unreadable:{what}")
    return None


# The portal prints `$1,250.00` (docs/courts/va-gdc.md); `$ 1,250.00` is read too. No credits,
# no signs: anything else is an unread value (scraper/money.py says what is refused and why).
MONEY = MoneyFormat(symbol="$")


def parse_money(text: str | None, problems: list[str], what: str) -> Decimal | None:
    text = norm(text)
    if not text:
        return None
    value = read_amount(text, MONEY)
    if value is None:
        problems.append(f"unreadable:{what}")
    return value


_YES = {"y", "yes", "true"}
_NO = {"n", "no", "false"}


def parse_yes_no(text: str | None, problems: list[str], what: str) -> bool | None:
    value = norm(text).lower()
    if value in _YES:
        return True
    if value in _NO:
        return False
    if value:
        problems.append(f"unreadable:{what}")
    return None
