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
_XML_DECLARATION = re.compile(r"^\s*<\?xml[^>]*\?>", re.I)


def soup_of(html: str) -> BeautifulSoup:
    return BeautifulSoup(_XML_DECLARATION.sub("", html, count=1), "lxml")


def _has_class(name: str) -> str:
    return f'contains(concat(" ", normalize-space(@class), " "), " {name} ")'


def _visible_text(doc: lxml.html.HtmlElement) -> str:
    for node in doc.xpath("//script | //style"):
        node.text = None
    return norm(" ".join(doc.itertext())).lower()


def _named(doc: lxml.html.HtmlElement, name: str) -> bool:
    return any((el.get("name") or "").lower() == name for el in doc.xpath("//input | //button"))


def classify(html: str) -> PageKind:
    """What kind of portal page this is, from its text and controls (lxml: every page gets this)."""
    try:
        doc = lxml.html.document_fromstring(_XML_DECLARATION.sub("", html, count=1))
    except (etree.ParserError, ValueError):
        return PageKind.OTHER
    title = key(doc.findtext(".//title"))
    has_script = bool(doc.xpath("//script"))
    text = _visible_text(doc)
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
    errors = doc.xpath(f'//*[@id="error"] | //*[{_has_class("errorFont")}]')
    if any("valid case number" in norm(e.text_content()).lower() for e in errors):
        return PageKind.INVALID_NUMBER
    titles = {section_title(td.text_content()) for td in doc.xpath(
        f"//td[{_has_class('subheader')}] | //th[{_has_class('subheader')}]")}
    if "case information" in titles:
        return PageKind.DETAIL
    if "no results found for the search criteria" in text:
        return PageKind.NO_RESULTS
    headers = doc.xpath(f"//td[{_has_class('gridheader')}] | //th[{_has_class('gridheader')}]")
    if any(compact(cell.text_content()) in RESULT_CASE_HEADERS for cell in headers):
        return PageKind.RESULTS
    return PageKind.OTHER


def section_title(text: str | None) -> str:
    # The title cell's first span is decoration (an expand/collapse toggle on some pages).
    return re.sub(r"^[^a-z0-9]+", "", key(text))


def find_results_header(soup: BeautifulSoup) -> Tag | None:
    """The header row of the hearing-date result grid: the row whose header cells include `Case #`."""
    for cell in soup.select("td.gridheader, th.gridheader"):
        if compact(cell.get_text(" ")) in RESULT_CASE_HEADERS:
            row = cell.find_parent("tr")
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
MAX_DEPTH = 120  # portal pages nest about 15 deep; libxml2 stops at 256


def check_shape(html: str, max_page_bytes: int = MAX_PAGE_BYTES, max_grid_rows: int = MAX_GRID_ROWS) -> str | None:
    """Why a page is too big or too deep to be a portal page (None: it is not). Cheap (lxml),
    so a pathological page is refused before the slow parse."""
    size = len(html.encode("utf-8", "replace"))
    if size > max_page_bytes:
        return f"{size} bytes, over scrape.max_page_bytes {max_page_bytes}"
    try:
        doc = lxml.html.document_fromstring(_XML_DECLARATION.sub("", html, count=1))
    except (etree.ParserError, ValueError):
        return None  # the parser proper says what is wrong
    depth = deepest = 0
    for event, _ in etree.iterwalk(doc, events=("start", "end")):
        depth += 1 if event == "start" else -1
        deepest = max(deepest, depth)
    if deepest > MAX_DEPTH:
        return f"elements nested over {MAX_DEPTH} deep"
    for table in doc.iter("table"):
        if len(table.xpath("./tr | ./tbody/tr | ./thead/tr")) > max_grid_rows + 2:
            return f"a table with over {max_grid_rows} rows, over scrape.max_grid_rows"
    return None


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


def sections(soup: BeautifulSoup, max_grid_rows: int = MAX_GRID_ROWS) -> dict[str, Section]:
    """Sections keyed by normalized title; each holds the label cells and grids up to the next title.

    Raises RepeatedSectionError for a section with labels whose title is met twice,
    GridShapeError for a grid row that does not fit its header (or a grid over `max_grid_rows`)."""
    found: dict[str, Section] = {}
    repeated: set[str] = set()
    current: Section | None = None
    for el in soup.find_all(["td", "th", "tr"]):
        classes = el.get("class") or []
        if el.name in ("td", "th") and "subheader" in classes:
            title = section_title(el.get_text(" "))
            if title in found:
                repeated.add(title)
            current = found.setdefault(title, Section(title=title))
            continue
        if current is None:
            continue
        if el.name in ("td", "th") and any(c.startswith("labelgrid") for c in classes):
            value = el.find_next_sibling(["td", "th"])
            label = key(el.get_text(" "))
            if label:
                current.labels[label] = norm(value.get_text(" ")) if value is not None else ""
        elif el.name == "tr" and _is_grid_header(el):
            current.grids.append(_grid(el, current.title, max_grid_rows))
    for title in sorted(repeated):
        if found[title].labels:
            raise RepeatedSectionError(title)
    return found


def _is_grid_header(tr: Tag) -> bool:
    if "gridheader" in (tr.get("class") or []):
        return True
    return any("subgridheader" in (c.get("class") or []) for c in tr.find_all(["td", "th"], recursive=False))


def own_rows(header_row: Tag) -> list[Tag]:
    """The rows after `header_row` in its own table (not rows of tables nested in its cells)."""
    table = header_row.find_parent("table")
    if table is None:
        return []
    rows = [tr for tr in table.find_all("tr") if tr.find_parent("table") is table]
    return rows[rows.index(header_row) + 1:]


def _span(cell: Tag) -> int:
    try:
        return max(1, int(str(cell.get("colspan") or 1).strip()))
    except ValueError:
        return 1


def _grid(header_row: Tag, title: str, max_rows: int) -> list[dict[str, str]]:
    header_cells = header_row.find_all(["td", "th"], recursive=False)
    headers = [key(c.get_text(" ")) for c in header_cells]
    width = sum(_span(c) for c in header_cells)
    rows: list[dict[str, str]] = []
    for tr in own_rows(header_row):
        if _is_grid_header(tr):
            break
        cells = tr.find_all(["td", "th"], recursive=False)
        if not cells or not any(norm(c.get_text(" ")) for c in cells):
            continue
        if len(cells) == 1 and len(headers) > 1:
            continue  # a message row spanning the grid ("No hearings scheduled")
        if sum(_span(c) for c in cells) != width or any(_span(c) > 1 for c in cells):
            # A missing or extra cell would put every later value under the wrong header.
            raise GridShapeError(f"a row of section {title!r} has {len(cells)} cells under {len(headers)} headers")
        if len(rows) >= max_rows:
            raise GridShapeError(f"section {title!r} has more than {max_rows} rows")
        rows.append({h: norm(c.get_text(" ")) for h, c in zip(headers, cells) if h})
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


def parse_money(text: str | None, problems: list[str], what: str) -> Decimal | None:
    text = norm(text)
    if not text:
        return None
    negative = (text.startswith("(") and text.endswith(")")) or text.startswith("-") or text.endswith("-")
    digits = re.sub(r"[\s$,()\-]", "", text)
    try:
        value = Decimal(digits).quantize(Decimal("0.01"))
    except InvalidOperation:
        problems.append(f"unreadable:{what}")
        return None
    return -value if negative else value


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
