"""Odyssey registers as other counties configure Party Information (issue 28, point 6): the
attorney column headed `Attorneys` or `Lead Attorneys`, `Pro Se`, attorneys with `Retained` and
phones, street lines, `And All Other Occupants` in the address block, pages ending at `</body>`.

The golden pages hold each county's layout whole (tests/golden/tyler-odyssey/hand-detail-
lead-attorneys-*.html, hand-detail-attorneys-pro-se-occupants-twice.html); here: what a partner
gets from them downstream, the attorney cell's shapes one by one, and cut-short pages.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from pipeline.normalize import person_key
from pipeline.prepare import prepare
from pipeline.store.notices import eviction_cases
from scraper.base import Court
from scraper.courts import get_source
from scraper.courts.tyler_odyssey.register import parse_register
from scraper.courts.tyler_odyssey.sim import SimConfig
from scraper.courts.tyler_odyssey.sim.detail import detail_page
from scraper.courts.tyler_odyssey.sim.docket import Docket
from scraper.courts.tyler_odyssey.sim.model import EVICTION, LEAD_ATTORNEYS
from scraper.errors import TruncatedPageError

GOLDEN = Path(__file__).parent / "golden" / "tyler-odyssey"
URL = "https://portal.example.invalid/PublicAccess/CaseDetail.aspx?CaseID=1"
TODAY = dt.date(2026, 1, 20)
SOURCE = get_source("tyler-odyssey")


def golden(name: str) -> str:
    return (GOLDEN / f"hand-detail-{name}.html").read_text(encoding="utf-8")


def register(attorney_heading: str, attorney_cell: str, address_cell: str) -> str:
    """A whole register whose one defendant has these attorney and address cells."""
    return f"""<html><body>
<div class="ssCaseDetailROA">Register of Actions</div>
<div class="ssCaseDetailCaseNbr">Case No. <span>J2-EV-26-000001</span></div>
<table><tr><th class="ssTableHeaderLabel">Case Type:</th><td>Eviction</td></tr>
<tr><th class="ssTableHeaderLabel">Date Filed:</th><td>01/05/2026</td></tr></table>
<div class="ssCaseDetailSectionTitle">Party Information</div>
<table>
 <tr><th id="PIc0"></th><th id="PIc1"></th><th id="PIc4"></th>
     <th id="PIc5" class="ssTableHeader">{attorney_heading}</th></tr>
 <tr><th id="PIr01" class="ssTableHeader">Defendant</th><th id="PIr11" class="ssTableHeader">Tamsin, Oriel</th>
     <td headers="PIr01 PIr11"> </td>
     <td headers="&#xD;&#xA; PIr01 &#xD;&#xA; PIr11 &#xD;&#xA; PIc5 " rowspan="2">{attorney_cell}</td></tr>
 <tr><td headers="PIr01"></td><td headers=" PIr01 PIr11 " colspan="2">{address_cell}</td></tr>
 <tr><th id="PIr02" class="ssTableHeader">Plaintiff</th><th id="PIr12" class="ssTableHeader">Foxglove Flats LP</th>
     <td headers="PIr02 PIr12 PIc5" rowspan="2"></td></tr>
 <tr><td headers="PIr02"></td><td headers="PIr02 PIr12" colspan="2">Austin, TX 78701</td></tr>
