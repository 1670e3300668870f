"""The baseline for bench/parse.py: the Virginia GDC extraction as it was on BeautifulSoup
(html.parser), feeding the same record builder as the lxml parser. Only the benchmark uses it."""

from __future__ import annotations

from urllib.parse import parse_qs, urljoin, urlsplit

from bs4 import BeautifulSoup, Tag

from scraper.courts.va_gdc.markup import (
    CASE_NUMBER_RE,
    GridShapeError,
    Section,
    compact,
    ensure_complete,
    key,
    norm,
    opt,
    section_title,
)
from scraper.courts.va_gdc.parse import record_of_sections
from scraper.courts.va_gdc.results import RESULT_COLUMNS, ResultRow, detail_url
from scraper.records import CaseRecord


def _text(el: Tag) -> str:
    return norm(el.get_text(" "))


def _cells(tr: Tag) -> list[Tag]:
    return tr.find_all(["td", "th"], recursive=False)


def _header(tr: Tag) -> bool:
    return "gridheader" in (tr.get("class") or []) or any(
        "subgridheader" in (c.get("class") or []) for c in _cells(tr))


def _rows_after(header: Tag) -> list[Tag]:
    table = header.find_parent("table")
    rows = [tr for tr in table.find_all("tr") if tr.find_parent("table") is table]
    return rows[rows.index(header) + 1:]


def _grid(header: Tag, title: str) -> list[dict[str, str]]:
    headers = [key(c.get_text(" ")) for c in _cells(header)]
    rows = []
    for tr in _rows_after(header):
        if _header(tr):
            break
        cells = _cells(tr)
        if not any(_text(c) for c in cells) or (len(cells) == 1 and len(headers) > 1):
            continue
        if len(cells) != len(headers):
            raise GridShapeError(f"a row of section {title!r} has {len(cells)} cells under {len(headers)} headers")
        rows.append({h: _text(c) for h, c in zip(headers, cells) if h})
    return rows


def parse_case_detail(html: str, page: str, court: str | None = None) -> CaseRecord:
    ensure_complete(html, page)
    soup = BeautifulSoup(html, "html.parser")
    found: dict[str, Section] = {}
    current = None
    for el in soup.find_all(["td", "th", "tr"]):
        names = el.get("class") or []
        if el.name != "tr" and "subheader" in names:
            title = section_title(el.get_text(" "))
            current = found.setdefault(title, Section(title=title))
        elif current is None:
            continue
        elif el.name != "tr" and any(c.startswith("labelgrid") for c in names):
            value = el.find_next_sibling(["td", "th"])
            if key(el.get_text(" ")):
                current.labels[key(el.get_text(" "))] = _text(value) if value is not None else ""
        elif el.name == "tr" and _header(el):
            current.grids.append(_grid(el, current.title))
    return record_of_sections(found, page, court, lambda: "unrecognised")


def parse_result_rows(html: str, page: str, fips: str | None) -> list[ResultRow]:
    """The rows of a result page, as the lxml result parser reads them."""
    ensure_complete(html, page)
    soup = BeautifulSoup(html, "html.parser")
    header = next(c.find_parent("tr") for c in soup.select("td.gridheader, th.gridheader")
                  if compact(c.get_text(" ")) in {"case", "caseno", "casenumber"})
    columns = [RESULT_COLUMNS.get(compact(c.get_text(" "))) for c in _cells(header)]
    out = []
    for tr in _rows_after(header):
        cells = {col: cell for col, cell in zip(columns, _cells(tr)) if col}
        values = {col: _text(cell) for col, cell in cells.items()}
        number = values.get("case", "").upper().replace(" ", "")
        if not CASE_NUMBER_RE.match(number):
            continue
        link = cells["case"].find("a", href=True)
        url = urljoin(page, link["href"]) if link else detail_url(page, number, fips)
        if link and parse_qs(urlsplit(url).query).get("displayCaseNumber", [number])[0].upper() != number:
            url = detail_url(page, number, fips)
        out.append(ResultRow(case_number=number, detail_url=url, defendant=opt(values.get("defendant")),
                             plaintiff=opt(values.get("plaintiff")), case_type=values["case_type"],
                             hearing_time=opt(values.get("hearing_time"))))
    return out
