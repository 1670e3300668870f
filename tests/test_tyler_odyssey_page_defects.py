"""Issue 27 for Odyssey registers of actions: a section, sub-title or case header shown twice,
a header label with two values, and bytes the page's charset cannot decode."""

from __future__ import annotations

import asyncio
from html import escape
from pathlib import Path

import httpx
import lxml.html
import pytest

from evictwatch.jobs.scrape import settings_of
from scraper.base import Court, ScrapeContext
from scraper.courts import get_source
from scraper.courts.tyler_odyssey.register import parse_register
from scraper.courts.tyler_odyssey.scrape import OdysseyScraper
from scraper.courts.tyler_odyssey.sim.detail import detail_page
from scraper.pagetext import body_text
from scraper.errors import LayoutError
from scraper.pagetext import key
from tests.test_integration_sim import fast_governor
from tests.test_tyler_odyssey_scrape import COURT, TODAY, config_for, sim, truth  # noqa: F401 (sim: fixture)

GOLDEN = Path(__file__).parent / "golden" / "tyler-odyssey"
URL = "https://portal.example.invalid/JPPublicAccess/CaseDetail.aspx?CaseID=1"
WRIT = "sim-detail-writ-served.html"  # 3 parties, a disposition, one hearing; UTF-8 meta
APPEAL = "sim-detail-appeal.html"  # with Financial Information
EVENTS = "events & orders of the court"


def _golden(name: str) -> str:
    return (GOLDEN / name).read_text("utf-8")


def _saved(tmp_path: Path, name: str, doc) -> str:
    """The page written to a copy in tmp_path and read back, as a saved page is."""
    page = tmp_path / f"changed-{name}"
    page.write_text(lxml.html.tostring(doc, encoding="unicode"), encoding="utf-8")
    return page.read_text("utf-8")


def _section(doc, title: str):
    """A section's title div and the table under it."""
    for div in doc.xpath('//div[contains(concat(" ", @class, " "), " ssCaseDetailSectionTitle ")]'):
        if key(div.text_content()) == title:
            return div, div.getnext()
    raise AssertionError(f"no section {title}")


def _copy(el):
    return lxml.html.fromstring(lxml.html.tostring(el))


def _doubled(tmp_path: Path, golden: str, title: str, *, hidden: bool = False, retitle: str | None = None) -> str:
    """The golden page with section `title` written twice (the copy hidden, or under another title)."""
    doc = lxml.html.document_fromstring(_golden(golden))
    div, table = _section(doc, title)
    copies = [_copy(div), _copy(table)]
    if retitle:
        copies[0].text = retitle
    for copy in reversed(copies):
        if hidden:
            copy.set("style", "display:none")
        table.addnext(copy)
    return _saved(tmp_path, golden, doc)


# --- sections shown twice ---------------------------------------------------------------------

@pytest.mark.parametrize("hidden", [False, True], ids=["shown", "hidden"])
def test_a_second_events_section_is_a_layout_error_not_every_hearing_twice(tmp_path, hidden):
    assert len(parse_register(_golden(WRIT), URL).hearings) == 1
    with pytest.raises(LayoutError) as caught:
        parse_register(_doubled(tmp_path, WRIT, EVENTS, hidden=hidden), URL)
    assert caught.value.field == f"single section {EVENTS!r}"
    assert "the title appears more than once" in str(caught.value)


def test_a_second_party_information_is_a_layout_error_not_every_party_twice(tmp_path):
    once = parse_register(_golden(WRIT), URL)
    assert (len(once.plaintiffs), len(once.defendants)) == (1, 2)
    with pytest.raises(LayoutError) as caught:
        parse_register(_doubled(tmp_path, WRIT, "party information"), URL)
    assert caught.value.field == "single section 'party information'"


