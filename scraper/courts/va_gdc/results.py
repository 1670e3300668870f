"""The hearing-date result list of the Virginia GDC portal: one page of case rows."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from urllib.parse import parse_qs, urljoin, urlsplit

from scraper.courts.va_gdc.markup import (
    CASE_NUMBER_RE,
    MAX_CELL_CHARS,
    MAX_GRID_ROWS,
    MAX_PAGE_BYTES,
    Element,
    cells,
    compact,
    find_results_header,
    norm,
    opt,
    own_rows,
    read_page,
    text_of,
    without_hidden_text,
)
from scraper.errors import LayoutError

@dataclass(frozen=True)
class ResultRow:
    case_number: str
    detail_url: str
    defendant: str | None
    plaintiff: str | None
    case_type: str
    hearing_time: str | None


@dataclass
class ResultPage:
    rows: list[ResultRow] = field(default_factory=list)
    has_next: bool = False
    bad_numbers: list[str] = field(default_factory=list)


_CASE_LIKE = re.compile(r"GV\s*\d{2}", re.I)
RESULT_COLUMNS = {"case": "case", "caseno": "case", "casenumber": "case", "defendant": "defendant",
                  "plaintiff": "plaintiff", "casetype": "case_type", "hearingtime": "hearing_time"}


def parse_result_page(html: str, page: str, fips: str | None, *, max_page_bytes: int = MAX_PAGE_BYTES,
                      max_grid_rows: int = MAX_GRID_ROWS) -> ResultPage:
    """One page of hearing-date results; raises LayoutError when the grid cannot be read."""
    doc = without_hidden_text(read_page(html, page, max_page_bytes, max_grid_rows))
    header = find_results_header(doc)
    if header is None:
        raise LayoutError(page, "result grid header 'Case #'")
    columns = [RESULT_COLUMNS.get(compact(text_of(c))) for c in cells(header)]
    for needed, label in (("case", "Case #"), ("case_type", "Case Type")):
        if needed not in columns:
            raise LayoutError(page, f"result grid column {label}")
    out = ResultPage(has_next=_has_next(doc))
    for tr in own_rows(header):
        row_cells = cells(tr)
        texts = [text_of(c) for c in row_cells]
        if not any(texts):
            continue
        if len(row_cells) != len(columns):
            # Spacer, footer ("Displaying 1 - 20") or message rows are skipped; a row that names
            # a case but has a cell more or fewer than the header would lose that case silently
            # or read its values under the wrong headers, so it stops the page.
            if _CASE_LIKE.search(text_of(tr)):
                raise LayoutError(page, "result row columns",
                                  f"a case row has {len(row_cells)} cells under {len(columns)} headers")
            continue
        values = {col: text for col, text in zip(columns, texts) if col}
        if any(len(text) > MAX_CELL_CHARS for text in values.values()):
            raise LayoutError(page, "result row of a size the portal serves", f"a cell over {MAX_CELL_CHARS} characters")
        case_cell = {col: cell for col, cell in zip(columns, row_cells) if col}["case"]
        number = values["case"].upper().replace(" ", "")
        if not CASE_NUMBER_RE.match(number):
            out.bad_numbers.append(number)
            continue
        link = next((a for a in case_cell.iter("a") if a.get("href") is not None), None)
        url = urljoin(page, link.get("href")) if link is not None else detail_url(page, number, fips)
        if link is not None and _query(url).get("displayCaseNumber", [number])[0].upper() != number:
            url = detail_url(page, number, fips)
        out.rows.append(ResultRow(
            case_number=number, detail_url=url,
            defendant=opt(values.get("defendant")) if "defendant" in values else None,
            plaintiff=opt(values.get("plaintiff")) if "plaintiff" in values else None,
            case_type=values["case_type"],
            hearing_time=opt(values.get("hearing_time")) if "hearing_time" in values else None,
        ))
    if not out.rows and not out.bad_numbers and out.has_next:
        raise LayoutError(page, "result rows", "a Next page follows but no row could be read as a case")
    return out


def _has_next(doc: Element) -> bool:
    for control in doc.iter("input", "button"):
        kind = (control.get("type") or ("submit" if control.tag == "button" else "text")).lower()
        if kind not in ("submit", "image") or "disabled" in control.attrib:
            continue
        label = norm(control.get("value") or text_of(control) or control.get("alt")).lower()
        if control.get("name") == "caseInfoScrollForward" or label == "next":
            return True
    return False


def _query(url: str) -> dict[str, list[str]]:
    return parse_qs(urlsplit(url).query)


def detail_url(page: str, number: str, fips: str | None) -> str:
    court = f"&localFipsCode={fips}" if fips else ""
    return urljoin(page, f"caseSearch.do?formAction=caseDetails&displayCaseNumber={number}{court}")
