"""Case-detail pages that must not be misread: shifted grid cells, repeated sections, control
characters, pages that are no case detail. The fuzz test mutates every grid cell of saved pages."""

from __future__ import annotations

import random
from pathlib import Path

import lxml.html
import pytest

from scraper.courts.va_gdc.parse import parse_case_detail
from scraper.courts.va_gdc.markup import norm
from scraper.errors import LayoutError, UnexpectedPageError

GOLDEN = Path(__file__).parent / "golden" / "va-gdc"
URL = "https://portal.example.invalid/gdcourts/caseSearch.do"
DETAIL = (GOLDEN / "sim-detail-appeal.html").read_text("utf-8")


def test_a_party_row_missing_a_cell_is_a_layout_error_not_a_shifted_address():
    html = DETAIL.replace("<td>EXAMPLE PROPERTIES LLC</td><td>EXAMPLE TOWERS</td>", "<td>EXAMPLE PROPERTIES LLC</td>")
    if html == DETAIL:  # the saved page names another landlord: cut the first party row's second cell
        doc = lxml.html.document_fromstring(DETAIL)
        row = _data_rows(doc, "plaintiff information")[0]
        row.remove(row.findall("td")[1])
        html = lxml.html.tostring(doc, encoding="unicode")
    with pytest.raises(LayoutError) as caught:
        parse_case_detail(html, URL)
    assert "plaintiff information" in str(caught.value)


def test_a_hearing_row_without_its_time_cell_is_a_layout_error():
    doc = lxml.html.document_fromstring(DETAIL)
    row = _data_rows(doc, "hearing information")[0]
    row.remove(row.findall("td")[1])
    with pytest.raises(LayoutError):
        parse_case_detail(lxml.html.tostring(doc, encoding="unicode"), URL)


def test_a_second_case_information_section_is_a_layout_error_even_hidden():
    doc = lxml.html.document_fromstring(DETAIL)
    table = _section_table(doc, "case information")
    copy = lxml.html.fromstring(lxml.html.tostring(table))
    copy.set("style", "display:none")
    for cell in copy.iter("td"):
        if (cell.text or "").strip().startswith("GV"):
            cell.text = "GV26999999-00"
    table.addnext(copy)
    with pytest.raises(LayoutError) as caught:
        parse_case_detail(lxml.html.tostring(doc, encoding="unicode"), URL)
    assert "case information" in caught.value.field


def test_control_and_bidi_characters_are_stripped_from_names():
    record = parse_case_detail(DETAIL, URL)
    name = record.defendants[0].name
    hostile = DETAIL.replace(name, name[:2] + "\x01\x1b[31m\u202e\u2066" + name[2:] + "\x9b", 1)
    # Without its ESC a colour sequence is plain text that no terminal acts on.
    assert parse_case_detail(hostile, URL).defendants[0].name == name[:2] + "[31m" + name[2:]
    assert norm("O\u2019BRIEN\tROSA") == "O\u2019BRIEN ROSA"  # an apostrophe stays, a tab is a space


@pytest.mark.parametrize("page, kind", [
    ("<html><head><title>Welcome</title></head><body><p>Welcome to the General District Court "
     "Online Case Information System</p></body></html>", "welcome"),
    ("<html><body><form action='caseSearch.do'><input name='caseNo'><select name='x'></select></form>"
     "</body></html>", "search form"),
])
def test_a_page_that_is_no_case_detail_is_named(page, kind):
    with pytest.raises(UnexpectedPageError) as caught:
        parse_case_detail(page, URL)
    assert f"got a {kind} page" in str(caught.value) and "no section 'Case Information'" in str(caught.value)


def test_an_article_fits_the_page_kind():
    assert "got an invalid case number page" in str(UnexpectedPageError(URL, "x", "invalid case number"))


def test_a_grid_over_the_row_limit_is_a_layout_error():
    doc = lxml.html.document_fromstring(DETAIL)
    row = _data_rows(doc, "hearing information")[0]
    for _ in range(501):
        row.addnext(lxml.html.fromstring(lxml.html.tostring(row)))
    with pytest.raises(LayoutError):
        parse_case_detail(lxml.html.tostring(doc, encoding="unicode"), URL)


SAVED = sorted(p for p in GOLDEN.glob("sim-detail-*.html"))


GRIDS = ("plaintiff information", "defendant information", "hearing information")


@pytest.mark.parametrize("page", SAVED, ids=lambda p: p.stem)
def test_fuzz_every_deleted_or_duplicated_grid_cell_is_refused(page):
    """Single cell deletions and duplications in grid rows: each a layout error, never a
    record whose values moved under another header."""
    original = page.read_text("utf-8")
    doc = lxml.html.document_fromstring(original)
    cells = [(title, r, c) for title in GRIDS for r, row in enumerate(_data_rows(doc, title))
             for c in range(len(row.findall("td")))]
    assert cells, "the saved page has grid rows"
    for title, r, c in random.Random(page.name).sample(cells, min(len(cells), 12)):
        for mutation in ("delete", "duplicate"):
            mutated = lxml.html.document_fromstring(original)
            row = _data_rows(mutated, title)[r]
            cell = row.findall("td")[c]
            if mutation == "delete":
                row.remove(cell)
            else:
                cell.addnext(lxml.html.fromstring(lxml.html.tostring(cell)))
            with pytest.raises(LayoutError):
                parse_case_detail(lxml.html.tostring(mutated, encoding="unicode"), URL)


def _section_table(doc, title: str):
    for cell in doc.xpath('//td[contains(concat(" ", @class, " "), " subheader ")]'):
        if title in norm(cell.text_content()).lower():
            return cell.getparent().getparent() if cell.getparent().tag == "tr" else cell.getparent()
    raise AssertionError(f"no section {title}")


def _data_rows(doc, title: str):
    table = _section_table(doc, title)
    rows = []
    for tr in table.iter("tr"):
        tds = tr.findall("td")
        if len(tds) > 1 and not any("subgridheader" in (td.get("class") or "") for td in tds):
            rows.append(tr)
    return rows


@pytest.mark.parametrize("shape", ["10k-rows", "deep-divs", "deep-tables", "oversized"])
def test_pathological_pages_are_layout_errors(shape):
    import re

    def inside_body(extra):
        return re.sub(r"(<body[^>]*>)", lambda m: m.group(1) + extra, DETAIL, count=1)
    row = "<tr class='gridrow'><td>09/28/2026</td><td>10:00 AM</td><td></td><td>Return</td><td>2B</td></tr>"
    html = {"10k-rows": lambda: DETAIL.replace("</table>", row * 10_000 + "</table>", 1),
            "deep-divs": lambda: inside_body("<div>" * 87_000),
            "deep-tables": lambda: inside_body("<table><tr><td>" * 70_000),
            "oversized": lambda: inside_body("<!-- " + "x" * 2_000_000 + " -->")}[shape]()
    with pytest.raises(LayoutError) as caught:
        parse_case_detail(html, URL)
    assert "size the portal serves" in caught.value.field