def test_the_events_under_a_second_spelling_are_refused_not_skipped(tmp_path):
    html = _doubled(tmp_path, WRIT, EVENTS, retitle="Events and Orders of the Court")
    with pytest.raises(LayoutError) as caught:
        parse_register(html, URL)
    assert caught.value.field == "single section 'events and orders of the court'"
    assert f"the page also has {EVENTS!r}" in str(caught.value)


def test_the_events_rows_twice_under_one_title_are_refused_by_their_sub_titles(tmp_path):
    doc = lxml.html.document_fromstring(_golden(WRIT))
    _, table = _section(doc, EVENTS)
    table.addnext(_copy(table))
    with pytest.raises(LayoutError) as caught:
        parse_register(_saved(tmp_path, WRIT, doc), URL)
    assert caught.value.field == "single sub-title 'dispositions' in Events & Orders of the Court"


def test_a_second_case_header_is_refused(tmp_path):
    doc = lxml.html.document_fromstring(_golden(WRIT))
    [number] = doc.xpath('//div[@class="ssCaseDetailCaseNbr"]')
    number.addnext(_copy(number))
    with pytest.raises(LayoutError) as caught:
        parse_register(_saved(tmp_path, WRIT, doc), URL)
    assert caught.value.field == "single case header (Case No.)"


def test_financial_information_shown_per_party_is_still_accepted(tmp_path):
    # The brief shows it per party and the register does not read it: nothing counts twice.
    once = parse_register(_golden(APPEAL), URL)
    twice = parse_register(_doubled(tmp_path, APPEAL, "financial information"), URL)
    assert twice == once and twice.unknown_fields == once.unknown_fields == ()


# --- a header label with two values ---------------------------------------------------------

def _label_row(label: str, value: str) -> str:
    return f'<tr><th class="ssTableHeaderLabel" valign="top">{label}</th><td><b>{value}</b></td></tr>'


def _with_label(tmp_path: Path, label: str, value: str) -> str:
    html = _golden(WRIT).replace(_label_row("Location:", "Precinct Four"),
                                 _label_row("Location:", "Precinct Four") + _label_row(label, value), 1)
    assert html != _golden(WRIT)
    page = tmp_path / "label.html"
    page.write_text(html, encoding="utf-8")
    return page.read_text("utf-8")


def test_a_label_repeated_with_another_value_is_a_layout_error(tmp_path):
    with pytest.raises(LayoutError) as caught:
        parse_register(_with_label(tmp_path, "CASE TYPE:", "Small Claims"), URL)
    assert caught.value.field == "single value of the label 'case type'"
    assert "Small Claims" not in str(caught.value)  # the message names the label, not the case's data


def test_a_label_repeated_with_the_same_value_is_accepted(tmp_path):
    assert parse_register(_with_label(tmp_path, "Case Type:", "Eviction"), URL) == parse_register(_golden(WRIT), URL)


def test_a_label_under_a_section_is_not_the_case_headers(tmp_path):
    html = _golden(APPEAL).replace("<tr><td>Total Financial Assessment</td>",
                                   _label_row("Location:", "Cashier") + "<tr><td>Total Financial Assessment</td>", 1)
    record = parse_register(html, URL)
    assert record == parse_register(_golden(APPEAL), URL) and record.hearings[0].courtroom == "Precinct One"


# --- bytes the charset cannot decode ---------------------------------------------------------

PENA = _golden(WRIT).replace("Vargas, Patricia B.", "Peña, Patricia B.")


def _undecodable(fields) -> list[str]:
    return sorted(f for f in fields if f.startswith("undecodable:"))