</table>
<div class="ssCaseDetailSectionTitle">Events &amp; Orders of the Court</div>
<table><tr><th class="ssTableHeaderLabel">01/05/2026</th><td><b>Original Petition (OCA)</b></td></tr></table>
</body></html>"""


STREET = "1200 Thistle Row<br>Apartment No. 5<br>San Marcos, TX 78666"


@pytest.mark.parametrize("heading", ["Attorneys", "<u>Lead Attorneys</u>", "LEAD ATTORNEYS", "Lead Attorney:"])
@pytest.mark.parametrize(("cell", "attorney"), [
    ("<b>Wrenfield, Ada</b><br>&nbsp;&nbsp;<i>Retained</i><br>&nbsp;&nbsp;303-555-0182(W)", "Wrenfield, Ada"),
    ("Wrenfield, Ada<br><i>Court Appointed</i><br>(512) 555-0100(H)<br>512.555.0101 (F)", "Wrenfield, Ada"),
    ("\n   Pro Se\n", "Pro Se"),
    ("", None),
    ("&nbsp;", None),
])
def test_attorney_column_by_either_heading_holds_only_the_attorneys_name(heading, cell, attorney):
    record = parse_register(register(heading, cell, STREET), URL)
    tenant = record.defendants[0]
    assert (tenant.name, tenant.attorney) == ("Tamsin, Oriel", attorney)
    assert tenant.address == "1200 Thistle Row, Apartment No. 5, San Marcos, TX 78666"
    assert record.plaintiffs[0].address == "Austin, TX 78701"


@pytest.mark.parametrize(("address_cell", "name", "address"), [
    ("<nobr>And All Other Occupants</nobr><br>" + STREET, "Tamsin, Oriel And All Other Occupants",
     "1200 Thistle Row, Apartment No. 5, San Marcos, TX 78666"),
    ("<nobr>AND ALL OTHER OCCUPANTS</nobr>", "Tamsin, Oriel AND ALL OTHER OCCUPANTS", None),
    ("All Occupants Lane Co-op<br>San Marcos, TX 78666", "Tamsin, Oriel",
     "All Occupants Lane Co-op, San Marcos, TX 78666"),
])
def test_occupants_line_belongs_to_the_party_not_the_address(address_cell, name, address):
    tenant = parse_register(register("Lead Attorneys", "Pro Se", address_cell), URL).defendants[0]
    assert (tenant.name, tenant.address) == (name, address)


def saved(store, court_id: str, prepared) -> None:
    store.ensure_court(Court(court_id, get_source("tyler-odyssey"), "", "https://portal.example.invalid/PublicAccess/"))
    store.save([prepared])


def test_a_partner_gets_the_street_no_attorney_and_one_household_from_a_lead_attorneys_register(store):
    record = parse_register(golden("lead-attorneys-pro-se-street"), URL, "hays-jp2")
    prepared = prepare(record, TODAY, SOURCE.timezone, SOURCE.vocabulary)
    lead = next(p for p in prepared.parties if p.role == "defendant")
    # The occupants are the leaseholder's household, not a person's name: the household is
    # keyed by the street, and the lead's name reads as the person alone.
    assert (lead.norm.kind, lead.norm.all_occupants, person_key(lead.norm.person)) == ("person", True, "QUILL|ROWAN")
    assert prepared.household_key == "ADDR|2207 WHITEACRE DRIVE|APT 14|78666"
    saved(store, "hays-jp2", prepared)
    case = next(eviction_cases(store))
    assert (case.tenant.street, case.tenant.zip5) == ("2207 WHITEACRE DRIVE", "78666")
    assert case.attorney_of_record is None  # "Pro Se": self-represented, as Virginia's NONE
    assert case.plaintiffs[0].attorney == "Pennington, Marlowe"


def test_occupants_alone_in_the_address_block_name_no_one(store):
    record = parse_register(golden("lead-attorneys-court-appointed"), URL, "wilco-jp1")
    prepared = prepare(record, TODAY, SOURCE.timezone, SOURCE.vocabulary)
    assert prepared.household_key == "NAME|LARK|JUNIPER|"
    saved(store, "wilco-jp1", prepared)
    case = next(eviction_cases(store))
    assert case.tenant.street is None
    assert case.attorney_of_record == "Ashdown, Petra L."  # court appointed: represented


def test_a_page_ending_at_body_is_read_and_one_cut_anywhere_before_is_refused():
    page = golden("lead-attorneys-pro-se-street")
    assert "</html>" not in page.lower()
    whole = parse_register(page, URL)
    assert parse_register(page + "</html>\n", URL) == whole
    end = page.lower().rindex("</body>")
    for cut in [*range(len(page) // 2, end, 37), end]:
        with pytest.raises(TruncatedPageError):
            parse_register(page[:cut], URL)


def test_the_simulator_in_the_lead_attorneys_layout_serves_registers_that_read_as_its_truth():
    today = dt.date(2026, 11, 27)
    docket = Docket(seed=3, today=today, party_layout=LEAD_ATTORNEYS)
    cases = [c for c in docket.year(2026) if c.case_type == EVICTION and c.filed <= today][-200:]
    pages = {c.case_number: detail_page(c, today, "none", LEAD_ATTORNEYS) for c in cases}
    read = {number: parse_register(html, URL) for number, html in pages.items()}
    assert read == {c.case_number: docket.record(c.case_number) for c in cases}
    parties = [p for r in read.values() for p in (*r.plaintiffs, *r.defendants)]
    assert any(p.name.endswith(" And All Other Occupants") for p in parties)
    assert any(p.attorney == "Pro Se" for p in parties) and any(p.attorney not in (None, "Pro Se") for p in parties)
    assert not any("Occupants" in (p.address or "") or "Retained" in (p.attorney or "") for p in parties)
    assert all(html.rstrip().endswith("</body>") and "</html>" not in html for html in pages.values())
    with pytest.raises(ValueError, match="lead-attorneys"):
        SimConfig(party_layout="williamson")