def test_latin1_bytes_under_a_utf8_meta_are_unread_values_not_silent(tmp_path):
    assert "charset=utf-8" in PENA and "Peña" in PENA
    saved = tmp_path / "latin1.html"
    saved.write_bytes(PENA.encode("latin-1"))
    text = body_text(saved.read_bytes(), None)
    assert "Pe\ufffda" in text and "Ñ" not in text.upper()  # no other charset guessed
    record = parse_register(text, URL)
    assert any(p.name == "Pe\ufffda, Patricia B." for p in record.defendants)
    assert _undecodable(record.unknown_fields) == ["undecodable:party information:name"]
    # As `evictwatch parse tyler-odyssey FILE` and a reparse of the archive read it.
    again = get_source("tyler-odyssey").parse_case_page(saved.read_bytes().decode("utf-8", "replace"), URL, None)
    assert _undecodable(again.unknown_fields) == ["undecodable:party information:name"]
    assert _undecodable(parse_register(body_text(PENA.encode("utf-8")), URL).unknown_fields) == []


def test_a_declared_latin1_page_decodes_with_nothing_unread():
    body = PENA.replace("charset=utf-8", "charset=ISO-8859-1").encode("latin-1")
    record = parse_register(body_text(body, None), URL)
    assert any(p.name == "Peña, Patricia B." for p in record.defendants) and record.unknown_fields == ()


def test_every_value_read_is_checked_header_parties_and_events():
    html = (PENA.replace("Precinct Four", "Precinto Cuatro Nº")
            .replace("<b>Citation Issued</b>", "<b>Citation Issued</b> Año")
            .replace("<b>Ortega, Lena</b>", "<b>Ortega, Lena ñ</b>")
            .replace("Judgment of $ 1,884.67", "Judgment of $ 1,884.67 ñ"))
    record = parse_register(body_text(html.encode("latin-1")), URL)
    assert _undecodable(record.unknown_fields) == [
        "undecodable:case header:location", f"undecodable:{EVENTS}:disposition", f"undecodable:{EVENTS}:event",
        "undecodable:party information:attorney", "undecodable:party information:name"]


def _with_pena(simulator, number: str, charset: str) -> bytes:
    """The case's register as the simulator serves it, a defendant renamed Peña, in Latin-1 bytes."""
    facts = simulator.docket.facts(number)
    name = escape(facts.defendants[0].name)
    page = detail_page(facts, TODAY, "none").replace(f">{name}</th>", ">Peña, Rosa</th>", 1)
    assert "Peña, Rosa" in page and page.replace("ñ", "").isascii()
    return page.replace("charset=utf-8", f"charset={charset}").encode("latin-1")


def test_undecodable_bytes_reach_the_scrape_summarys_unread_values(sim):  # noqa: F811 (the fixture)
    simulator, running = sim
    config = config_for(running.base_url)
    target = Court(COURT, get_source("tyler-odyssey"), "Precinct Five", running.base_url)
    first, mislabelled, declared = sorted(truth(simulator))[:3]
    # A portal sending Latin-1 bytes under its UTF-8 meta, then one whose meta says Latin-1 (no
    # charset in either's Content-Type): the second decodes as the browser would, nothing unread.
    bodies = {mislabelled: _with_pena(simulator, mislabelled, "utf-8"),
              declared: _with_pena(simulator, declared, "ISO-8859-1")}

    async def run():
        ctx = ScrapeContext(governor=fast_governor(config), settings=settings_of(config), archive=lambda p: None)
        scraper = OdysseyScraper(target, ctx)
        try:
            await scraper.case(first)  # the session, and the httpx client with its cookies
            body = b""

            async def latin1(url, **kwargs):
                return httpx.Response(200, headers={"Content-Type": "text/html"}, content=body)

            scraper.http.get = latin1
            records = []
            for number in (mislabelled, declared):
                body = bodies[number]
                records.append(await scraper.case(number))
            return records, scraper
        finally:
            await scraper.aclose()

    (unread, clean), scraper = asyncio.run(run())
    assert unread.defendants[0].name == "Pe\ufffda, Rosa" and clean.defendants[0].name == "Peña, Rosa"
    assert scraper.fallbacks == 0 and clean.unknown_fields == ()
    assert scraper.summary.unknown_fields == {"undecodable:party information:name": 1}
    assert sum(scraper.summary.unknown_fields.values()) == 1  # the summary's "unread values"
